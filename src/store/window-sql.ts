/**
 * The SQL behind `performance_windows` (`db/schema.ts`): the league table's 30, 90 and 365 days
 * per department, so a request reads one row per department and window instead of summing up to
 * 18 blocks' histograms each time.
 *
 * The first read of a day (`rollWindowsSql`) sums each window from `performance_blocks` in one
 * statement and marks it with the city's row (department ''), which it always writes. From then
 * on two triggers on the blocks' day rows (level 0) add each change to every marked window
 * holding that day, inside the statement that changed the block, so a window never misses a
 * write, whichever day the write counts on (a reopening counts on the day of the resolution it
 * undid). Every figure is a sum of integers, so the windows equal the blocks' sums exactly.
 * `npx tsx scripts/rollup-triggers.ts --windows` prints what migration 0029 holds.
 */
import { type SQL, sql } from "drizzle-orm";
import { PERIODS } from "../domain/performance";
import { BUCKETS_PER_OCTAVE, blocksOf, FIRST_OCTAVE } from "../domain/rollup";

/** The windows kept: the periods the page offers (the department page's 30 and 90 among them). */
export const WINDOW_DAYS: readonly number[] = Object.values(PERIODS);

const COUNTS = [
  "resolved",
  "on_time",
  "reopened",
  "acknowledged",
  "rejected",
  "raters",
  "satisfied",
  "mean_micro",
] as const;
const HISTS = ["ack_hist", "resolve_hist"] as const;
const COLUMNS = ["department_code", "through_day", "days", ...COUNTS, ...HISTS].join(", ");

/** Histograms (JSON objects bucket → count) summed per bucket, buckets at zero left out. */
const sumHist = (terms: string[]) =>
  `(SELECT json_group_object(key, n) FROM (SELECT key, sum(value) AS n FROM (${terms.join(" UNION ALL ")}) GROUP BY key HAVING n <> 0))`;
const entries = (hist: string, sign = "") => `SELECT key, ${sign}value AS value FROM json_each(${hist})`;

/**
 * A day row of the blocks added to every marked window holding its day: `delta` gives each
 * column's change (the row itself when inserted, NEW less OLD when updated).
 */
const addToWindows = (delta: (column: string) => string) => `INSERT INTO performance_windows (${COLUMNS})
  SELECT NEW.department_code, m.through_day, m.days, ${[...COUNTS, ...HISTS].map(delta).join(", ")}
  FROM performance_windows m
  WHERE m.department_code = '' AND NEW.block BETWEEN m.through_day - m.days + 1 AND m.through_day
  ON CONFLICT (through_day, days, department_code) DO UPDATE SET ${[
    ...COUNTS.map((c) => `${c} = ${c} + excluded.${c}`),
    ...HISTS.map(
      (h) =>
        `${h} = CASE WHEN excluded.${h} = '{}' THEN ${h} ELSE coalesce(${sumHist([entries(`performance_windows.${h}`), entries(`excluded.${h}`)])}, '{}') END`,
    ),
  ].join(", ")};`;

const isHist = (c: string) => (HISTS as readonly string[]).includes(c);
const changed = [...COUNTS, ...HISTS].map((c) => `NEW.${c} IS NOT OLD.${c}`).join(" OR ");

/** The triggers that keep the windows, as migration 0029 creates them. */
export function windowTriggers(): string[] {
  return [
    `CREATE TRIGGER performance_windows_insert AFTER INSERT ON performance_blocks FOR EACH ROW WHEN NEW.level = 0 BEGIN
  ${addToWindows((c) => `NEW.${c}`)}
END;`,
    // Only the league table's figures: a report (most writes) changes none of them.
    `CREATE TRIGGER performance_windows_update AFTER UPDATE ON performance_blocks FOR EACH ROW WHEN NEW.level = 0 AND (${changed}) BEGIN
  ${addToWindows((c) =>
    isHist(c)
      ? `CASE WHEN NEW.${c} = OLD.${c} THEN '{}' ELSE coalesce(${sumHist([entries(`NEW.${c}`), entries(`OLD.${c}`, "-")])}, '{}') END`
      : `NEW.${c} - OLD.${c}`,
  )}
END;`,
    // Each window's medians follow its histograms: a read then parses none.
    `CREATE TRIGGER performance_windows_medians_insert AFTER INSERT ON performance_windows FOR EACH ROW BEGIN
  ${setMedians(false)}
END;`,
    `CREATE TRIGGER performance_windows_medians_update AFTER UPDATE OF ack_hist, resolve_hist ON performance_windows FOR EACH ROW
  WHEN NEW.ack_hist IS NOT OLD.ack_hist OR NEW.resolve_hist IS NOT OLD.resolve_hist BEGIN
  ${setMedians(true)}
END;`,
  ];
}

/** `[days, level, block]` of every block of each window through `through` (a day number). */
const windowBlocks = (through: number) =>
  JSON.stringify(
    WINDOW_DAYS.flatMap((days) => blocksOf(through - days + 1, through).map((b) => [days, b.level, b.block])),
  );

const histOf = (h: string) =>
  sql.raw(`SELECT days, department_code, json_group_object(key, n) AS h
    FROM (SELECT r.days, r.department_code, j.key, sum(j.value) AS n FROM r, json_each(r.${h}) j
      GROUP BY 1, 2, 3 HAVING n <> 0) GROUP BY 1, 2`);

/** The common table `w`: every window through `through` summed from the blocks, the city's always. */
const freshWindows = (through: number) => sql`WITH
  r AS (SELECT k.value ->> 0 AS days, b.* FROM json_each(${windowBlocks(through)}) k
    JOIN performance_blocks b ON b.level = k.value ->> 1 AND b.block = k.value ->> 2),
  c AS (SELECT days, department_code, ${sql.raw(COUNTS.map((c) => `sum(${c}) AS ${c}`).join(", "))}
    FROM (SELECT days, department_code, ${sql.raw(COUNTS.join(", "))} FROM r
      UNION ALL SELECT value, '', ${sql.raw(COUNTS.map(() => "0").join(", "))} FROM json_each(${JSON.stringify(WINDOW_DAYS)}))
    GROUP BY 1, 2),
  a AS (${histOf("ack_hist")}),
  s AS (${histOf("resolve_hist")}),
  w AS (SELECT c.department_code, ${through} AS through_day, c.days, ${sql.raw(COUNTS.map((c) => `c.${c}`).join(", "))},
      coalesce(a.h, '{}') AS ack_hist, coalesce(s.h, '{}') AS resolve_hist
    FROM c LEFT JOIN a USING (days, department_code) LEFT JOIN s USING (days, department_code))`;

/**
 * `bucketHours` of `domain/rollup.ts` as SQL on an integer bucket: 2^k (1 + sub/16) hours is
 * 2^(k - FIRST_OCTAVE) (16 + sub) / (16 · 2^-FIRST_OCTAVE), integers divided once, so the double
 * is the domain's exactly (test/rollups.test.ts holds them equal on every bucket).
 */
export const bucketHoursSql = (b: string) =>
  `CASE WHEN ${b} <= 0 THEN 0.0 ELSE ((1 << ((${b} - 1) / ${BUCKETS_PER_OCTAVE})) * (${BUCKETS_PER_OCTAVE} + (${b} - 1) % ${BUCKETS_PER_OCTAVE})) / ${BUCKETS_PER_OCTAVE * 2 ** -FIRST_OCTAVE}.0 END`;

/**
 * `histogramMedian` of a kept histogram as SQL: the mean of the hours of the first buckets whose
 * running count passes the two middle ranks; null when empty; -1 (never an hour count) when a
 * count is not positive, which the triggers never write but the reader then reads from the text.
 */
export const medianSql = (hist: string) => `(SELECT CASE WHEN count(*) = 0 THEN NULL WHEN min(n) <= 0 THEN -1
    ELSE (min(CASE WHEN seen > lo THEN hours END) + min(CASE WHEN seen > hi THEN hours END)) / 2 END
  FROM (SELECT n, hours, seen, CASE WHEN total % 2 = 1 THEN (total - 1) / 2 ELSE total / 2 - 1 END AS lo,
      CASE WHEN total % 2 = 1 THEN (total - 1) / 2 ELSE total / 2 END AS hi
    FROM (SELECT value AS n, ${bucketHoursSql("CAST(key AS INTEGER)")} AS hours,
        sum(value) OVER (ORDER BY CAST(key AS INTEGER)) AS seen, sum(value) OVER () AS total
      FROM json_each(${hist}))))`;

/** A window row's medians set from its histograms (on an update, only a changed one's). */
const setMedians = (changedOnly: boolean) => {
  const set = (h: string) =>
    changedOnly
      ? `CASE WHEN NEW.${h}_hist IS NOT OLD.${h}_hist THEN ${medianSql(`NEW.${h}_hist`)} ELSE ${h}_median END`
      : medianSql(`NEW.${h}_hist`);
  return `UPDATE performance_windows SET ack_median = ${set("ack")}, resolve_median = ${set("resolve")}
    WHERE through_day = NEW.through_day AND days = NEW.days AND department_code = NEW.department_code;`;
};

/** The windows through `through` as the blocks sum them now (what the kept rows must equal). */
export const freshWindowsSql = (through: number): SQL =>
  sql`${freshWindows(through)} SELECT ${sql.raw(COLUMNS)} FROM w`;

/**
 * Writes the windows through `through` afresh (the first read of a day), in one statement, so no
 * write falls between the sum and the mark; older days' windows are dropped.
 */
export const rollWindowsSql = (through: number): SQL[] => [
  sql`${freshWindows(through)} INSERT INTO performance_windows (${sql.raw(COLUMNS)}) SELECT ${sql.raw(COLUMNS)} FROM w WHERE true
    ON CONFLICT (through_day, days, department_code) DO UPDATE SET ${sql.raw(
      [...COUNTS, ...HISTS].map((c) => `${c} = excluded.${c}`).join(", "),
    )}`,
  sql`DELETE FROM performance_windows WHERE through_day < ${through - 1}`,
];
