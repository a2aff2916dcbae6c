/** The admin's side of Street Bump mode: known features, and the spots to review. */
import { Hono } from "hono";
import { z } from "zod";
import { invalid, notFound } from "../domain/errors";
import { SERVICE_MARGIN_M, withinServiceArea } from "../domain/routing";
import { adminAudit } from "../http/audit";
import { requireAdmin } from "../http/auth";
import type { AppEnv } from "../http/context";
import { GEOJSON_HEADERS } from "../http/geojson";
import { jsonBody } from "../http/validate";
import { describe } from "../openapi/describe";
import {
  knownFeatureCollection,
  knownFeatureImport,
  knownFeatureImported,
  roadSpotView,
} from "../schemas/sensor";
import { areasForIntake } from "../store/catalog-cache";
import { listSpotsForReview } from "../store/road-spots";
import { deleteKnownFeature, findKnownFeaturesInBox, importKnownFeatures } from "../store/sensor-fixtures";

const spotReview = z.object({ candidates: z.array(roadSpotView), suggestedFeatures: z.array(roadSpotView) });

/** Mounted under `/api/admin`, beside the other admin routes. */
export const adminSensorRoutes = new Hono<AppEnv>()
  .use("/known-features", requireAdmin)
  .use("/known-features/*", requireAdmin)
  .use("/sensor/*", requireAdmin)
  .post(
    "/known-features",
    describe({
      tag: "Admin",
      summary: "Import known road features (GeoJSON points)",
      description:
        "A FeatureCollection of Points with `properties.kind` (manhole, speed_bump, rail_crossing…). Spots nearby that have not filed a report become `known_feature`. A feature already there (its kind at the same point) is not added again, so a file imported twice changes nothing. A file with a feature outside the area the city serves (as reports there are refused) is refused whole, naming the first.",
      responses: {
        201: {
          description: "How many were new, and how many spots became known",
          json: knownFeatureImported,
        },
      },
    }),
    jsonBody(knownFeatureImport),
    async (c) => {
      const input = c.req.valid("json");
      const features = input.features.map((f) => ({
        kind: f.properties.kind,
        lon: f.geometry.coordinates[0],
        lat: f.geometry.coordinates[1],
      }));
      // A file with its positions swapped ([lat, lon]) or of another city marks nothing a phone
      // will ever pass: refused whole, as the intake refuses a report there.
      const { areas } = await areasForIntake(c.var.db);
      const outside = features.findIndex((f) => !withinServiceArea(areas, f));
      if (outside >= 0) {
        const count = features.filter((f) => !withinServiceArea(areas, f)).length;
        const field = `features.${outside}.geometry.coordinates`;
        throw invalid(
          field,
          `${field}: ${count} of the ${features.length} features are outside the area this city serves (more than ${SERVICE_MARGIN_M / 1000} km from every department's area), this one first; GeoJSON writes [longitude, latitude]`,
        );
      }
      return c.json(await importKnownFeatures(c.var.db, features, c.var.now(), adminAudit(c)), 201);
    },
  )
  .get(
    "/known-features",
    describe({
      tag: "Admin",
      summary: "Every known road feature (GeoJSON)",
      responses: {
        200: {
          description: "Newest first, at most 2000",
          content: { "application/geo+json": knownFeatureCollection },
        },
      },
    }),
    async (c) => c.json(await findKnownFeaturesInBox(c.var.db, null), 200, GEOJSON_HEADERS),
  )
  .delete(
    "/known-features/:id",
    describe({
      tag: "Admin",
      summary: "Delete a known road feature",
      responses: { 204: { description: "Deleted" } },
    }),
    async (c) => {
      const deleted = await deleteKnownFeature(c.var.db, c.req.param("id"), c.var.now(), adminAudit(c));
      if (!deleted) throw notFound("known feature");
      return c.body(null, 204);
    },
  )
  .get(
    "/sensor/spots",
    describe({
      tag: "Admin",
      summary: "Road spots to review: candidates, and suggested known features",
      description: "A spot most of whose events felt like bumps is suggested as a fixture.",
      responses: { 200: { description: "At most 500 of each", json: spotReview } },
    }),
    async (c) => c.json(await listSpotsForReview(c.var.db)),
  );
