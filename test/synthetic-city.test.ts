/**
 * The synthetic city for `sensor replay`: deterministic plans, passes replayed through the
 * Drive page's detector and uploader into the real sensor intake (every event once), and the
 * scoring of dispatched work orders against the plants. The end-to-end figures come from a real
 * server: `npx tsx scripts/synthetic-city.ts drive --server URL`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cityPlants, planCity, scoreEvents, scoreWorkOrders } from "../scripts/synthetic-city";
import { replayTrace } from "../src/sensing/replay";
import { startSensorIntake } from "./support/sensor-intake";

const small = { seed: 3, devices: 2, passes: 3, gpsNoiseM: 3.3, potholeHitRate: 1 };

let double: Awaited<ReturnType<typeof startSensorIntake>>;
beforeAll(async () => {
  double = await startSensorIntake();
});
afterAll(() => double?.close());

describe("the synthetic city", () => {
  it("plans the same passes for the same seed, each over one street with its plants", () => {
    const a = planCity(small);
    const b = planCity(small);
    expect(a.passes).toHaveLength(6);
    expect(a.passes.map((p) => p.trace.fixes[3])).toEqual(b.passes.map((p) => p.trace.fixes[3]));
    expect(new Set(a.passes.map((p) => p.device)).size).toBe(2);
    // With every pothole hit, each pass drives over all five plants of its street.
    for (const pass of a.passes) expect(pass.hit).toHaveLength(5);
    expect(a.plants.filter((p) => p.kind === "pothole")).toHaveLength(8);
  });

  it("replays every pass into the intake: each event arrives once, most potholes are felt", async () => {
    const { plants, passes } = planCity(small);
    const start = Date.parse("2026-11-30T09:00:00Z");
    const events = [];
    for (const [i, pass] of passes.entries()) {
      const r = await replayTrace(pass.trace, {
        server: double.url,
        device: pass.device,
        start: start + i * 300_000,
        fetch,
      });
      expect(r.uploaded).toBe(r.events.length);
      events.push(r.events);
    }
    expect(await double.storedEvents()).toBe(events.flat().length);
    const phones = scoreEvents(plants, passes, events);
    expect(phones.potholeHits).toBe(12);
    expect(phones.recall).toBeGreaterThan(0.4);
  });

  it("scores work orders: right within the radius of a pothole, wrong ones named by what they lie on", () => {
    const plants = cityPlants();
    const [p1, p2] = plants.filter((p) => p.kind === "pothole");
    const manhole = plants.find((p) => p.kind === "manhole");
    if (!p1 || !p2 || !manhole) throw new Error("no plants");
    const score = scoreWorkOrders(plants, [
      { lat: p1.lat + 5 / 111_195, lon: p1.lon },
      { lat: p1.lat, lon: p1.lon },
      { lat: manhole.lat, lon: manhole.lon },
      { lat: p2.lat + 0.01, lon: p2.lon },
    ]);
    expect(score).toEqual({
      workOrders: 4,
      precision: 0.5,
      recall: 1 / 8,
      potholes: 8,
      found: 1,
      duplicates: 1,
      wrong: { manhole: 1, nothing: 1 },
    });
  });
});
