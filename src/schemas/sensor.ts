/** Street Bump mode's payloads: uploads from phones, road spots, known features. */
import { z } from "zod";
import { parseRoadCell } from "../domain/road-cells";
import {
  ANOMALY_KINDS,
  MAX_EVENT_ACCURACY_M,
  MAX_EVENT_SPEED_MPS,
  MAX_SENSED_LAT,
  MAX_SPOT_RADIUS_M,
  SPOT_STATES,
} from "../domain/sensor";
import { bboxParam } from "./cluster";
import { geoPosition, instant, longitude, pointGeometry, text } from "./common";

export const MAX_BATCH_EVENTS = 2000;
export const MAX_BATCH_CELLS = 5000;

const NEAR_A_POLE = `must be within ${MAX_SENSED_LAT}° of the equator (no road is sensed nearer a pole)`;

/** One anomaly a phone felt. */
export const sensorEvent = z.strictObject({
  // Phones write their own zone's time (+08:00 in Changsha): any ISO offset, read as the instant.
  at: z.iso.datetime({
    offset: true,
    error: "must be an ISO 8601 time with its zone: Z or an offset such as +08:00",
  }),
  lat: z.number().min(-MAX_SENSED_LAT, NEAR_A_POLE).max(MAX_SENSED_LAT, NEAR_A_POLE),
  lon: longitude,
  accuracyM: z.number().min(0).max(MAX_EVENT_ACCURACY_M).describe("The GPS fix's accuracy in metres"),
  speedMps: z.number().min(0).max(MAX_EVENT_SPEED_MPS),
  headingDeg: z.number().min(0).max(360),
  kind: z.enum(ANOMALY_KINDS),
  score: z.number().min(0).max(1),
});

/** `POST /api/sensor/batches`: what `src/sensing/uploader.ts` sends. */
export const sensorBatchInput = z.strictObject({
  deviceId: text().min(1).max(200).describe("Private: hashed on arrival, never shown or logged"),
  events: z.array(sensorEvent).max(MAX_BATCH_EVENTS),
  cells: z
    .array(z.string().refine((c) => parseRoadCell(c) !== null, "must be a road cell such as 281941:1129823"))
    .max(MAX_BATCH_CELLS)
    .optional()
    .describe("Road cells driven through (`floor(lat/1e-4):floor(lon/1e-4)`), no order, no times"),
});
export type SensorBatchInput = z.infer<typeof sensorBatchInput>;

export const spotState = z.enum(SPOT_STATES);

/** `202` of `POST /api/sensor/batches`. */
export const sensorBatchAnswer = z.object({
  accepted: z
    .int()
    .describe(
      "Events taken in; an event sent more than once in the batch (same time, place and kind) counts once",
    ),
  spots: z.array(z.object({ id: z.string(), state: spotState })).describe("The spots the events landed in"),
});

/** A road spot as anyone may see it: counts, never who. */
export const roadSpotView = z.object({
  id: z.string(),
  kind: z.enum(ANOMALY_KINDS),
  state: spotState,
  lat: z.number(),
  lon: z.number(),
  radiusM: z.number(),
  devices: z.int().describe("Distinct devices that hit it"),
  hits: z.int(),
  hitPasses: z.int().describe("Passes (device and day) that hit it"),
  passes: z.int().describe("Passes over it, hit or not"),
  hitShare: z.number(),
  clusterId: z.string().nullable(),
  firstHitAt: instant.describe(
    "The day (UTC) of the first hit: no finer, so no two spots' times tie one phone to both",
  ),
  lastHitAt: instant.describe("The day (UTC) of the last hit"),
  confirmedAt: instant.nullable().describe("The day (UTC) it was confirmed, as the hits' days"),
});

export const spotQuery = z.object({ bbox: bboxParam, state: spotState.optional() });
export const bboxQuery = z.object({ bbox: bboxParam });

export const spotCollection = z.object({
  type: z.literal("FeatureCollection"),
  features: z.array(
    z.object({
      type: z.literal("Feature"),
      id: z.string(),
      geometry: pointGeometry,
      properties: roadSpotView.omit({ lat: true, lon: true }),
    }),
  ),
  truncated: z.boolean(),
});
export const spotAnswer = z.object({ spot: roadSpotView });
/** A spot folded into another (GPS error had split one place): the one it became part of. */
export const spotFolded = z.object({ foldedInto: z.string() });

export const featureKind = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, "must be a lower-case word such as manhole");

/** `POST /api/admin/known-features`: GeoJSON points with `properties.kind`. */
export const knownFeatureImport = z.object({
  type: z.literal("FeatureCollection"),
  features: z
    .array(
      z.object({
        type: z.literal("Feature"),
        geometry: z.object({ type: z.literal("Point"), coordinates: geoPosition }),
        properties: z.object({ kind: featureKind }).loose(),
      }),
    )
    .min(1)
    .max(5000),
});

export const knownFeatureView = z.object({
  id: z.string(),
  kind: z.string(),
  lat: z.number(),
  lon: z.number(),
  origin: z.enum(["import", "rejection"]),
  createdAt: instant,
});
export const knownFeatureCollection = z.object({
  type: z.literal("FeatureCollection"),
  features: z.array(
    z.object({
      type: z.literal("Feature"),
      id: z.string(),
      geometry: pointGeometry,
      properties: knownFeatureView.omit({ lat: true, lon: true }),
    }),
  ),
  truncated: z.boolean(),
});
export const knownFeatureImported = z.object({ imported: z.int(), spotsMarked: z.int() });

/** A service's sensor settings (`sensor` of a service). */
export const sensorSettings = z.strictObject({
  kinds: z.array(z.enum(ANOMALY_KINDS)).min(1),
  minDevices: z.int().min(1).max(1000),
  minHitShare: z.number().min(0).max(1),
  radiusM: z.number().min(8).max(MAX_SPOT_RADIUS_M),
});
