/**
 * The shape of the performance page's aggregates, pure: days, the blocks of days they are kept
 * in, and the duration buckets the medians are read from.
 *
 * Days are the city's calendar days (`city-time.ts`), numbered from 1970-01-01. Each figure is kept per department for
 * blocks of 2^level days (level 0 to MAX_LEVEL, a block starting at a multiple of its size), so
 * any run of days is the union of at most two blocks per level: a year's figures sum at most 18
 * rows per department, whatever the size of the city.
 *
 * Durations (to acknowledge, to resolve) are counted in buckets: sixteen per doubling of hours
 * (each 1/16 of its power of two wide, so a bucket spans at most 6.25% of its lower edge), read as
 * their lower edge: a median reads at most 6.25% low. Whole hours below 32 (and even ones below
 * 64) fall on an edge, so they are read exactly.
 */
import { cityDayOf, cityDayStart } from "./city-time";
import { HOUR_MS } from "./deadlines";

/** Blocks are 1, 2, 4, … 256 days long. */
export const MAX_LEVEL = 8;
/** The smallest and largest powers of two (hours) the buckets start at. */
export const FIRST_OCTAVE = -6;
export const LAST_OCTAVE = 14;
export const BUCKETS_PER_OCTAVE = 16;

/** The day number of an instant. */
export const dayOf = cityDayOf;

/** The first day of a period of `days` whole days of the city up to and including `now`'s day. */
export const firstDayOf = (now: number, days: number): number => dayOf(now) - days + 1;

/** The first instant of that period (midnight in the city): what the figures of the period count from. */
export const periodStart = (now: number, days: number): number => cityDayStart(firstDayOf(now, days));

/** The last instant of `now`'s day, which a period runs through. */
export const periodEnd = (now: number): number => cityDayStart(dayOf(now) + 1) - 1;

/** A block of days: `2^level` days from day `block * 2^level`. */
export interface Block {
  level: number;
  block: number;
}

/** The fewest blocks that exactly cover days `first` to `last` (inclusive), at most two per level. */
export function blocksOf(first: number, last: number): Block[] {
  const blocks: Block[] = [];
  let day = first;
  while (day <= last) {
    let level = 0;
    while (level < MAX_LEVEL && day % 2 ** (level + 1) === 0 && day + 2 ** (level + 1) - 1 <= last) level++;
    blocks.push({ level, block: day / 2 ** level });
    day += 2 ** level;
  }
  return blocks;
}

/** The first instant, in ms, of octave `k` (2^k hours); whole milliseconds from FIRST_OCTAVE up. */
export const octaveStartMs = (k: number): number => HOUR_MS * 2 ** k;

/**
 * The bucket of a duration in ms: 0 below 2^FIRST_OCTAVE hours (about a minute), then sixteen
 * per octave; durations past the last octave share its last bucket. `rollup-sql.ts` writes the same
 * arithmetic in SQL (integer division on whole milliseconds), and a test holds them equal.
 */
export function durationBucket(ms: number): number {
  if (ms < octaveStartMs(FIRST_OCTAVE)) return 0;
  for (let k = LAST_OCTAVE; k >= FIRST_OCTAVE; k--) {
    const lo = octaveStartMs(k);
    if (ms >= lo) {
      const sub = Math.min(BUCKETS_PER_OCTAVE - 1, Math.floor(((ms - lo) * BUCKETS_PER_OCTAVE) / lo));
      return 1 + (k - FIRST_OCTAVE) * BUCKETS_PER_OCTAVE + sub;
    }
  }
  return 0;
}

/** The hours a bucket is read as: its lower edge. */
export function bucketHours(bucket: number): number {
  if (bucket <= 0) return 0;
  const k = FIRST_OCTAVE + Math.floor((bucket - 1) / BUCKETS_PER_OCTAVE);
  const sub = (bucket - 1) % BUCKETS_PER_OCTAVE;
  return 2 ** k * (1 + sub / BUCKETS_PER_OCTAVE);
}

/** How many buckets there are: the one below the first octave, then sixteen per octave. */
export const BUCKETS = 1 + (LAST_OCTAVE - FIRST_OCTAVE + 1) * BUCKETS_PER_OCTAVE;

/** A histogram: how many durations fell in each bucket (index), dense. */
export type Histogram = Float64Array;
export const emptyHistogram = (): Histogram => new Float64Array(BUCKETS);

/** Adds `counts` (bucket → count, as kept in the database) into `into`. */
export function addCounts(into: Histogram, counts: Record<string, number>): void {
  for (const bucket in counts) {
    const b = Number(bucket);
    into[b] = (into[b] ?? 0) + (counts[bucket] as number);
  }
}

/**
 * Adds histograms kept as JSON objects of whole numbers (`{"97":3,"113":-1}`), any number of them
 * joined by any separator, into `into`, reading the digits in place (a fraction of `JSON.parse`
 * and `addCounts`): the league table's fallback when a window's median is not kept.
 */
export function addCountsText(into: Histogram, text: string): void {
  const digit = (at: number) => {
    const c = text.charCodeAt(at);
    return c >= 48 && c <= 57 ? c - 48 : -1;
  };
  let i = text.indexOf('"');
  while (i >= 0) {
    let bucket = 0;
    for (i++; digit(i) >= 0; i++) bucket = bucket * 10 + digit(i);
    i += 2; // the closing quote and the colon
    const sign = text.charCodeAt(i) === 45 ? -1 : 1;
    if (sign < 0) i++;
    let count = 0;
    for (; digit(i) >= 0; i++) count = count * 10 + digit(i);
    into[bucket] = (into[bucket] ?? 0) + sign * count;
    i = text.indexOf('"', i);
  }
}

/** The median of a histogram in hours (the mean of the two middle ones for an even count), or null. */
export function histogramMedian(histogram: Histogram): number | null {
  let total = 0;
  for (const n of histogram) total += n;
  if (total === 0) return null;
  // The two middle ones (the same one for an odd count), found in one walk.
  const [lo, hi] = total % 2 ? [(total - 1) / 2, (total - 1) / 2] : [total / 2 - 1, total / 2];
  let seen = 0;
  let low: number | null = null;
  for (let bucket = 0; bucket < histogram.length; bucket++) {
    seen += histogram[bucket] as number;
    if (low === null && lo < seen) low = bucketHours(bucket);
    if (hi < seen) return ((low as number) + bucketHours(bucket)) / 2;
  }
  // Only when counts went negative: what reading each middle one as 0 when missing gave.
  return total % 2 ? (low ?? 0) : (low ?? 0) / 2;
}

/** One histogram reused by `textMedian`: reading a median allocates nothing. */
const scratch = emptyHistogram();

/** `histogramMedian` of a histogram kept as text (see `addCountsText`). */
export function textMedian(text: string): number | null {
  scratch.fill(0);
  addCountsText(scratch, text);
  return histogramMedian(scratch);
}
