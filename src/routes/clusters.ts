import { Hono } from "hono";
import { notFound } from "../domain/errors";
import type { AppEnv } from "../http/context";
import { GEOJSON_HEADERS } from "../http/geojson";
import { queryParams } from "../http/validate";
import { inWalkTurn } from "../http/walk-queue";
import { describe } from "../openapi/describe";
import { clusterCollection, clusterDetail, clusterQuery } from "../schemas/cluster";
import { findClusterDetail, findClustersInBox } from "../store/clusters";
import { nameThePoint } from "../store/places";

export const clusterRoutes = new Hono<AppEnv>()
  .get(
    "/",
    describe({
      tag: "Clusters",
      summary: "Clusters in a bounding box (GeoJSON)",
      responses: {
        200: {
          description: "A GeoJSON FeatureCollection of clusters",
          content: { "application/geo+json": clusterCollection },
        },
      },
    }),
    queryParams(clusterQuery),
    async (c) => {
      const { bbox, limit, ...filter } = c.req.valid("query");
      const { clusters, truncated } = await inWalkTurn(c.var.network, () =>
        findClustersInBox(c.var.db, bbox, filter, limit),
      );
      return c.json(
        {
          type: "FeatureCollection" as const,
          features: clusters.map(({ lat, lon, ...properties }) => ({
            type: "Feature" as const,
            id: properties.id,
            geometry: { type: "Point" as const, coordinates: [lon, lat] as [number, number] },
            properties,
          })),
          // A foreign member (RFC 7946 §6.1): more clusters are in the box than were sent.
          truncated,
        },
        200,
        GEOJSON_HEADERS,
      );
    },
  )
  .get(
    "/:id",
    describe({
      tag: "Clusters",
      summary: "One cluster with its work order and public timeline",
      responses: { 200: { description: "The cluster", json: clusterDetail } },
    }),
    async (c) => {
      const cluster = await findClusterDetail(c.var.db, c.req.param("id"), c.var.now());
      if (!cluster) throw notFound("cluster");
      const { label, near } = await nameThePoint(c.var.db, cluster);
      const place = label.en && label.zh ? { en: label.en, zh: label.zh, near: near !== null } : null;
      return c.json({ cluster: { ...cluster, place } });
    },
  );
