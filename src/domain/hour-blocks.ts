/**
 * Blocks of hours, the time dimension of the map's aggregates (`map_time_cells`): a time is kept
 * in one block per level, of 16^level hours (level 0 to HOUR_LEVELS - 1: an hour to 171 days),
 * a block starting at a multiple of its size. Any run of whole hours is then at most two runs of
 * consecutive blocks per level (at most 15 blocks each below the top level; at the top, one per
 * 171 days of the run), so "since a time" or "due before now"
 * reads a handful of rows per cell, however long the run and however many clusters exist.
 *
 * Hours, not days: what falls inside a partial hour at either end is read row by row (the
 * clusters reported, or the deadlines falling due, within that hour anywhere in the city), and an
 * hour's worth stays small. Base 16, not 2: each level is one more row per cluster per cell
 * level to keep on every write (four levels: 4 rows per grid level kept).
 */
export const HOUR_MS = 3_600_000;
export const HOUR_LEVELS = 4;
export const HOUR_BASE_BITS = 4;

/** Past every time kept (about 1,900 years of hours): the open end of "since". */
export const HOURS_END = 2 ** 24;

/** The hour number of an instant (times are never negative). */
export const hourOf = (at: number): number => Math.floor(at / HOUR_MS);

/** A run of consecutive blocks of one level: blocks `first` to `last` inclusive. */
export interface BlockRun {
  level: number;
  first: number;
  last: number;
}

/** The fewest runs of blocks covering hours `from` (inclusive) to `to` (exclusive). */
export function hourRuns(from: number, to: number): BlockRun[] {
  const runs: BlockRun[] = [];
  let lo = from;
  let hi = to;
  for (let level = 0; lo < hi; level++) {
    const size = 2 ** (HOUR_BASE_BITS * level);
    const next = size * 2 ** HOUR_BASE_BITS;
    const up = Math.ceil(lo / next) * next;
    const down = Math.floor(hi / next) * next;
    if (level === HOUR_LEVELS - 1 || up > down) {
      runs.push({ level, first: lo / size, last: hi / size - 1 });
      break;
    }
    if (lo < up) runs.push({ level, first: lo / size, last: up / size - 1 });
    if (down < hi) runs.push({ level, first: down / size, last: hi / size - 1 });
    lo = up;
    hi = down;
  }
  return runs;
}
