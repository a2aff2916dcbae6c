/**
 * The performance page's days, weeks and months are the city's: midnight to midnight in Changsha
 * (UTC+8), not UTC's (which there run from 08:00). The offset is a constant because the triggers
 * count days by arithmetic: the zone must keep one offset all year.
 */
import { describe, expect, it } from "vitest";
import { CITY_TIME_ZONE, CITY_UTC_OFFSET_MS, cityDayOf, cityDayStart } from "../src/domain/city-time";
import { monthStart } from "../src/domain/performance";
import { periodEnd, periodStart } from "../src/domain/rollup";
import { weekOf, weekStart } from "../src/domain/trends";
import { makeClock, makeTestApp } from "./support/app";

const iso = (ms: number) => new Date(ms).toISOString();

describe("the city's days", () => {
  it("keep the city's zone's offset all year, every year", () => {
    const zoneOffset = (ms: number) => {
      const text = new Intl.DateTimeFormat("en-US", { timeZone: CITY_TIME_ZONE, timeZoneName: "longOffset" })
        .formatToParts(ms)
        .find((p) => p.type === "timeZoneName")?.value;
      const m = /GMT([+-])(\d{2}):(\d{2})/.exec(text ?? "");
      return m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) * 60_000 : 0;
    };
    for (let year = 2000; year <= 2040; year++)
      for (const month of [0, 3, 6, 9])
        expect(zoneOffset(Date.UTC(year, month, 15))).toBe(CITY_UTC_OFFSET_MS);
  });

  it("run from midnight to midnight in the city: 16:00 UTC the day before", () => {
    const day = cityDayOf(Date.parse("2026-06-01T16:00:00Z"));
    expect(cityDayOf(Date.parse("2026-06-01T15:59:59.999Z"))).toBe(day - 1);
    expect(iso(cityDayStart(day))).toBe("2026-06-01T16:00:00.000Z");
    // Monday 1 June 2026, 07:30 in Changsha (Sunday 23:30 UTC): Monday's week and the month of June.
    const monday = Date.parse("2026-05-31T23:30:00Z");
    expect(iso(weekStart(weekOf(monday)))).toBe("2026-05-31T16:00:00.000Z");
    expect(iso(monthStart(monday))).toBe("2026-05-31T16:00:00.000Z");
    expect(iso(periodStart(monday, 30))).toBe("2026-05-02T16:00:00.000Z");
    expect(iso(periodEnd(monday))).toBe("2026-06-01T15:59:59.999Z");
  });

  it("start the periods the API answers for", async () => {
    // 1 June 2026, 01:00 in Changsha: the 30 days began on 3 May there.
    const t = await makeTestApp({ clock: makeClock("2026-05-31T17:00:00Z") });
    for (const path of ["/api/stats/departments", "/api/stats/areas"]) {
      const body = (await (await t.app.request(path)).json()) as { from: string };
      expect(body.from, path).toBe("2026-05-02T16:00:00.000Z");
    }
    // The league table's file is named by the city's day.
    const csv = await t.app.request("/api/stats/departments.csv");
    expect(csv.headers.get("content-disposition")).toBe(
      'attachment; filename="departments-30d-2026-06-01.csv"',
    );
    const trends = (await (await t.app.request("/api/stats/trends")).json()) as {
      weeks: { start: string }[];
    };
    // Monday 1 June is the last week's first day, there.
    expect(trends.weeks.at(-1)?.start).toBe("2026-05-31T16:00:00.000Z");
  });
});
