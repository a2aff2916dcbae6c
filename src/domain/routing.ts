import { type Area, areaContains, type Point } from "./geo";

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
