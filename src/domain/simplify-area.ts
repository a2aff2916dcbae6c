/**
 * A department's area simplified to what routing needs. A boundary exported from a survey or a
 * GIS carries tens of thousands of corners; routing a report tests its point against every corner
 * of every area, so an area keeps at most `MAX_AREA_CORNERS`, and one over that is simplified
 * (Douglas–Peucker, ring by ring) with the least tolerance, doubling from half a metre, that
 * brings it within them. No I/O.
 */

/** A GeoJSON position: longitude, latitude and perhaps an altitude (dropped by simplifying). */
type GeoPosition = readonly [number, number, (number | undefined)?];
type Polygonal<P> = { type: "Polygon"; coordinates: P[][] } | { type: "MultiPolygon"; coordinates: P[][][] };

/** Corners an area keeps, over all its rings. */
export const MAX_AREA_CORNERS = 2500;
/** The widest a simplified boundary may stray from the drawn one, in metres. */
export const MAX_TOLERANCE_M = 128;
const METRES_PER_DEGREE = 111_195;

/**
 * Distances Douglas–Peucker may measure for one area, over all its tolerances. A surveyed boundary
 * of 100,000 corners takes a few million (each pass halves its stretch); a zigzag drawn to defeat
 * it peels one corner a pass, n² in all (20,000 corners took 33 s), and is refused at this bound
 * (~0.2 s) as one no tolerance brings within the corners.
 */
const SIMPLIFY_WORK = 40_000_000;

/** What a ring's simplification ran out of: the corners the area may keep, or the work it may do. */
type Spent = "corners" | "work";

/**
 * The corners of a ring that stay within `toleranceM` of it (Douglas–Peucker); closed as it came.
 * Stops as soon as it keeps more than `maxCorners` (this tolerance cannot do) or has measured
 * `budget.work` distances (none can).
 */
function simplifyRing(
  ring: readonly GeoPosition[],
  toleranceM: number,
  maxCorners: number,
  budget: { work: number },
): [number, number][] | Spent {
  const open = ring.slice(0, -1);
  const n = open.length;
  const first = open[0] as GeoPosition;
  const kx = Math.cos((first[1] * Math.PI) / 180) * METRES_PER_DEGREE;
  const xs = open.map((p) => (p[0] - first[0]) * kx);
  const ys = open.map((p) => (p[1] - first[1]) * METRES_PER_DEGREE);
  // Split at the corner farthest from the first, so each half is an open line with two ends.
  let far = 0;
  for (let i = 1; i < n; i++)
    if (Math.hypot(xs[i] ?? 0, ys[i] ?? 0) > Math.hypot(xs[far] ?? 0, ys[far] ?? 0)) far = i;
  const keep = new Uint8Array(n + 1);
  keep[0] = keep[far] = keep[n] = 1;
  let corners = far === 0 ? 1 : 2;
  const at = (i: number) => (i === n ? 0 : i);
  const stack: [number, number][] = [
    [0, far],
    [far, n],
  ];
  while (stack.length) {
    const [a, b] = stack.pop() as [number, number];
    const [ax, ay, bx, by] = [xs[at(a)] ?? 0, ys[at(a)] ?? 0, xs[at(b)] ?? 0, ys[at(b)] ?? 0];
    const dx = bx - ax;
    const dy = by - ay;
    const length = Math.hypot(dx, dy);
    budget.work -= b - a;
    if (budget.work < 0) return "work";
    let worst = -1;
    let worstAt = -1;
    for (let i = a + 1; i < b; i++) {
      const [px, py] = [(xs[i] ?? 0) - ax, (ys[i] ?? 0) - ay];
      const d = length === 0 ? Math.hypot(px, py) : Math.abs(dx * py - dy * px) / length;
      if (d > worst) [worst, worstAt] = [d, i];
    }
    if (worst > toleranceM) {
      keep[worstAt] = 1;
      if (++corners > maxCorners) return "corners";
      stack.push([a, worstAt], [worstAt, b]);
    }
  }
  const kept: [number, number][] = [];
  for (let i = 0; i < n; i++)
    if (keep[i]) kept.push([(open[i] as GeoPosition)[0], (open[i] as GeoPosition)[1]]);
  // A ring simplified to a line keeps the corner farthest from it, so it still bounds an area.
  if (kept.length < 3) {
    let best = -1;
    let bestAt = 1;
    for (let i = 1; i < n; i++) {
      if (i === far) continue;
      const d = Math.abs((xs[far] ?? 0) * (ys[i] ?? 0) - (ys[far] ?? 0) * (xs[i] ?? 0));
      if (d > best) [best, bestAt] = [d, i];
    }
    const p = open[bestAt] as GeoPosition;
    kept.splice(bestAt < far ? 1 : 2, 0, [p[0], p[1]]);
  }
  kept.push([first[0], first[1]]);
  return kept;
}

/** Corners of an area: each ring's positions but its closing one. */
export const cornerCount = (rings: readonly (readonly GeoPosition[])[]): number =>
  rings.reduce((n, r) => n + Math.max(0, r.length - 1), 0);

const ringsOf = <P>(a: Polygonal<P>): P[][] => (a.type === "Polygon" ? a.coordinates : a.coordinates.flat());

/**
 * The area as given when it has at most `MAX_AREA_CORNERS` corners, else simplified with the least
 * tolerance that brings it within them, and that tolerance; null when even `MAX_TOLERANCE_M` does not.
 */
export function simplifyArea<P extends GeoPosition>(
  area: Polygonal<P>,
): { area: Polygonal<P> | Polygonal<[number, number]>; toleranceM: number } | null {
  if (cornerCount(ringsOf(area)) <= MAX_AREA_CORNERS) return { area, toleranceM: 0 };
  const budget = { work: SIMPLIFY_WORK };
  for (let toleranceM = 0.5; toleranceM <= MAX_TOLERANCE_M; toleranceM *= 2) {
    // The corners left to the rings still to simplify: a ring over them ends this tolerance.
    let left = MAX_AREA_CORNERS;
    let spent: Spent | null = null;
    const ringOf = (r: readonly GeoPosition[]): [number, number][] => {
      const done = spent ? "corners" : simplifyRing(r, toleranceM, left, budget);
      if (typeof done === "string") {
        spent = done;
        return [];
      }
      left -= done.length - 1;
      return done;
    };
    const simplified: Polygonal<[number, number]> =
      area.type === "Polygon"
        ? { type: "Polygon", coordinates: area.coordinates.map(ringOf) }
        : { type: "MultiPolygon", coordinates: area.coordinates.map((rings) => rings.map(ringOf)) };
    if (spent === "work") return null;
    if (!spent && cornerCount(ringsOf(simplified)) <= MAX_AREA_CORNERS)
      return { area: simplified, toleranceM };
  }
  return null;
}
