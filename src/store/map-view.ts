import type { Db } from "../db/client";
import type { BBox } from "../domain/geo";
import {
  cellBounds,
  gridCellSize,
  MAX_GRID_ITEMS,
  MAX_SINGLE_CLUSTERS,
  shareInBox,
  statusCanBeDue,
} from "../domain/map-grid";
import { cellSideOfLevel, cellsOfBox, levelOfCell, ZKEY_LEVEL } from "../domain/zkey";
import {
  countInRanges,
  findMapItemsLive,
  flaggedInView,
  gridItems,
  keepsWorkOrdersOnly,
  type MapCluster,
  type MapFilter,
  type MapItem,
  pinsByRowids,
  pinsInRanges,
} from "./map";
import { type AggregateCell, cellsByKey, childrenInBox, countInBox } from "./map-cells";
import { AGG_MAX_LEVEL, AGG_MIN_LEVEL } from "./map-cells-sql";
import { type RowReads, timeCellsByKey, timeFilterOf } from "./map-time";
import { TIME_LEVEL_STEP, TIME_MAX_LEVEL } from "./map-time-sql";

export type MapAnswer = { mode: "clusters" | "grid"; items: MapItem[]; zoomIn?: true };

/**
 * Most rows a live walk may read (the clusters in view, or their work orders: `liveSource`), for
 * the mixes the aggregates do not hold (`since` or `deadline` with a status, a department or each
 * other). Each row costs a few B-tree seeks, once to list and once more to group, so a walk of
 * this many stays within ~20 ms (issue 18); past it the answer is empty with `zoomIn`, and the
 * page asks the reader to zoom in. The count is read from the aggregates before walking; under a
 * deadline, a walk reads the rows of the flagged work orders only (`deadlineWhere`), so past the
 * cap those are counted from the key index (up to `DEADLINE_WALK_CAP` work orders in view).
 */
export const LIVE_WALK_CAP = 1_000;

/** The aggregate level a view at a zoom is grouped at: the map's grid, no finer than what is kept. */
export function viewLevel(box: BBox, zoom: number): number {
  return Math.max(AGG_MIN_LEVEL, Math.min(AGG_MAX_LEVEL, levelOfCell(gridCellSize(box, zoom))));
}

/** Whether a filter is answered from the aggregates (otherwise live). */
export const fromAggregates = (filter: MapFilter): boolean =>
  (filter.since === undefined && filter.deadline === undefined) || timeFilterOf(filter) !== null;

/** The finest level the aggregates answering a filter keep. */
const finestLevel = (filter: MapFilter): number => (timeFilterOf(filter) ? TIME_MAX_LEVEL : AGG_MAX_LEVEL);
/** Levels between those kept: 1, or over time every other level (`TIME_LEVEL_STEP`). */
const levelStep = (filter: MapFilter): number => (timeFilterOf(filter) ? TIME_LEVEL_STEP : 1);

/** The level a view is grouped at under a filter: `viewLevel`, or the next coarser level kept. */
export function keptLevel(box: BBox, zoom: number, filter: MapFilter): number {
  const level = Math.min(finestLevel(filter), viewLevel(box, zoom));
  return level - ((level - AGG_MIN_LEVEL) % levelStep(filter));
}

/**
 * Some cells of `level` from the aggregates answering the filter (over time, or not); `reads`
 * keeps the rows read one by one over time for the other levels of the same request.
 */
function cellsFor(
  db: Db,
  box: BBox,
  level: number,
  cells: { row: number; col: number; key: number }[],
  filter: MapFilter,
  reads?: RowReads,
): Promise<AggregateCell[]> {
  const time = timeFilterOf(filter);
  return time
    ? timeCellsByKey(db, box, level, cells, time, reads)
    : cellsByKey(db, box, level, cells, filter);
}

/** The non-empty cells of `level` a box touches, under the filter. */
const aggregateCells = (db: Db, box: BBox, level: number, filter: MapFilter, reads?: RowReads) =>
  cellsFor(db, box, level, cellsOfBox(box, level), filter, reads);

/**
 * How many rows the live walk of a filter reads in a view, at most (cells counted whole), from
 * the aggregates: a department's work orders (`map_department_cells`), every work order (the
 * clusters not 'reported', which is no work order), or the clusters of the service.
 */
const walkedInView = (db: Db, box: BBox, level: number, filter: MapFilter): Promise<number> =>
  filter.department !== undefined
    ? countInBox(db, box, level, { department: filter.department })
    : keepsWorkOrdersOnly(filter)
      ? countInBox(db, box, level, {}, true)
      : countInBox(db, box, level, { service: filter.service });

/**
 * The live answer for the filters the aggregates do not hold, when its walk is short enough;
 * nothing in view under the filters the aggregates hold is nothing.
 */
async function liveAnswer(
  db: Db,
  box: BBox,
  zoom: number,
  filter: MapFilter,
  now: number,
): Promise<MapAnswer> {
  // A deadline with a status no running deadline shows as (say `resolved`): nothing, unwalked.
  if (filter.deadline !== undefined && filter.status !== undefined && !statusCanBeDue(filter.status))
    return { mode: "clusters", items: [] };
  const level = viewLevel(box, zoom);
  const walked = await walkedInView(db, box, level, filter);
  if (walked === 0) return { mode: "clusters", items: [] };
  if (
    walked <= LIVE_WALK_CAP ||
    (filter.deadline !== undefined &&
      walked <= DEADLINE_WALK_CAP &&
      (await flaggedInView(db, box, filter.deadline, filter.department)) <= LIVE_WALK_CAP)
  )
    return findMapItemsLive(db, box, zoom, filter, now);
  const { since: _, deadline: __, ...held } = filter;
  return (await countInBox(db, box, level, held)) === 0
    ? { mode: "clusters", items: [] }
    : { mode: "grid", items: [], zoomIn: true };
}

/**
 * Most work orders in a view's cells a deadline filter walks (the flag told from the index
 * `work_orders_zkey`, ~0.1 µs each) rather than summing their hour blocks in the aggregates over
 * time: "overdue" and "nearly due now" read every block from the first hour to now in every
 * cell (both ends for "nearly due"), a few hundred rows a cell, ~8 ms for a district at 1M
 * clusters where the walk of its ~6,000 work orders takes ~1 ms.
 */
export const DEADLINE_WALK_CAP = 20_000;

/** Past this many cells to split, a view is not "few clusters": the grid answers it. */
const SPLIT_CAP = 1024;

/**
 * The clusters inside the box, exactly, when there are at most `MAX_SINGLE_CLUSTERS` (else null).
 * From the view's cells down the levels: a cell holding one cluster gives its rowid (the sum), a
 * cell holding more is split into its children in the box; cells of the finest level still holding
 * several are read by key. Each level is one query over at most `SPLIT_CAP` cells, and the search
 * stops as soon as more than a page is certain, so a sparse filter in a dense city stays cheap.
 */
async function fewClusters(
  db: Db,
  box: BBox,
  level: number,
  cells: AggregateCell[],
  filter: MapFilter,
  now: number,
  reads: RowReads,
): Promise<MapCluster[] | null> {
  const rowids: number[] = [];
  const ranges: [number, number][] = [];
  // Clusters certainly in the box among those settled at the levels above (lone cells and finest
  // cells wholly inside it): with the frontier's, more than a page is known before any pin is read.
  let settled = 0;
  // And how many the box likely holds: a cell overhanging it counted by the share of its area inside.
  let likely = 0;
  let frontier = cells;
  const step = levelStep(filter);
  for (let at = level; frontier.length > 0; at += step) {
    const surely = frontier.reduce((n, c) => n + (c.inside ? c.n : 0), settled);
    const split: { row: number; col: number; key: number }[] = [];
    for (const c of frontier) {
      if (c.n > 1 && at !== finestLevel(filter)) {
        let children = childrenInBox(c, box, at);
        for (let below = 1; below < step; below++)
          children = children.flatMap((k) => childrenInBox(k, box, at + below));
        split.push(...children);
        continue;
      }
      if (c.n === 1) rowids.push(c.rowid);
      else {
        const span = 4 ** (ZKEY_LEVEL - at);
        ranges.push([c.key * span, (c.key + 1) * span - 1]);
      }
      if (c.inside) settled += c.n;
      likely += c.inside ? c.n : c.n * shareInBox(cellBounds(c.row, c.col, cellSideOfLevel(at)), box);
    }
    if (surely > MAX_SINGLE_CLUSTERS || split.length > SPLIT_CAP || rowids.length > 4 * MAX_SINGLE_CLUSTERS)
      return null;
    frontier = await cellsFor(db, box, at + step, split, filter, reads);
  }
  if (settled > MAX_SINGLE_CLUSTERS) return null;
  // Likely more than a page: counted from the index first (a third of the pins' cost), so a view
  // that the grid answers reads no pins.
  if (
    likely > MAX_SINGLE_CLUSTERS &&
    ranges.length > 0 &&
    (await countInRanges(db, ranges, box, filter, MAX_SINGLE_CLUSTERS + 1)) > MAX_SINGLE_CLUSTERS
  )
    return null;
  // The pins of those cells' key ranges from the index (`pinsInRanges`; the work orders in them,
  // for a deadline or department: one in ten clusters or fewer), and of the lone cells by rowid.
  const several = ranges.length
    ? await pinsInRanges(db, ranges, box, filter, MAX_SINGLE_CLUSTERS + 1, now)
    : [];
  const inBox = [...(await pinsByRowids(db, rowids, now)), ...several].filter(
    (c) => c.lat >= box.minLat && c.lat <= box.maxLat && c.lon >= box.minLon && c.lon <= box.maxLon,
  );
  return inBox.length <= MAX_SINGLE_CLUSTERS ? inBox : null;
}

/** The map's answer for a view (see the file's comment for what edge cells count). */
export async function findMapItems(
  db: Db,
  box: BBox,
  zoom: number,
  filter: MapFilter,
  now: number,
): Promise<MapAnswer> {
  if (!fromAggregates(filter)) return liveAnswer(db, box, zoom, filter, now);
  // A street view with a deadline is finer than the aggregates over time: they would read whole
  // cells around it (and the partial hour's deadlines town-wide) to list the few work orders the
  // live walk of the view's key ranges finds directly, several times faster at 1M clusters.
  if (filter.deadline !== undefined && viewLevel(box, zoom) > TIME_MAX_LEVEL)
    return findMapItemsLive(db, box, zoom, filter, now);
  let level = keptLevel(box, zoom, filter);
  if (filter.deadline !== undefined && filter.deadline.walk === undefined) {
    const walk = (await walkedInView(db, box, level, filter)) <= DEADLINE_WALK_CAP;
    filter = { ...filter, deadline: { ...filter.deadline, walk } };
  }
  const reads: RowReads = new Map();
  let cells = await aggregateCells(db, box, level, filter, reads);
  const total = cells.reduce((n, c) => n + c.n, 0);
  const surely = cells.reduce((n, c) => n + (c.inside ? c.n : 0), 0);
  // Few enough that the cells hold at most a page of clusters, or the partly covered cells might:
  // then list them (read by key, at most one more than a page).
  if (surely <= MAX_SINGLE_CLUSTERS) {
    const few = total === 0 ? [] : await fewClusters(db, box, level, cells, filter, now, reads);
    if (few) return { mode: "clusters", items: few };
  }
  // Each coarser level quarters the cells; `gridCellSize` keeps this to one or two rounds.
  while (cells.length > MAX_GRID_ITEMS && level > AGG_MIN_LEVEL) {
    level -= levelStep(filter);
    cells = await aggregateCells(db, box, level, filter);
  }
  return { mode: "grid", items: await gridOfAggregates(db, cells, level, now) };
}

/** Cells from the aggregates: a cell holding one cluster has that cluster's rowid as its sum. */
const gridOfAggregates = (db: Db, cells: AggregateCell[], level: number, now: number) =>
  gridItems(
    db,
    cells.map((c) => ({ ...c, lone: c.rowid })),
    cellSideOfLevel(level),
    now,
  );
