/**
 * Departments held to their deadlines in public: open work, overdue work, how fast they
 * acknowledge and resolve, how often within the deadline, and how residents rated the outcome.
 *
 * Every figure is read from the aggregates the triggers keep (`rollup-sql.ts`): the past from
 * `performance_blocks` (a period of days is at most two blocks per level, so a year costs at most
 * 18 rows per department), the present from `department_open` and, for the work not yet flagged
 * by the deadline check, an index on the deadlines it owes. No read here grows with the city.
 */
import { asc, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { departments } from "../db/schema";
import { monthStart, share } from "../domain/performance";
import {
  addCountsText,
  type Block,
  blocksOf,
  dayOf,
  emptyHistogram,
  type Histogram,
  histogramMedian,
} from "../domain/rollup";
import { MICRO } from "./rollup-sql";

/** One department's sums over one window's blocks; its histograms as the blocks' JSON joined by `|`. */
interface WindowRow {
  window: number;
  department: string;
  resolved: number;
  onTime: number;
  reopened: number;
  acknowledged: number;
  rejected: number;
  cards: number;
  raters: number;
  satisfied: number;
  meanMicro: number;
  ackHist: string;
  resolveHist: string;
}

/** A window's sums for one department. */
interface Sums {
  resolved: number;
  onTime: number;
  reopened: number;
  acknowledged: number;
  rejected: number;
  cards: number;
  raters: number;
  satisfied: number;
  meanMicro: number;
  ack: Histogram;
  resolve: Histogram;
}

const emptySums = (): Sums => ({
  resolved: 0,
  onTime: 0,
  reopened: 0,
  acknowledged: 0,
  rejected: 0,
  cards: 0,
  raters: 0,
  satisfied: 0,
  meanMicro: 0,
  ack: emptyHistogram(),
  resolve: emptyHistogram(),
});

const round2 = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);

/** Histograms kept as JSON objects, joined by `|`, summed. */
function histogramOf(joined: string | null): Histogram {
  const histogram = emptyHistogram();
  if (joined) addCountsText(histogram, joined);
  return histogram;
}

/** Each window's sums per department (windows numbered as given). */
function sumsOf(rows: WindowRow[], windows: number): Map<string, Sums>[] {
  const sums = Array.from({ length: windows }, () => new Map<string, Sums>());
  for (const r of rows) {
    const s: Sums = { ...r, ack: histogramOf(r.ackHist), resolve: histogramOf(r.resolveHist) };
    sums[r.window]?.set(r.department, s);
  }
  return sums;
}

const meanStars = (s: Sums) => (s.raters ? round2(s.meanMicro / MICRO / s.raters) : null);

/** The figures of the department page's 30 and 90 days. */
const windowFigures = (s: Sums) => ({
  acknowledged: s.acknowledged,
  resolved: s.resolved,
  medianHoursToAcknowledge: round2(histogramMedian(s.ack)),
  medianHoursToResolve: round2(histogramMedian(s.resolve)),
  shareResolvedWithinDeadline: share(s.onTime, s.resolved),
  rating: { count: s.raters, average: meanStars(s) },
});

/**
 * Per window (`[window, level, block]` for each block of each window) and department, the sums
 * of the aggregates: a seek per block, summed in SQL so only a row per window and department
 * comes back (the histograms as their JSON, joined).
 */
export const windowSumsQuery = (db: Db, blocks: number[][]) =>
  db.all<WindowRow>(sql`SELECT json_extract(k.value, '$[0]') AS window, b.department_code AS department,
      sum(b.resolved) AS resolved, sum(b.on_time) AS onTime, sum(b.reopened) AS reopened,
      sum(b.acknowledged) AS acknowledged, sum(b.rejected) AS rejected, sum(b.cards) AS cards,
      sum(b.raters) AS raters, sum(b.satisfied) AS satisfied, sum(b.mean_micro) AS meanMicro,
      group_concat(nullif(b.ack_hist, '{}'), '|') AS ackHist, group_concat(nullif(b.resolve_hist, '{}'), '|') AS resolveHist
    FROM json_each(${JSON.stringify(blocks)}) k
    JOIN performance_blocks b ON b.level = json_extract(k.value, '$[1]') AND b.block = json_extract(k.value, '$[2]')
    WHERE b.department_code <> ''
    GROUP BY 1, 2`);

/**
 * Per department, red work the deadline check has not flagged yet and yellow work, through the
 * partial index on the deadlines open work owes: its cost follows that work, not the city.
 */
export const unflaggedDueQuery = (db: Db, now: number) =>
  db.all<{ department: string; red: number; yellow: number }>(sql`SELECT department_code AS department,
      sum(next_due_at < ${now}) AS red, sum(next_due_at >= ${now}) AS yellow
    FROM work_orders WHERE red_flagged = 0 AND yellow_at IS NOT NULL AND yellow_at <= ${now}
    GROUP BY department_code`);

/** The blocks of the last `days` UTC days up to `now`'s day, today included. */
export const lastDays = (now: number, days: number): Block[] => blocksOf(dayOf(now) - days + 1, dayOf(now));

/**
 * Per department: open, overdue and nearly due work now, the last 30 and 90 days' performance,
 * and the figures of the performance page over the last `days` days.
 */
export async function departmentStats(db: Db, now: number, days = 30) {
  // The period is summed once when it is one of the department page's 30 or 90 days.
  const order = [
    lastDays(now, 30),
    lastDays(now, 90),
    blocksOf(dayOf(monthStart(now)), dayOf(now)),
    ...(days === 30 || days === 90 ? [] : [lastDays(now, days)]),
  ];
  const [depts, rows, open, due] = await db.batch([
    db
      .select({ code: departments.code, nameEn: departments.nameEn, nameZh: departments.nameZh })
      .from(departments)
      .orderBy(asc(departments.code)),
    windowSumsQuery(
      db,
      order.flatMap((blocks, w) => blocks.map((b) => [w, b.level, b.block])),
    ),
    db.all<{ department: string; open: number; flagged: number }>(
      sql`SELECT department_code AS department, open, flagged FROM department_open`,
    ),
    unflaggedDueQuery(db, now),
  ]);
  const [d30, d90, month, other] = sumsOf(rows as WindowRow[], order.length) as Map<string, Sums>[] as [
    Map<string, Sums>,
    Map<string, Sums>,
    Map<string, Sums>,
    Map<string, Sums> | undefined,
  ];
  const period = days === 30 ? d30 : days === 90 ? d90 : (other as Map<string, Sums>);
  const openOf = new Map(
    (open as { department: string; open: number; flagged: number }[]).map((r) => [r.department, r]),
  );
  const dueOf = new Map(
    (due as { department: string; red: number; yellow: number }[]).map((r) => [r.department, r]),
  );
  return depts.map((d) => {
    const p = period.get(d.code) ?? emptySums();
    const figures = windowFigures(p);
    return {
      code: d.code,
      name: { en: d.nameEn, zh: d.nameZh },
      open: openOf.get(d.code)?.open ?? 0,
      overdue: (openOf.get(d.code)?.flagged ?? 0) + (dueOf.get(d.code)?.red ?? 0),
      last30Days: windowFigures(d30.get(d.code) ?? emptySums()),
      last90Days: windowFigures(d90.get(d.code) ?? emptySums()),
      nearlyDue: dueOf.get(d.code)?.yellow ?? 0,
      resolved: p.resolved,
      onTimeShare: figures.shareResolvedWithinDeadline,
      medianAckHours: figures.medianHoursToAcknowledge,
      medianResolveHours: figures.medianHoursToResolve,
      satisfiedShare: share(p.satisfied, p.raters),
      meanStars: meanStars(p),
      ratings: p.raters,
      reopenRate: share(p.reopened, p.resolved),
      cards: month.get(d.code)?.cards ?? 0,
      rejected: p.rejected,
    };
  });
}
