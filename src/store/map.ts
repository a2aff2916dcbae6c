/**
 * The public map's live queries, for the filters the aggregates do not hold (`since`, `deadline`,
 * `department`): they walk the view's spatial key ranges (both axes narrowed, `zkey`): of the
 * clusters, or of the work orders (their cluster's key, copied) for the work-order filters.
 */
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { maskContacts } from "../domain/contact-mask";
import { type DeadlineFlag, deadlineFlag } from "../domain/deadlines";
import type { BBox } from "../domain/geo";
import { to7 } from "../domain/geo";
import {
  cellBounds,
  gridCellSize,
  MAX_GRID_ITEMS,
  MAX_SINGLE_CLUSTERS,
  statusPairs,
} from "../domain/map-grid";
import { type PublicStatus, publicStatus } from "../domain/public-status";
import type { ClusterState, WorkOrderStatus } from "../domain/states";
import { clustersInRanges, insideBox, viewRanges, workOrdersInRanges } from "./map-cells";
import { COORD_SCALE, centre7Sql } from "./map-cells-sql";

export interface MapFilter {
  service?: string | undefined;
  status?: PublicStatus | undefined;
  since?: number | undefined;
  /** Only work orders whose running deadline is overdue (red) or nearly due (yellow) at `now`. */
  deadline?:
    | {
        flag: Exclude<DeadlineFlag, "none">;
        now: number;
        /**
         * Walk the work orders in view, or sum the aggregates over time; unset, `findMapItems`
         * decides by how many work orders are in view.
         */
        walk?: boolean;
      }
    | undefined;
  /** Only work orders of this department. */
  department?: string | undefined;
}

/**
 * Whether a filter keeps clusters with a work order only (so the work orders in view are walked,
 * one in ten clusters or fewer, not the clusters): a deadline, a department, or a public status
 * that only a work order gives (all but 'reported' and 'closed').
 */
export const keepsWorkOrdersOnly = (filter: MapFilter): boolean =>
  filter.deadline !== undefined ||
  filter.department !== undefined ||
  (filter.status !== undefined && statusPairs(filter.status).every((p) => p.workOrder !== null));

/** One cluster as the map draws it (no reporter data: counts only). */
export interface MapCluster {
  kind: "cluster";
  id: string;
  service: string;
  lat: number;
  lon: number;
  status: PublicStatus;
  reports: number;
  reporters: number;
  department: string | null;
  lastReportAt: string;
  /** The work order's deadline flag now ("none" without a running deadline or a work order). */
  flag: DeadlineFlag;
  /** The latest resident's words, cut to `SAID_CHARS` characters (the answer stays bounded). */
  said: string;
  /** The problem a duplicate was merged into, whose reports now count there; null for any other. */
  mergedIntoId: string | null;
}

export const SAID_CHARS = 120;

/** Several clusters drawn as one count, where the view is too dense to draw them one by one. */
export interface MapCell {
  kind: "cell";
  lat: number;
  lon: number;
  clusters: number;
  bbox: [number, number, number, number];
}

export type MapItem = MapCluster | MapCell;

export function where(inView: SQL, filter: MapFilter): SQL {
  const parts = [inView];
  if (filter.service) parts.push(sql`c.service_code = ${filter.service}`);
  // `+`: the view's key ranges drive the walk, not `(last_report_at)` (a week of the whole city).
  if (filter.since !== undefined) parts.push(sql`+c.last_report_at >= ${filter.since}`);
  if (filter.status) {
    const pairs = statusPairs(filter.status).map(({ state, workOrder }) =>
      workOrder === null
        ? sql`(c.state = ${state} AND w.status IS NULL)`
        : sql`(c.state = ${state} AND +w.status = ${workOrder})`,
    );
    parts.push(pairs.length ? sql`(${sql.join(pairs, sql` OR `)})` : sql`false`);
  }
  if (filter.deadline) parts.push(deadlineWhere(filter.deadline.flag, filter.deadline.now));
  if (filter.department !== undefined) parts.push(sql`w.department_code = ${filter.department}`);
  return sql.join(parts, sql` AND `);
}

/**
 * The rule of `deadlineFlag` (src/domain/deadlines.ts) on the generated columns of the deadline
 * owed now: red past `next_due_at`, yellow from `yellow_at` up to it. Both ride in the work orders'
 * key indexes, so a walk of the view tells the flag from the index and reads only the rows that
 * have it; `+` keeps the indexes on these times from driving the walk instead of the view's keys.
 */
export const deadlineWhere = (flag: "red" | "yellow", now: number): SQL =>
  flag === "red" ? sql`+w.next_due_at < ${now}` : sql`+w.next_due_at >= ${now} AND +w.yellow_at <= ${now}`;

/**
 * How many work orders in view (of the department, if given) a deadline flags now, counted from
 * the key index alone: what a live walk under it reads rows for.
 */
export async function flaggedInView(
  db: Db,
  box: BBox,
  { flag, now }: NonNullable<MapFilter["deadline"]>,
  department?: string,
): Promise<number> {
  const [row] = await db.all<{ n: number }>(
    sql`SELECT count(*) AS n FROM ${workOrdersInRanges(viewRanges(box), department)} WHERE ${deadlineWhere(flag, now)}`,
  );
  return row?.n ?? 0;
}

/**
 * Where the live queries read. A filter keeping work orders only (`keepsWorkOrdersOnly`) walks the
 * work orders in the view's key ranges (`work_orders.zkey`; of the department, if given), each
 * joined to its cluster by key; CROSS JOIN keeps that order, which SQLite never reorders (left to
 * itself, it started from every overdue work order in town, for each key range). Otherwise the
 * clusters in the view's key ranges (a seek per range on (service_code, zkey) or (zkey)), with
 * their work orders when the status filter reads them. Then the box test on coordinates.
 */
export function liveSource(box: BBox, filter: MapFilter): { from: SQL; where: SQL } {
  return { from: sourceInRanges(viewRanges(box), filter), where: where(insideBox(box), filter) };
}

/** `liveSource`'s `FROM` over some key ranges `[lo, hi]` (the aggregates' cells read by key too). */
export function sourceInRanges(ranges: [number, number][], filter: MapFilter): SQL {
  return keepsWorkOrdersOnly(filter)
    ? sql`${workOrdersInRanges(ranges, filter.department)} CROSS JOIN clusters c ON c.id = w.cluster_id`
    : filter.status !== undefined
      ? sql`${clustersInRanges(ranges, filter.service)} LEFT JOIN work_orders w ON w.cluster_id = c.id`
      : clustersInRanges(ranges, filter.service);
}

/**
 * A pin's values, one JSON array per cluster: the client spends ~5 µs on each row a query returns
 * and next to nothing on one array of them all. The coordinates travel as 17-digit text (SQLite's
 * JSON writes a real with 15, which would not give back the stored centre).
 */
const PIN = sql`json_array(c.id, c.service_code, printf('%!.17g', c.lat), printf('%!.17g', c.lon), c.state,
  c.report_count, c.reporter_count, c.last_report_at, w.status, w.department_code, w.ack_due_at, w.resolve_due_at,
  w.deadlines_from, c.said, c.merged_into_id)`;

type PinRow = [
  id: string,
  service: string,
  lat: string,
  lon: string,
  state: ClusterState,
  reports: number,
  reporters: number,
  lastReportAt: number,
  woStatus: WorkOrderStatus | null,
  department: string | null,
  ackDueAt: number | null,
  resolveDueAt: number | null,
  deadlinesFrom: number | null,
  said: string | null,
  mergedInto: string | null,
];

const flagOf = (
  [, , , , , , , , status, , ackDueAt, resolveDueAt, deadlinesFrom]: PinRow,
  now: number,
): DeadlineFlag =>
  status === null || ackDueAt === null || resolveDueAt === null || deadlinesFrom === null
    ? "none"
    : deadlineFlag({ status, ackDueAt, resolveDueAt, deadlinesFrom }, now);

const present = (r: PinRow, now: number): MapCluster => ({
  kind: "cluster",
  id: r[0],
  service: r[1],
  lat: to7(Number(r[2])),
  lon: to7(Number(r[3])),
  status: publicStatus(r[4], r[8]),
  reports: r[5],
  reporters: r[6],
  department: r[9],
  lastReportAt: new Date(r[7]).toISOString(),
  flag: flagOf(r, now),
  said: maskContacts(r[13] ?? "", (r[13] ?? "").length >= SAID_CHARS),
  mergedIntoId: r[14] ?? null,
});

/** The pins a source holds (its `FROM` joining each cluster's work order as `w`), at most `limit`. */
async function pinsOf(db: Db, from: SQL, where: SQL, limit: number, now: number): Promise<MapCluster[]> {
  const [row] = await db.all<{ pins: string | null }>(
    sql`SELECT json_group_array(json(pin)) AS pins FROM (SELECT ${PIN} AS pin FROM ${from} WHERE ${where} LIMIT ${limit})`,
  );
  return (JSON.parse(row?.pins ?? "[]") as PinRow[]).map((r) => present(r, now));
}

/** `FROM` the clusters in some key ranges under a filter, each with its work order (`w`), for pins. */
const pinSource = (ranges: [number, number][], filter: MapFilter): SQL =>
  keepsWorkOrdersOnly(filter) || filter.status !== undefined
    ? sourceInRanges(ranges, filter)
    : sql`${clustersInRanges(ranges, filter.service)} LEFT JOIN work_orders w ON w.cluster_id = c.id`;

/** At most `limit` pins of the clusters in some key ranges inside a box under a filter. */
export const pinsInRanges = (
  db: Db,
  ranges: [number, number][],
  box: BBox,
  filter: MapFilter,
  limit: number,
  now: number,
): Promise<MapCluster[]> => pinsOf(db, pinSource(ranges, filter), where(insideBox(box), filter), limit, now);

/** How many clusters in some key ranges are inside a box under a filter, counted up to `limit`. */
export async function countInRanges(
  db: Db,
  ranges: [number, number][],
  box: BBox,
  filter: MapFilter,
  limit: number,
): Promise<number> {
  const [row] = await db.all<{ n: number }>(
    sql`SELECT count(*) AS n FROM (SELECT 1 FROM ${pinSource(ranges, filter)} WHERE ${where(insideBox(box), filter)} LIMIT ${limit})`,
  );
  return row?.n ?? 0;
}

/** Some clusters by rowid (one JSON parameter, however many). */
export const pinsByRowids = (db: Db, rowids: number[], now: number): Promise<MapCluster[]> =>
  rowids.length === 0
    ? Promise.resolve([])
    : pinsOf(
        db,
        sql`clusters c LEFT JOIN work_orders w ON w.cluster_id = c.id`,
        sql`c.rowid IN (SELECT value FROM json_each(${JSON.stringify(rowids)}))`,
        rowids.length,
        now,
      );

/** The centroid of a group as the aggregates give it: the mean of the quantised centres (0032); one cluster stands where it is. */
const centroid = (axis: "lat" | "lon") =>
  sql.raw(`CASE count(*) WHEN 1 THEN avg(c.${axis}) ELSE avg(${centre7Sql("c", axis)}) / ${COORD_SCALE} END`);

/** Counts per grid cell of side `cell` degrees of what a live source holds, grouped in SQL. */
export function denseCellsQuery(source: { from: SQL; where: SQL }, cell: number): SQL {
  return sql`SELECT CAST((c.lat + 90) / ${cell} AS INTEGER) AS row, CAST((c.lon + 180) / ${cell} AS INTEGER) AS col,
      count(*) AS n, ${centroid("lat")} AS lat, ${centroid("lon")} AS lon, min(c.rowid) AS first
    FROM ${source.from} WHERE ${source.where} GROUP BY row, col`;
}

/** A grid cell to draw: its count and centroid, and `lone`, the rowid of its cluster when it holds one. */
export interface GridCell {
  row: number;
  col: number;
  n: number;
  lat: number;
  lon: number;
  lone: number;
}

/** Cells as counts, and cells holding one cluster as that cluster (one look-up for them all). */
export async function gridItems(db: Db, cells: GridCell[], side: number, now: number): Promise<MapItem[]> {
  const items: MapItem[] = await pinsByRowids(
    db,
    cells.filter((c) => c.n === 1).map((c) => c.lone),
    now,
  );
  for (const c of cells) {
    if (c.n === 1) continue;
    const b = cellBounds(c.row, c.col, side);
    items.push({
      kind: "cell",
      lat: to7(c.lat),
      lon: to7(c.lon),
      clusters: c.n,
      bbox: [b.minLon, b.minLat, b.maxLon, b.maxLat],
    });
  }
  return items;
}

interface CellRow {
  row: number;
  col: number;
  n: number;
  lat: number;
  lon: number;
  first: number;
}

/**
 * What the map shows for a view: every cluster when there are few enough, otherwise one count
 * per grid cell (grouped in SQL), with cells holding a single cluster drawn as that cluster.
 * Either way at most `MAX_GRID_ITEMS` items: the box decides the finest grid (`gridCellSize`),
 * and a grid with too many non-empty cells is coarsened once more, so no zoom or box can ask
 * for an answer that grows with the clusters in view.
 */
export async function findMapItemsLive(
  db: Db,
  box: BBox,
  zoom: number,
  filter: MapFilter,
  now: number,
): Promise<{ mode: "clusters" | "grid"; items: MapItem[] }> {
  // One past a page of pins: a grid answers more.
  const singles = await pinsInRanges(db, viewRanges(box), box, filter, MAX_SINGLE_CLUSTERS + 1, now);
  if (singles.length <= MAX_SINGLE_CLUSTERS) return { mode: "clusters", items: singles };

  const source = liveSource(box, filter);
  let cell = gridCellSize(box, zoom);
  let cells: CellRow[];
  for (;;) {
    cells = await db.all<CellRow>(sql`${denseCellsQuery(source, cell)} LIMIT ${MAX_GRID_ITEMS + 1}`);
    // Each doubling quarters the cells; `gridCellSize` keeps this to one or two rounds.
    if (cells.length <= MAX_GRID_ITEMS || cell >= 360) break;
    cell *= 2;
  }
  const items = await gridItems(
    db,
    cells.map((c) => ({ ...c, lone: c.first })),
    cell,
    now,
  );
  return { mode: "grid", items };
}
