/**
 * Open work a department holds that routing would now give another department, or none: its
 * services or area changed after the work came (a reorganisation, a boundary redrawn, a service
 * handed to a new department). Routing never takes work from a department by itself, since the
 * department may be on it already; the admin sends each on (`/reroute`) or leaves it.
 */
import { and, eq, inArray, isNotNull } from "drizzle-orm";
import type { Db } from "../db/client";
import { clusters, workOrders } from "../db/schema";
import { areaBox, type BBox, type Point } from "../domain/geo";
import { HELD_STATUSES } from "../domain/performance";
import { type RoutingCandidate, routeDepartment } from "../domain/routing";
import { routingCandidates } from "./departments";

const inBox = (b: BBox, p: Point) =>
  p.lat >= b.minLat && p.lat <= b.maxLat && p.lon >= b.minLon && p.lon <= b.maxLon;

export interface RoutedElsewhere {
  id: string;
  /** The department holding it. */
  department: string;
  /** The department routing now gives its point and service; null for none. */
  routesTo: string | null;
}

/** The held work of every department, or of one, that routing now gives elsewhere. */
export async function routedElsewhere(db: Db, department?: string): Promise<RoutedElsewhere[]> {
  const held = await db
    .select({
      id: workOrders.id,
      service: workOrders.serviceCode,
      department: workOrders.departmentCode,
      lat: clusters.lat,
      lon: clusters.lon,
    })
    .from(workOrders)
    .innerJoin(clusters, eq(clusters.id, workOrders.clusterId))
    .where(
      and(
        inArray(workOrders.status, [...HELD_STATUSES]),
        department === undefined
          ? isNotNull(workOrders.departmentCode)
          : eq(workOrders.departmentCode, department),
      ),
    );
  // Each area's box rules it out before the exact test (thousands of corners), as at intake.
  const candidates = new Map<string, { candidate: RoutingCandidate; box: BBox | null }[]>();
  const elsewhere: RoutedElsewhere[] = [];
  for (const w of held) {
    let those = candidates.get(w.service);
    if (!those) {
      those = (await routingCandidates(db, w.service)).map((c) => ({
        candidate: c,
        box: c.area ? areaBox(c.area) : null,
      }));
      candidates.set(w.service, those);
    }
    // A fallback stays whatever its box: it takes what falls in no area.
    const near = those
      .filter(({ candidate, box }) => !box || candidate.fallback || inBox(box, w))
      .map((c) => c.candidate);
    const routesTo = routeDepartment(near, w);
    if (w.department !== null && routesTo !== w.department)
      elsewhere.push({ id: w.id, department: w.department, routesTo });
  }
  return elsewhere;
}
