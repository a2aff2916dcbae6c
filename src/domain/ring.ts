/**
 * Whether a polygon's ring (closed, `[lon, lat]` positions) can bound an area a point is inside
 * or not. A ring that crosses itself (a bow tie, a corner dragged over an edge, a GIS export in
 * the wrong vertex order) or encloses nothing (every corner on one line or one point) routes
 * reports by accident rather than by the drawn boundary, so a department's area refuses it.
 */

/** A GeoJSON position: longitude, latitude and perhaps an altitude (ignored). */
type GeoPosition = readonly [number, number, (number | undefined)?];
type Position = readonly [number, number];

const cross = (o: Position, a: Position, b: Position) =>
  (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);

const between = (v: number, a: number, b: number) => Math.min(a, b) <= v && v <= Math.max(a, b);

/** Whether `p`, on the line through `a` and `b`, lies on the segment between them. */
const onSegment = (a: Position, b: Position, p: Position) =>
  between(p[0], a[0], b[0]) && between(p[1], a[1], b[1]);

/** Whether segments a-b and c-d share any point (crossing, touching or overlapping). */
function segmentsMeet(a: Position, b: Position, c: Position, d: Position): boolean {
  const d1 = cross(c, d, a);
  const d2 = cross(c, d, b);
  const d3 = cross(a, b, c);
  const d4 = cross(a, b, d);
  if (((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0))) return true;
  return (
    (d1 === 0 && onSegment(c, d, a)) ||
    (d2 === 0 && onSegment(c, d, b)) ||
    (d3 === 0 && onSegment(a, b, c)) ||
    (d4 === 0 && onSegment(a, b, d))
  );
}

/** Smallest area (square degrees, about 0.01 m²) a ring must enclose. */
const MIN_AREA = 1e-12;

/**
 * What is wrong with a closed ring, in words, or null when it is a simple ring enclosing an
 * area. A corner repeated at once (a double click) is not a fault. Edges are compared pairwise:
 * a department's area is checked once simplified to at most `MAX_AREA_CORNERS` (`simplify-area.ts`).
 */
export function ringFault(ring: readonly GeoPosition[]): string | null {
  // Corners without immediate repeats; the closing position dropped.
  const corners: Position[] = [];
  for (const [lon, lat] of ring.slice(0, -1)) {
    const last = corners[corners.length - 1];
    if (!last || last[0] !== lon || last[1] !== lat) corners.push([lon, lat]);
  }
  const first = corners[0];
  const lastCorner = corners[corners.length - 1];
  if (corners.length > 1 && first && lastCorner && first[0] === lastCorner[0] && first[1] === lastCorner[1])
    corners.pop();
  const n = corners.length;
  if (n < 3) return "a ring needs at least three different corners";
  // Edges are drawn straight in longitude: one over half the world is an area meant across the
  // antimeridian, read the long way round (a strip at 179°..-179° took in every longitude but it).
  for (let i = 0; i < n; i++) {
    const a = corners[i] as Position;
    const b = corners[(i + 1) % n] as Position;
    if (Math.abs(a[0] - b[0]) > 180)
      return `an edge must not span over 180° of longitude (from corner ${i + 1}): split an area across the antimeridian there into two polygons of a MultiPolygon`;
  }
  for (let i = 0; i < n; i++) {
    const p = corners[(i + n - 1) % n] as Position;
    const c = corners[i] as Position;
    const q = corners[(i + 1) % n] as Position;
    // Edges next to each other meet only at their corner, unless the second turns straight back.
    const back = (c[0] - p[0]) * (q[0] - c[0]) + (c[1] - p[1]) * (q[1] - c[1]) < 0;
    if (cross(p, c, q) === 0 && back)
      return `a ring must not turn straight back on itself (at corner ${i + 1})`;
  }
  for (let i = 0; i < n; i++) {
    const a = corners[i] as Position;
    const b = corners[(i + 1) % n] as Position;
    // Edges next to each other share a corner; every other pair must not meet at all.
    for (let j = i + 2; j < n; j++) {
      if (i === 0 && j === n - 1) continue;
      if (segmentsMeet(a, b, corners[j] as Position, corners[(j + 1) % n] as Position))
        return `a ring must not cross or touch itself (its edges from corners ${i + 1} and ${j + 1} meet)`;
    }
  }
  const o = corners[0] as Position;
  let twiceArea = 0;
  for (let i = 1; i < n - 1; i++) twiceArea += cross(o, corners[i] as Position, corners[i + 1] as Position);
  if (Math.abs(twiceArea) / 2 < MIN_AREA)
    return "a ring must enclose an area (its corners lie on one line, or nearly)";
  return null;
}

/** Whether `p` is inside the ring (even-odd; a point on its edge may fall either way). */
function inside(p: Position, ring: readonly GeoPosition[]): boolean {
  let yes = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as GeoPosition;
    const [xj, yj] = ring[j] as GeoPosition;
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) yes = !yes;
  }
  return yes;
}

/** Whether any edge of one ring meets (crosses or touches) any edge of the other. */
function ringsMeet(a: readonly GeoPosition[], b: readonly GeoPosition[]): boolean {
  for (let i = 0; i + 1 < a.length; i++)
    for (let j = 0; j + 1 < b.length; j++)
      if (
        segmentsMeet(
          a[i] as unknown as Position,
          a[i + 1] as unknown as Position,
          b[j] as unknown as Position,
          b[j + 1] as unknown as Position,
        )
      )
        return true;
  return false;
}

/** A corner of the ring, as a point to test. */
const cornerOf = (ring: readonly GeoPosition[]): Position => [ring[0]?.[0] ?? 0, ring[0]?.[1] ?? 0];

/** Whether a point lies within a polygon's area: inside its outer ring and in none of its holes. */
const withinPolygon = (p: Position, [outer, ...holes]: readonly (readonly GeoPosition[])[]) =>
  outer !== undefined && inside(p, outer) && !holes.some((h) => inside(p, h));

/**
 * What is wrong between the rings of an area whose rings are each sound (`ringFault`), in words
 * with the path of the ring at fault, or null: a hole must lie inside its outer ring, apart from
 * it and from the other holes; the parts of a MultiPolygon must not overlap (a part inside
 * another's hole, an island in a lake, is fine). Otherwise a point is in the area or not by
 * which ring the count happens to start from.
 */
export function areaFault(
  polygons: readonly (readonly (readonly GeoPosition[])[])[],
): { path: number[]; message: string } | null {
  for (const [p, [outer, ...holes]] of polygons.entries()) {
    if (!outer) continue;
    for (const [h, hole] of holes.entries()) {
      if (ringsMeet(hole, outer) || !inside(cornerOf(hole), outer))
        return { path: [p, h + 1], message: "a hole must lie inside its outer ring, apart from it" };
      for (const [k, other] of holes.slice(0, h).entries())
        if (ringsMeet(hole, other) || inside(cornerOf(hole), other) || inside(cornerOf(other), hole))
          return { path: [p, h + 1], message: `a hole must not overlap another hole (ring ${k + 1})` };
    }
    for (const [q, before] of polygons.slice(0, p).entries()) {
      const earlier = before[0];
      if (!earlier) continue;
      if (
        ringsMeet(outer, earlier) ||
        withinPolygon(cornerOf(outer), before) ||
        withinPolygon(cornerOf(earlier), polygons[p] as (readonly GeoPosition[])[])
      )
        return { path: [p], message: `the parts of an area must not overlap or touch (part ${q + 1})` };
    }
  }
  return null;
}
