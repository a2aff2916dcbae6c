/**
 * The city's clock. Deadlines, schedules and history are given in the city's time wherever they
 * are read (a mail opened abroad, a phone or desktop set to another zone), so the page and the
 * mail name the same day and hour.
 */

/** The city's time zone (Changsha's): every mail and page gives times in it. */
export const CITY_TIME_ZONE = "Asia/Shanghai";

/**
 * How far the city's clock runs ahead of UTC. Asia/Shanghai keeps UTC+8 all year (no daylight
 * saving since 1991), so the city's days are spans of 24 hours from 16:00 UTC that the database's
 * triggers count by arithmetic alone. A zone that changes its clocks would need the days' starts
 * in a table; test/city-days.test.ts holds this equal to the zone's offset.
 */
export const CITY_UTC_OFFSET_MS = 8 * 3_600_000;

/** The city's offset as RFC 3339 writes it (`+08:00`): a date or time given without a zone is the city's. */
export const CITY_UTC_OFFSET = `+${String(CITY_UTC_OFFSET_MS / 3_600_000).padStart(2, "0")}:00`;

const DAY_MS = 86_400_000;
/**
 * The number of the city's calendar day an instant falls in, counted from 1970-01-01 (the
 * performance page's periods, weeks and months are made of these days).
 */
export const cityDayOf = (ms: number): number => Math.floor((ms + CITY_UTC_OFFSET_MS) / DAY_MS);

/** The first instant (midnight in the city) of city day number `day`. */
export const cityDayStart = (day: number): number => day * DAY_MS - CITY_UTC_OFFSET_MS;

/** What follows a time to name the city's zone, as the mails write it. */
export const CITY_ZONE_NAMED = { en: " (UTC+8)", zh: "（北京时间）" } as const;

/** A time as a mail says it: the city's clock, its zone named (a mail is read anywhere). */
export const cityTimeWords = (ms: number, lang: "zh" | "en") =>
  new Date(ms).toLocaleString(lang === "zh" ? "zh-CN" : "en-GB", {
    timeZone: CITY_TIME_ZONE,
    dateStyle: "medium",
    timeStyle: "short",
  }) + CITY_ZONE_NAMED[lang];

/**
 * A day of the city's calendar in words ("20 Dec 2026", "2026年12月20日"): a planned date, whose
 * hour nobody chose (the console plans a day), is not read out as a time.
 */
export const cityDayWords = (ms: number, lang: "zh" | "en") =>
  new Date(ms).toLocaleDateString(lang === "zh" ? "zh-CN" : "en-GB", {
    timeZone: CITY_TIME_ZONE,
    dateStyle: "medium",
  });

const clocks = new Map<string, Intl.DateTimeFormat>();
/** A clock reading in `zone` as numbers: year, month, day, hour, minute, second. */
function reading(ms: number, zone: string): number[] {
  let clock = clocks.get(zone);
  if (!clock) {
    clock = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    clocks.set(zone, clock);
  }
  const parts = clock.formatToParts(ms);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return [part("year"), part("month"), part("day"), part("hour"), part("minute"), part("second")];
}

/** How far ahead of UTC the zone's clock is at an instant, in minutes. */
function offsetMinutes(ms: number, zone: string): number {
  const [y = 0, mo = 1, d = 1, h = 0, mi = 0, s = 0] = reading(ms, zone);
  return Math.round((Date.UTC(y, mo - 1, d, h, mi, s) - Math.floor(ms / 1000) * 1000) / 60_000);
}

const pad = (n: number) => String(n).padStart(2, "0");

/**
 * The city's clock at an instant as a form's `datetime-local` field writes it (`2026-03-01T09:00`),
 * whatever zone the device is set to; its first ten characters are the day for a `date` field.
 */
export function cityClock(ms: number, zone = CITY_TIME_ZONE): string {
  const [y = 0, mo = 1, d = 1, h = 0, mi = 0] = reading(ms, zone);
  return `${String(y).padStart(4, "0")}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}`;
}

const CLOCK = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

/**
 * The instant a reading of the city's clock names (`2026-03-01T09:00` is nine in the morning in
 * the city, wherever the device is), with the city's offset written out
 * (`2026-03-01T09:00:00+08:00`); null when the text is no such reading.
 */
export function fromCityClock(text: string, zone = CITY_TIME_ZONE): { ms: number; text: string } | null {
  const m = CLOCK.exec(text.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1).map((v) => Number(v ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  const back = new Date(asUtc);
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return null;
  // The offset where the reading falls; asked again there, as a change of clocks may lie between.
  let offset = offsetMinutes(asUtc, zone);
  offset = offsetMinutes(asUtc - offset * 60_000, zone);
  const ms = asUtc - offset * 60_000;
  const sign = offset < 0 ? "-" : "+";
  const zoneText = `${sign}${pad(Math.floor(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return { ms, text: `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? "00"}${zoneText}` };
}
