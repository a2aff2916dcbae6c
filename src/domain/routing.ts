import { type Area, areaBox, areaContains, type BBox, METRES_PER_DEGREE, type Point } from "./geo";

/** A department as routing sees it, for one service it handles. */
export interface RoutingCandidate {
  code: string;
  area: Area | null;
  areaM2: number | null;
  /** Takes this service's points that fall in no department's area. */
  fallback: boolean;
}

/**
 * The department responsible for a point: among those handling the service, the one whose
 * area contains the point, the smallest such area winning (a park inside a district);
 * else the service's fallback department; else null, and the work order is unrouted.
 */
export function routeDepartment(candidates: readonly RoutingCandidate[], point: Point): string | null {
  let best: RoutingCandidate | null = null;
  for (const d of candidates) {
    if (!d.area || !areaContains(d.area, point)) continue;
    const size = d.areaM2 ?? Number.POSITIVE_INFINITY;
    const bestSize = best?.areaM2 ?? Number.POSITIVE_INFINITY;
    if (!best || size < bestSize || (size === bestSize && d.code < best.code)) best = d;
  }
  if (best) return best.code;
  const fallbacks = candidates
    .filter((d) => d.fallback)
    .map((d) => d.code)
    .sort();
  return fallbacks[0] ?? null;
}

/** A department's area with its box, as the intake keeps them to place each report. */
export interface PlacedArea {
  code: string;
  area: Area;
  box: BBox;
}

export const placedArea = (code: string, area: Area): PlacedArea => ({ code, area, box: areaBox(area) });

/**
 * The codes of every department whose area holds the point, sorted: where a report counts in
 * the reports per area. Decided once, at intake, with the test routing uses (`area-rollup-sql.ts`
 * has the same in SQL for rows written before, and a test holds them equal); the box rules out
 * most areas before the exact test.
 */
export function areasHolding(areas: readonly PlacedArea[], p: Point): string[] {
  return areas
    .filter(
      ({ box, area }) =>
        p.lat >= box.minLat &&
        p.lat <= box.maxLat &&
        p.lon >= box.minLon &&
        p.lon <= box.maxLon &&
        areaContains(area, p),
    )
    .map((a) => a.code)
    .sort();
}

/**
 * How far outside every department's area a report is still the city's to take. Areas rarely
 * cover every road (a ring road, a new estate beyond a district's edge): reports near them are
 * taken and wait for an admin to route them. A point this far from all of them is another city, a
 * slip of the map or junk, a work order nobody here could act on that would sit on the public map.
 */
export const SERVICE_MARGIN_M = 50_000;

/**
 * Whether the city takes a report at `p`: within `SERVICE_MARGIN_M` of some department's area's
 * box (north-south and east-west), or anywhere while no department has an area (a new city).
 */
export function withinServiceArea(areas: readonly { box: BBox }[], p: Point): boolean {
  if (areas.length === 0) return true;
  const dLat = SERVICE_MARGIN_M / METRES_PER_DEGREE;
  const dLon = dLat / Math.max(0.05, Math.cos((Math.min(Math.abs(p.lat), 89) * Math.PI) / 180));
  // Across the antimeridian too: 179.9° east is near -179.95°.
  const lons = [p.lon, p.lon - 360, p.lon + 360];
  return areas.some(
    ({ box }) =>
      p.lat >= box.minLat - dLat &&
      p.lat <= box.maxLat + dLat &&
      lons.some((lon) => lon >= box.minLon - dLon && lon <= box.maxLon + dLon),
  );
}

/**
 * Which coordinate puts a point outside the area the city serves (see `withinServiceArea`), or
 * null when it is inside: `lon` when its latitude alone is within some department's reach (a
 * longitude mistyped, or sent as 0), else `lat`, so a form marks the box that is wrong.
 */
export function serviceAreaFault(areas: readonly { box: BBox }[], p: Point): "lat" | "lon" | null {
  if (withinServiceArea(areas, p)) return null;
  // Within reach by latitude alone: every longitude moved onto an area's own, one is inside.
  const lonOnly = areas.some(({ box }) => withinServiceArea([{ box }], { lat: p.lat, lon: box.minLon }));
  return lonOnly ? "lon" : "lat";
}

/**
 * Whether a department's area looks written as [latitude, longitude] pairs (GeoJSON's are
 * [longitude, latitude]): its box's centre lies beyond the service margin of every other
 * department's area while the centre read the other way round lies within it. West of 90°E (and in
 * the southern hemisphere) both orders are valid positions, so only the other areas can tell.
 */
export function looksSwapped(others: readonly { box: BBox }[], area: Area): boolean {
  if (others.length === 0) return false;
  const box = areaBox(area);
  const lat = (box.minLat + box.maxLat) / 2;
  const lon = (box.minLon + box.maxLon) / 2;
  return (
    Math.abs(lon) <= 90 &&
    !withinServiceArea(others, { lat, lon }) &&
    withinServiceArea(others, { lat: lon, lon: lat })
  );
}
