/**
 * The weekly counts behind the performance page's trend charts: reports, resolutions and
 * resolutions within the deadline, per calendar week, for one department or the whole city.
 * Read from the day rows of the aggregates (`rollup-sql.ts`): a year is 366 rows, however big the city.
 */
import { eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { departments } from "../db/schema";
import { cityDayStart } from "../domain/city-time";
import { notFound } from "../domain/errors";
import { dayOf, firstDayOf } from "../domain/rollup";
import { type WeekCounts, weeklySeries, weekOf, weeksBetween } from "../domain/trends";

/**
 * One row per week from the week holding the period's first day to the week holding `now` for
 * `department` (null: the city), counting the last `days` days of the city's calendar, today included.
 */
export async function weeklyTrends(db: Db, now: number, days: number, department: string | null) {
  if (department !== null) {
    const [known] = await db
      .select({ code: departments.code })
      .from(departments)
      .where(eq(departments.code, department));
    if (!known) throw notFound(`Department ${department}`);
  }
  const [first, last] = [firstDayOf(now, days), dayOf(now)];
  const rows = await db.all<{
    day: number;
    reports: number;
    resolved: number;
    onTime: number;
  }>(sql`SELECT block AS day,
      reports, resolved, on_time AS onTime
    FROM performance_blocks
    WHERE department_code = ${department ?? ""} AND level = 0 AND block BETWEEN ${first} AND ${last}`);
  const counts = new Map<number, WeekCounts>();
  for (const r of rows) {
    const week = weekOf(cityDayStart(r.day));
    const c = counts.get(week) ?? { week, reports: 0, resolved: 0, onTime: 0 };
    counts.set(week, c);
    c.reports += r.reports;
    c.resolved += r.resolved;
    c.onTime += r.onTime;
  }
  return weeklySeries(weeksBetween(cityDayStart(first), now), [...counts.values()], first, last);
}
