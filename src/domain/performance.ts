/**
 * The figures of the public performance page, decided in one place and pure: the periods, what
 * each figure means (served with the figures, so a download explains itself), and the small
 * sums behind them. The store gathers rows; these functions count.
 */
import { CITY_UTC_OFFSET_MS } from "./city-time";
import { WORK_ORDER_GROUPS } from "./states";

/** The periods the page offers, and their length in days. */
export const PERIODS = { "30d": 30, "90d": 90, "365d": 365 } as const;
export type Period = keyof typeof PERIODS;
export const PERIOD_NAMES = Object.keys(PERIODS) as Period[];

export const DAY_MS = 86_400_000;

/**
 * Open work a department holds: every open status but unrouted, which no department has, and
 * rejected, which the department sent back and which waits for the city to send it on (it counts
 * in the department's rejections; until migration 0058 it counted in its open work too).
 */
export const HELD_STATUSES = WORK_ORDER_GROUPS.open.filter((s) => s !== "unrouted" && s !== "rejected");

/** A rater counts as satisfied when the mean of their own ratings reaches this many stars. */
export const SATISFIED_STARS = 4;

/** What each figure means; the API documents the same words. */
export const DEPARTMENT_DEFINITIONS = {
  period:
    "Periods are whole days of the city's calendar (midnight to midnight, UTC+8): the last 30, 90 or 365 days up to and including today. Past figures count events when they happened (a later change never rewrites them).",
  open: "Work orders the department holds now and has not finished (every open status but unrouted and rejected: one it sent back waits for the city to send it on; its rejection counts in rejected, in the period it happened).",
  overdue: "Open work orders past their next deadline now (red).",
  nearlyDue: "Open work orders 75% or more of the way to their next deadline, not yet past it (yellow).",
  resolved:
    "Resolutions in the period: each time a work order of the department was marked resolved (a work order resolved, reopened and resolved again counts twice).",
  onTimeShare:
    "Of the resolutions in the period, the share made by the resolution deadline that was running then.",
  medianAckHours:
    "Median hours from receiving a work order (creation, reroute or reopening) to acknowledging it, over the acknowledgements in the period. Durations are kept in buckets 1/16 of a power of two hours wide and read as their lower edge: at most 6.25% low, whole hours below 32 exact.",
  medianResolveHours:
    "Median hours from receiving a work order (creation, reroute or reopening) to resolving it, over the resolutions in the period, read from the same buckets.",
  satisfiedShare: `Of the residents who rated in the period, the share at ${SATISFIED_STARS} stars or more: a resident's ratings of one department on one day of the city's calendar count once, by their mean, for the department holding the work order when they rated.`,
  meanStars: "The mean of those residents' daily mean stars.",
  ratings: "How many residents rated in the period (each once per department and day).",
  reopenRate:
    'Of the resolutions in the period, the share later reopened (a resident\'s "still there", the road sensors still feeling it, or an admin); a reopening counts on the day of the resolution it undid.',
  cards:
    "Deadlines missed this calendar month (the city's, UTC+8), counted for the department that held the work order then: each work order's missed acknowledgement or resolution deadline counts once.",
  rejected: "Work orders the department rejected in the period (sent back for another department).",
} as const;

/** The CSV download's columns naming a department (the JSON answer nests them as `code` and `name`). */
export const DEPARTMENT_NAME_DEFINITIONS = {
  code: "The department's code, as the API and the map's department filter name it.",
  name_en: "The department's name in English.",
  name_zh: "The department's name in Simplified Chinese.",
} as const;

export const AREA_DEFINITIONS = {
  period:
    "Periods are whole days of the city's calendar (midnight to midnight, UTC+8): the last 30, 90 or 365 days up to and including today (as the departments' figures).",
  population: "Residents of the area (census figure set by the administrators); null when unknown.",
  reports:
    "Reports filed in the period at a point inside the area (hidden reports left out). Areas may overlap: a report counts in each area holding it.",
  confirmed:
    "Problems confirmed in the period inside the area: work orders created in the period for a cluster opened inside it (where its first report was).",
  reportsPer10k: "Reports per 10,000 residents; null without a population.",
  confirmedPer10k: "Confirmed problems per 10,000 residents; null without a population.",
  cellsDriven:
    "Sensor coverage: road cells (about 11 m by 10 m, counted by their middle) that phones in Street Bump mode drove through in the period, each once; counts only, never paths. A pass counts on the day its phone's passes are kept under, a UTC day (from 08:00 in the city).",
  city: "The areas with a population together: their residents, reports, problems and cells summed, and the rates of those sums. Where areas overlap (a city-wide department's area over the districts'), what lies in both counts in each.",
  caution: "A low rate may mean good roads or few reporters: compare with the rate of the areas together.",
} as const;

/** Rounds to three decimals, or null for a share of nothing. */
export const share = (part: number, whole: number): number | null =>
  whole === 0 ? null : Math.round((part / whole) * 1000) / 1000;

/** How many per 10,000 residents, to two decimals; null when the population is unknown or zero. */
export const per10k = (count: number, population: number | null): number | null =>
  population ? Math.round((count / population) * 1_000_000) / 100 : null;

/** The first instant (midnight in the city) of the city's calendar month that `now` falls in. */
export const monthStart = (now: number): number => {
  const d = new Date(now + CITY_UTC_OFFSET_MS);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) - CITY_UTC_OFFSET_MS;
};

/** How many raters are satisfied, each by the mean of their own ratings (see `satisfiedShare`). */
export const satisfiedRaters = (raterMeans: number[]): number =>
  raterMeans.filter((m) => m >= SATISFIED_STARS).length;

/** Each rater's mean stars: the satisfied share, the mean of the means and how many rated. */
export function satisfaction(raterMeans: number[]) {
  const n = raterMeans.length;
  const mean = n ? Math.round((raterMeans.reduce((a, b) => a + b, 0) / n) * 100) / 100 : null;
  return {
    satisfiedShare: share(satisfiedRaters(raterMeans), n),
    meanStars: mean,
    ratings: n,
  };
}
