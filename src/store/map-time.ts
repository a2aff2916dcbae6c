/**
 * Reads of the map's aggregates over time (`map_time_cells`, see `map-time-sql.ts`): the cells of
 * a view under `since` or `deadline=red` or `yellow`, exactly, at a cost of a few block runs per
 * cell plus the partial hours counted from an index, whatever the total.
 */
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import type { BBox } from "../domain/geo";
import { HOUR_MS, HOURS_END, hourOf, hourRuns } from "../domain/hour-blocks";
import { keyRangesOfCells, ZKEY_LEVEL } from "../domain/zkey";
import { deadlineWhere, type MapFilter } from "./map";
import { type AggregateCell, type CellSums, cellsOfRows, workOrdersInRanges } from "./map-cells";
import { CENTRE_LEVEL, centre7OfKey } from "./map-cells-sql";

/** A time filter the aggregates hold: clusters whose time of `kind` lies in [from, to) (ms). */
export interface TimeFilter {
  kind: "last" | "due" | "yellow";
  from: number;
  to: number;
  service?: string | undefined;
  /**
   * A deadline answered by walking the work orders in the cells (the flag told from the index
   * `work_orders_zkey`) instead of summing their hour blocks: where few work orders are in view,
   * as `map-view.ts` decides.
   */
  walk?: boolean;
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
    return { kind, from: 0, to: filter.deadline.now, service: filter.service, walk: filter.deadline.walk };
  }
  return null;
}

/**
 * The clusters of a partial hour, per cell of `CENTRE_LEVEL` (the centres the aggregates sum):
 * how many. Read from the indexes alone (the time, the key and the service are in
 * them), so a busy hour costs an index range, not a cluster read per deadline; the rowids the
 * aggregates also sum are read afterwards, only for the cells left holding one cluster.
 */
interface TailCount {
  key: number;
  n: number;
}

/** One read of a partial hour, added (`sign` 1) or taken away (-1). */
interface TailRead {
  f: TimeFilter;
  where: SQL;
  /** What was read (kind, span, service), to keep its counts for the other levels of a request. */
  what: string;
  sign: 1 | -1;
  /** Read through the cells' key ranges (a walk of the work orders in them), not the time index. */
  byKey?: true;
}

/** The time of each kind, as a column of the clusters `c` or their work orders `w`. */
const TIME_OF = {
  last: sql`c.last_report_at`,
  due: sql`w.next_due_at`,
  yellow: sql`w.yellow_from`,
} as const;

const CENTRE_SHIFT = 2 * (ZKEY_LEVEL - CENTRE_LEVEL);

/** The row a tail read's key and service come from: the cluster `c` for 'last', else the work order `w`. */
const rowOf = (read: TailRead) => sql.raw(read.f.kind === "last" ? "c" : "w");

/**
 * `FROM … WHERE` the rows of a tail read in some cells of `level`: the clusters `c` of kind 'last',
 * or the work orders `w` (their copied key and service are their cluster's: neither changes, and
 * a merge keeps to one service), each through its time index; `join` adds the clusters to `w`.
 */
function tailSource(read: TailRead, level: number, cells: number[], join = false): SQL {
  const { f, where } = read;
  const row = rowOf(read);
  // `+`: the service is a filter, never the index (without planner statistics SQLite would read
  // every cluster of the service through (service_code, zkey) rather than the span's few by time).
  const service = f.service === undefined ? sql`` : sql`AND +${row}.service_code = ${f.service}`;
  if (read.byKey) {
    const clusters = join ? sql`CROSS JOIN clusters c ON c.id = w.cluster_id` : sql``;
    return sql`${workOrdersInRanges(keyRangesOfCells(cells, level))} ${clusters} WHERE ${where} ${service}`;
  }
  const from =
    f.kind === "last"
      ? sql`clusters c`
      : join
        ? sql`work_orders w JOIN clusters c ON c.id = w.cluster_id`
        : sql`work_orders w`;
  return sql`${from} WHERE ${where} AND (${row}.zkey >> ${2 * (ZKEY_LEVEL - level)})
    IN (SELECT value FROM json_each(${JSON.stringify(cells)})) ${service}`;
}

/**
 * Counts read during one request (by what was read), kept for the finer levels of the same view:
 * listing a few clusters walks down the levels, and re-reading the partial hour at each made a
 * sparse view slower than grouping it live. Counts read for some cells hold those of every cell
 * inside them; `addCounts` keeps only the cells asked for.
 */
export type RowReads = Map<string, { level: number; cells: Set<number>; counts: Promise<TailCount[]> }>;

/** The counts of a tail read in some cells of `level`, or those kept from a coarser read over them. */
function tailCounts(
  db: Db,
  read: TailRead,
  level: number,
  cells: number[],
  reads: RowReads | undefined,
): Promise<TailCount[]> {
  const kept = reads?.get(read.what);
  if (kept && kept.level <= level) {
    const up = 4 ** (level - kept.level);
    if (cells.every((k) => kept.cells.has(Math.floor(k / up)))) return kept.counts;
  }
  // One JSON array of keys, counted here: a row per key cost the client ~5 µs each (a busy hour
  // of 16,667 clusters: ~80 ms as rows, ~4 ms as one array).
  const counts = db.all<{ keys: string }>(countsQuery(read, level, cells)).then(([r]) => {
    const byKey = new Map<number, number>();
    for (const key of JSON.parse(r?.keys ?? "[]") as number[]) byKey.set(key, (byKey.get(key) ?? 0) + 1);
    return [...byKey].map(([key, n]) => ({ key, n }));
  });
  reads?.set(read.what, { level, cells: new Set(cells), counts });
  return counts;
}

/** The keys (at `CENTRE_LEVEL`) of a tail read's rows in some cells of `level`, as one JSON array. */
const countsQuery = (read: TailRead, level: number, cells: number[]): SQL =>
  sql`SELECT json_group_array(${rowOf(read)}.zkey >> ${CENTRE_SHIFT}) AS keys FROM ${tailSource(read, level, cells)}`;

/** The sums of a tail read's rowids per cell of `level`, in some cells (those holding one cluster). */
const tailRowids = (db: Db, read: TailRead, level: number, cells: number[]) =>
  db.all<{ cell: number; r: number }>(
    sql`SELECT ${rowOf(read)}.zkey >> ${2 * (ZKEY_LEVEL - level)} AS cell,
      sum(c.rowid) AS r FROM ${tailSource(read, level, cells, true)} GROUP BY 1`,
  );

/**
 * The read of the clusters whose time falls in [from, to) (or [from, to] with `through`), a span
 * inside one hour, or null when the span is empty.
 */
function tail(f: TimeFilter, from: number, to: number, through: boolean, sign: 1 | -1): TailRead | null {
  if (from > to || (from === to && !through)) return null;
  const time = TIME_OF[f.kind];
  const upper = through ? sql`${time} <= ${to}` : sql`${time} < ${to}`;
  return {
    f,
    where: sql`${time} >= ${from} AND ${upper}`,
    what: `${f.kind} ${from} ${to} ${through} ${f.service ?? ""}`,
    sign,
  };
}

/** The walk of a deadline's work orders, flagged at `f.to` (now) by the map's own rule. */
const walkOf = (f: TimeFilter): TailRead => ({
  f,
  where: deadlineWhere(f.kind === "due" ? "red" : "yellow", f.to),
  what: `walk ${f.kind} ${f.to} ${f.service ?? ""}`,
  sign: 1,
  byKey: true,
});

/** `countsQuery` of a deadline's walk (`TimeFilter.walk`): told from the index, no row read. */
export const walkCountsQuery = (f: TimeFilter, level: number, cells: number[]): SQL =>
  countsQuery(walkOf(f), level, cells);

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

/** Adds a tail read's counts (its sign) in the cells of `byKey`, their rowids aside; returns the cells it touched. */
function addCounts(
  sums: Sums,
  counts: TailCount[],
  sign: 1 | -1,
  level: number,
  byKey: Map<number, unknown>,
) {
  const touched = new Set<number>();
  const up = 4 ** (CENTRE_LEVEL - level);
  for (const t of counts) {
    const cell = Math.floor(t.key / up);
    if (!byKey.has(cell)) continue;
    const { lat7, lon7 } = centre7OfKey(t.key);
    addSums(sums, { cell, n: t.n, sum_lat: t.n * lat7, sum_lon: t.n * lon7, sum_rowid: 0 }, sign);
    touched.add(cell);
  }
  return touched;
}

/**
 * The sums per cell of the clusters whose time of `f.kind` lies in [from, to) (with `through`,
 * [from, to]) from the whole hours' blocks (a seek per cell and run: CROSS JOIN keeps that
 * order, else SQLite seeks the cell only and reads all its blocks), and the reads of the partial
 * hours at either end, left to the caller.
 */
async function blockSums(
  db: Db,
  level: number,
  cells: number[],
  f: TimeFilter,
  through: boolean,
  sign: 1 | -1,
): Promise<{ rows: CellSums[]; tails: TailRead[] }> {
  const first = Math.ceil(f.from / HOUR_MS);
  const last = hourOf(f.to);
  const runs = hourRuns(first, Math.max(first, last)).map((r) => [r.level, r.first, r.last]);
  const rows =
    runs.length === 0
      ? []
      : await db.all<CellSums>(sql`SELECT m.cell, sum(m.n) AS n, sum(m.sum_lat) AS sum_lat, sum(m.sum_lon) AS sum_lon,
            sum(m.sum_rowid) AS sum_rowid
          FROM json_each(${JSON.stringify(cells)}) k CROSS JOIN json_each(${JSON.stringify(runs)}) r
          CROSS JOIN map_time_cells m ON m.kind = ${f.kind} AND m.level = ${level} AND m.cell = k.value
            AND m.tlevel = json_extract(r.value, '$[0]')
            AND m.tblock BETWEEN json_extract(r.value, '$[1]') AND json_extract(r.value, '$[2]')
            ${f.service === undefined ? sql`` : sql`AND m.service_code = ${f.service}`}
          GROUP BY m.cell`);
  // Within one hour (first > last) the head is the whole span and the end starts past it.
  const tails = [
    tail(f, f.from, Math.min(f.to, first * HOUR_MS), through && f.to < first * HOUR_MS, sign),
    tail(f, Math.max(f.from, first * HOUR_MS, last * HOUR_MS), f.to, through, sign),
  ];
  return { rows, tails: tails.filter((t) => t !== null) };
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
  const keys = cells.map((c) => c.key);
  const parts = f.walk
    ? []
    : f.kind === "yellow"
      ? await Promise.all([
          blockSums(db, level, keys, f, true, 1),
          blockSums(db, level, keys, { ...f, kind: "due" }, false, -1),
        ])
      : [await blockSums(db, level, keys, f, false, 1)];
  const tails = f.walk ? [walkOf(f)] : parts.flatMap((p) => p.tails);
  if (f.kind === "yellow" && !f.walk)
    tails.push({
      f: { ...f, kind: "due" },
      where: sql`w.next_due_at = ${f.to} AND w.yellow_at > w.next_due_at`,
      what: `late ${f.to} ${f.service ?? ""}`,
      sign: -1,
    });
  const sums: Sums = new Map();
  parts.forEach((p, i) => {
    for (const r of p.rows) addSums(sums, r, i === 0 ? 1 : -1);
  });
  const counted = await Promise.all(tails.map((t) => tailCounts(db, t, level, keys, reads)));
  const touched = counted.map((counts, i) => addCounts(sums, counts, tails[i]?.sign ?? 1, level, byKey));
  // A cell left holding one cluster names it by its rowid: add the rowids of the reads that touched it.
  await Promise.all(
    tails.map(async (t, i) => {
      const lone = [...(touched[i] ?? [])].filter((cell) => sums.get(cell)?.n === 1);
      if (lone.length === 0) return;
      for (const r of await tailRowids(db, t, level, lone))
        addSums(sums, { cell: r.cell, n: 0, sum_lat: 0, sum_lon: 0, sum_rowid: r.r }, t.sign);
    }),
  );
  return cellsOfRows(
    box,
    level,
    byKey,
    [...sums.values()].filter((s) => s.n > 0),
  );
}
