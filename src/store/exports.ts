/**
 * Open data: clusters and work orders as GeoJSON (RFC 7946) and CSV (RFC 4180), streamed.
 * A stream asks for one page at a time, only when the reader wants more, so a city's whole
 * history never sits in memory at once. A page is a window of the table in id order (`id > last
 * id`, `EXPORT_WINDOW` rows) and the rows of it the filter keeps: each read of the database costs
 * a window whatever the filter, and a whole export walks the table once. (Pages of the first 500
 * rows the filter kept let the planner take the filter's index and sort, every page: a public
 * export of one service's closed clusters held the server 67 s at 1M.) Only public columns are
 * selected: nothing about who reported.
 */
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { type BBox, to7 } from "../domain/geo";
import { iso } from "../domain/iso-time";
import { statusPairs } from "../domain/map-grid";
import { publicStatus } from "../domain/public-status";
import type { ClusterState, WorkOrderStatus } from "../domain/states";
import type { ClusterExportQuery, WorkOrderExportQuery } from "../schemas/exports";
import { afterOtherWork } from "./next-turn";
import { routedSql } from "./status-sql";

/** Rows of the table walked per read: at most this many written per page. */
const EXPORT_WINDOW = 1000;

/** One page: the rows the filter kept of a window, and the window's last id (null: the table's end). */
export interface ExportPage {
  rows: ExportRow[];
  next: string | null;
}

type Cell = string | number | null;
export type ExportRow = Record<string, Cell> & { id: string; lat: number; lon: number };

// A test on the window's rows, as every filter is.
const inBox = (box: BBox | undefined) =>
  box
    ? sql`c.lat BETWEEN ${box.minLat} AND ${box.maxLat} AND c.lon BETWEEN ${box.minLon} AND ${box.maxLon}`
    : null;

const and = (parts: (SQL | null)[]) => {
  const kept = parts.filter((p): p is SQL => p !== null);
  return kept.length ? sql.join(kept, sql` AND `) : sql`true`;
};

interface ClusterRecord {
  id: string;
  service: string;
  lat: number;
  lon: number;
  state: ClusterState;
  work_order_status: WorkOrderStatus | null;
  reports: number;
  reporters: number;
  department: string | null;
  first_report_at: number;
  last_report_at: number;
  resolve_due_at: number | null;
  predecessor_id: string | null;
  merged_into_id: string | null;
  sources: string | null;
}

/** The columns of a cluster export, in order. */
export const CLUSTER_COLUMNS = [
  "id",
  "service",
  "lat",
  "lon",
  "state",
  "status",
  "work_order_status",
  "department",
  "reports",
  "reporters",
  "first_report_at",
  "last_report_at",
  "resolve_due_at",
  "predecessor_id",
  "merged_into_id",
  "sources",
] as const;

/**
 * The last id of the window of `table` after `after` (in id order, `size` rows), or null when
 * fewer are left: the window of the page read next.
 */
async function windowEnd(db: Db, table: "clusters" | "work_orders", after: string, size: number) {
  const [row] = await db.all<{ last: string | null; n: number }>(
    sql`SELECT max(id) AS last, count(*) AS n FROM (SELECT id FROM ${sql.raw(table)} WHERE id > ${after} ORDER BY id LIMIT ${size})`,
  );
  return row && row.n >= size ? row.last : null;
}

/** `FROM` the window's ids `k` of `table` (after `after`, through `end` if not the last). */
const windowIds = (table: "clusters" | "work_orders", after: string, end: string | null, size: number) =>
  sql`(SELECT id FROM ${sql.raw(table)} WHERE id > ${after} ${end === null ? sql`` : sql`AND id <= ${end}`}
    ORDER BY id LIMIT ${size}) k`;

/** One page of clusters: the window after `after` (an id), those the filter keeps, in id order. */
export async function clusterPage(
  db: Db,
  q: ClusterExportQuery,
  after: string,
  size = EXPORT_WINDOW,
): Promise<ExportPage> {
  const status = q.status
    ? sql`(${sql.join(
        statusPairs(q.status).map((p) =>
          p.workOrder === null
            ? sql`(c.state = ${p.state} AND w.status IS NULL)`
            : sql`(c.state = ${p.state} AND w.status = ${p.workOrder})`,
        ),
        sql` OR `,
      )})`
    : null;
  const next = await windowEnd(db, "clusters", after, size);
  // CROSS JOIN: the window's ids drive, each cluster read by its id (never a filter's index).
  const rows = await db.all<ClusterRecord>(sql`SELECT c.id, c.service_code AS service, c.lat, c.lon, c.state,
      w.status AS work_order_status, c.report_count AS reports, c.reporter_count AS reporters,
      w.department_code AS department, c.first_report_at, c.last_report_at, w.resolve_due_at,
      c.predecessor_id, c.merged_into_id,
      (SELECT group_concat(source, ',') FROM (SELECT DISTINCT r.source FROM reports r
        WHERE r.cluster_id = c.id ORDER BY r.source)) AS sources
    FROM ${windowIds("clusters", after, next, size)} CROSS JOIN clusters c ON c.id = k.id
      LEFT JOIN work_orders w ON w.cluster_id = c.id
    WHERE ${and([
      inBox(q.bbox),
      q.service?.length
        ? sql`c.service_code IN (SELECT value FROM json_each(${JSON.stringify(q.service)}))`
        : null,
      q.state ? sql`c.state = ${q.state}` : null,
      q.since !== undefined ? sql`c.last_report_at >= ${q.since}` : null,
      // Its work order's moves change what the cluster's row says (status, department, deadline).
      q.updated_since !== undefined
        ? sql`max(c.updated_at, coalesce(w.updated_at, 0)) >= ${q.updated_since}`
        : null,
      q.until !== undefined ? sql`c.first_report_at <= ${q.until}` : null,
      status,
    ])}
    ORDER BY k.id`);
  return {
    next,
    rows: rows.map((r) => ({
      id: r.id,
      service: r.service,
      // A cluster's centre is a running mean: its float noise (28.123456789012) is no precision.
      lat: to7(r.lat),
      lon: to7(r.lon),
      state: r.state,
      status: publicStatus(r.state, r.work_order_status),
      work_order_status: r.work_order_status,
      department: r.department,
      reports: r.reports,
      reporters: r.reporters,
      first_report_at: iso(r.first_report_at),
      last_report_at: iso(r.last_report_at),
      resolve_due_at: iso(r.resolve_due_at),
      predecessor_id: r.predecessor_id,
      merged_into_id: r.merged_into_id,
      sources: r.sources ?? "",
    })),
  };
}

interface WorkOrderRecord {
  id: string;
  cluster_id: string;
  service: string;
  department: string | null;
  status: WorkOrderStatus;
  state: ClusterState;
  lat: number;
  lon: number;
  reports: number;
  ack_due_at: number;
  resolve_due_at: number;
  scheduled_for: number | null;
  acknowledged_at: number | null;
  resolved_at: number | null;
  created_at: number;
  updated_at: number;
}

/** The columns of a work-order export, in order. */
export const WORK_ORDER_COLUMNS = [
  "id",
  "cluster_id",
  "service",
  "department",
  "status",
  "public_status",
  "lat",
  "lon",
  "reports",
  "created_at",
  "ack_due_at",
  "resolve_due_at",
  "scheduled_for",
  "acknowledged_at",
  "resolved_at",
  "updated_at",
] as const;

/** One page of work orders: the window after `after` (an id), those the filter keeps, in id order, placed at their cluster. */
export async function workOrderPage(
  db: Db,
  q: WorkOrderExportQuery,
  after: string,
  size = EXPORT_WINDOW,
): Promise<ExportPage> {
  const next = await windowEnd(db, "work_orders", after, size);
  const rows = await db.all<WorkOrderRecord>(sql`SELECT w.id, w.cluster_id, w.service_code AS service,
      w.department_code AS department, w.status, c.state, c.lat, c.lon, c.report_count AS reports,
      w.ack_due_at, w.resolve_due_at, w.scheduled_for, w.acknowledged_at, w.resolved_at,
      w.created_at, max(w.updated_at, c.updated_at) AS updated_at
    FROM ${windowIds("work_orders", after, next, size)} CROSS JOIN work_orders w ON w.id = k.id
      CROSS JOIN clusters c ON c.id = w.cluster_id
    WHERE ${and([
      inBox(q.bbox),
      q.service?.length
        ? sql`w.service_code IN (SELECT value FROM json_each(${JSON.stringify(q.service)}))`
        : null,
      q.department ? sql`w.department_code = ${q.department}` : null,
      q.status ? sql`w.status = ${q.status}` : null,
      q.routed === undefined ? null : routedSql(q.routed, sql`w.status`, sql`w.department_code`),
      q.since !== undefined ? sql`w.created_at >= ${q.since}` : null,
      // Its row carries its cluster's counts and place, which a report or a merge changes: its
      // `updated_at` says so too, or a consumer syncing by the rows' own times missed the change.
      q.updated_since !== undefined ? sql`max(w.updated_at, c.updated_at) >= ${q.updated_since}` : null,
      q.until !== undefined ? sql`w.created_at <= ${q.until}` : null,
    ])}
    ORDER BY k.id`);
  return {
    next,
    rows: rows.map((r) => ({
      id: r.id,
      cluster_id: r.cluster_id,
      service: r.service,
      department: r.department,
      status: r.status,
      public_status: publicStatus(r.state, r.status),
      // At its cluster's centre, written as the cluster export writes it.
      lat: to7(r.lat),
      lon: to7(r.lon),
      reports: r.reports,
      created_at: iso(r.created_at),
      ack_due_at: iso(r.ack_due_at),
      resolve_due_at: iso(r.resolve_due_at),
      scheduled_for: iso(r.scheduled_for),
      acknowledged_at: iso(r.acknowledged_at),
      resolved_at: iso(r.resolved_at),
      updated_at: iso(r.updated_at),
    })),
  };
}

/** What a spreadsheet reads as the start of a formula (OWASP "CSV Injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A number written out (`-112.98`, `+3`, `1e-3`): a spreadsheet reads it as that number, never a formula. */
const PLAIN_NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. A text that a
 * spreadsheet would run as a formula (`=HYPERLINK(…)`, `@SUM(…)`, `-1+2`: beginning with `=`,
 * `+`, `-`, `@`, a tab or a carriage return) gets a `'` in front, as OWASP advises; numbers,
 * and text that is a plain number, are written as they are.
 */
export function csvField(value: Cell): string {
  if (value === null) return "";
  const text =
    typeof value === "string" && FORMULA_START.test(value) && !PLAIN_NUMBER.test(value)
      ? `'${value}`
      : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One CSV line, CRLF-terminated. */
export const csvLine = (cells: readonly Cell[]) => `${cells.map(csvField).join(",")}\r\n`;

export type ExportFormat = "geojson" | "csv";

/**
 * A byte stream of every row `page` yields, page after page, written as CSV (with a header)
 * or as a GeoJSON FeatureCollection of points. Each pull reads a page after other work had its
 * turn, and so does each window read after one that kept no row (a filter keeping little walks the
 * whole table, one bounded read at a time, never in one go).
 */
export function exportStream(
  format: ExportFormat,
  columns: readonly string[],
  page: (after: string) => Promise<ExportPage>,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let after = "";
  let started = false;
  let features = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        // Other requests first: a reader as fast as the server would otherwise have it read the
        // whole export in one go (the socket never full, no write ever waits).
        await afterOtherWork();
        let read = await page(after);
        while (read.rows.length === 0 && read.next !== null) {
          after = read.next;
          await afterOtherWork();
          read = await page(after);
        }
        let chunk = "";
        if (!started) {
          chunk += format === "csv" ? csvLine(columns) : '{"type":"FeatureCollection","features":[';
          started = true;
        }
        for (const row of read.rows) {
          if (format === "csv") {
            chunk += csvLine(columns.map((c) => row[c] ?? null));
          } else {
            const { lat, lon, ...properties } = row;
            const feature = {
              type: "Feature",
              id: row.id,
              geometry: { type: "Point", coordinates: [lon, lat] },
              properties,
            };
            chunk += `${features++ ? "," : ""}${JSON.stringify(feature)}`;
          }
        }
        const done = read.next === null;
        if (done && format === "geojson") chunk += "]}\n";
        if (read.next !== null) after = read.next;
        if (chunk) controller.enqueue(encoder.encode(chunk));
        if (done) controller.close();
      },
    },
    // One page ahead at most: memory stays at a page whatever the size of the city.
    { highWaterMark: 1 },
  );
}
