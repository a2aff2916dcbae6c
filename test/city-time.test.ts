/** The city's clock: a reading typed in a form is the city's hour, wherever the device is. */
import { describe, expect, it } from "vitest";
import { CITY_TIME_ZONE, cityClock, fromCityClock } from "../src/domain/city-time";

describe("the city's clock", () => {
  it("reads a form's date and time as the city's, with the city's offset written", () => {
    expect(CITY_TIME_ZONE).toBe("Asia/Shanghai");
    expect(fromCityClock("2026-11-20T21:30")).toEqual({
      ms: Date.parse("2026-11-20T13:30:00Z"),
      text: "2026-11-20T21:30:00+08:00",
    });
    expect(fromCityClock("2026-11-20T21:30:15")?.text).toBe("2026-11-20T21:30:15+08:00");
    // Another zone, with half hours and a change of clocks between winter and summer.
    expect(fromCityClock("2026-07-01T09:00", "Asia/Kolkata")?.text).toBe("2026-07-01T09:00:00+05:30");
    expect(fromCityClock("2026-01-15T09:00", "Europe/London")?.text).toBe("2026-01-15T09:00:00+00:00");
    expect(fromCityClock("2026-07-15T09:00", "Europe/London")?.text).toBe("2026-07-15T09:00:00+01:00");
    expect(fromCityClock("2026-07-15T09:00", "America/Los_Angeles")?.ms).toBe(
      Date.parse("2026-07-15T16:00:00Z"),
    );
  });

  it("refuses what is no reading of a clock", () => {
    for (const text of [
      "",
      "yesterday",
      "2026-02-30T09:00",
      "2026-01-01T24:00",
      "2026-01-01T09:60",
      "2026-01-01",
    ]) {
      expect(fromCityClock(text), text).toBeNull();
    }
  });

  it("gives the city's clock at an instant as a datetime-local field writes it, its day first", () => {
    // Half past one in the morning in the city is still the evening before in UTC.
    expect(cityClock(Date.parse("2026-11-20T17:30:00Z"))).toBe("2026-11-21T01:30");
    expect(cityClock(Date.parse("2026-11-20T17:30:00Z")).slice(0, 10)).toBe("2026-11-21");
    const at = Date.parse("2026-03-01T00:00:00Z");
    expect(fromCityClock(cityClock(at))?.ms).toBe(at);
  });
});
