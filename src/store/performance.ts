/**
 * The rows behind the performance page that the department figures of `stats.ts` lack: the
 * overdue list, and reports and confirmed problems per area.
 */
import { isNotNull, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { departments } from "../db/schema";
import { nextDeadline } from "../domain/deadlines";
import { to7 } from "../domain/geo";
import { per10k } from "../domain/performance";
import type { WorkOrderStatus } from "../domain/states";
import { nameThePoints } from "./places";
import { lastDays } from "./stats";

interface OverdueRow {
  id: string;
  clusterId: string;
  serviceCode: string;
  department: string | null;
  status: WorkOrderStatus;
  ackDueAt: number;
  resolveDueAt: number;
  deadlinesFrom: number;
  lat: number;
  lon: number;
}

/** Where a page of the overdue list ends: the last row's deadline and id. */
export interface OverdueCursor {
  dueAt: number;
  id: string;
}

/**
 * Open work orders past their next deadline at `now`, the longest overdue first (ties by id), at
 * most `limit` from after `after`, of one department or of all: the red cards, a page at a time.
 * An index on `next_due_at` (one department's: `department_code, next_due_at`) hands them over in
 * that order, so a page costs its own rows, not the whole overdue list; paging by the last row's
 * (deadline, id) misses none that stayed overdue between pages. Each names its place in words,
 * from one read of the gazetteer for the page.
 */
export async function overdueWorkOrders(
  db: Db,
  now: number,
  {
    limit,
    after,
    department,
  }: { limit: number; after?: OverdueCursor | undefined; department?: string | undefined },
) {
  const rows =
    await db.all<OverdueRow>(sql`SELECT w.id, w.cluster_id AS clusterId, w.service_code AS serviceCode,
      w.department_code AS department, w.status, w.ack_due_at AS ackDueAt, w.resolve_due_at AS resolveDueAt,
      w.deadlines_from AS deadlinesFrom, c.lat, c.lon
    FROM (SELECT * FROM work_orders
      WHERE next_due_at < ${now} AND (next_due_at, id) > (${after?.dueAt ?? -1}, ${after?.id ?? ""})
        ${department === undefined ? sql`` : sql`AND department_code = ${department}`}
      ORDER BY next_due_at, id
      LIMIT ${limit + 1}) w
    JOIN clusters c ON c.id = w.cluster_id
    ORDER BY w.next_due_at, w.id`);
  const places = await nameThePoints(db, rows.slice(0, limit));
  const page = rows.slice(0, limit).map((r, i) => {
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
      lat: to7(r.lat),
      lon: to7(r.lon),
      place: places[i] ?? null,
    };
  });
  const last = page.at(-1);
  const next: OverdueCursor | null =
    rows.length > limit && last ? { dueAt: last.dueAt, id: last.workOrderId } : null;
  return { workOrders: page, next };
}

/**
 * Per department with an area: its population, and over the last `days` days of the city's calendar up to `now`'s
 * (today included) the reports and confirmed problems in it and the road cells phones drove
 * through there (each cell once: a count, never a path); and the city's rates. Read from
 * `area_blocks` (`area-rollup-sql.ts`): at most two blocks per level, 18 rows per area for a year,
 * whatever the size of the city.
 */
export async function areaStats(db: Db, now: number, days: number) {
  const blocks = lastDays(now, days).map((b) => [b.level, b.block]);
  const [areas, sums] = await db.batch([
    db
      .select({
        code: departments.code,
        nameEn: departments.nameEn,
        nameZh: departments.nameZh,
        population: departments.population,
      })
      .from(departments)
      .where(isNotNull(departments.area))
      .orderBy(departments.code),
    db.all<{
      code: string;
      reports: number;
      confirmed: number;
      cells: number;
    }>(sql`SELECT b.department_code AS code,
        sum(b.reports) AS reports, sum(b.confirmed) AS confirmed, sum(b.cells) AS cells
      FROM json_each(${JSON.stringify(blocks)}) k
      CROSS JOIN area_blocks b ON b.level = k.value ->> 0 AND b.block = k.value ->> 1
      GROUP BY b.department_code`),
  ]);
  const countsOf = new Map(sums.map((r) => [r.code, r]));
  const rows = areas.map((a) => {
    const c = countsOf.get(a.code);
    const [reports, confirmedHere] = [c?.reports ?? 0, c?.confirmed ?? 0];
    return {
      code: a.code,
      name: { en: a.nameEn, zh: a.nameZh },
      population: a.population,
      reports,
      confirmed: confirmedHere,
      reportsPer10k: per10k(reports, a.population),
      confirmedPer10k: per10k(confirmedHere, a.population),
      cellsDriven: c?.cells ?? 0,
    };
  });
  // The areas with a population together (overlapping areas each count what they hold: `AREA_DEFINITIONS.city`).
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
