/**
 * The rows behind the performance page that the department figures of `stats.ts` lack: the
 * overdue list, and reports and confirmed problems per area.
 */
import { isNotNull, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { departments } from "../db/schema";
import { nextDeadline } from "../domain/deadlines";
import { type Area, areaContains, type BBox } from "../domain/geo";
import { per10k } from "../domain/performance";
import { ROAD_CELL_DEG } from "../domain/road-cells";
import { dayOf } from "../domain/sensor";
import type { WorkOrderStatus } from "../domain/states";

interface OverdueRow {
  id: string;
  clusterId: string;
  serviceCode: string;
  department: string | null;
  status: WorkOrderStatus;
  ackDueAt: number;
  resolveDueAt: number;
  deadlinesFrom: number;
}

/** Where a page of the overdue list ends: the last row's deadline and id. */
export interface OverdueCursor {
  dueAt: number;
  id: string;
}

/**
 * Open work orders past their next deadline at `now`, the longest overdue first (ties by id), at
 * most `limit` from after `after`: the red cards, a page at a time. The index on `next_due_at`
 * hands them over in that order, so a page costs its own rows, not the whole overdue list; paging
 * by the last row's (deadline, id) misses none that stayed overdue between pages.
 */
export async function overdueWorkOrders(
  db: Db,
  now: number,
  { limit, after }: { limit: number; after?: OverdueCursor | undefined },
) {
  const rows = await db.all<OverdueRow>(sql`SELECT id, cluster_id AS clusterId, service_code AS serviceCode,
      department_code AS department, status, ack_due_at AS ackDueAt, resolve_due_at AS resolveDueAt,
      deadlines_from AS deadlinesFrom
    FROM work_orders
    WHERE next_due_at < ${now} AND (next_due_at, id) > (${after?.dueAt ?? -1}, ${after?.id ?? ""})
    ORDER BY next_due_at, id
    LIMIT ${limit + 1}`);
  const page = rows.slice(0, limit).map((r) => {
    const next = nextDeadline(r);
    const dueAt = next?.at ?? now;
    return {
      workOrderId: r.id,
      clusterId: r.clusterId,
      service: r.serviceCode,
      department: r.department,
      deadline: next?.kind ?? "resolve",
      dueAt,
      hoursLate: Math.round(((now - dueAt) / 3_600_000) * 10) / 10,
    };
  });
  const last = page.at(-1);
  const next: OverdueCursor | null =
    rows.length > limit && last ? { dueAt: last.dueAt, id: last.workOrderId } : null;
  return { workOrders: page, next };
}

/** The smallest box holding every position of the area. */
function boxOf(area: Area): BBox {
  const rings = area.type === "Polygon" ? area.coordinates : area.coordinates.flat();
  const box = { minLon: Infinity, minLat: Infinity, maxLon: -Infinity, maxLat: -Infinity };
  for (const [lon, lat] of rings.flat()) {
    box.minLon = Math.min(box.minLon, lon);
    box.maxLon = Math.max(box.maxLon, lon);
    box.minLat = Math.min(box.minLat, lat);
    box.maxLat = Math.max(box.maxLat, lat);
  }
  return box;
}

interface Spot {
  lat: number;
  lon: number;
}

/**
 * Per department with an area: its population, reports and confirmed problems since `since`, the
 * road cells phones drove through since that day (each cell once: a count, never a path), and the
 * city's rates.
 */
export async function areaStats(db: Db, since: number) {
  const [areas, reported, confirmed, driven] = await db.batch([
    db
      .select({
        code: departments.code,
        nameEn: departments.nameEn,
        nameZh: departments.nameZh,
        area: departments.area,
        population: departments.population,
      })
      .from(departments)
      .where(isNotNull(departments.area))
      .orderBy(departments.code),
    db.all<Spot>(sql`SELECT lat, lon FROM reports WHERE created_at >= ${since} AND hidden_at IS NULL`),
    db.all<Spot>(sql`SELECT c.lat, c.lon FROM work_orders w JOIN clusters c ON c.id = w.cluster_id
      WHERE w.created_at >= ${since}`),
    // A cell by its middle.
    db.all<Spot>(sql`SELECT (lat_index + 0.5) * ${ROAD_CELL_DEG} AS lat, (lon_index + 0.5) * ${ROAD_CELL_DEG} AS lon
      FROM cell_passes WHERE day >= ${dayOf(since)} GROUP BY lat_index, lon_index`),
  ]);
  // The exact test (geolib's) is costly per call; the area's box rules out most spots first.
  const inside = (area: Area, spots: Spot[]) => {
    const box = boxOf(area);
    return spots.filter(
      (s) =>
        s.lat >= box.minLat &&
        s.lat <= box.maxLat &&
        s.lon >= box.minLon &&
        s.lon <= box.maxLon &&
        areaContains(area, s),
    ).length;
  };
  const rows = areas.map((a) => {
    const reports = inside(a.area as Area, reported as Spot[]);
    const confirmedHere = inside(a.area as Area, confirmed as Spot[]);
    return {
      code: a.code,
      name: { en: a.nameEn, zh: a.nameZh },
      population: a.population,
      reports,
      confirmed: confirmedHere,
      reportsPer10k: per10k(reports, a.population),
      confirmedPer10k: per10k(confirmedHere, a.population),
      cellsDriven: inside(a.area as Area, driven as Spot[]),
    };
  });
  // The city: the areas with a population (which do not overlap in a city of districts).
  const counted = rows.filter((r) => r.population);
  const sum = (f: (r: (typeof rows)[number]) => number) => counted.reduce((t, r) => t + f(r), 0);
  const population = sum((r) => r.population ?? 0);
  return {
    areas: rows,
    city: {
      population,
      reports: sum((r) => r.reports),
      confirmed: sum((r) => r.confirmed),
      cellsDriven: sum((r) => r.cellsDriven),
      reportsPer10k: per10k(
        sum((r) => r.reports),
        population,
      ),
      confirmedPer10k: per10k(
        sum((r) => r.confirmed),
        population,
      ),
    },
  };
}
