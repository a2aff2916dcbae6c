/**
 * The weekly counts behind the performance page's trend charts: reports, resolutions and
 * resolutions within the deadline, per calendar week, for one department or the whole city.
 */
import { eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { departments } from "../db/schema";
import { notFound } from "../domain/errors";
import { WEEK_MS, type WeekCounts, weeklySeries, weekStart, weeksBetween } from "../domain/trends";

/** SQL for the week number of a time column (see `weekOf`); the column is never before 1970. */
const week = (column: string) => sql.raw(`CAST((${column} - ${weekStart(0)}) / ${WEEK_MS} AS INTEGER)`);

/**
 * One row per week from the week holding `since` to the week holding `now` for `department`
 * (null: the city), counting only what happened at or after `since`.
 */
export async function weeklyTrends(db: Db, now: number, since: number, department: string | null) {
  if (department !== null) {
    const [known] = await db
      .select({ code: departments.code })
      .from(departments)
      .where(eq(departments.code, department));
    if (!known) throw notFound(`Department ${department}`);
  }
  const held = department === null ? sql`1` : sql`w.department_code = ${department}`;
  const [reported, resolved] = await db.batch([
    department === null
      ? db.all<{ week: number; n: number }>(sql`SELECT ${week("created_at")} AS week, count(*) AS n
          FROM reports WHERE created_at >= ${since} AND hidden_at IS NULL GROUP BY 1`)
      : db.all<{ week: number; n: number }>(sql`SELECT ${week("r.created_at")} AS week, count(*) AS n
          FROM reports r JOIN work_orders w ON w.cluster_id = r.cluster_id
          WHERE r.created_at >= ${since} AND r.hidden_at IS NULL AND ${held} GROUP BY 1`),
    db.all<{ week: number; n: number; onTime: number }>(sql`SELECT ${week("w.resolved_at")} AS week,
        count(*) AS n, sum(w.resolved_at <= w.resolve_due_at) AS onTime
      FROM work_orders w WHERE w.resolved_at >= ${since} AND ${held} GROUP BY 1`),
  ]);
  const counts = new Map<number, WeekCounts>();
  const of = (w: number) => {
    const c = counts.get(w) ?? { week: w, reports: 0, resolved: 0, onTime: 0 };
    counts.set(w, c);
    return c;
  };
  for (const r of reported as { week: number; n: number }[]) of(r.week).reports = r.n;
  for (const r of resolved as { week: number; n: number; onTime: number }[]) {
    of(r.week).resolved = r.n;
    of(r.week).onTime = r.onTime;
  }
  return weeklySeries(weeksBetween(since, now), [...counts.values()]);
}
