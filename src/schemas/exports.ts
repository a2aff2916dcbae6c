import { z } from "zod";
import { PUBLIC_STATUSES } from "../domain/public-status";
import { CLUSTER_STATES, WORK_ORDER_STATUSES } from "../domain/states";
import { bboxParam } from "./cluster";
import { code } from "./common";

const since = z.iso
  .datetime({ offset: true })
  .transform((s) => new Date(s).getTime())
  .optional();

/** `GET /api/exports/clusters.{geojson,csv}`: the filters of the cluster list and the map. */
export const clusterExportQuery = z.object({
  bbox: bboxParam.optional().describe("minLon,minLat,maxLon,maxLat; the whole city when left out"),
  service: code.optional(),
  state: z.enum(CLUSTER_STATES).optional(),
  status: z.enum(PUBLIC_STATUSES).optional().describe("The public status, as on the map"),
  since: since.describe("Only clusters with a report at or after this instant (ISO 8601)"),
});
export type ClusterExportQuery = z.output<typeof clusterExportQuery>;

/** `GET /api/exports/work-orders.{geojson,csv}`: the filters of the work-order list. */
export const workOrderExportQuery = z.object({
  bbox: bboxParam.optional().describe("minLon,minLat,maxLon,maxLat; the whole city when left out"),
  service: code.optional(),
  department: code.optional(),
  status: z.enum(WORK_ORDER_STATUSES).optional(),
  routed: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional()
    .describe("false lists the work orders no department took"),
  since: since.describe("Only work orders created at or after this instant (ISO 8601)"),
});
export type WorkOrderExportQuery = z.output<typeof workOrderExportQuery>;
