/**
 * Street Bump mode's privacy: no public answer, export or log line carries a device id or
 * anything that links the events of one device, and the stored passes hold no path.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { roadCellsAlong } from "../src/domain/road-cells";
import { sweepSensorBatches, UPLOAD_ANSWER_KEPT_MS } from "../src/store/sensor-retention";
import { makeTestApp, type TestApp } from "./support/app";
import { CHANGSHA, east, north } from "./support/fixtures";
import { hitAt, makeSensorCity, upload } from "./support/sensor";

const DEVICE = "device-private-marker-sensor-42";
const route = [CHANGSHA, east(CHANGSHA, 300), north(east(CHANGSHA, 300), 300)];
const driven = [...new Set(route.slice(1).flatMap((p, i) => roadCellsAlong(route[i] as typeof p, p)))];

describe("privacy of drivers", () => {
  let t: TestApp;
  const logged: string[] = [];
  const publicBodies: string[] = [];
  const spies = (["log", "info", "warn", "error", "debug"] as const).map((level) =>
    vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(" "));
    }),
  );
  afterAll(() => {
    for (const s of spies) s.mockRestore();
  });

  beforeAll(async () => {
    t = await makeTestApp();
    await makeSensorCity(t);
    // The marked phone drives the route and feels two potholes; two others confirm one of them.
    const events = [hitAt(CHANGSHA, t.clock() - 30_000), hitAt(east(CHANGSHA, 300), t.clock())];
    publicBodies.push(
      JSON.stringify((await upload(t, { deviceId: DEVICE, events, cells: driven }, "p1")).body),
    );
    for (const other of ["other-1", "other-2"]) {
      await upload(t, { deviceId: other, events: [hitAt(CHANGSHA, t.clock())] }, other);
    }
    // A malformed batch from the marked phone: the refusal may not echo it either.
    const bad = await upload(t, { deviceId: DEVICE, events: [{ ...events[0], lat: 500 }] } as never, "p2");
    expect(bad.status).toBe(400);
    publicBodies.push(JSON.stringify(bad.body));
    const [cluster] = await t.db.all<{ id: string }>(sql`SELECT id FROM clusters`);
    const spots = await t.db.all<{ id: string }>(sql`SELECT id FROM road_spots`);
    for (const path of [
      "/api/sensor/spots?bbox=112,28,114,29",
      ...spots.map((s) => `/api/sensor/spots/${s.id}`),
      `/api/clusters/${cluster?.id}`,
      "/api/clusters?bbox=112,28,114,29",
      "/api/exports/clusters.geojson",
      "/api/exports/clusters.csv",
      "/api/exports/work-orders.geojson",
      "/api/exports/work-orders.csv",
      "/open311/v2/requests.json?extensions=true",
      "/open311/v2/requests.xml?extensions=true",
    ]) {
      const res = await t.app.request(path);
      expect(res.status, path).toBe(200);
      publicBodies.push(await res.text());
    }
  });

  it("shows no device id, nor the keys its hits and passes are counted under, anywhere public or in logs", async () => {
    const keys = [
      ...(await t.db.all<{ k: string }>(sql`SELECT DISTINCT device_key AS k FROM road_spot_hits`)).map(
        (r) => r.k,
      ),
      ...(await t.db.all<{ k: string }>(sql`SELECT pass_key AS k FROM cell_passes`)).map((r) => r.k),
    ];
    expect(keys.length).toBeGreaterThan(driven.length);
    for (const text of [...publicBodies, ...logged]) {
      for (const needle of [DEVICE, "other-1", ...keys]) expect(text).not.toContain(needle);
      expect(text).not.toMatch(/device_?id|device_?key|pass_?key/i);
    }
  });

  it("files the confirmed spot's report with source sensor and no device id", async () => {
    const rows = await t.db.all<{ source: string; device_id: string | null }>(
      sql`SELECT source, device_id FROM reports`,
    );
    expect(rows).toEqual([{ source: "sensor", device_id: null }]);
    const open311 = JSON.parse(publicBodies.find((b) => b.includes("service_request_id")) ?? "[]");
    expect(open311[0].extended_attributes.source).toBe("sensor");
    const exported = JSON.parse(publicBodies.find((b) => b.includes('"sources"')) ?? "{}");
    expect(exported.features[0].properties.sources).toBe("sensor");
  });

  it("keeps no device id in the database, and passes that cannot be joined into a path", async () => {
    const dump = JSON.stringify(
      await Promise.all(
        [
          "road_spots",
          "road_spot_hits",
          "legacy_spot_hits",
          "cell_passes",
          "sensor_batches",
          "reports",
          "events",
        ].map((table) => t.db.all(sql.raw(`SELECT * FROM ${table}`))),
      ),
    );
    expect(dump).not.toContain(DEVICE);
    // Every pass has its own key: one device's cells share nothing, and carry no time or order.
    const passes = await t.db.all<{ pass_key: number; day: number }>(sql`SELECT * FROM cell_passes`);
    expect(passes).toHaveLength(driven.length);
    expect(new Set(passes.map((p) => p.pass_key)).size).toBe(driven.length);
    expect(Object.keys(passes[0] ?? {}).sort()).toEqual(["day", "lat_index", "lon_index", "pass_key"]);
    expect(new Set(passes.map((p) => p.day)).size).toBe(1);
    // Nor a rowid: one upload's passes, numbered in a run, would say which cells it drove together.
    await expect(t.db.all(sql`SELECT rowid FROM cell_passes`)).rejects.toThrow();
  });

  it("keys a device's hits per spot, with no time and no rowid: its rows at two spots share nothing", async () => {
    const spots = await t.db.all<{ id: string; devices: number }>(
      sql`SELECT id, devices FROM road_spots ORDER BY devices DESC`,
    );
    expect(spots.map((s) => s.devices)).toEqual([3, 1]);
    const hits = await t.db.all<{ spot_id: string; device_key: string }>(sql`SELECT * FROM road_spot_hits`);
    expect(hits).toHaveLength(4);
    expect(Object.keys(hits[0] ?? {}).sort()).toEqual([
      "day",
      "device_key",
      "network_key",
      "repair_at",
      "spot_id",
    ]);
    // The marked phone hit both spots, from one network; no key, of the device or of the
    // network, is found at both.
    for (const key of ["device_key", "network_key"]) {
      const linked = await t.db.all(sql`SELECT a.${sql.raw(key)} FROM road_spot_hits a JOIN road_spot_hits b
        ON b.${sql.raw(key)} = a.${sql.raw(key)} AND b.spot_id <> a.spot_id`);
      expect(linked).toEqual([]);
    }
    expect(new Set(hits.map((h) => h.device_key)).size).toBe(4);
    await expect(t.db.all(sql`SELECT rowid FROM road_spot_hits`)).rejects.toThrow();
    // Nor do the spots' public times: to the day, not to the millisecond of one phone's hit. The
    // spot only the marked phone hit is not listed at all: one vehicle's spots trace its drive.
    const shown = await (await t.app.request("/api/sensor/spots?bbox=112,28,114,29")).json();
    expect(shown.features.map((f: { properties: { devices: number } }) => f.properties.devices)).toEqual([3]);
    const times = shown.features.flatMap((f: { properties: Record<string, string> }) => [
      f.properties.firstHitAt,
      f.properties.lastHitAt,
    ]);
    expect(times).toHaveLength(2);
    for (const time of times) expect(time).toMatch(/T00:00:00\.000Z$/);
  });

  it("dates two spots one phone's upload confirmed to the day, so their times do not tie the phone to both", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    const [a, b] = [north(CHANGSHA, 3000), east(north(CHANGSHA, 3000), 600)];
    for (const phone of ["p1", "p2"]) {
      for (const p of [a, b]) await upload(t, { deviceId: phone, events: [hitAt(p, t.clock())] });
    }
    const both = await upload(t, {
      deviceId: "p3",
      events: [hitAt(a, t.clock() - 60_000), hitAt(b, t.clock())],
    });
    expect(both.body.spots.map((s: { state: string }) => s.state)).toEqual(["confirmed", "confirmed"]);
    for (const { id } of both.body.spots) {
      const { spot } = await (await t.app.request(`/api/sensor/spots/${id}`)).json();
      expect(spot.confirmedAt).toMatch(/T00:00:00\.000Z$/);
    }
  });

  it("gives an upload's spots ids in no order: sorted, they do not retrace the drive", async () => {
    const drive = await makeTestApp();
    await makeSensorCity(drive);
    // 60 potholes 40 m apart along a street, felt 3 s apart.
    const start = north(CHANGSHA, 2000);
    const events = Array.from({ length: 60 }, (_, i) =>
      hitAt(east(start, i * 40), drive.clock() - (60 - i) * 3000),
    );
    expect((await upload(drive, { deviceId: "driver-in-order", events }, "in-order")).status).toBe(202);
    // A second car on another network feels them too (one car's spots alone are not listed).
    const again = events.map((e) => ({ ...e, at: new Date(Date.parse(e.at) + 600_000).toISOString() }));
    expect((await upload(drive, { deviceId: "driver-behind", events: again }, "behind")).status).toBe(202);
    const res = await drive.app.request(
      `/api/sensor/spots?bbox=${start.lon - 0.01},${start.lat - 0.01},${start.lon + 0.05},${start.lat + 0.01}`,
    );
    const spots = (
      (await res.json()) as {
        features: { id?: string; properties: { id?: string }; geometry: { coordinates: number[] } }[];
      }
    ).features
      .map((f) => ({ id: String(f.id ?? f.properties.id), lon: f.geometry.coordinates[0] as number }))
      .sort((a, b) => (a.id < b.id ? -1 : 1));
    expect(spots).toHaveLength(60);
    // In the drive's order every next spot lies further east; in an order of their own, about half.
    const eastward = spots.slice(1).filter((s, i) => s.lon > (spots[i] as { lon: number }).lon).length;
    expect(eastward / 59).toBeLessThan(0.8);
    expect(new Set(spots.map((s) => s.id.slice(0, 10))).size).toBe(1);
  });

  it("lists a box's spots by place, not by time: one phone's spots do not come out together, in the order it drove", async () => {
    const city = await makeTestApp();
    await makeSensorCity(city);
    const start = north(CHANGSHA, 4000);
    // Two phones on one street, each feeling every other pothole, one a minute after the other.
    const along = (i: number) => north(start, i * 40);
    const drive = (phone: string, first: number, at: number) =>
      upload(city, {
        deviceId: phone,
        events: [0, 2, 4, 6].map((i) => hitAt(along(i + first), at + i * 1000)),
      });
    expect((await drive("street-a", 0, city.clock() - 120_000)).status).toBe(202);
    expect((await drive("street-b", 1, city.clock() - 60_000)).status).toBe(202);
    // A bus feels them all later, northward (one car's spots alone are not listed).
    const bus = Array.from({ length: 8 }, (_, i) => hitAt(along(i), city.clock() - 30_000 + i * 1000));
    expect((await upload(city, { deviceId: "street-bus", events: bus })).status).toBe(202);
    const res = await city.app.request(
      `/api/sensor/spots?bbox=${start.lon - 0.01},${start.lat - 0.01},${start.lon + 0.01},${start.lat + 0.01}`,
    );
    const lats = ((await res.json()) as { features: { geometry: { coordinates: number[] } }[] }).features.map(
      (f) => f.geometry.coordinates[1] as number,
    );
    expect(lats).toHaveLength(8);
    // Newest hit first had listed the bus's drive in reverse (before it, phone b's four, then a's).
    expect(lats).toEqual([...lats].sort((a, b) => a - b));
  });

  it("keeps an upload's answer (the spots one phone hit) only as long as a retry may come", async () => {
    await upload(t, { deviceId: DEVICE, events: [hitAt(north(CHANGSHA, 500), t.clock())] });
    const kept = async () =>
      (await t.db.all<{ key: string }>(sql`SELECT key FROM sensor_batches ORDER BY key`)).map((r) => r.key);
    // Without an Idempotency-Key no retry can ask for it: none is kept.
    expect(await kept()).toEqual(["other-1", "other-2", "p1"]);
    expect(await sweepSensorBatches(t.db, t.clock() + UPLOAD_ANSWER_KEPT_MS - 1)).toBe(0);
    expect(await sweepSensorBatches(t.db, t.clock() + UPLOAD_ANSWER_KEPT_MS + 1)).toBe(3);
    expect(await kept()).toEqual([]);
  });

  it("counts a device's passes under other keys the next day", async () => {
    const before = new Set(
      (await t.db.all<{ k: string }>(sql`SELECT pass_key AS k FROM cell_passes`)).map((r) => r.k),
    );
    t.clock.advance(86_400_000);
    await upload(t, { deviceId: DEVICE, events: [], cells: driven }, "p3");
    const after = await t.db.all<{ k: string }>(sql`SELECT pass_key AS k FROM cell_passes`);
    expect(after).toHaveLength(2 * driven.length);
    expect(after.filter((r) => before.has(r.k))).toHaveLength(driven.length);
  });
});
