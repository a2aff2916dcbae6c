/**
 * "How long ago" in words, for a locale: whole units, counted down ("1 month ago" from 30 to 59
 * days), never a calendar's words. Intl's `numeric: "auto"` said "last month" (上个月) of a report
 * 40 days old, of October in December, and "the day before yesterday" (前天) of one 36 hours old.
 */

/** Units, largest first, with their length in seconds. */
const AGE_UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 86_400],
  ["month", 30 * 86_400],
  ["day", 86_400],
  ["hour", 3600],
  ["minute", 60],
];

/** Ages in `locale`: `at` against `now` (ms), `justNow` under a minute. */
export function ageWords(locale: string, justNow: string): (at: number, now: number) => string {
  const ages = new Intl.RelativeTimeFormat(locale, { numeric: "always" });
  return (at, now) => {
    const seconds = (at - now) / 1000;
    for (const [unit, size] of AGE_UNITS)
      if (Math.abs(seconds) >= size) return ages.format(Math.trunc(seconds / size), unit);
    // Under a minute: "just now" / "刚刚" (Intl's "now" / "现在" reads as a clock, not an age).
    return justNow;
  };
}
