/**
 * The city's clock. Deadlines, schedules and history are given in the city's time wherever they
 * are read (a mail opened abroad, a phone or desktop set to another zone), so the page and the
 * mail name the same day and hour.
 */

/** The city's time zone (Changsha's): every mail and page gives times in it. */
export const CITY_TIME_ZONE = "Asia/Shanghai";

/** What follows a time to name the city's zone, as the mails write it. */
export const CITY_ZONE_NAMED = { en: " (UTC+8)", zh: "（北京时间）" } as const;
