/**
 * Migration 0054: the days the performance page and the areas count by became the city's
 * (midnight to midnight, UTC+8) where they had been UTC's, which in Changsha ran from 08:00 to
 * 08:00: a resolution at seven in the morning counted on the day before, and a week began on
 * Monday at eight. Every trigger that numbers a day is made again as generated now (`daySql`), and
 * what is kept per day is counted again from the rows: the blocks and raters' days, the areas'
 * blocks, and the league table's windows (rolled again on their next read).
 *
 * A driven road cell keeps the day its passes are kept under (`domain/sensor.ts`, UTC), so the
 * areas' driven cells still turn over at 08:00; a pass key's day is part of its privacy, not a
 * figure.
 */
import { CITY_UTC_OFFSET_MS } from "../domain/city-time";
import { DAY_MS } from "../domain/performance";
import { areaTestTriggers, areaTriggers, freshAreaBlocksSql } from "./area-rollup-sql";
import { asHeldBefore0058 } from "./open-held-sql";
import { blocksBackfill, reportUpdateTriggerOf0032, rollupTriggers } from "./rollup-sql";

const nameOf = (trigger: string) => trigger.match(/^CREATE TRIGGER (\w+)/)?.[1] as string;

/** What `daySql` writes last: a trigger holding it numbers days. */
const CITY_DAY = `+ ${CITY_UTC_OFFSET_MS}) / ${DAY_MS}`;

/** The triggers, as they stand, that number days (the later migrations' versions where they redid one). */
export function dayTriggers(): string[] {
  const standing = new Map<string, string>();
  const latest = [
    ...rollupTriggers(),
    reportUpdateTriggerOf0032()[1] as string,
    ...areaTriggers(),
    ...areaTestTriggers(),
  ];
  for (const t of latest) standing.set(nameOf(t), t);
  return [...standing.values()].filter((t) => t.includes(CITY_DAY));
}

/** Before migration 0054, the same text numbered UTC days: what the earlier migrations hold. */
export const asUtcDays = (text: string) =>
  text.replace(
    new RegExp(`\\(CAST\\(([^()]+) AS INTEGER\\) \\+ ${CITY_UTC_OFFSET_MS}\\) / ${DAY_MS}`, "g"),
    `CAST($1 AS INTEGER) / ${DAY_MS}`,
  );

export function cityDaysOf0054(): string[] {
  return [
    ...dayTriggers().flatMap((t) => [`DROP TRIGGER ${nameOf(t)};`, asHeldBefore0058(t)]),
    "DELETE FROM performance_windows;",
    "DELETE FROM performance_blocks;",
    "DELETE FROM rater_days;",
    ...blocksBackfill(),
    "DELETE FROM area_blocks;",
    `INSERT INTO area_blocks (level, block, department_code, reports, confirmed, cells) ${freshAreaBlocksSql};`,
  ];
}
