/**
 * Reads of the map's aggregates over time (`map_time_cells`, see `map-time-sql.ts`): the cells of
 * a view under `since` or `deadline=red`, exactly, at a cost of a few block runs per cell plus the
 * one partial hour read row by row, whatever the total.
 */
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import type { BBox } from "../domain/geo";
import { HOUR_MS, HOURS_END, hourOf, hourRuns } from "../domain/hour-blocks";
import { cellKeyAt, ZKEY_LEVEL } from "../domain/zkey";
import type { MapFilter } from "./map";
import { type AggregateCell, type CellSums, cellsOfRows } from "./map-cells";
import { COORD_SCALE } from "./map-cells-sql";

/** A time filter the aggregates hold: clusters whose time of `kind` lies in [from, to) (ms). */
export interface TimeFilter {
  kind: "last" | "due";
  from: number;
  to: number;
  service?: string | undefined;
}

/**
 * The time filter of a map filter, when the aggregates over time answer it: `since` alone or
 * `deadline=red` alone, with or without a service. Other mixes (with a status, a department,
 * both, or "yellow", which is a window between two times) are answered live.
 */
export function timeFilterOf(filter: MapFilter): TimeFilter | null {
  if (filter.status !== undefined || filter.department !== undefined) return null;
  if (filter.since !== undefined && filter.deadline === undefined)
    return { kind: "last", from: filter.since, to: HOURS_END * HOUR_MS, service: filter.service };
  if (filter.deadline?.flag === "red" && filter.since === undefined)
    return { kind: "due", from: 0, to: filter.deadline.now, service: filter.service };
  return null;
}

interface TailRow {
  zkey: number;
  lat7: number;
  lon7: number;
  rid: number;
}

/**
 * The clusters whose time falls in [from, to), a span inside one hour, in some cells of `level`:
 * read one by one (the work orders' copied key leaves out those elsewhere before their cluster is read).
 */
function tail(
  db: Db,
  f: TimeFilter,
  from: number,
  to: number,
  level: number,
  keys: string,
): Promise<TailRow[]> {
  if (from >= to) return Promise.resolve([]);
  const service = f.service === undefined ? sql`` : sql`AND c.service_code = ${f.service}`;
  const inCells = (zkey: SQL) =>
    sql`AND (${zkey} >> ${2 * (ZKEY_LEVEL - level)}) IN (SELECT value FROM json_each(${keys}))`;
  const cols = sql`c.zkey, CAST(round(c.lat * ${COORD_SCALE}) AS INTEGER) AS lat7,
    CAST(round(c.lon * ${COORD_SCALE}) AS INTEGER) AS lon7, c.rowid AS rid`;
  return f.kind === "last"
    ? db.all<TailRow>(sql`SELECT ${cols} FROM clusters c
        WHERE c.last_report_at >= ${from} AND c.last_report_at < ${to} ${inCells(sql`c.zkey`)} ${service}`)
    : db.all<TailRow>(sql`SELECT ${cols} FROM work_orders w JOIN clusters c ON c.id = w.cluster_id
        WHERE w.next_due_at >= ${from} AND w.next_due_at < ${to} ${inCells(sql`w.zkey`)} ${service}`);
}

/**
 * Some cells of `level` (row, col, key) under a time filter, those non-empty, with `inside` for
 * `box`: the whole hours of [from, to) from the blocks (a seek per cell and run: CROSS JOIN keeps
 * that order, else SQLite seeks the cell only and reads all its blocks), the partial hours at
 * either end from the rows.
 */
export async function timeCellsByKey(
  db: Db,
  box: BBox,
  level: number,
  cells: { row: number; col: number; key: number }[],
  f: TimeFilter,
): Promise<AggregateCell[]> {
  if (cells.length === 0) return [];
  const byKey = new Map(cells.map((c) => [c.key, c]));
  const keys = JSON.stringify(cells.map((c) => c.key));
  const first = Math.ceil(f.from / HOUR_MS);
  const last = hourOf(f.to);
  const runs = hourRuns(first, Math.max(first, last)).map((r) => [r.level, r.first, r.last]);
  const [rows, head, end] = await Promise.all([
    runs.length === 0
      ? []
      : db.all<CellSums>(sql`SELECT m.cell, sum(m.n) AS n, sum(m.sum_lat) AS sum_lat, sum(m.sum_lon) AS sum_lon,
            sum(m.sum_rowid) AS sum_rowid
          FROM json_each(${keys}) k CROSS JOIN json_each(${JSON.stringify(runs)}) r
          CROSS JOIN map_time_cells m ON m.kind = ${f.kind} AND m.level = ${level} AND m.cell = k.value
            AND m.tlevel = json_extract(r.value, '$[0]')
            AND m.tblock BETWEEN json_extract(r.value, '$[1]') AND json_extract(r.value, '$[2]')
            ${f.service === undefined ? sql`` : sql`AND m.service_code = ${f.service}`}
          GROUP BY m.cell`),
    // Within one hour (first > last) the head is the whole span and the end starts past it.
    tail(db, f, f.from, Math.min(f.to, first * HOUR_MS), level, keys),
    tail(db, f, Math.max(f.from, first * HOUR_MS, last * HOUR_MS), f.to, level, keys),
  ]);
  const sums = new Map(rows.map((r) => [r.cell, { ...r }]));
  for (const t of [...head, ...end]) {
    const cell = cellKeyAt(t.zkey, level);
    if (!byKey.has(cell)) continue;
    const s = sums.get(cell) ?? { cell, n: 0, sum_lat: 0, sum_lon: 0, sum_rowid: 0 };
    s.n++;
    s.sum_lat += t.lat7;
    s.sum_lon += t.lon7;
    s.sum_rowid += t.rid;
    sums.set(cell, s);
  }
  return cellsOfRows(
    box,
    level,
    byKey,
    [...sums.values()].filter((s) => s.n > 0),
  );
}
