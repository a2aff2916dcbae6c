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

/** One department's figures in one block of days, its histograms as kept (JSON text). */
interface BlockRow {
  level: number;
  block: number;
  department: string;
  resolved: number;
  onTime: number;
  reopened: number;
  acknowledged: number;
  rejected: number;
  raters: number;
  satisfied: number;
  meanMicro: number;
  ackHist: string;
  resolveHist: string;
}

const COUNTS = [
  "resolved",
  "onTime",
  "reopened",
  "acknowledged",
  "rejected",
  "raters",
  "satisfied",
  "meanMicro",
] as const;

/** A window's sums for one department. */
type Sums = Record<(typeof COUNTS)[number], number> & { ack: Histogram; resolve: Histogram };

const emptySums = (): Sums => ({
  resolved: 0,
  onTime: 0,
  reopened: 0,
  acknowledged: 0,
  rejected: 0,
  raters: 0,
  satisfied: 0,
  meanMicro: 0,
  ack: emptyHistogram(),
  resolve: emptyHistogram(),
});

const round2 = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);

const blockKey = (level: number, block: number) => level * 2 ** 32 + block;

/**
 * Each window's sums per department from the rows of the windows' blocks. The windows share
 * most of their blocks (a year's and 90 days' end alike), so each block row is read once, its
 * histograms' text once, and added into every window holding it.
 */
function windowSums(rows: BlockRow[], windows: Block[][]): Map<string, Sums>[] {
  const sums = windows.map(() => new Map<string, Sums>());
  const windowsOf = new Map<number, number[]>();
  windows.forEach((blocks, w) => {
    for (const b of blocks)
      windowsOf.set(blockKey(b.level, b.block), [...(windowsOf.get(blockKey(b.level, b.block)) ?? []), w]);
  });
  for (const r of rows) {
    const into = (windowsOf.get(blockKey(r.level, r.block)) ?? []).map((w) => {
      const byDepartment = sums[w] as Map<string, Sums>;
      const s = byDepartment.get(r.department) ?? emptySums();
      byDepartment.set(r.department, s);
      return s;
    });
    for (const s of into) for (const c of COUNTS) s[c] += r[c];
    if (r.ackHist !== "{}")
      addCountsText(
        into.map((s) => s.ack),
        r.ackHist,
      );
    if (r.resolveHist !== "{}")
      addCountsText(
        into.map((s) => s.resolve),
        r.resolveHist,
      );
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

/** `[level, block]` pairs as the queries below take them. */
const pairsOf = (blocks: Block[]) => JSON.stringify(blocks.map((b) => [b.level, b.block]));

/** Every department's row of each of `blocks` (each looked up by its key). */
export const blockRowsQuery = (db: Db, blocks: Block[]) =>
  db.all<BlockRow>(sql`SELECT b.level, b.block, b.department_code AS department,
      b.resolved, b.on_time AS onTime, b.reopened, b.acknowledged, b.rejected,
      b.raters, b.satisfied, b.mean_micro AS meanMicro, b.ack_hist AS ackHist, b.resolve_hist AS resolveHist
    FROM json_each(${pairsOf(blocks)}) k
    JOIN performance_blocks b ON b.level = json_extract(k.value, '$[0]') AND b.block = json_extract(k.value, '$[1]')
    WHERE b.department_code <> ''`);

/** Per department, the cards (deadlines missed) of `blocks`, summed in SQL: no histogram is read. */
const cardsQuery = (db: Db, blocks: Block[]) =>
  db.all<{
    department: string;
    cards: number;
  }>(sql`SELECT b.department_code AS department, sum(b.cards) AS cards
    FROM json_each(${pairsOf(blocks)}) k
    JOIN performance_blocks b ON b.level = json_extract(k.value, '$[0]') AND b.block = json_extract(k.value, '$[1]')
    WHERE b.department_code <> ''
    GROUP BY b.department_code`);

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
  const windows = [
    lastDays(now, 30),
    lastDays(now, 90),
    ...(days === 30 || days === 90 ? [] : [lastDays(now, days)]),
  ];
  const distinct = new Map(windows.flat().map((b) => [blockKey(b.level, b.block), b]));
  const [depts, rows, cards, open, due] = await db.batch([
    db
      .select({ code: departments.code, nameEn: departments.nameEn, nameZh: departments.nameZh })
      .from(departments)
      .orderBy(asc(departments.code)),
    blockRowsQuery(db, [...distinct.values()]),
    cardsQuery(db, blocksOf(dayOf(monthStart(now)), dayOf(now))),
    db.all<{ department: string; open: number; flagged: number }>(
      sql`SELECT department_code AS department, open, flagged FROM department_open`,
    ),
    unflaggedDueQuery(db, now),
  ]);
  const [d30, d90, other] = windowSums(rows as BlockRow[], windows) as [
    Map<string, Sums>,
    Map<string, Sums>,
    Map<string, Sums> | undefined,
  ];
  const period = days === 30 ? d30 : days === 90 ? d90 : (other as Map<string, Sums>);
  const cardsOf = new Map(
    (cards as { department: string; cards: number }[]).map((r) => [r.department, r.cards]),
  );
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
      cards: cardsOf.get(d.code) ?? 0,
      rejected: p.rejected,
    };
  });
}
