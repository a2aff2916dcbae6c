/**
 * Departments held to their deadlines in public: open work, overdue work, how fast they
 * acknowledge and resolve, how often within the deadline, and how residents rated the outcome.
 */
import { asc, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { departments } from "../db/schema";
import { deadlineFlag, HOUR_MS } from "../domain/deadlines";
import { statusGroup } from "../domain/lifecycle";
import { reopenRate, satisfaction } from "../domain/performance";
import { WORK_ORDER_GROUPS, type WorkOrderStatus } from "../domain/states";
import { groupBy, performanceRows } from "./performance";
import { oneOf } from "./status-sql";

const DAY_MS = 86_400_000;
/** Open work a department holds: every open status but unrouted, which no department has. */
const HELD = WORK_ORDER_GROUPS.open.filter((s) => s !== "unrouted");

interface Row {
  department: string;
  status: WorkOrderStatus;
  createdAt: number;
  deadlinesFrom: number;
  ackDueAt: number;
  resolveDueAt: number;
  acknowledgedAt: number | null;
  resolvedAt: number | null;
}

/** The middle value (mean of the two middle ones for an even count), or null for none. */
export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

const hours = (ms: number | null) => (ms === null ? null : Math.round((ms / HOUR_MS) * 100) / 100);
/**
 * Time counted from when the department got the work (a reroute or reopening restarts it);
 * from creation for a step taken before the latest restart (an acknowledgement before a reopening).
 */
const startOf = (r: Row, end: number) => (r.deadlinesFrom <= end ? r.deadlinesFrom : r.createdAt);

function windowStats(rows: Row[], now: number, days: number) {
  const since = now - days * DAY_MS;
  const acked = rows.filter((r) => r.acknowledgedAt !== null && r.acknowledgedAt >= since);
  const resolved = rows.filter((r) => r.resolvedAt !== null && r.resolvedAt >= since);
  const onTime = resolved.filter((r) => (r.resolvedAt as number) <= r.resolveDueAt);
  return {
    acknowledged: acked.length,
    resolved: resolved.length,
    medianHoursToAcknowledge: hours(
      median(acked.map((r) => (r.acknowledgedAt as number) - startOf(r, r.acknowledgedAt as number))),
    ),
    medianHoursToResolve: hours(
      median(resolved.map((r) => (r.resolvedAt as number) - startOf(r, r.resolvedAt as number))),
    ),
    shareResolvedWithinDeadline: resolved.length
      ? Math.round((onTime.length / resolved.length) * 1000) / 1000
      : null,
  };
}

interface RatingRow {
  department: string;
  count30: number;
  average30: number | null;
  count90: number;
  average90: number | null;
}

const rating = (count: number | undefined, average: number | null | undefined) => ({
  count: count ?? 0,
  average: count && average !== null && average !== undefined ? Math.round(average * 100) / 100 : null,
});

/**
 * Per department: open, overdue and nearly due work now, the last 30 and 90 days' performance,
 * and the figures of the performance page over the last `days` days.
 */
export async function departmentStats(db: Db, now: number, days = 30) {
  const since = now - Math.max(90, days) * DAY_MS;
  const since30 = now - 30 * DAY_MS;
  const sincePeriod = now - days * DAY_MS;
  const [[depts, rows, rated], extra] = await Promise.all([
    db.batch([
      db
        .select({ code: departments.code, nameEn: departments.nameEn, nameZh: departments.nameZh })
        .from(departments)
        .orderBy(asc(departments.code)),
      db.all<Row>(sql`SELECT department_code AS department, status, created_at AS createdAt,
        deadlines_from AS deadlinesFrom, ack_due_at AS ackDueAt, resolve_due_at AS resolveDueAt,
        acknowledged_at AS acknowledgedAt, resolved_at AS resolvedAt
      FROM work_orders
      WHERE department_code IS NOT NULL
        AND (status IN ${oneOf(HELD)}
          OR acknowledged_at >= ${since} OR resolved_at >= ${since})`),
      // Residents' ratings, counted for the department that holds the cluster's work order, per
      // person: each rater's mean counts once, so one person rating fifty of their own reports
      // weighs as one resident, not fifty.
      db.all<RatingRow>(sql`SELECT department, count(average30) AS count30, avg(average30) AS average30,
        count(*) AS count90, avg(average90) AS average90
      FROM (SELECT w.department_code AS department,
          avg(CASE WHEN r.created_at >= ${since30} THEN r.stars END) AS average30, avg(r.stars) AS average90
        FROM ratings r JOIN work_orders w ON w.cluster_id = r.cluster_id
        WHERE r.created_at >= ${since} AND w.department_code IS NOT NULL
        GROUP BY w.department_code, coalesce(r.reporter_key, r.report_id))
      GROUP BY department`),
    ]),
    performanceRows(db, now, sincePeriod),
  ]);
  const byDepartment = groupBy(rows as Row[]);
  return depts.map((d) => {
    const mine = byDepartment.get(d.code) ?? [];
    const stars = (rated as RatingRow[]).find((r) => r.department === d.code);
    const open = mine.filter((r) => statusGroup(r.status) === "open");
    const overdue = open.filter((r) => deadlineFlag(r, now) === "red");
    const period = windowStats(mine, now, days);
    const more = extra(d.code);
    return {
      code: d.code,
      name: { en: d.nameEn, zh: d.nameZh },
      open: open.length,
      overdue: overdue.length,
      last30Days: { ...windowStats(mine, now, 30), rating: rating(stars?.count30, stars?.average30) },
      last90Days: { ...windowStats(mine, now, 90), rating: rating(stars?.count90, stars?.average90) },
      nearlyDue: open.filter((r) => deadlineFlag(r, now) === "yellow").length,
      resolved: period.resolved,
      onTimeShare: period.shareResolvedWithinDeadline,
      medianAckHours: period.medianHoursToAcknowledge,
      medianResolveHours: period.medianHoursToResolve,
      ...satisfaction(more.raterMeans),
      reopenRate: reopenRate(more.changes, sincePeriod),
      cards: more.cards,
      rejected: more.rejected,
    };
  });
}
