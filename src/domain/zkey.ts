/**
 * The spatial key of a cluster: the Z-order (Morton) number of its cell in the map's own grid at
 * a fine level. Cells of level L are squares of 360 / 2^L degrees counted from (-90, -180), the
 * same cells `map-grid.ts` draws (zoom z draws level z + 2), so each cell of a coarser level is
 * one contiguous range of keys: a B-tree on the key narrows both axes at once, which a (lat, lon)
 * index cannot (it narrows by latitude only). Pure arithmetic; the database computes the same
 * key from the same formula (`zkeySql`), and a test checks both agree.
 */
import type { BBox } from "./geo";

/** The level of the key: cells of 360 / 2^24 degrees, about 2.4 m. */
export const ZKEY_LEVEL = 24;

/** The grid level whose cells have side `cell` degrees (cells are 360 / 2^level). */
export const levelOfCell = (cell: number): number => Math.round(Math.log2(360 / cell));

/** The side in degrees of a cell of a level. */
export const cellSideOfLevel = (level: number): number => 360 / 2 ** level;

/** Row and column of a point at a level, as SQL computes them (an integer cast is a floor here). */
export function rowColAt(lat: number, lon: number, level: number): { row: number; col: number } {
  const side = cellSideOfLevel(level);
  const rows = 2 ** (level - 1);
  const cols = 2 ** level;
  // A point on the north pole or the antimeridian belongs to the last cell, not one past it.
  return {
    row: Math.min(rows - 1, Math.trunc((lat + 90) / side)),
    col: Math.min(cols - 1, Math.trunc((lon + 180) / side)),
  };
}

/** The low 12 bits of `n` spread to the even bits of a 24-bit number. */
function spread12(n: number): number {
  let x = n & 0xfff;
  x = (x | (x << 8)) & 0x00ff00ff;
  x = (x | (x << 4)) & 0x0f0f0f0f;
  x = (x | (x << 2)) & 0x33333333;
  return (x | (x << 1)) & 0x55555555;
}

/**
 * Interleaves the low `level` bits (at most `ZKEY_LEVEL`) of a row and a column, row bits odd,
 * column bits even. In two 24-bit halves, since bit operations stop at 32 bits: the intake and
 * every map view compute dozens of these, and a loop over the bits cost a quarter of a report.
 */
export function interleave(row: number, col: number, level: number): number {
  const mask = 2 ** level - 1;
  const r = row & mask;
  const c = col & mask;
  const low = spread12(c) | (spread12(r) << 1);
  const high = spread12(c >>> 12) | (spread12(r >>> 12) << 1);
  return high * 2 ** 24 + low;
}

/** The even bits of a 24-bit number gathered into its low 12 bits: `spread12` undone. */
function gather12(n: number): number {
  let x = n & 0x55555555;
  x = (x | (x >>> 1)) & 0x33333333;
  x = (x | (x >>> 2)) & 0x0f0f0f0f;
  x = (x | (x >>> 4)) & 0x00ff00ff;
  return (x | (x >>> 8)) & 0xfff;
}

/** The row and column of a cell from its key at `level` (at most `ZKEY_LEVEL`): `interleave` undone. */
export function rowColOfKey(key: number, level: number): { row: number; col: number } {
  const high = Math.floor(key / 2 ** 24);
  const low = key - high * 2 ** 24;
  const mask = 2 ** level - 1;
  return {
    row: (gather12(low >>> 1) | (gather12(high >>> 1) << 12)) & mask,
    col: (gather12(low) | (gather12(high) << 12)) & mask,
  };
}

/** The key of a point at `ZKEY_LEVEL`. */
export function zkeyOf(lat: number, lon: number): number {
  const { row, col } = rowColAt(lat, lon, ZKEY_LEVEL);
  return interleave(row, col, ZKEY_LEVEL);
}

/** The key of a cell at a coarser level is the fine key without its last 2 × (24 − level) bits. */
export const cellKeyAt = (zkey: number, level: number): number =>
  Math.floor(zkey / 4 ** (ZKEY_LEVEL - level));

/** The cells of `level` a box touches, as (row, col) with their key; at most `rows × cols` of them. */
export function cellsOfBox(box: BBox, level: number): { row: number; col: number; key: number }[] {
  const lo = rowColAt(box.minLat, box.minLon, level);
  const hi = rowColAt(box.maxLat, box.maxLon, level);
  const cells: { row: number; col: number; key: number }[] = [];
  for (let row = lo.row; row <= hi.row; row++) {
    for (let col = lo.col; col <= hi.col; col++) cells.push({ row, col, key: interleave(row, col, level) });
  }
  return cells;
}

/** How many cells of a level a box touches. */
export function cellCountOfBox(box: BBox, level: number): number {
  const lo = rowColAt(box.minLat, box.minLon, level);
  const hi = rowColAt(box.maxLat, box.maxLon, level);
  return (hi.row - lo.row + 1) * (hi.col - lo.col + 1);
}

/** The finest level (at most `ZKEY_LEVEL`) at which a box touches at most `maxCells` cells. */
export function finestLevelFor(box: BBox, maxCells: number): number {
  let level = ZKEY_LEVEL;
  while (level > 1 && cellCountOfBox(box, level) > maxCells) level--;
  return level;
}

/**
 * Ranges of keys `[lo, hi]` (inclusive) covering every point of a box: the cells of the finest
 * level touching at most `maxCells` cells, each a contiguous range, neighbours merged. What lies
 * in the ranges but outside the box is only the border cells' overhang; callers filter it out.
 */
export function zkeyRanges(box: BBox, maxCells: number): [number, number][] {
  const level = finestLevelFor(box, maxCells);
  return keyRangesOfCells(
    cellsOfBox(box, level).map((c) => c.key),
    level,
  );
}

/** The ranges of keys `[lo, hi]` (inclusive) some cells of `level` hold, neighbours merged. */
export function keyRangesOfCells(cells: number[], level: number): [number, number][] {
  const span = 4 ** (ZKEY_LEVEL - level);
  const ranges: [number, number][] = [];
  for (const key of [...cells].sort((a, b) => a - b)) {
    const last = ranges.at(-1);
    if (last && last[1] + 1 === key * span) last[1] = (key + 1) * span - 1;
    else ranges.push([key * span, (key + 1) * span - 1]);
  }
  return ranges;
}
