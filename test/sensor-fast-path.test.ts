/** The sensor upload's quick check answers as zod does, or leaves the answer to zod. */
import { describe, expect, it } from "vitest";
import { sensorBatchInput } from "../src/schemas/sensor";
import { quickSensorBatch } from "../src/schemas/sensor-fast-path";

const event = (i: number) => ({
  at: new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString(),
  lat: 28.19 + i * 1e-5,
  lon: 112.97 - i * 1e-5,
  accuracyM: 3 + (i % 7),
  speedMps: 8 + (i % 11),
  headingDeg: (i * 37) % 360,
  kind: (["pothole", "bump", "rough"] as const)[i % 3],
  score: (i % 10) / 10,
});
const batch = (n: number) => ({
  deviceId: "phone-a",
  events: Array.from({ length: n }, (_, i) => event(i)),
  cells: ["281941:1129823", "281942:1129823"],
});

/** One batch per change of one event's field (bounds, types, formats), and of the batch itself. */
function variants(): unknown[] {
  const values: Record<string, unknown[]> = {
    at: [
      "2026-01-01T00:00:00Z",
      "2026-01-01T00:00:00.123456Z",
      "2026-01-01T00:00:00+08:00",
      "2026-02-30T00:00:00Z",
      "2026-01-01",
      "",
      0,
      null,
    ],
    lat: [-90, 90, -90.0001, 90.0001, 0, "28.1", null, true],
    lon: [-180, 180, 180.5, -181, "0"],
    accuracyM: [0, 1000, -0.001, 1000.5, "3", null],
    speedMps: [0, 100, 100.01, -1, []],
    headingDeg: [0, 360, 360.1, -0.1, {}],
    kind: ["pothole", "bump", "rough", "Pothole", "", 1, null],
    score: [0, 1, 1.01, -0.01, "1"],
  };
  const out: unknown[] = [batch(3), batch(0), { deviceId: "phone-a", events: [event(1)] }];
  for (const [field, list] of Object.entries(values)) {
    for (const value of list) {
      const b = batch(3);
      (b.events[1] as Record<string, unknown>)[field] = value;
      out.push(b);
    }
    const missing = batch(3);
    delete (missing.events[2] as Record<string, unknown>)[field];
    out.push(missing);
  }
  const extra = batch(3);
  (extra.events[0] as Record<string, unknown>).extra = 1;
  out.push(
    extra,
    { ...batch(2), events: [event(0), null] },
    { ...batch(2), events: [event(0), [1, 2]] },
    { ...batch(2), events: "none" },
    { ...batch(1), events: Array.from({ length: 2001 }, (_, i) => event(i)) },
    { ...batch(1), deviceId: "" },
    { ...batch(1), deviceId: "a\u0001b" },
    { ...batch(1), deviceId: 7 },
    { ...batch(1), cells: ["x:y"] },
    { ...batch(1), cells: [7] },
    { ...batch(1), cells: "281941:1129823" },
    { ...batch(1), cells: Array.from({ length: 5001 }, (_, i) => `281941:${1129823 + i}`) },
    { ...batch(1), cells: undefined },
    { ...batch(1), other: "not a field of a batch" },
    null,
    [],
    "text",
  );
  return out;
}

describe("the sensor upload's quick check", () => {
  it("accepts nothing zod refuses, answers exactly what zod answers, and takes the usual upload itself", () => {
    let quick = 0;
    let valid = 0;
    for (const body of variants()) {
      // Through JSON, as the route receives it.
      const value = body === undefined ? body : JSON.parse(JSON.stringify(body));
      const answer = quickSensorBatch(value);
      const zod = sensorBatchInput.safeParse(value);
      if (zod.success) valid++;
      if (answer) {
        quick++;
        expect(zod.success, JSON.stringify(value).slice(0, 200)).toBe(true);
        expect(answer).toEqual(zod.data);
      }
    }
    expect(quickSensorBatch(JSON.parse(JSON.stringify(batch(500))))).toEqual(
      sensorBatchInput.parse(JSON.parse(JSON.stringify(batch(500)))),
    );
    // Every valid variant: the bounds themselves are taken quickly, not sent to zod. An extra key,
    // in an event or in the batch, is for zod to refuse by name.
    expect(quick).toBe(valid);
    expect(quick).toBeGreaterThan(20);
  });
});
