import { z } from "zod";
import { MAX_ZOOM, MIN_ZOOM } from "../domain/map-grid";
import { PUBLIC_STATUSES } from "../domain/public-status";
import { bboxParam, deadlineFlag } from "./cluster";
import { code, instant, pointGeometry, queryInt } from "./common";

/** `GET /api/map`: what is in view at a zoom, with the map's filters. */
export const mapQuery = z.object({
  bbox: bboxParam,
  zoom: queryInt(MIN_ZOOM, MAX_ZOOM),
  service: code.optional(),
  status: z.enum(PUBLIC_STATUSES).optional(),
  /** Only clusters with a report at or after this instant (ISO 8601). */
  since: z.iso
    .datetime({ offset: true })
    .transform((s) => new Date(s).getTime())
    .optional(),
  /** Only work orders overdue now (`red`) or nearly due (`yellow`, past 75% of the time allowed). */
  deadline: z.enum(["red", "yellow"]).optional(),
});
export type MapQuery = z.output<typeof mapQuery>;

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
  features: z.array(z.union([mapCluster, mapCell])),
});
