import { Hono } from "hono";
import type { AppEnv } from "../http/context";
import { queryParams } from "../http/validate";
import { describe } from "../openapi/describe";
import { mapAnswer, mapQuery } from "../schemas/map";
import { findMapItems } from "../store/map-view";

/** The public map: GeoJSON of what is in view, thinned to counts where it is dense. */
export const mapRoutes = new Hono<AppEnv>().get(
  "/",
  describe({
    tag: "Map",
    summary: "What is in view on the map, thinned to counts where dense (GeoJSON)",
    responses: { 200: { description: "A GeoJSON FeatureCollection of clusters and cells", json: mapAnswer } },
  }),
  queryParams(mapQuery),
  async (c) => {
    const { bbox, zoom, deadline, ...filter } = c.req.valid("query");
    const now = c.var.now();
    const { mode, items } = await findMapItems(
      c.var.db,
      bbox,
      zoom,
      { ...filter, deadline: deadline ? { flag: deadline, now } : undefined },
      now,
    );
    return c.json({
      type: "FeatureCollection" as const,
      // A foreign member (RFC 7946 §6.1): "clusters" when every cluster in view is listed.
      mode,
      features: items.map(({ lat, lon, ...properties }) => ({
        type: "Feature" as const,
        ...(properties.kind === "cluster" ? { id: properties.id } : {}),
        geometry: { type: "Point" as const, coordinates: [lon, lat] as [number, number] },
        properties,
      })),
    });
  },
);
