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
import { addCounts, type Block, blocksOf, dayOf, type Histogram, histogramMedian } from "../domain/rollup";
import { MICRO } from "./rollup-sql";

interface BlockRow {
  level: number;
  block: number;
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

const SUMMED = [
  "resolved",
  "onTime",
  "reopened",
  "acknowledged",
  "rejected",
  "cards",
  "raters",
  "satisfied",
  "meanMicro",
] as const;

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
  ack: new Map(),
  resolve: new Map(),
});

const keyOf = (b: { level: number; block: number }) => `${b.level}:${b.block}`;
const round2 = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);

/** Sums the rows of each department over the blocks of one window. */
function sumWindow(rows: BlockRow[], blocks: Block[]): Map<string, Sums> {
  const wanted = new Set(blocks.map(keyOf));
  const sums = new Map<string, Sums>();
  for (const r of rows) {
    if (!wanted.has(keyOf(r))) continue;
    const s = sums.get(r.department) ?? emptySums();
    sums.set(r.department, s);
    for (const k of SUMMED) s[k] += r[k];
    addCounts(s.ack, JSON.parse(r.ackHist));
    addCounts(s.resolve, JSON.parse(r.resolveHist));
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

/** The aggregates' rows of some blocks (`[level, block]`), every department's: a seek per block. */
export const blockRowsQuery = (db: Db, blocks: number[][]) =>
  db.all<BlockRow>(sql`SELECT b.level, b.block, b.department_code AS department, b.resolved, b.on_time AS onTime,
      b.reopened, b.acknowledged, b.rejected, b.cards, b.raters, b.satisfied, b.mean_micro AS meanMicro,
      b.ack_hist AS ackHist, b.resolve_hist AS resolveHist
    FROM json_each(${JSON.stringify(blocks)}) k
    JOIN performance_blocks b ON b.level = json_extract(k.value, '$[0]') AND b.block = json_extract(k.value, '$[1]')
    WHERE b.department_code <> ''`);

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
  const windows = {
    d30: lastDays(now, 30),
    d90: lastDays(now, 90),
    period: lastDays(now, days),
    month: blocksOf(dayOf(monthStart(now)), dayOf(now)),
  };
  const wanted = new Map(
    Object.values(windows).flatMap((bs) => bs.map((b) => [keyOf(b), [b.level, b.block]])),
  );
  const [depts, rows, open, due] = await db.batch([
    db
      .select({ code: departments.code, nameEn: departments.nameEn, nameZh: departments.nameZh })
      .from(departments)
      .orderBy(asc(departments.code)),
    blockRowsQuery(db, [...wanted.values()]),
    db.all<{ department: string; open: number; flagged: number }>(
      sql`SELECT department_code AS department, open, flagged FROM department_open`,
    ),
    unflaggedDueQuery(db, now),
  ]);
  const blockRows = rows as BlockRow[];
  const [d30, d90, period, month] = [windows.d30, windows.d90, windows.period, windows.month].map((w) =>
    sumWindow(blockRows, w),
  ) as [Map<string, Sums>, Map<string, Sums>, Map<string, Sums>, Map<string, Sums>];
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
