import { z } from "zod";
import { MAX_ZOOM, MIN_ZOOM } from "../domain/map-grid";
import { PUBLIC_STATUSES } from "../domain/public-status";
import { bboxParam, deadlineFlag } from "./cluster";
import { code, instant, pointGeometry, queryInt } from "./common";
import { W3C_WORDS, w3cDatetime } from "./open311";

/** `GET /api/map`: what is in view at a zoom, with the map's filters. */
export const mapQuery = z.object({
  bbox: bboxParam,
  zoom: queryInt(MIN_ZOOM, MAX_ZOOM),
  service: code.optional(),
  status: z.enum(PUBLIC_STATUSES).optional(),
  // Read as the exports and Open311 read dates (`w3cDatetime`).
  since: w3cDatetime
    .optional()
    .describe(`Only clusters with a report at or after this instant: ${W3C_WORDS}`),
  /** Only work orders overdue now (`red`) or nearly due (`yellow`, past 75% of the time allowed). */
  deadline: z.enum(["red", "yellow"]).optional(),
  /** Only work orders handled by this department (its code), e.g. with `deadline=red` its overdue ones. */
  department: code.optional(),
});
export type MapQuery = z.output<typeof mapQuery>;

/** `GET /api/map/tiles/{z}/{x}/{y}`: a Web Mercator tile's share of the map, with the same filters. */
export const tileQuery = mapQuery.omit({ bbox: true, zoom: true });

const tileIndex = z
  .string()
  .regex(/^\d{1,7}$/, "must be a whole number in decimal digits")
  .transform(Number);
/** The tile's path: zoom, column and row (each below 2^zoom). */
export const tilePath = z
  .object({ z: tileIndex.pipe(z.number().int().min(MIN_ZOOM).max(MAX_ZOOM)), x: tileIndex, y: tileIndex })
  .refine((t) => t.x < 2 ** t.z, { message: "must be below 2^z", path: ["x"] })
  .refine((t) => t.y < 2 ** t.z, { message: "must be below 2^z", path: ["y"] });

const mapCluster = z.object({
  type: z.literal("Feature"),
  id: z.string(),
  geometry: pointGeometry,
  properties: z.object({
    kind: z.literal("cluster"),
    id: z.string(),
    service: z.string(),
    status: z.enum(PUBLIC_STATUSES),
    reports: z.int(),
    reporters: z.int(),
    department: z.string().nullable(),
    lastReportAt: instant,
    flag: deadlineFlag.describe("The work order's deadline flag now"),
    said: z.string().describe("The latest resident's words, cut to 120 characters"),
    mergedIntoId: z
      .string()
      .nullable()
      .describe(
        "The problem this one was merged into as a duplicate (its reports count there, so it reads `closed` with 0 reports); null for any other",
      ),
  }),
});

const mapCell = z.object({
  type: z.literal("Feature"),
  geometry: pointGeometry,
  properties: z.object({
    kind: z.literal("cell"),
    clusters: z.int().describe("How many clusters the cell holds"),
    bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]),
  }),
});

/** `GET /api/map`: single clusters, or counts per grid cell (`mode: "grid"`) where dense. */
export const mapAnswer = z.object({
  type: z.literal("FeatureCollection"),
  mode: z.enum(["clusters", "grid"]),
  zoomIn: z
    .literal(true)
    .optional()
    .describe(
      "A mix the aggregates do not hold (`since` or `deadline` with a `status`, a `department` or each other) whose live walk would read more than 1,000 clusters or work orders in view: not answered (no features); zoom in. `since` alone, `deadline` alone (with or without `service`) and `department` without `since` or `deadline` are always answered from the aggregates",
    ),
  features: z.array(z.union([mapCluster, mapCell])),
});
