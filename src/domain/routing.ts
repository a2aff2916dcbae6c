import { type Area, areaBox, areaContains, type BBox, type Point } from "./geo";

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
