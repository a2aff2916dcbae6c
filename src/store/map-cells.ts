/**
 * Reads of the map's aggregates (`map_cells`, kept by triggers: see `map-cells-sql.ts`) and of
 * clusters by their spatial key. Every read here seeks the cells or key ranges of a box, so its
 * cost follows what is in view, never how many clusters exist in total.
 */
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import type { BBox } from "../domain/geo";
import { to7 } from "../domain/geo";
import type { PublicStatus } from "../domain/public-status";
import { cellsOfBox, rowColAt, zkeyRanges } from "../domain/zkey";
import { COORD_SCALE } from "./map-cells-sql";

/** Key ranges per box when reading clusters: more cells hug the box tighter but cost more seeks. */
const RANGE_CELLS = 64;

/**
 * The key ranges covering `box`, to read the clusters (`clustersInRanges`) or work orders
 * (`workOrdersInRanges`) in view. Callers still test the coordinates (`+c.lat` so the planner
 * keeps to the key), since border cells overhang the box.
 */
export const viewRanges = (box: BBox): [number, number][] => zkeyRanges(box, RANGE_CELLS);

/**
 * `FROM` work orders `w` whose cluster's key (`work_orders.zkey`) falls in some ranges `[lo, hi]`
 * (of `department`, if given): a seek per range on (department_code, zkey) or (zkey). The map's
 * deadline and department filters walk these, one in ten clusters or fewer, not the view.
 */
export function workOrdersInRanges(ranges: [number, number][], department?: string): SQL {
  return sql`json_each(${JSON.stringify(ranges)}) zr CROSS JOIN work_orders w ON ${department === undefined ? sql`` : sql`w.department_code = ${department} AND `}w.zkey BETWEEN json_extract(zr.value, '$[0]') AND json_extract(zr.value, '$[1]')`;
}

/**
 * `FROM` clusters `c` whose key falls in some ranges `[lo, hi]` (of `service`, if given): an index
 * seek per range on (service_code, zkey) or (zkey). Every join a list drives here is a CROSS JOIN,
 * which SQLite never reorders: a server has no planner statistics (nothing runs ANALYZE), and
 * without them the planner once put `map_cells` outside the view's cells, scanning a whole level
 * for each cell (test/query-plan.test.ts).
 */
export function clustersInRanges(ranges: [number, number][], service?: string): SQL {
  return sql`json_each(${JSON.stringify(ranges)}) zr CROSS JOIN clusters c ON ${service === undefined ? sql`` : sql`c.service_code = ${service} AND `}c.zkey BETWEEN json_extract(zr.value, '$[0]') AND json_extract(zr.value, '$[1]')`;
}

/** The box test on coordinates that goes with `viewRanges` (not through an index). */
export const insideBox = (box: BBox): SQL =>
  sql`+c.lat BETWEEN ${box.minLat} AND ${box.maxLat} AND +c.lon BETWEEN ${box.minLon} AND ${box.maxLon}`;

/**
 * The ids of the clusters whose centre is in `box` (of `service`, if given), as a sub-query for
 * `IN`: read through the key ranges, for queries ordered by something other than the key.
 */
export const clusterIdsInBox = (box: BBox, service?: string): SQL =>
  sql`(SELECT c.id FROM ${clustersInRanges(viewRanges(box), service)} WHERE ${insideBox(box)})`;

export interface AggregateFilter {
  service?: string | undefined;
  status?: PublicStatus | undefined;
  /** Only clusters whose work order this department handles (`map_department_cells`). */
  department?: string | undefined;
}

/** One cell of a view, summed over the services and statuses the filter keeps. */
export interface AggregateCell {
  row: number;
  col: number;
  key: number;
  /** Whether the cell lies wholly inside the box (its count is then exactly the box's share). */
  inside: boolean;
  n: number;
  lat: number;
  lon: number;
  /** With n = 1, the rowid of that one cluster. */
  rowid: number;
}

/** Some cells of `level` (row, col, key), those non-empty under the filter, with `inside` for `box`. */
export async function cellsByKey(
  db: Db,
  box: BBox,
  level: number,
  cells: { row: number; col: number; key: number }[],
  filter: AggregateFilter,
): Promise<AggregateCell[]> {
  if (cells.length === 0) return [];
  const byKey = new Map(cells.map((c) => [c.key, c]));
  const rows = await db.all<CellSums>(
    sql`SELECT m.cell, sum(m.n) AS n, sum(m.sum_lat) AS sum_lat, sum(m.sum_lon) AS sum_lon, sum(m.sum_rowid) AS sum_rowid
      FROM ${aggregateRows(cells, level, filter)} GROUP BY m.cell HAVING sum(m.n) > 0`,
  );
  return cellsOfRows(box, level, byKey, rows);
}

/** `FROM` the aggregates' rows `m` of some cells of `level` under the filter (of a department: `map_department_cells`). */
function aggregateRows(cells: { key: number }[], level: number, filter: AggregateFilter): SQL {
  return sql`json_each(${JSON.stringify(cells.map((c) => c.key))}) k
    CROSS JOIN ${
      filter.department === undefined
        ? sql`map_cells m ON m.level = ${level}`
        : sql`map_department_cells m ON m.level = ${level} AND m.department_code = ${filter.department}`
    } AND m.cell = k.value
      ${filter.service === undefined ? sql`` : sql`AND m.service_code = ${filter.service}`}
      ${filter.status === undefined ? sql`` : sql`AND m.status = ${filter.status}`}`;
}

/**
 * How many clusters the cells of `level` a box touches hold under the filter (cells counted
 * whole), in one sum; `withWorkOrder` leaves out the 'reported' (those without a work order), so
 * the count bounds the work orders in them.
 */
export async function countInBox(
  db: Db,
  box: BBox,
  level: number,
  filter: AggregateFilter,
  withWorkOrder = false,
): Promise<number> {
  const [row] = await db.all<{ n: number | null }>(
    sql`SELECT sum(m.n) AS n FROM ${aggregateRows(cellsOfBox(box, level), level, filter)}
      ${withWorkOrder ? sql`AND m.status <> ${"reported" satisfies PublicStatus}` : sql``}`,
  );
  return row?.n ?? 0;
}

/** Sums per cell key, as the aggregates' reads give them. */
export interface CellSums {
  cell: number;
  n: number;
  sum_lat: number;
  sum_lon: number;
  sum_rowid: number;
}

/** Cells from their sums: `inside` for `box`, the centroid, and the row and column of `byKey`. */
export function cellsOfRows(
  box: BBox,
  level: number,
  byKey: Map<number, { row: number; col: number; key: number }>,
  rows: CellSums[],
): AggregateCell[] {
  const lo = rowColAt(box.minLat, box.minLon, level);
  const hi = rowColAt(box.maxLat, box.maxLon, level);
  return rows.map((r) => {
    const { row, col, key } = byKey.get(r.cell) ?? { row: 0, col: 0, key: r.cell };
    return {
      row,
      col,
      key,
      inside: row > lo.row && row < hi.row && col > lo.col && col < hi.col,
      n: r.n,
      lat: to7(r.sum_lat / r.n / COORD_SCALE),
      lon: to7(r.sum_lon / r.n / COORD_SCALE),
      rowid: r.sum_rowid,
    };
  });
}

/** The four cells of the next level inside a cell, those the box touches. */
export function childrenInBox(c: { row: number; col: number; key: number }, box: BBox, level: number) {
  const lo = rowColAt(box.minLat, box.minLon, level + 1);
  const hi = rowColAt(box.maxLat, box.maxLon, level + 1);
  return [0, 1, 2, 3]
    .map((q) => ({ row: 2 * c.row + (q >> 1), col: 2 * c.col + (q & 1), key: 4 * c.key + q }))
    .filter((k) => k.row >= lo.row && k.row <= hi.row && k.col >= lo.col && k.col <= hi.col);
}

/**
 * A version of what a box shows at `level`: the sum of its cells' versions (each only ever grows,
 * rows are never deleted) and their count, so any write touching the box changes it. An odd level
 * reads the cells of the even level above (wider): a report that changes only a pin's counts
 * bumps the even levels' versions alone (migration 0032, `map-centre-sql.ts`).
 */
export async function boxVersion(db: Db, box: BBox, tileLevel: number): Promise<string> {
  const level = tileLevel - (tileLevel % 2);
  const keys = cellsOfBox(box, level).map((c) => c.key);
  const [row] = await db.all<{ v: number | null; k: number }>(
    sql`SELECT sum(m.version) AS v, count(*) AS k FROM json_each(${JSON.stringify(keys)}) k
      CROSS JOIN map_cells m ON m.level = ${level} AND m.cell = k.value`,
  );
  return `${row?.v ?? 0}.${row?.k ?? 0}`;
}
