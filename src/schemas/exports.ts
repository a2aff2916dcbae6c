import { z } from "zod";
import { PUBLIC_STATUSES } from "../domain/public-status";
import { CLUSTER_STATES, WORK_ORDER_STATUSES } from "../domain/states";
import { bboxParam } from "./cluster";
import { code, instant, pointGeometry } from "./common";
import { commaList, W3C_WORDS, w3cDatetime, w3cEnd } from "./open311";

// Read as Open311 reads its dates, so one program can ask both the same way: W3C date-times, a bare
// date, an offset with or without its colon (or its `+` arrived as a space), the city's time (UTC+8) without a zone;
// `until` inclusive at the precision written (a bare date: the whole day).
const since = w3cDatetime.optional();
const until = w3cEnd.optional();

/** One service or several (`pothole,streetlight`), as Open311's `service_code` takes them. */
const services = commaList(code).optional().describe("A service code, or several separated by commas");

/** `until` before `since` matches nothing: a mistake, said as one rather than an empty export. */
const inOrder = (q: { since?: number | undefined; until?: number | undefined }, ctx: z.RefinementCtx) => {
  if (q.since !== undefined && q.until !== undefined && q.until < q.since)
    ctx.addIssue({ code: "custom", path: ["until"], message: "is before since" });
};

/** `GET /api/exports/clusters.{geojson,csv}`: the filters of the cluster list and the map. */
export const clusterExportQuery = z
  .object({
    bbox: bboxParam.optional().describe("minLon,minLat,maxLon,maxLat; the whole city when left out"),
    service: services,
    state: z.enum(CLUSTER_STATES).optional(),
    status: z.enum(PUBLIC_STATUSES).optional().describe("The public status, as on the map"),
    since: since.describe(`Only clusters with a report at or after this instant (${W3C_WORDS})`),
    updated_since: since.describe(
      `Only clusters that changed at or after this instant (${W3C_WORDS}): a report, a merge, a move of their work order; to fetch only what changed since the last export`,
    ),
    until: until.describe(
      `Only clusters first reported at or before this instant (${W3C_WORDS}), inclusive at the precision written`,
    ),
  })
  .superRefine(inOrder);
export type ClusterExportQuery = z.output<typeof clusterExportQuery>;

/** `GET /api/exports/work-orders.{geojson,csv}`: the filters of the work-order list. */
export const workOrderExportQuery = z
  .object({
    bbox: bboxParam.optional().describe("minLon,minLat,maxLon,maxLat; the whole city when left out"),
    service: services,
    department: code.optional(),
    status: z.enum(WORK_ORDER_STATUSES).optional(),
    routed: z
      .enum(["true", "false"])
      .transform((v) => v === "true")
      .optional()
      .describe(
        "false lists the work orders no department took: none fitted, or the last that fitted rejected it, as the admin's list counts them",
      ),
    since: since.describe(`Only work orders created at or after this instant (${W3C_WORDS})`),
    updated_since: since.describe(
      `Only work orders that changed at or after this instant (${W3C_WORDS}): a move, a reroute, or a report or merge changing their cluster's counts; to fetch only what changed since the last export`,
    ),
    until: until.describe(
      `Only work orders created at or before this instant (${W3C_WORDS}), inclusive at the precision written`,
    ),
  })
  .superRefine(inOrder);
export type WorkOrderExportQuery = z.output<typeof workOrderExportQuery>;

const feature = <P extends z.ZodType>(properties: P) =>
  z.object({ type: z.literal("Feature"), id: z.string(), geometry: pointGeometry, properties });

/** `clusters.geojson`: one point per cluster; the CSV has these columns plus `lat` and `lon`. */
export const clusterExport = z.object({
  type: z.literal("FeatureCollection"),
  features: z.array(
    feature(
      z.object({
        id: z.string(),
        service: z.string(),
        state: z.enum(CLUSTER_STATES),
        status: z.enum(PUBLIC_STATUSES),
        work_order_status: z.enum(WORK_ORDER_STATUSES).nullable(),
        department: z.string().nullable(),
        reports: z.int(),
        reporters: z.int(),
        first_report_at: instant,
        last_report_at: instant,
        resolve_due_at: instant.nullable(),
        predecessor_id: z.string().nullable(),
        merged_into_id: z.string().nullable(),
        sources: z
          .string()
          .describe(
            "How its reports came in, comma-separated: web, api, open311, sensor (road spots phones confirmed), phone (the hotline desk)",
          ),
      }),
    ),
  ),
});

/** `work-orders.geojson`: one point per work order, at its cluster; the CSV has these columns plus `lat` and `lon`. */
export const workOrderExport = z.object({
  type: z.literal("FeatureCollection"),
  features: z.array(
    feature(
      z.object({
        id: z.string(),
        cluster_id: z.string(),
        service: z.string(),
        department: z.string().nullable(),
        status: z.enum(WORK_ORDER_STATUSES),
        public_status: z.enum(PUBLIC_STATUSES),
        reports: z.int(),
        created_at: instant,
        ack_due_at: instant,
        resolve_due_at: instant,
        scheduled_for: instant.nullable(),
        acknowledged_at: instant.nullable(),
        resolved_at: instant.nullable(),
        updated_at: instant,
      }),
    ),
  ),
});

/** The CSV exports: RFC 4180 with a header line. */
export const csvText = z.string().describe("CSV (RFC 4180) with a header line");
