/** Street Bump mode's server side: the confirmation rule, scatter, passes, retries, bad input. */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { drivenCells } from "../src/domain/bump-detector/driven-cells";
import { parseLimits } from "../src/domain/rate-limit";
import { roadCellNeighbourhood } from "../src/domain/road-cells";
import { KEY_CELL_DEG } from "../src/domain/sensor";
import { makeTestApp } from "./support/app";
import { CHANGSHA, east, makeDepartment, north, squareAround } from "./support/fixtures";
import { fromResident } from "./support/residents";
import { hitAt, makeSensorCity, passOver, upload } from "./support/sensor";

const counts = async (t: Awaited<ReturnType<typeof makeTestApp>>) => {
  const [row] = await t.db.all<{ reports: number; sensor: number; orders: number; spots: number }>(sql`SELECT
    (SELECT count(*) FROM reports) AS reports, (SELECT count(*) FROM reports WHERE source = 'sensor') AS sensor,
    (SELECT count(*) FROM work_orders) AS orders, (SELECT count(*) FROM road_spots) AS spots`);
  return row;
};

describe("the Street Bump rule", () => {
  it("keeps a spot hit by 2 devices a candidate; the 3rd distinct device confirms it, files one report, dispatches one work order", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    const now = t.clock();
    const a = await upload(t, { deviceId: "phone-a", events: [hitAt(CHANGSHA, now)] }, "a1");
    expect(a.status).toBe(202);
    expect(a.body.accepted).toBe(1);
    expect(a.body.spots).toEqual([{ id: expect.any(String), state: "candidate" }]);
    // The same device again adds a hit, not a device.
    await upload(t, { deviceId: "phone-a", events: [hitAt(CHANGSHA, now)] }, "a2");
    const b = await upload(t, { deviceId: "phone-b", events: [hitAt(north(CHANGSHA, 2), now)] }, "b1");
    expect(b.body.spots[0]).toEqual({ id: a.body.spots[0].id, state: "candidate" });
    expect(await counts(t)).toMatchObject({ reports: 0, orders: 0, spots: 1 });

    const c = await upload(t, { deviceId: "phone-c", events: [hitAt(east(CHANGSHA, 3), now)] }, "c1");
    expect(c.body.spots[0]).toEqual({ id: a.body.spots[0].id, state: "confirmed" });
    expect(await counts(t)).toMatchObject({ reports: 1, sensor: 1, orders: 1, spots: 1 });
    // A 4th device hits a confirmed spot: no second report.
    await upload(t, { deviceId: "phone-d", events: [hitAt(CHANGSHA, now)] }, "d1");
    expect(await counts(t)).toMatchObject({ reports: 1, orders: 1 });

    const spot = (await (await t.app.request(`/api/sensor/spots/${a.body.spots[0].id}`)).json()).spot;
    expect(spot).toMatchObject({ state: "confirmed", devices: 4, kind: "pothole" });
    const cluster = await (await t.app.request(`/api/clusters/${spot.clusterId}`)).json();
    expect(cluster.cluster.workOrder.department).toBe("roads");
    expect(cluster.cluster.sensor).toMatchObject({ vehicles: 4 });
  });

  it("counts made-up device ids from one network as one vehicle, and one phone on many networks as one", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    const now = t.clock();
    // One person with five made-up ids, all from one network (rate limits allow it).
    let id = "";
    for (const phone of ["fake-1", "fake-2", "fake-3", "fake-4", "fake-5"]) {
      const r = await upload(t, { deviceId: phone, events: [hitAt(CHANGSHA, now)] }, undefined, "sybil");
      expect(r.body.spots[0].state).toBe("candidate");
      id = r.body.spots[0].id;
    }
    // One real phone whose network changes with every upload (a mobile carrier's addresses).
    for (const network of ["cell-1", "cell-2", "cell-3"]) {
      const r = await upload(t, { deviceId: "commuter", events: [hitAt(CHANGSHA, now)] }, undefined, network);
      expect(r.body.spots[0]).toEqual({ id, state: "candidate" });
    }
    expect(await counts(t)).toMatchObject({ reports: 0, orders: 0, spots: 1 });
    // A second phone from a network of its own: three networks and six devices now.
    const last = await upload(t, { deviceId: "driver-2", events: [hitAt(CHANGSHA, now)] });
    expect(last.body.spots[0]).toEqual({ id, state: "confirmed" });
    expect(await counts(t)).toMatchObject({ reports: 1, sensor: 1, orders: 1 });
  });

  it("counts a device once at a spot on a square's edge, from whichever side its hits come", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    const now = t.clock();
    // Born just south of an edge of the squares hits are keyed by, hit again from north of it.
    const edge = { lat: Math.ceil(CHANGSHA.lat / KEY_CELL_DEG) * KEY_CELL_DEG - 1e-6, lon: CHANGSHA.lon };
    const first = await upload(t, { deviceId: "phone-a", events: [hitAt(edge, now)] });
    await upload(t, { deviceId: "phone-a", events: [hitAt(north(edge, 3), now)] });
    await upload(t, { deviceId: "phone-b", events: [hitAt(north(edge, 3), now)] });
    const spot = (await (await t.app.request(`/api/sensor/spots/${first.body.spots[0].id}`)).json()).spot;
    expect(spot).toMatchObject({ hits: 3, devices: 2 });
    expect(await counts(t)).toMatchObject({ spots: 1 });
    // ...which the square of the hit, not the spot's, would have counted twice.
    const squares = await t.db.all<{ key_lat: number }>(sql`SELECT key_lat FROM road_spots`);
    expect(squares).toEqual([{ key_lat: Math.floor(edge.lat / KEY_CELL_DEG) }]);
    expect(Math.floor(north(edge, 3).lat / KEY_CELL_DEG)).toBe(Math.floor(edge.lat / KEY_CELL_DEG) + 1);
  });

  it("takes an event sent many times in one batch once: a spot's public hits are not inflated by copies", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    const now = t.clock();
    const copy = hitAt(CHANGSHA, now - 60_000);
    // A batch's most, all copies of one event but one, felt a second later at the same place.
    const events = [...Array.from({ length: 1999 }, () => copy), hitAt(CHANGSHA, now - 59_000)];
    const flood = await upload(t, { deviceId: "dev-dupe", events });
    expect([flood.status, flood.body.accepted]).toEqual([202, 2]);
    const spot = (await (await t.app.request(`/api/sensor/spots/${flood.body.spots[0].id}`)).json()).spot;
    expect(spot).toMatchObject({ hits: 2, devices: 1 });
  });

  it("files exactly one report when 50 batches from different phones arrive at once", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    const now = t.clock();
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        upload(t, { deviceId: `phone-${i}`, events: [hitAt(north(CHANGSHA, (i % 5) - 2), now)] }, `k${i}`),
      ),
    );
    expect(answers.every((a) => a.status === 202)).toBe(true);
    expect(await counts(t)).toMatchObject({ reports: 1, sensor: 1, orders: 1, spots: 1 });
    // Each phone is counted once, its hit kept under its key in the spot's square.
    const [spot] = await t.db.all<{ devices: number; hits: number }>(
      sql`SELECT devices, hits FROM road_spots`,
    );
    expect(spot).toEqual({ devices: 50, hits: 50 });
    expect(await t.db.all(sql`SELECT 1 FROM road_spot_hits`)).toHaveLength(50);
  });
});

describe("GPS scatter", () => {
  it("gathers one pothole's events with 4 m noise into one spot, and keeps two potholes 30 m apart apart", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t, { minDevices: 100 });
    const now = t.clock();
    const second = east(CHANGSHA, 30);
    // A fixed pseudo-random scatter (no Math.random: the test must be the same each run).
    const noise = (i: number) => [Math.sin(i * 12.9898) * 4, Math.cos(i * 78.233) * 4] as const;
    for (let i = 0; i < 20; i++) {
      const [dn, de] = noise(i);
      const events = [hitAt(east(north(CHANGSHA, dn), de), now), hitAt(east(north(second, de), dn), now)];
      expect((await upload(t, { deviceId: `phone-${i}`, events }, `s${i}`)).status).toBe(202);
    }
    const spots = await t.db.all<{ lat: number; lon: number; devices: number }>(
      sql`SELECT lat, lon, devices FROM road_spots ORDER BY lon`,
    );
    expect(spots).toHaveLength(2);
    expect(spots.map((s) => s.devices)).toEqual([20, 20]);
    expect(Math.abs((spots[0]?.lon ?? 0) - CHANGSHA.lon)).toBeLessThan(3 / 111_195 / 0.88);
  });
});

describe("a pothole split by GPS error", () => {
  // The middle of a square hits are keyed by: a spot born here and one 18 m north share it.
  const middle = { lat: (Math.floor(CHANGSHA.lat / KEY_CELL_DEG) + 0.5) * KEY_CELL_DEG, lon: CHANGSHA.lon };
  const spots = (t: Awaited<ReturnType<typeof makeTestApp>>) =>
    t.db.all<{ lat: number; devices: number; state: string; kind: string }>(
      sql`SELECT lat, devices, state, kind FROM road_spots ORDER BY lat`,
    );

  it("joins first hits 14 m apart into one spot (both within their radii), and the third vehicle dispatches it", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    const now = t.clock();
    // 4 m fixes reach 8 m each: the two cars' hits, either side of the hole, are 14 m apart.
    await upload(t, { deviceId: "car-1", events: [hitAt(north(CHANGSHA, 7), now)] });
    await upload(t, { deviceId: "car-2", events: [hitAt(north(CHANGSHA, -7), now)] });
    // A bump 11 m away is something else: only the larger radius joins kinds that disagree.
    await upload(t, { deviceId: "car-4", events: [hitAt(east(CHANGSHA, 11), now, { kind: "bump" })] });
    expect((await spots(t)).map((s) => [s.kind, s.devices])).toEqual([
      ["pothole", 2],
      ["bump", 1],
    ]);
    const third = await upload(t, { deviceId: "car-3", events: [hitAt(CHANGSHA, now)] });
    expect(third.body.spots).toEqual([{ id: expect.any(String), state: "confirmed" }]);
    expect(await counts(t)).toMatchObject({ reports: 1, orders: 1, spots: 2 });
  });

  it("folds a spot opened beside another into it once they come within reach, counting each device once", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    const now = t.clock();
    await upload(t, { deviceId: "car-1", events: [hitAt(middle, now)] }, "a");
    // 18 m north is beyond the two radii (16 m): another spot, by the same car on another drive.
    const apart = await upload(
      t,
      { deviceId: "car-1", events: [hitAt(north(middle, 18), now + 60_000)] },
      "b",
    );
    expect(await spots(t)).toHaveLength(2);
    // A second car nearer the first spot moves it north: the other is within reach now, and folds.
    await upload(t, { deviceId: "car-2", events: [hitAt(north(middle, 8.5), now)] }, "c");
    const [folded] = await spots(t);
    expect(await spots(t)).toHaveLength(1);
    // Two devices, not three: car-1's hits at both were one device's, and its second look moved nothing.
    expect(folded).toMatchObject({ devices: 2, state: "candidate" });
    expect(((folded?.lat ?? 0) - middle.lat) * 111_195).toBeCloseTo(4.25, 1);
    expect(await counts(t)).toMatchObject({ orders: 0 });
    // The folded spot's id, as its upload's answer gave it, leads to the spot it became part of.
    const gone = await t.app.request(`/api/sensor/spots/${apart.body.spots[0].id}`);
    expect(gone.status).toBe(308);
    expect(await gone.json()).toEqual({ foldedInto: expect.any(String) });
    const led = await t.app.request(gone.headers.get("location") ?? "");
    expect((await led.json()).spot).toMatchObject({ devices: 2, hits: 3 });
    const third = await upload(t, { deviceId: "car-3", events: [hitAt(north(middle, 4), now)] }, "d");
    expect(third.body.spots[0].state).toBe("confirmed");
    expect(await counts(t)).toMatchObject({ reports: 1, orders: 1, spots: 1 });
  });
  it("counts a folded spot's old hits against the passes since it opened: no dispatch where most cars felt nothing", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    const DAY = 86_400_000;
    await upload(t, { deviceId: "car-a", events: [hitAt(middle, t.clock())] }, "a");
    // Nine days of eight cars a day over the place, none feeling anything.
    for (let day = 1; day <= 9; day++) {
      t.clock.advance(DAY);
      for (let car = 0; car < 8; car++) await passOver(t, `day-${day}-${car}`, north(middle, 6));
    }
    t.clock.advance(DAY);
    for (let car = 0; car < 7; car++) await passOver(t, `day-10-${car}`, north(middle, 6));
    // Then three vehicles hit 10–18 m north: a spot of its own, into which the first one folds.
    for (const [car, metres] of [
      ["car-c", 18],
      ["car-d", 18],
      ["car-e", 10],
    ] as const)
      await upload(t, { deviceId: car, events: [hitAt(north(middle, metres), t.clock())] }, car);
    const [spot, ...rest] = await spots(t);
    expect(rest).toEqual([]);
    // 4 vehicles hit it in 80 passes since the first of them: a candidate, not a work order.
    expect(spot).toMatchObject({ devices: 4, state: "candidate" });
    expect(await counts(t)).toMatchObject({ orders: 0 });
  });

  it("loses and counts twice no device when 40 phones scattered around one pothole upload at once", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    const now = t.clock();
    // Within 9 m of the middle, in a fixed scatter: spots open apart and fold as the uploads land.
    const scatter = (i: number) => [Math.sin(i * 12.9898) * 9, Math.cos(i * 78.233) * 9] as const;
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => {
        const [dn, de] = scatter(i);
        const events = [hitAt(east(north(middle, dn), de), now, { accuracyM: 3 })];
        return upload(t, { deviceId: `phone-${i}`, events }, `k${i}`);
      }),
    );
    expect(answers.every((a) => a.status === 202)).toBe(true);
    const all = await t.db.all<{ devices: number; hits: number }>(sql`SELECT devices, hits FROM road_spots`);
    expect(all.reduce((n, s) => n + s.devices, 0)).toBe(40);
    expect(all.reduce((n, s) => n + s.hits, 0)).toBe(40);
    expect(await t.db.all(sql`SELECT 1 FROM road_spot_hits`)).toHaveLength(40);
    expect(await counts(t)).toMatchObject({ reports: 1, orders: 1 });
  });
});

describe("hit share", () => {
  it("keeps a spot hit in 2 of 40 passes a candidate, though 2 devices would be enough here", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t, { minDevices: 2 });
    const now = t.clock();
    for (let i = 0; i < 38; i++) expect((await passOver(t, `driver-${i}`, CHANGSHA)).status).toBe(202);
    const cells = [`${Math.floor(CHANGSHA.lat / 1e-4)}:${Math.floor(CHANGSHA.lon / 1e-4)}`];
    await upload(t, { deviceId: "hit-1", events: [hitAt(CHANGSHA, now)], cells }, "h1");
    const last = await upload(t, { deviceId: "hit-2", events: [hitAt(CHANGSHA, now)], cells }, "h2");
    expect(last.body.spots[0].state).toBe("candidate");
    const spot = (await (await t.app.request(`/api/sensor/spots/${last.body.spots[0].id}`)).json()).spot;
    expect(spot).toMatchObject({ devices: 2, hitPasses: 2, passes: 40, hitShare: 0.05 });
    expect(await counts(t)).toMatchObject({ reports: 0 });
  });

  it("counts passes by network: made-up ids passing from one network cannot hold a real pothole back", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t, { minDevices: 2 });
    const now = t.clock();
    for (let i = 0; i < 38; i++) await passOver(t, `made-up-${i}`, CHANGSHA, "one-network");
    const cells = [`${Math.floor(CHANGSHA.lat / 1e-4)}:${Math.floor(CHANGSHA.lon / 1e-4)}`];
    await upload(t, { deviceId: "hit-1", events: [hitAt(CHANGSHA, now)], cells }, "h1");
    const last = await upload(t, { deviceId: "hit-2", events: [hitAt(CHANGSHA, now)], cells }, "h2");
    expect(last.body.spots[0].state).toBe("confirmed");
    const spot = (await (await t.app.request(`/api/sensor/spots/${last.body.spots[0].id}`)).json()).spot;
    expect(spot).toMatchObject({ devices: 2, hitPasses: 2, passes: 3 });
  });
});

describe("passes at a cell's edge", () => {
  // A phone's cells as the Drive page and `sensor replay` record them: an eastward drive at 12 m/s.
  const drivenEastAlong = (lat: number) =>
    drivenCells(
      [-2, -1, 0, 1, 2].map((s) => ({
        t: (s + 2) * 1000,
        lat,
        lon: CHANGSHA.lon + (s * 12) / (111_195 * 0.88),
        accuracyM: 4,
        speedMps: 12,
        headingDeg: 90,
      })),
    );

  it("counts the cars either side of the edge a spot lies on as its passes, not the busier side's alone", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t); // 3 vehicles, half the passes
    const now = t.clock();
    // A spot on the edge between two rows of road cells: GPS puts some cars 1.7 m north, some south.
    const edge = { lat: (Math.floor(CHANGSHA.lat / 1e-4) + 1) * 1e-4, lon: CHANGSHA.lon };
    for (let i = 0; i < 5; i++) {
      await upload(t, { deviceId: `unfelt-${i}`, events: [], cells: drivenEastAlong(edge.lat - 1.5e-5) });
    }
    let last: Awaited<ReturnType<typeof upload>> | undefined;
    for (let i = 0; i < 3; i++) {
      const cells = drivenEastAlong(edge.lat + 1.5e-5);
      last = await upload(t, { deviceId: `felt-${i}`, events: [hitAt(edge, now)], cells });
    }
    // Hit in 3 of 8 passes: below half. The busier row alone read 3 of 5 and confirmed it.
    const spot = (await (await t.app.request(`/api/sensor/spots/${last?.body.spots[0].id}`)).json()).spot;
    expect(spot).toMatchObject({ state: "candidate", devices: 3, hitPasses: 3, passes: 8 });
    expect(await counts(t)).toMatchObject({ reports: 0 });
  });
});

describe("hit share by network", () => {
  it("counts passes that hit by network too: made-up ids from one network cannot lift a spot most cars drive over unfelt", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t); // 3 vehicles, half the passes
    const now = t.clock();
    const cells = [`${Math.floor(CHANGSHA.lat / 1e-4)}:${Math.floor(CHANGSHA.lon / 1e-4)}`];
    const hit = (deviceId: string, network: string) =>
      upload(t, { deviceId, events: [hitAt(CHANGSHA, now)], cells }, undefined, network);
    // One network's five made-up ids, 10 cars passing unfelt, and 2 more cars that felt it:
    // 3 vehicles, 3 of 13 passes by network (the ids alone would read 7 of 13).
    for (let i = 0; i < 5; i++) await hit(`sybil-${i}`, "sybil");
    for (let i = 0; i < 10; i++) await passOver(t, `passer-${i}`, CHANGSHA);
    await hit("real-1", "real-1");
    let last = await hit("real-2", "real-2");
    expect(last.body.spots[0].state).toBe("candidate");
    // Fifteen more ids from that network the same day change nothing.
    for (let i = 5; i < 20; i++) last = await hit(`sybil-${i}`, "sybil");
    expect(last.body.spots[0].state).toBe("candidate");
    expect(await counts(t)).toMatchObject({ reports: 0 });
    // Real cars that felt it: 4 of 14 passes ... 9 of 19, then 10 of 20 confirms.
    for (let i = 3; i <= 8; i++) last = await hit(`real-${i}`, `real-${i}`);
    expect(last.body.spots[0].state).toBe("candidate");
    last = await hit("real-9", "real-9");
    expect(last.body.spots[0].state).toBe("confirmed");
    const [report] = await t.db.all<{ description: string }>(sql`SELECT description FROM reports`);
    expect(report?.description).toContain("confirmed by 10 vehicles, hit in 10 of 20 passes");
  });
});

describe("passes written twice", () => {
  it("counts a cell written with leading zeros as the cell itself: one network, one pass a day", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    const cell = `${Math.floor(CHANGSHA.lat / 1e-4)}:${Math.floor(CHANGSHA.lon / 1e-4)}`;
    const res = await upload(t, {
      deviceId: "p",
      events: [],
      cells: [cell, `0${cell}`],
    });
    expect(res.status).toBe(202);
    // Again, as another made-up id from the same network, the same day: still the one pass.
    await upload(t, { deviceId: "q", events: [], cells: [`0${cell}`] }, undefined, "phone:p");
    const [row] = await t.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM cell_passes`);
    expect(row?.n).toBe(1);
  });
});

describe("retries and bad input", () => {
  it("changes nothing when a batch is retried with the same key, and answers as the first time", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    const body = {
      deviceId: "phone-a",
      events: [hitAt(CHANGSHA, t.clock() - 1000), hitAt(CHANGSHA, t.clock())],
    };
    const first = await upload(t, body, "same-key");
    const again = await upload(t, body, "same-key");
    expect(again).toEqual(first);
    const [row] = await t.db.all<{ hits: number }>(sql`SELECT hits FROM road_spots`);
    expect(row?.hits).toBe(2);
    const reused = await upload(t, { ...body, events: body.events.slice(1) }, "same-key");
    expect(reused.status).toBe(422);
    expect(reused.body.error).toMatchObject({ code: "idempotency_key_reused", field: "Idempotency-Key" });
  });

  it("refuses a batch with one malformed event, naming it, and writes nothing of it", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    const events = [0, 1, 2, 3].map((i) => hitAt(north(CHANGSHA, i * 40), t.clock()));
    const bad = [...events.slice(0, 3), { ...events[3], lat: 123 }] as typeof events;
    const res = await upload(t, { deviceId: "phone-a", events: bad, cells: ["281941:1129823"] }, "bad");
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe("events[3].lat");
    const kind = await upload(
      t,
      { deviceId: "p", events: [{ ...events[0], kind: "crater" }] } as never,
      "bad2",
    );
    expect(kind.body.error.field).toBe("events[0].kind");
    const cell = await upload(t, { deviceId: "p", events: [], cells: ["x"] }, "bad3");
    expect(cell.body.error.field).toBe("cells[0]");
    // A key zod would drop without a word: refused by name, as in every other body.
    const proto = JSON.parse(
      `{"deviceId":"p","events":[${JSON.stringify(events[0]).replace("{", '{"__proto__":1,')}]}`,
    );
    const protoKey = await upload(t, proto, "bad4");
    expect(protoKey.status).toBe(400);
    expect(protoKey.body.error.field).toBe("events[0].__proto__");
    const [row] = await t.db.all<{ n: number }>(
      sql`SELECT (SELECT count(*) FROM road_spots) + (SELECT count(*) FROM cell_passes) + (SELECT count(*) FROM sensor_batches) AS n`,
    );
    expect(row?.n).toBe(0);
  });

  it("refuses events no car could have felt one after the other (one phone in places far apart at once), writing nothing", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    const now = t.clock();
    // A made-up upload: potholes 1 km apart all over the city, felt in the same second.
    const sprayed = Array.from({ length: 20 }, (_, i) =>
      hitAt(north(east(CHANGSHA, (i % 5) * 1000), Math.floor(i / 5) * 1000), now),
    );
    const res = await upload(t, { deviceId: "sprayer", events: sprayed }, "spray");
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: "invalid_field", field: "events[1]" });
    expect(res.body.error.message).toMatch(
      /^events\[1\]: 100\d m from events\[0\], 0 s after it: no car moves that fast \(over 100 m\/s\)$/,
    );
    // Listed out of order, the event reached too soon is named by its place in the list.
    const late = hitAt(east(CHANGSHA, 3000), now + 10_000);
    const early = hitAt(CHANGSHA, now);
    const swapped = await upload(t, { deviceId: "p", events: [late, early] }, "swapped");
    expect(swapped.body.error.field).toBe("events[0]");
    expect(await counts(t)).toMatchObject({ spots: 0 });

    // What a car does: 3 km in 100 s (108 km/h), two hits of one pothole by its two axles, a fix jumping
    // by its accuracy, a phone without a fix (0,0) between two hits, and the same drive listed backwards.
    const drive = [
      hitAt(CHANGSHA, now - 100_000),
      hitAt(east(CHANGSHA, 3000), now),
      hitAt(east(CHANGSHA, 3001), now + 100),
      hitAt({ lat: 0, lon: 0 }, now + 200),
      hitAt(east(CHANGSHA, 3060), now + 300, { accuracyM: 20 }),
    ];
    for (const [i, events] of [drive, [...drive].reverse()].entries()) {
      const fine = await upload(t, { deviceId: "driver", events }, `drive${i}`);
      expect(fine.status, JSON.stringify(fine.body)).toBe(202);
    }
    // Nor may the potholes be spread a day apart, which no pace forbids: in the past or ahead.
    const DAY = 86_400_000;
    const before = await counts(t);
    for (const sign of [-1, 1]) {
      const days = Array.from({ length: 20 }, (_, i) =>
        hitAt(north(east(CHANGSHA, (i % 5) * 1000), Math.floor(i / 5) * 1000), now + sign * i * DAY),
      );
      const spread = await upload(t, { deviceId: "sprayer", events: days }, `days${sign}`);
      expect(spread.status).toBe(400);
      expect(spread.body.error.field).toBe(sign > 0 ? "events[2]" : "events[17]");
      expect(spread.body.error.message).toMatch(/over a day after events\[\d+\]/);
    }
    expect(await counts(t)).toEqual(before);
    // A phone whose clock runs an hour ahead keeps its drive's pace: taken whole.
    const ahead = drive.map((e) => ({ ...e, at: new Date(Date.parse(e.at) + 3_600_000).toISOString() }));
    const fast = await upload(t, { deviceId: "fast-clock", events: ahead }, "ahead");
    expect(fast.status, JSON.stringify(fast.body)).toBe(202);
    expect(fast.body.accepted).toBe(4);
  });

  it("refuses a key given twice, in the batch or in an event, naming it, and writes nothing of it", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    const event = JSON.stringify(hitAt(CHANGSHA, t.clock()));
    const post = async (text: string) => {
      const res = await t.app.request("/api/sensor/batches", {
        method: "POST",
        headers: { "content-type": "application/json", ...fromResident("twice") },
        body: text,
      });
      // biome-ignore lint/suspicious/noExplicitAny: the error is inspected field by field
      return { status: res.status, body: (await res.json()) as any };
    };
    const cases: [string, string][] = [
      // JSON.parse keeps the last, Changsha's lat; a proxy or a log reading the first reads 0.
      [`{"deviceId":"p","events":[${event},${event.replace('"lat":', '"lat":0,"lat":')}]}`, "events[1].lat"],
      [`{"deviceId":"a","deviceId":"b","events":[${event}]}`, "deviceId"],
      [`{"deviceId":"p","events":[${event}],"cells":[],"cells":["281941:1129823"]}`, "cells"],
      // Spelt with an escape, and beside a key zod would refuse (the path zod checks).
      [
        `{"deviceId":"p","events":[${event.replace('"kind":', '"extra":1,"kin\\u0064":"bump","kind":')}]}`,
        "events[0].kind",
      ],
    ];
    for (const [text, field] of cases) {
      JSON.parse(text); // each is valid JSON
      const res = await post(text);
      expect(res.status, text).toBe(400);
      expect(res.body.error).toMatchObject({ code: "invalid_field", field });
      expect(res.body.error.message).toBe(`${field}: is given more than once`);
    }
    // Keys that only look alike, and a colon inside a string, are no repetition.
    const fine = await post(`{"deviceId":"p:\\"lat\\":","events":[${event}],"cells":["281941:1129823"]}`);
    expect(fine.status).toBe(202);
    const [row] = await t.db.all<{ spots: number; hits: number; passes: number }>(sql`SELECT
      (SELECT count(*) FROM road_spots) AS spots, (SELECT sum(hits) FROM road_spots) AS hits,
      (SELECT count(*) FROM cell_passes) AS passes`);
    expect(row).toEqual({ spots: 1, hits: 1, passes: 1 });
  });

  it("refuses an event nearer a pole than any road, at once, and keeps no hit a reset clock dated long ago", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    // Near a pole a metre spans degrees of longitude without bound: such an event once took the
    // server minutes (past this test's timeout) to key its squares, and then failed with a 500.
    for (const [i, lat] of [90, -90, 89.99999, 85.5].entries()) {
      const res = await upload(
        t,
        { deviceId: "p", events: [hitAt({ lat, lon: 180 }, t.clock())] },
        `pole${i}`,
      );
      expect(res.status).toBe(400);
      expect(res.body.error.field).toBe("events[0].lat");
    }
    const far = await upload(
      t,
      { deviceId: "p", events: [hitAt({ lat: 84.9, lon: 179.99 }, t.clock())] },
      "far",
    );
    expect(far.status).toBe(202);
    const old = await upload(
      t,
      {
        deviceId: "phone-1970",
        events: [
          { ...hitAt(CHANGSHA, t.clock()), at: "1970-01-01T00:00:00Z" },
          { ...hitAt(CHANGSHA, t.clock()), at: "0000-01-01T00:00:00Z" },
          hitAt(CHANGSHA, t.clock() - 60_000),
        ],
      },
      "old",
    );
    expect(old.status).toBe(202);
    expect(old.body.accepted).toBe(1);
    const [row] = await t.db.all<{ first_hit_at: number; hits: number }>(
      sql`SELECT first_hit_at, hits FROM road_spots WHERE lat < 80`,
    );
    expect(row).toEqual({ first_hit_at: t.clock() - 60_000, hits: 1 });
  });

  it("leaves out events at exactly 0,0 (no position fix), keeping the drive's placed events and cells", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    const noFix = hitAt({ lat: 0, lon: 0 }, t.clock());
    const cells = ["281941:1129823"];
    const res = await upload(
      t,
      { deviceId: "phone-a", events: [noFix, hitAt(CHANGSHA, t.clock()), noFix], cells },
      "nofix",
    );
    expect(res.status).toBe(202);
    // `accepted` says two of the three were left out, as it does for events dated long ago.
    expect(res.body.accepted).toBe(1);
    expect(res.body.spots).toHaveLength(1);
    const only = await upload(t, { deviceId: "phone-b", events: [noFix] }, "nofix-only");
    expect(only.body).toEqual({ accepted: 0, spots: [] });
    // Near 0,0 but placed (a road in Ghana or on the equator) is a place like any other, in a city
    // whose departments' areas are there.
    await makeDepartment(t, {
      code: "accra",
      services: [],
      area: squareAround({ lat: 0, lon: 0.001 }, 2000),
    });
    const near = await upload(t, { deviceId: "phone-c", events: [hitAt({ lat: 0, lon: 1e-6 }, t.clock())] });
    expect(near.body.accepted).toBe(1);
    const [row] = await t.db.all<{ spots: number; at_null_island: number; passes: number }>(sql`SELECT
      (SELECT count(*) FROM road_spots) AS spots,
      (SELECT count(*) FROM road_spots WHERE lat = 0 AND lon = 0) AS at_null_island,
      (SELECT count(*) FROM cell_passes) AS passes`);
    expect(row).toEqual({ spots: 2, at_null_island: 0, passes: 1 });
  });

  it("leaves out events whose fix is wider than any spot: phones on one cell tower's position confirm nothing", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    for (const phone of ["a", "b", "c"]) {
      const res = await upload(t, {
        deviceId: `tower-${phone}`,
        events: [hitAt(CHANGSHA, t.clock(), { accuracyM: 800 }), hitAt(east(CHANGSHA, 300), t.clock())],
      });
      expect(res.status).toBe(202);
      expect(res.body.accepted).toBe(1);
    }
    const rows = await t.db.all<{ state: string; lon: number }>(sql`SELECT state, lon FROM road_spots`);
    // Only the well-placed hits made a spot: confirmed by the three phones, as it should be.
    expect(rows).toEqual([{ state: "confirmed", lon: expect.closeTo(east(CHANGSHA, 300).lon, 9) }]);
    const edge = await upload(t, {
      deviceId: "edge",
      events: [hitAt(east(CHANGSHA, 600), t.clock(), { accuracyM: 50 })],
    });
    expect(edge.body.accepted).toBe(1);
  });

  it("takes an event's time with an offset, as phones in Changsha may write it (+08:00)", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    const utc = t.clock() - 60_000;
    const local = new Date(utc + 8 * 3_600_000).toISOString().replace("Z", "+08:00");
    const res = await upload(
      t,
      { deviceId: "phone-cn", events: [{ ...hitAt(CHANGSHA, utc), at: local }] },
      "cn",
    );
    expect(res.status).toBe(202);
    const spot = (await (await t.app.request(`/api/sensor/spots/${res.body.spots[0].id}`)).json()).spot;
    const [row] = await t.db.all<{ first_hit_at: number }>(sql`SELECT first_hit_at FROM road_spots`);
    expect(row?.first_hit_at).toBe(utc);
    // Shown to anyone to the day only.
    expect(spot.firstHitAt).toBe(`${new Date(utc).toISOString().slice(0, 10)}T00:00:00.000Z`);
    const wrong = await upload(
      t,
      { deviceId: "p", events: [{ ...hitAt(CHANGSHA, utc), at: "1 Dec 2026" }] },
      "w",
    );
    expect(wrong.body.error.field).toBe("events[0].at");
    // Said how it is written: "Invalid ISO datetime" left an app's developer guessing at the zone.
    expect(wrong.body.error.message).toContain("Z or an offset such as +08:00");
  });
});

describe("one phone against the other vehicles (an audit: one device decided a spot's kind and moved it)", () => {
  const spotNear = async (t: Awaited<ReturnType<typeof makeTestApp>>, p: { lat: number; lon: number }) => {
    const [spot] = await t.db.all<{ kind: string; state: string; lat: number; lon: number }>(
      sql`SELECT kind, state, lat, lon FROM road_spots ORDER BY abs(lat - ${p.lat}) + abs(lon - ${p.lon}) LIMIT 1`,
    );
    return spot;
  };

  it("keeps a pothole two vehicles felt a pothole, whatever one phone says of it, however often", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    const now = t.clock();
    for (const car of ["car-1", "car-2"])
      await upload(t, { deviceId: car, events: [hitAt(CHANGSHA, now)] }, car);
    const bumps = Array.from({ length: 5 }, (_, i) => hitAt(CHANGSHA, now - i * 60_000, { kind: "bump" }));
    for (const n of [1, 2, 3])
      await upload(t, { deviceId: "liar", events: bumps }, `liar-${n}`, "liar-network");
    // Its hits are hits (a third vehicle felt something there); what it says they were is one voice.
    expect(await spotNear(t, CHANGSHA)).toMatchObject({ kind: "pothole", state: "confirmed" });
    expect(await counts(t)).toMatchObject({ orders: 1 });
  });

  it("keeps a pothole two vehicles felt a pothole, though one network's made-up devices each call it a bump", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    const now = t.clock();
    for (const car of ["car-1", "car-2"])
      await upload(t, { deviceId: car, events: [hitAt(CHANGSHA, now)] }, car);
    // Six device ids cost nothing: from one network they are one vote a day, as they are one vehicle.
    for (const n of [1, 2, 3, 4, 5, 6])
      await upload(
        t,
        { deviceId: `made-up-${n}`, events: [hitAt(CHANGSHA, now, { kind: "bump" })] },
        `made-up-${n}`,
        "sybil-network",
      );
    expect(await spotNear(t, CHANGSHA)).toMatchObject({ kind: "pothole", state: "confirmed" });
    expect(await counts(t)).toMatchObject({ orders: 1 });
    // Pulled by one look of that network, not six.
    for (const n of [7, 8, 9, 10, 11, 12])
      await upload(
        t,
        { deviceId: `made-up-${n}`, events: [hitAt(north(CHANGSHA, 6), now, { accuracyM: 0 })] },
        `made-up-${n}`,
        "sybil-network-2",
      );
    const spot = await spotNear(t, CHANGSHA);
    expect(((spot?.lat ?? 0) - CHANGSHA.lat) * 111_195).toBeLessThan(3);
  });

  it("dispatches nothing for a speed bump three vehicles felt a bump, when one phone calls it a pothole", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    const now = t.clock();
    for (const car of ["car-1", "car-2", "car-3"])
      await upload(t, { deviceId: car, events: [hitAt(CHANGSHA, now, { kind: "bump" })] }, car);
    const potholes = Array.from({ length: 5 }, (_, i) => hitAt(CHANGSHA, now - i * 60_000));
    const answer = await upload(t, { deviceId: "liar", events: potholes }, "liar", "liar-network");
    expect(answer.status).toBe(202);
    expect(await spotNear(t, CHANGSHA)).toMatchObject({ kind: "bump", state: "candidate" });
    expect(await counts(t)).toMatchObject({ orders: 0 });
  });

  it("takes one upload's several groups at one spot as one look", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    const now = t.clock();
    for (const car of ["car-1", "car-2"])
      await upload(t, { deviceId: car, events: [hitAt(CHANGSHA, now)] }, car);
    // 7 m north and 7 m south: too far apart for one group, both within the spot's reach.
    const two = [hitAt(north(CHANGSHA, 7), now - 60_000), hitAt(north(CHANGSHA, -7), now)];
    await upload(t, { deviceId: "car-3", events: two }, "car-3");
    const [spot] = await t.db.all<{ n: number; weight: number }>(
      sql`SELECT count(*) AS n, max(weight) AS weight FROM road_spots`,
    );
    // Each look of a 4 m fix (floored at 5 m) weighs 1/25: two cars and one look.
    expect(spot).toMatchObject({ n: 1 });
    expect(spot?.weight).toBeCloseTo(3 / 25, 6);
  });

  it("moves a spot's centre by one look from one phone, however many fixes it claims exact", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    const now = t.clock();
    for (const car of ["car-1", "car-2"])
      await upload(t, { deviceId: car, events: [hitAt(CHANGSHA, now)] }, car);
    for (const [n, metres] of [7, 14, 21].entries()) {
      const pulls = Array.from({ length: 20 }, (_, i) =>
        hitAt(north(CHANGSHA, metres), now - i * 1000, { accuracyM: 0 }),
      );
      await upload(t, { deviceId: "mover", events: pulls }, `mover-${n}`, "mover-network");
    }
    const spot = await spotNear(t, CHANGSHA);
    expect(((spot?.lat ?? 0) - CHANGSHA.lat) * 111_195).toBeLessThan(3);
  });
});

describe("passes before a spot opened", () => {
  it("are no evidence against it: a street driven for days before a pothole formed still confirms it", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    const DAY = 86_400_000;
    // Six days of traffic over the place, from six networks a day (no hole yet).
    for (let day = 0; day < 6; day++) {
      for (let car = 0; car < 6; car++)
        await passOver(t, `commuter-${car}`, CHANGSHA, `commuter-${day}-${car}`);
      t.clock.advance(DAY);
    }
    // Then the hole: three vehicles hit it (and pass over it), the same day.
    for (const car of ["car-1", "car-2", "car-3"]) {
      const res = await upload(t, { deviceId: car, events: [hitAt(CHANGSHA, t.clock())] }, car);
      expect(res.status).toBe(202);
      await passOver(t, car, CHANGSHA, `phone:${car}`);
    }
    const [spot] = await t.db.all<{ state: string }>(sql`SELECT state FROM road_spots`);
    expect(spot?.state).toBe("confirmed");
    expect(await counts(t)).toMatchObject({ orders: 1 });
  });
});

describe("a network's daily budget of road events and cells", () => {
  it("refuses a batch past it whole, gives back what it counted, and never counts a retry", async () => {
    const t = await makeTestApp({
      config: { rateLimits: parseLimits("sensor_events.network=5/1d,sensor_cells.network=12/1d") },
    });
    await makeSensorCity(t);
    const hits = (n: number, metres: number) =>
      Array.from({ length: n }, (_, i) =>
        hitAt(east(CHANGSHA, metres + 60 * i), t.clock() - (n - i) * 5_000),
      );
    const spots = async () =>
      Number((await t.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM road_spots`))[0]?.n);

    expect((await upload(t, { deviceId: "taxi", events: hits(3, 0) }, "first", "one-network")).status).toBe(
      202,
    );
    // The same batch again: answered as before, nothing more counted.
    expect((await upload(t, { deviceId: "taxi", events: hits(3, 0) }, "first", "one-network")).status).toBe(
      202,
    );
    const refused = await upload(t, { deviceId: "taxi", events: hits(3, 1000) }, "second", "one-network");
    expect(refused.status).toBe(429);
    expect(refused.body.error.message).toMatch(/too many road events from this network today/);
    expect(await spots()).toBe(3);
    // What the refused batch counted was given back: two more still fit the day.
    expect(
      (await upload(t, { deviceId: "taxi", events: hits(2, 2000) }, "third", "one-network")).status,
    ).toBe(202);
    expect(await spots()).toBe(5);
    // Cells count on their own budget; another network has its own.
    const cells = roadCellNeighbourhood(north(CHANGSHA, 3000));
    expect(cells.length).toBeGreaterThan(5);
    expect((await upload(t, { deviceId: "taxi", events: [], cells }, "cells", "one-network")).status).toBe(
      202,
    );
    expect((await upload(t, { deviceId: "taxi", events: [], cells }, "cells-2", "one-network")).status).toBe(
      429,
    );
    expect((await upload(t, { deviceId: "bus", events: hits(3, 4000) }, "bus", "other-network")).status).toBe(
      202,
    );
  });
});
