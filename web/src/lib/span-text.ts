import type { MessageKey } from "../i18n/messages";

/** The page's `t` (`useI18n`), typed here so that tests outside the web build can use this file. */
type Translate = (key: MessageKey, values?: Record<string, string | number>) => string;

const HOUR_MS = 3_600_000;

/**
 * A span in words, to the nearest hour ("6 days 21 hours", "3 小时"); under an hour, minutes.
 * Rounded, not cut: 3 h 40 min cut to "3 hours" always told a department's time short. A wait
 * asked of the reader (`Math.ceil`) is rounded up: "try again in 1 hour" after 75 minutes is too soon.
 */
export function spanText(ms: number, t: Translate, round: (x: number) => number = Math.round): string {
  const minutes = round(ms / 60_000);
  if (minutes < 60) return t("spanMinutes", { n: Math.max(1, minutes) });
  const hours = round(ms / HOUR_MS);
  const days = Math.floor(hours / 24);
  const rest = hours % 24;
  if (days === 0) return t("spanHours", { n: rest });
  return rest === 0
    ? t("spanDays", { n: days })
    : `${t("spanDays", { n: days })} ${t("spanHours", { n: rest })}`;
}
