/**
 * Departments held to their deadlines in public: open work, overdue work, how fast they
 * acknowledge and resolve, how often within the deadline, and how residents rated the outcome.
 *
 * Every figure is read from the aggregates the triggers keep (`rollup-sql.ts`): the past from
 * `performance_windows` (one row per department and window, `window-sql.ts`) and, for this month's
 * cards, `performance_blocks` (at most two blocks per level); the present from `department_open`
 * and, for the work not yet flagged by the deadline check, an index on the deadlines it owes.
 */
import { asc, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { departments } from "../db/schema";
import { monthStart, share } from "../domain/performance";
import { type Block, blocksOf, dayOf, firstDayOf, textMedian } from "../domain/rollup";
import { MICRO } from "./rollup-sql";
import { rollWindowsSql, WINDOW_DAYS } from "./window-sql";

/**
 * One department's figures in one window (`window-sql.ts`): the medians as kept, the histograms'
 * text only where a median reads -1 (never written by the triggers, but then read from the text).
 */
interface WindowRow {
  days: number;
  department: string;
  resolved: number;
  onTime: number;
  reopened: number;
  acknowledged: number;
  rejected: number;
  raters: number;
  satisfied: number;
  meanMicro: number;
  ackMedian: number | null;
  resolveMedian: number | null;
  ackHist: string | null;
  resolveHist: string | null;
}

const EMPTY: WindowRow = {
  days: 0,
  department: "",
  resolved: 0,
  onTime: 0,
  reopened: 0,
  acknowledged: 0,
  rejected: 0,
  raters: 0,
  satisfied: 0,
  meanMicro: 0,
  ackMedian: null,
  resolveMedian: null,
  ackHist: null,
  resolveHist: null,
};

const round2 = (x: number | null) => (x === null ? null : Math.round(x * 100) / 100);

const meanStars = (w: WindowRow) => (w.raters ? round2(w.meanMicro / MICRO / w.raters) : null);

const median = (kept: number | null, hist: string | null) => (kept === -1 ? textMedian(hist ?? "{}") : kept);

/** The figures of the department page's 30 and 90 days. */
const windowFigures = (w: WindowRow) => ({
  acknowledged: w.acknowledged,
  resolved: w.resolved,
  medianHoursToAcknowledge: round2(median(w.ackMedian, w.ackHist)),
  medianHoursToResolve: round2(median(w.resolveMedian, w.resolveHist)),
  shareResolvedWithinDeadline: share(w.onTime, w.resolved),
  rating: { count: w.raters, average: meanStars(w) },
});

/** `[level, block]` pairs as the query below takes them. */
const pairsOf = (blocks: Block[]) => JSON.stringify(blocks.map((b) => [b.level, b.block]));

/** Every department's windows of `days` through `through`, and the city's (the mark of a rolled day). */
export const windowRowsQuery = (db: Db, through: number, days: number[]) =>
  db.all<WindowRow>(sql`SELECT days, department_code AS department, resolved, on_time AS onTime, reopened,
      acknowledged, rejected, raters, satisfied, mean_micro AS meanMicro, ack_median AS ackMedian, resolve_median AS resolveMedian,
      CASE WHEN ack_median = -1 THEN ack_hist END AS ackHist, CASE WHEN resolve_median = -1 THEN resolve_hist END AS resolveHist
    FROM performance_windows WHERE through_day = ${through} AND days IN (SELECT value FROM json_each(${JSON.stringify(days)}))`);

/**
 * `kept`, the windows through `now`'s day, when that day is rolled (each window's city row is
 * there); else, on the day's first read, the windows summed from the blocks first (`window-sql.ts`).
 */
async function rolled(db: Db, now: number, days: number[], kept: WindowRow[]): Promise<WindowRow[]> {
  if (kept.filter((r) => r.department === "").length === days.length) return kept;
  const [roll, drop] = rollWindowsSql(dayOf(now));
  await db.batch([db.run(roll as SQL), db.run(drop as SQL)]);
  return windowRowsQuery(db, dayOf(now), days);
}

/**
 * Rolls the league table's windows through `now`'s day unless rolled: the background round calls
 * it, so the day's first visitor does not pay the roll (~0.1 s of CPU at 1M clusters).
 */
export async function keepWindows(db: Db, now: number): Promise<void> {
  const kept = await windowRowsQuery(db, dayOf(now), [...WINDOW_DAYS]);
  await rolled(db, now, [...WINDOW_DAYS], kept);
}

/** Per department, the cards (deadlines missed) of `blocks`, summed in SQL: no histogram is read. */
export const cardsQuery = (db: Db, blocks: Block[]) =>
  db.all<{
    department: string;
    cards: number;
  }>(sql`SELECT b.department_code AS department, sum(b.cards) AS cards
    FROM json_each(${pairsOf(blocks)}) k
    CROSS JOIN performance_blocks b ON b.level = json_extract(k.value, '$[0]') AND b.block = json_extract(k.value, '$[1]')
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

/** The blocks of the last `days` days of the city's calendar up to `now`'s day, today included. */
export const lastDays = (now: number, days: number): Block[] => blocksOf(firstDayOf(now, days), dayOf(now));

/**
 * Per department: open, overdue and nearly due work now, the last 30 and 90 days' performance,
 * and the figures of the performance page over the last `days` days.
 */
export async function departmentStats(db: Db, now: number, days = 30) {
  const windows = [...new Set([30, 90, days])];
  const [depts, kept, cards, open, due] = await db.batch([
    db
      .select({ code: departments.code, nameEn: departments.nameEn, nameZh: departments.nameZh })
      .from(departments)
      .orderBy(asc(departments.code)),
    windowRowsQuery(db, dayOf(now), windows),
    cardsQuery(db, blocksOf(dayOf(monthStart(now)), dayOf(now))),
    db.all<{ department: string; open: number; flagged: number }>(
      sql`SELECT department_code AS department, open, flagged FROM department_open`,
    ),
    unflaggedDueQuery(db, now),
  ]);
  const rows = await rolled(db, now, windows, kept as WindowRow[]);
  // Each window's figures once (the period is one of the 30 or 90 days' or a third window).
  const windowOf = new Map(rows.map((r) => [`${r.days}/${r.department}`, r]));
  const figuresOf = new Map(rows.map((r) => [r, windowFigures(r)]));
  const windowFor = (days: number, code: string) => windowOf.get(`${days}/${code}`) ?? EMPTY;
  const figuresFor = (w: WindowRow) => figuresOf.get(w) ?? windowFigures(EMPTY);
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
    const p = windowFor(days, d.code);
    const figures = figuresFor(p);
    return {
      code: d.code,
      name: { en: d.nameEn, zh: d.nameZh },
      open: openOf.get(d.code)?.open ?? 0,
      overdue: (openOf.get(d.code)?.flagged ?? 0) + (dueOf.get(d.code)?.red ?? 0),
      last30Days: figuresFor(windowFor(30, d.code)),
      last90Days: figuresFor(windowFor(90, d.code)),
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
