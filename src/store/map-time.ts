/**
 * Reads of the map's aggregates over time (`map_time_cells`, see `map-time-sql.ts`): the cells of
 * a view under `since` or `deadline=red` or `yellow`, exactly, at a cost of a few block runs per
 * cell plus the one partial hour read row by row, whatever the total.
 */
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import type { BBox } from "../domain/geo";
import { HOUR_MS, HOURS_END, hourOf, hourRuns } from "../domain/hour-blocks";
import { cellKeyAt, ZKEY_LEVEL } from "../domain/zkey";
import type { MapFilter } from "./map";
import { type AggregateCell, type CellSums, cellsOfRows } from "./map-cells";
import { centre7Sql } from "./map-cells-sql";

/** A time filter the aggregates hold: clusters whose time of `kind` lies in [from, to) (ms). */
export interface TimeFilter {
  kind: "last" | "due" | "yellow";
  from: number;
  to: number;
  service?: string | undefined;
}

/**
 * The time filter of a map filter, when the aggregates over time answer it: `since` alone or
 * a `deadline` alone, with or without a service. Other mixes (with a status, a department, or
 * both) are answered live. "Yellow" is kind 'yellow' up to now, less 'due' before now (see
 * `timeCellsByKey`); its `to` is now, which counts (yellow_from ≤ now).
 */
export function timeFilterOf(filter: MapFilter): TimeFilter | null {
  if (filter.status !== undefined || filter.department !== undefined) return null;
  if (filter.since !== undefined && filter.deadline === undefined)
    return { kind: "last", from: filter.since, to: HOURS_END * HOUR_MS, service: filter.service };
  if (filter.deadline !== undefined && filter.since === undefined) {
    const kind = filter.deadline.flag === "red" ? "due" : "yellow";
    return { kind, from: 0, to: filter.deadline.now, service: filter.service };
  }
  return null;
}

interface TailRow {
  zkey: number;
  lat7: number;
  lon7: number;
  rid: number;
}

/** The time of each kind, as a column of the clusters `c` or their work orders `w`. */
const TIME_OF = {
  last: sql`c.last_report_at`,
  due: sql`w.next_due_at`,
  yellow: sql`w.yellow_from`,
} as const;

/**
 * Some clusters in some cells of `level`, one by one: those of kind 'last' whose `where` holds,
 * or those with a work order (the work orders' copied key leaves out those elsewhere before
 * their cluster is read).
 */
function rowsWhere(db: Db, f: TimeFilter, where: SQL, level: number, keys: string): Promise<TailRow[]> {
  const service = f.service === undefined ? sql`` : sql`AND c.service_code = ${f.service}`;
  const inCells = (zkey: SQL) =>
    sql`AND (${zkey} >> ${2 * (ZKEY_LEVEL - level)}) IN (SELECT value FROM json_each(${keys}))`;
  // The centres as the aggregates sum them (quantised), so the tail adds to them exactly.
  const cols = sql`c.zkey, ${sql.raw(centre7Sql("c", "lat"))} AS lat7, ${sql.raw(centre7Sql("c", "lon"))} AS lon7, c.rowid AS rid`;
  return f.kind === "last"
    ? db.all<TailRow>(sql`SELECT ${cols} FROM clusters c WHERE ${where} ${inCells(sql`c.zkey`)} ${service}`)
    : db.all<TailRow>(sql`SELECT ${cols} FROM work_orders w JOIN clusters c ON c.id = w.cluster_id
        WHERE ${where} ${inCells(sql`w.zkey`)} ${service}`);
}

/**
 * Rows read one by one during one request (by what was read: kind, span, service), kept for the
 * finer levels of the same view: listing a few clusters walks down the levels, and re-reading the
 * partial hour at each made a sparse view slower than grouping it live. Rows read for some cells
 * hold those of every cell inside them; `addRows` keeps only the cells asked for.
 */
export type RowReads = Map<string, { level: number; cells: Set<number>; rows: Promise<TailRow[]> }>;

/** `read()`, or the rows kept from a read at this or a coarser level over cells holding these. */
function keptOrRead(
  reads: RowReads | undefined,
  what: string,
  level: number,
  cells: number[],
  read: () => Promise<TailRow[]>,
): Promise<TailRow[]> {
  const kept = reads?.get(what);
  if (kept && kept.level <= level) {
    const up = 4 ** (level - kept.level);
    if (cells.every((k) => kept.cells.has(Math.floor(k / up)))) return kept.rows;
  }
  const rows = read();
  reads?.set(what, { level, cells: new Set(cells), rows });
  return rows;
}

/**
 * The clusters whose time falls in [from, to) (or [from, to] with `through`), a span inside one
 * hour, in some cells of `level`: read one by one (once per request with `reads`).
 */
function tail(
  db: Db,
  f: TimeFilter,
  from: number,
  to: number,
  through: boolean,
  level: number,
  cells: number[],
  reads: RowReads | undefined,
): Promise<TailRow[]> {
  if (from > to || (from === to && !through)) return Promise.resolve([]);
  const time = TIME_OF[f.kind];
  const upper = through ? sql`${time} <= ${to}` : sql`${time} < ${to}`;
  const what = `${f.kind} ${from} ${to} ${through} ${f.service ?? ""}`;
  return keptOrRead(reads, what, level, cells, () =>
    rowsWhere(db, f, sql`${time} >= ${from} AND ${upper}`, level, JSON.stringify(cells)),
  );
}

type Sums = Map<number, CellSums>;

/** Adds one cell's sums (`sign` 1) or takes them away (-1). */
function addSums(sums: Sums, r: CellSums, sign: 1 | -1) {
  const s = sums.get(r.cell) ?? { cell: r.cell, n: 0, sum_lat: 0, sum_lon: 0, sum_rowid: 0 };
  s.n += sign * r.n;
  s.sum_lat += sign * r.sum_lat;
  s.sum_lon += sign * r.sum_lon;
  s.sum_rowid += sign * r.sum_rowid;
  sums.set(r.cell, s);
}

/** Adds clusters read one by one (`sign` 1) or takes them away (-1), in the cells of `byKey`. */
function addRows(sums: Sums, rows: TailRow[], sign: 1 | -1, level: number, byKey: Map<number, unknown>) {
  for (const t of rows) {
    const cell = cellKeyAt(t.zkey, level);
    if (byKey.has(cell))
      addSums(sums, { cell, n: 1, sum_lat: t.lat7, sum_lon: t.lon7, sum_rowid: t.rid }, sign);
  }
}

/**
 * The sums per cell of the clusters whose time of `f.kind` lies in [from, to) (with `through`,
 * [from, to]): the whole hours from the blocks (a seek per cell and run: CROSS JOIN keeps that
 * order, else SQLite seeks the cell only and reads all its blocks), the partial hours at either
 * end from the rows.
 */
async function timeSums(
  db: Db,
  level: number,
  byKey: Map<number, unknown>,
  f: TimeFilter,
  through: boolean,
  reads: RowReads | undefined,
): Promise<Sums> {
  const cells = [...byKey.keys()];
  const keys = JSON.stringify(cells);
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
    tail(
      db,
      f,
      f.from,
      Math.min(f.to, first * HOUR_MS),
      through && f.to < first * HOUR_MS,
      level,
      cells,
      reads,
    ),
    tail(db, f, Math.max(f.from, first * HOUR_MS, last * HOUR_MS), f.to, through, level, cells, reads),
  ]);
  const sums: Sums = new Map(rows.map((r) => [r.cell, { ...r }]));
  addRows(sums, [...head, ...end], 1, level, byKey);
  return sums;
}

/**
 * Some cells of `level` (row, col, key) under a time filter, those non-empty, with `inside` for
 * `box`. "Yellow" at `now` (yellow_from ≤ now ≤ due): 'yellow' through now, less 'due' before now
 * (each of those has yellow_from ≤ due < now), less the work orders due exactly now that turn
 * yellow only after their deadline (yellow_from = due there, so the first counted them).
 */
export async function timeCellsByKey(
  db: Db,
  box: BBox,
  level: number,
  cells: { row: number; col: number; key: number }[],
  f: TimeFilter,
  reads?: RowReads,
): Promise<AggregateCell[]> {
  if (cells.length === 0) return [];
  const byKey = new Map(cells.map((c) => [c.key, c]));
  let sums: Sums;
  if (f.kind === "yellow") {
    const due = { ...f, kind: "due" as const };
    const keys = cells.map((c) => c.key);
    const [yellow, red, late] = await Promise.all([
      timeSums(db, level, byKey, f, true, reads),
      timeSums(db, level, byKey, due, false, reads),
      keptOrRead(reads, `late ${f.to} ${f.service ?? ""}`, level, keys, () =>
        rowsWhere(
          db,
          due,
          sql`w.next_due_at = ${f.to} AND w.yellow_at > w.next_due_at`,
          level,
          JSON.stringify(keys),
        ),
      ),
    ]);
    for (const r of red.values()) addSums(yellow, r, -1);
    addRows(yellow, late, -1, level, byKey);
    sums = yellow;
  } else sums = await timeSums(db, level, byKey, f, false, reads);
  return cellsOfRows(
    box,
    level,
    byKey,
    [...sums.values()].filter((s) => s.n > 0),
  );
}
