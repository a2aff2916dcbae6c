/**
 * The weekly trends of the performance page: which weeks a period covers and what each weekly
 * figure means. Weeks are calendar weeks starting Monday 00:00 in the city, so a week's figures do not
 * change as the clock moves on (only the current, unfinished week grows).
 */
import { CITY_UTC_OFFSET_MS, cityDayOf } from "./city-time";
import { DAY_MS, share } from "./performance";

export const WEEK_MS = 7 * DAY_MS;
/** 1970-01-01 was a Thursday: the first Monday after it, at midnight in the city, starts week 0. */
const FIRST_MONDAY = 4 * DAY_MS - CITY_UTC_OFFSET_MS;

export const TREND_DEFINITIONS = {
  start:
    "The week's first instant, Monday 00:00 in the city (UTC+8); the first week counts from the period's first day (periods are whole days of the city's calendar), the last is unfinished.",
  reports:
    "Reports filed that week (hidden ones left out); for a department, those on clusters it holds the work orders of now (one it rejected stays with it until the city sends it elsewhere): a problem rerouted takes its past reports to the department it goes to (unlike the league table's figures, which count events when they happened).",
  resolved: "Resolutions that week (each time a work order was marked resolved).",
  onTimeShare: "Of the resolutions that week, the share made by the resolution deadline running then.",
  days: "The days of the period the week's figures cover, today included: 7, but for a first week that starts before the period and for the current, unfinished week.",
} as const;

/** The number of the city's calendar week (Monday-based) that `at` falls in. */
export const weekOf = (at: number): number => Math.floor((at - FIRST_MONDAY) / WEEK_MS);

/** The first instant of week number `week`. */
export const weekStart = (week: number): number => FIRST_MONDAY + week * WEEK_MS;

/** The week numbers from the week holding `since` to the week holding `now`, oldest first. */
export function weeksBetween(since: number, now: number): number[] {
  const weeks: number[] = [];
  for (let w = weekOf(since); w <= weekOf(now); w++) weeks.push(w);
  return weeks;
}

export interface WeekCounts {
  week: number;
  reports: number;
  resolved: number;
  onTime: number;
}

/**
 * One row per week of the period (city day numbers `firstDay` to `lastDay`), zero where nothing
 * happened, with the on-time share and how many of the period's days the week holds.
 */
export function weeklySeries(weeks: number[], counts: WeekCounts[], firstDay: number, lastDay: number) {
  const byWeek = new Map(counts.map((c) => [c.week, c]));
  return weeks.map((week) => {
    const c = byWeek.get(week);
    const startDay = cityDayOf(weekStart(week));
    return {
      start: weekStart(week),
      reports: c?.reports ?? 0,
      resolved: c?.resolved ?? 0,
      onTimeShare: share(c?.onTime ?? 0, c?.resolved ?? 0),
      days: Math.min(lastDay, startDay + 6) - Math.max(firstDay, startDay) + 1,
    };
  });
}
