/** Street Bump mode after confirmation: known features, fixture rejections, verified repairs, reopening. */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { runDispatch } from "../src/dispatch/run";
import { roadCellNeighbourhood } from "../src/domain/road-cells";
import { KEY_CELL_DEG } from "../src/domain/sensor";
import { checkRepairs } from "../src/store/sensor-repairs";
import { makeTestApp, type TestApp } from "./support/app";
import { asAdmin, CHANGSHA, east, north, reportAt } from "./support/fixtures";
import { interleaved } from "./support/interleave";
import { hitAt, makeSensorCity, passOver, upload } from "./support/sensor";
import { stillThere, workOrderAt } from "./support/work-orders";

const DAY = 86_400_000;

/** Three phones hit a point: the spot confirms and dispatches. */
async function confirmAt(t: TestApp, p: { lat: number; lon: number }, tag = "x") {
  let last: Awaited<ReturnType<typeof upload>> | undefined;
  for (const phone of ["a", "b", "c"]) {
    last = await upload(t, { deviceId: `${tag}-${phone}`, events: [hitAt(p, t.clock())] }, `${tag}-${phone}`);
  }
  const spot = (await (await t.app.request(`/api/sensor/spots/${last?.body.spots[0].id}`)).json()).spot;
  return spot as { id: string; state: string; clusterId: string | null };
}

const workOrderOf = async (t: TestApp, clusterId: string) =>
  (await (await t.app.request(`/api/clusters/${clusterId}`)).json()).cluster;

const move = (t: TestApp, workOrderId: string, body: object) =>
  t.app.request(`/api/department/work-orders/${workOrderId}/transitions`, {
    method: "POST",
    ...asAdmin(body),
  });

const workOrderCount = async (t: TestApp) =>
  (await t.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM work_orders`))[0]?.n;

/** The admin imports a manhole cover at a point as a known feature. */
async function importManhole(t: TestApp, p: { lat: number; lon: number }) {
  const imported = await t.app.request("/api/admin/known-features", {
    method: "POST",
    ...asAdmin({
      type: "FeatureCollection",
      features: [
        {
          type: "Feature",
          geometry: { type: "Point", coordinates: [p.lon, p.lat] },
          properties: { kind: "manhole" },
        },
      ],
    }),
  });
  expect(imported.status).toBe(201);
}

describe("a problem phones confirmed", () => {
  it("lists no words of the phones' report as residents' words, only those residents wrote", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    const spot = await confirmAt(t, CHANGSHA);
    const sensed = await workOrderOf(t, spot.clusterId as string);
    expect(sensed.descriptions).toEqual([]);
    await reportAt(t, CHANGSHA, { description: "Deep hole by the bus stop" });
    const after = await workOrderOf(t, spot.clusterId as string);
    expect(after.descriptions.map((d: { text: string }) => d.text)).toEqual(["Deep hole by the bus stop"]);
  });
});

describe("known features", () => {
  it("never dispatches at imported manholes, while a pothole beside them does", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    const manhole = east(CHANGSHA, 200);
    await importManhole(t, manhole);
    for (const phone of ["a", "b", "c", "d"]) {
      const res = await upload(
        t,
        { deviceId: phone, events: [hitAt(north(manhole, 2), t.clock())] },
        `m-${phone}`,
      );
      expect(res.body.spots[0].state).toBe("known_feature");
    }
    expect(await workOrderCount(t)).toBe(0);
    const spot = await confirmAt(t, CHANGSHA);
    expect(spot.state).toBe("confirmed");
    expect(await workOrderCount(t)).toBe(1);

    const list = await (await t.app.request("/api/sensor/known-features?bbox=112.9,28.1,113.1,28.3")).json();
    expect(list.features.map((f: { properties: { kind: string } }) => f.properties.kind)).toEqual([
      "manhole",
    ]);
  });

  it("keeps a pothole beside a manhole its own spot, however the manhole's spot is pulled towards it", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    // The middle of a square hits are keyed by: the manhole's spot and the pothole's share it.
    const manhole = {
      lat: (Math.floor(CHANGSHA.lat / KEY_CELL_DEG) + 0.5) * KEY_CELL_DEG,
      lon: CHANGSHA.lon,
    };
    await importManhole(t, manhole);
    const hole = north(manhole, 10);
    const now = t.clock();
    await upload(t, { deviceId: "car-0", events: [hitAt(manhole, now, { kind: "bump" })] }, "k");
    for (const car of ["car-1", "car-2"]) await upload(t, { deviceId: car, events: [hitAt(hole, now)] }, car);
    // One bump felt between them joins the manhole's spot and pulls it 2.5 m towards the hole.
    await upload(t, { deviceId: "puller", events: [hitAt(north(manhole, 4.9), now, { kind: "bump" })] }, "p");
    // A fix 14 m wide (a 12 m radius) beside the hole reaches the manhole's spot: it joins the hole's.
    await upload(t, { deviceId: "car-3", events: [hitAt(north(hole, 1), now, { accuracyM: 14 })] }, "car-3");
    const spots = await t.db.all<{ state: string; devices: number }>(
      sql`SELECT state, devices FROM road_spots ORDER BY lat`,
    );
    expect(spots).toEqual([
      { state: "known_feature", devices: 2 },
      { state: "confirmed", devices: 3 },
    ]);
    expect(await workOrderCount(t)).toBe(1);
  });

  it("never confirms a spot that opened just beyond a manhole's reach and drifted onto it", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    const manhole = east(CHANGSHA, 200);
    await importManhole(t, manhole);
    // The first hit 9 m off (a good fix reaches 8 m) opens a spot there; two more phones 4.5 m off
    // join it and pull its centre to 6 m: within reach, as a spot opened by them would have been.
    const first = await upload(t, { deviceId: "a", events: [hitAt(north(manhole, 9), t.clock())] });
    expect(first.body.spots[0].state).toBe("candidate");
    await upload(t, { deviceId: "b", events: [hitAt(north(manhole, 4.5), t.clock())] });
    const third = await upload(t, { deviceId: "c", events: [hitAt(north(manhole, 4.5), t.clock())] });
    expect(third.body.spots[0]).toEqual({ id: first.body.spots[0].id, state: "known_feature" });
    expect(await workOrderCount(t)).toBe(0);
    const spot = (await (await t.app.request(`/api/sensor/spots/${first.body.spots[0].id}`)).json()).spot;
    expect(spot).toMatchObject({ state: "known_feature", devices: 3, confirmedAt: null });
  });

  it("adds a feature imported again only once: a file imported twice changes nothing", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    const file = {
      type: "FeatureCollection",
      features: [CHANGSHA, east(CHANGSHA, 300), east(CHANGSHA, 300)].map((p) => ({
        type: "Feature",
        geometry: { type: "Point", coordinates: [p.lon, p.lat] },
        properties: { kind: "manhole" },
      })),
    };
    const send = async () =>
      (await t.app.request("/api/admin/known-features", { method: "POST", ...asAdmin(file) })).json();
    expect(await send()).toEqual({ imported: 2, spotsMarked: 0 });
    expect(await send()).toEqual({ imported: 0, spotsMarked: 0 });
    const list = await (await t.app.request("/api/admin/known-features", asAdmin())).json();
    expect(list.features).toHaveLength(2);
  });

  it("takes points with an altitude, as GIS exports write them, and names a malformed position", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    const send = (coordinates: number[]) =>
      t.app.request("/api/admin/known-features", {
        method: "POST",
        ...asAdmin({
          type: "FeatureCollection",
          features: [
            { type: "Feature", geometry: { type: "Point", coordinates }, properties: { kind: "manhole" } },
          ],
        }),
      });
    expect((await send([CHANGSHA.lon, CHANGSHA.lat, 48.5])).status).toBe(201);
    const refused = await send([CHANGSHA.lon, CHANGSHA.lat, 48.5, 1]);
    expect(refused.status).toBe(400);
    expect((await refused.json()).error.field).toBe("features.0.geometry.coordinates");
  });

  it("refuses a file with a feature outside the city (another city's, or [lat, lon] west of 90°E), and imports none of it", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    const feature = (coordinates: number[]) => ({
      type: "Feature",
      geometry: { type: "Point", coordinates },
      properties: { kind: "manhole" },
    });
    const refused = await t.app.request("/api/admin/known-features", {
      method: "POST",
      // Beijing's, over 1,000 km away.
      ...asAdmin({
        type: "FeatureCollection",
        features: [feature([CHANGSHA.lon, CHANGSHA.lat]), feature([116.4, 39.9]), feature([116.41, 39.9])],
      }),
    });
    expect(refused.status).toBe(400);
    const { error } = await refused.json();
    expect(error.field).toBe("features.1.geometry.coordinates");
    expect(error.message).toContain("2 of the 3 features are outside the area this city serves");
    expect(error.message).toContain("[longitude, latitude]");
    const list = await (await t.app.request("/api/admin/known-features", asAdmin())).json();
    expect(list.features).toEqual([]);
  });

  it("marks spots already sensed at a feature known when it is imported", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    const first = await upload(t, { deviceId: "a", events: [hitAt(CHANGSHA, t.clock())] }, "k1");
    await t.app.request("/api/admin/known-features", {
      method: "POST",
      ...asAdmin({
        type: "FeatureCollection",
        features: [
          {
            type: "Feature",
            geometry: { type: "Point", coordinates: [CHANGSHA.lon, CHANGSHA.lat] },
            properties: { kind: "speed_bump" },
          },
        ],
      }),
    });
    const spot = (await (await t.app.request(`/api/sensor/spots/${first.body.spots[0].id}`)).json()).spot;
    expect(spot.state).toBe("known_feature");
  });

  it("frees the spots a deleted feature had made known: the next vehicle confirms a pothole there", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    const wrong = east(CHANGSHA, 200);
    const real = east(CHANGSHA, 600);
    await importManhole(t, wrong);
    await importManhole(t, real);
    for (const phone of ["a", "b", "c"]) {
      for (const p of [wrong, real]) {
        const res = await upload(t, { deviceId: phone, events: [hitAt(north(p, 2), t.clock())] });
        expect(res.body.spots[0].state).toBe("known_feature");
      }
    }
    const features = await (await t.app.request("/api/admin/known-features", asAdmin())).json();
    const imported = features.features.find(
      (f: { geometry: { coordinates: number[] } }) => f.geometry.coordinates[0] === wrong.lon,
    );
    const deleted = await t.app.request(`/api/admin/known-features/${imported.id}`, {
      method: "DELETE",
      ...asAdmin(),
    });
    expect(deleted.status).toBe(204);
    const states = await t.db.all<{ state: string; devices: number }>(
      sql`SELECT state, devices FROM road_spots ORDER BY lon`,
    );
    expect(states).toEqual([
      { state: "candidate", devices: 3 },
      { state: "known_feature", devices: 3 },
    ]);
    const next = await upload(t, { deviceId: "d", events: [hitAt(north(wrong, 2), t.clock())] });
    expect(next.body.spots[0].state).toBe("confirmed");
    expect(await workOrderCount(t)).toBe(1);
    const still = await upload(t, { deviceId: "d", events: [hitAt(north(real, 2), t.clock())] });
    expect(still.body.spots[0].state).toBe("known_feature");
  });

  it("learns one from a department's rejection as a fixture: the place never dispatches again", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    const spot = await confirmAt(t, CHANGSHA);
    const cluster = await workOrderOf(t, spot.clusterId as string);
    const rejected = await move(t, cluster.workOrder.id, {
      to: "rejected",
      reason: "a manhole cover",
      fixture: true,
    });
    expect(rejected.status).toBe(200);
    const after = (await (await t.app.request(`/api/sensor/spots/${spot.id}`)).json()).spot;
    expect(after.state).toBe("known_feature");
    const features = await (await t.app.request("/api/admin/known-features", asAdmin())).json();
    expect(features.features).toHaveLength(1);
    // A fixture of no known sort: not the "pothole" the phones took it for.
    expect(features.features[0].properties).toMatchObject({ origin: "rejection", kind: "fixture" });

    // Later drivers at the same place: counted, never dispatched again.
    t.clock.advance(40 * DAY);
    for (const phone of ["d", "e", "f"]) {
      const res = await upload(
        t,
        { deviceId: phone, events: [hitAt(CHANGSHA, t.clock())] },
        `later-${phone}`,
      );
      expect(res.body.spots[0].state).toBe("known_feature");
    }
    expect(await workOrderCount(t)).toBe(1);
    expect((await move(t, cluster.workOrder.id, { to: "acknowledged", fixture: true })).status).toBe(409);
  });

  it("refuses 'a fixture' for a problem no phone sensed, and leaves it as it was", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    const typed = await workOrderAt(t, east(CHANGSHA, 500));
    const res = await move(t, typed.id, { to: "rejected", reason: "a manhole cover", fixture: true });
    expect(res.status).toBe(400);
    expect((await res.json()).error.field).toBe("fixture");
    expect((await workOrderOf(t, typed.clusterId)).workOrder.status).toBe("dispatched");
  });

  it("closes a work order rejected as a fixture for the public: not a defect, a known road feature", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    const spot = await confirmAt(t, CHANGSHA);
    const before = await workOrderOf(t, spot.clusterId as string);
    expect(before.status).toBe("dispatched");
    const res = await move(t, before.workOrder.id, {
      to: "rejected",
      reason: "a manhole cover",
      fixture: true,
    });
    expect(res.status).toBe(200);
    // No other department is asked: the work order is closed in the same write.
    const moved = (await res.json()).workOrder;
    expect(moved.status).toBe("closed");
    // The console offers only the moves the server takes: no "reopen" button that answers 409.
    expect(moved.allowedTransitions).not.toContain("reopened");
    const shown = await (
      await t.app.request(`/api/department/work-orders/${before.workOrder.id}`, asAdmin())
    ).json();
    expect(shown.workOrder.allowedTransitions).not.toContain("reopened");
    const listed = await (await t.app.request("/api/department/work-orders?status=closed", asAdmin())).json();
    expect(
      listed.workOrders.find((w: { id: string }) => w.id === before.workOrder.id)?.allowedTransitions,
    ).toEqual([]);

    const after = await workOrderOf(t, spot.clusterId as string);
    expect(after.status).toBe("closed");
    expect(after.workOrder.status).toBe("closed");
    expect(after.timeline.slice(-2)).toMatchObject([
      { type: "status_changed", to: "rejected", actor: "admin", note: "a manhole cover" },
      {
        type: "status_changed",
        from: "rejected",
        to: "closed",
        actor: "system",
        note: "not a defect: a known road feature",
      },
    ]);
    // The map's aggregates, whose public status is derived in SQL, agree with the page.
    const box = `bbox=${CHANGSHA.lon - 0.01},${CHANGSHA.lat - 0.01},${CHANGSHA.lon + 0.01},${CHANGSHA.lat + 0.01}`;
    for (const zoom of [16, 11]) {
      const onMap = async (status: string) =>
        (await (await t.app.request(`/api/map?${box}&zoom=${zoom}&status=${status}`)).json()).features;
      expect(await onMap("closed"), `zoom ${zoom}`).toHaveLength(1);
      expect(await onMap("awaiting_department"), `zoom ${zoom}`).toHaveLength(0);
    }
    const open311 = await (await t.app.request("/open311/v2/requests.json?extensions=true")).json();
    expect(open311).toHaveLength(1);
    expect(open311[0].status).toBe("closed");
    expect(open311[0].status_notes).toBe(
      "the only report of this problem; work order closed: not a defect: a known road feature",
    );
    expect(open311[0].extended_attributes.notes.at(-1)).toMatchObject({
      status: "closed",
      description: "not a defect: a known road feature",
    });

    // Nor may an admin reopen it: no repair to dispute, and a reopening would count against an older resolution.
    const reopened = await move(t, before.workOrder.id, { to: "reopened" });
    expect(reopened.status).toBe(409);
    expect((await reopened.json()).error.code).toBe("not_reopenable");
  });

  it("refuses a reporter's 'still there' for a problem closed as a fixture: no repair to dispute", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    const spot = await confirmAt(t, CHANGSHA);
    const resident = await reportAt(t, CHANGSHA, { deviceId: "fixture-resident-abcdef" });
    expect(resident.body.cluster.id).toBe(spot.clusterId);
    const { workOrder } = await workOrderOf(t, spot.clusterId as string);
    expect(
      (await move(t, workOrder.id, { to: "rejected", reason: "a manhole cover", fixture: true })).status,
    ).toBe(200);
    const refused = await stillThere(t, spot.clusterId as string, resident.body.receipt, "still there");
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe("not_reopenable");
    expect((await workOrderOf(t, spot.clusterId as string)).workOrder.status).toBe("closed");
  });

  it("suggests spots that felt mostly like bumps as known features in the admin's list", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    for (const phone of ["a", "b"]) {
      await upload(
        t,
        { deviceId: phone, events: [hitAt(CHANGSHA, t.clock(), { kind: "bump" })] },
        `b-${phone}`,
      );
    }
    const review = await (await t.app.request("/api/admin/sensor/spots", asAdmin())).json();
    expect(review.suggestedFeatures).toHaveLength(1);
    expect(review.suggestedFeatures[0]).toMatchObject({ kind: "bump", devices: 2 });
    expect(await workOrderCount(t)).toBe(0);
  });

  it("suggests no known feature from device ids made up on one network: one vehicle is not two", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    for (const phone of ["a", "b", "c"]) {
      const event = hitAt(east(CHANGSHA, 300), t.clock(), { kind: "bump" });
      await upload(t, { deviceId: phone, events: [event] }, `one-${phone}`, "one-network");
    }
    const review = await (await t.app.request("/api/admin/sensor/spots", asAdmin())).json();
    expect(review.candidates).toMatchObject([{ kind: "bump", devices: 3 }]);
    expect(review.suggestedFeatures).toEqual([]);
  });

  it("lists the candidates more phones felt first, so one phone's flood of spots buries none", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    for (const phone of ["a", "b"]) {
      await upload(t, { deviceId: phone, events: [hitAt(CHANGSHA, t.clock())] }, `felt-${phone}`);
    }
    t.clock.advance(60_000);
    // Later, one phone driving east: thirty spots no one else felt, 100 m and 5 s apart.
    const flood = Array.from({ length: 30 }, (_, i) =>
      hitAt(east(north(CHANGSHA, 500), 100 * (i + 1)), t.clock() - (30 - i) * 5_000),
    );
    await upload(t, { deviceId: "flood", events: flood }, "flood");
    const review = await (await t.app.request("/api/admin/sensor/spots", asAdmin())).json();
    expect(review.candidates).toHaveLength(31);
    expect(review.candidates[0]).toMatchObject({ devices: 2 });
  });
});

describe("after the repair", () => {
  async function repaired(t: TestApp) {
    await makeSensorCity(t);
    const spot = await confirmAt(t, CHANGSHA);
    const { workOrder } = await workOrderOf(t, spot.clusterId as string);
    expect((await move(t, workOrder.id, { to: "acknowledged" })).status).toBe(200);
    t.clock.advance(3 * 3_600_000);
    expect((await move(t, workOrder.id, { to: "resolved" })).status).toBe(200);
    return { spot, workOrder };
  }

  it("marks the cluster verified fixed by N passes when phones pass without a hit", async () => {
    const t = await makeTestApp();
    const { spot } = await repaired(t);
    t.clock.advance(DAY);
    await passOver(t, "later-1", CHANGSHA);
    await passOver(t, "later-2", CHANGSHA);
    expect(await checkRepairs(t.db, { now: t.clock() })).toEqual({ verified: 0, reopened: 0 });
    await passOver(t, "later-3", CHANGSHA);
    expect(await checkRepairs(t.db, { now: t.clock() })).toEqual({ verified: 1, reopened: 0 });
    expect(await checkRepairs(t.db, { now: t.clock() })).toEqual({ verified: 0, reopened: 0 });

    const after = (await (await t.app.request(`/api/sensor/spots/${spot.id}`)).json()).spot;
    expect(after.state).toBe("verified_fixed");
    const cluster = await workOrderOf(t, spot.clusterId as string);
    expect(cluster.workOrder.status).toBe("resolved");
    expect(cluster.timeline.at(-1)).toMatchObject({
      actor: "system",
      note: "verified fixed by 3 passes without a bump",
    });
  });

  it("verifies a repair despite one stray jolt, once the clean passes outnumber it by three", async () => {
    const t = await makeTestApp();
    const { spot } = await repaired(t);
    t.clock.advance(DAY);
    // One vehicle feels something there (a false alarm, or a hostile upload), as it drives over.
    const cells = roadCellNeighbourhood(CHANGSHA).slice(4, 5);
    await upload(t, { deviceId: "jolt", events: [hitAt(CHANGSHA, t.clock())], cells });
    for (const phone of ["later-1", "later-2", "later-3"]) await passOver(t, phone, CHANGSHA);
    expect(await checkRepairs(t.db, { now: t.clock() })).toEqual({ verified: 0, reopened: 0 });
    await passOver(t, "later-4", CHANGSHA);
    expect(await checkRepairs(t.db, { now: t.clock() })).toEqual({ verified: 1, reopened: 0 });
    const after = (await (await t.app.request(`/api/sensor/spots/${spot.id}`)).json()).spot;
    expect(after.state).toBe("verified_fixed");
    const cluster = await workOrderOf(t, spot.clusterId as string);
    expect(cluster.timeline.at(-1)).toMatchObject({ note: "verified fixed by 4 passes without a bump" });
  });

  it("does not verify a resolution reopened and resolved again after the check read it", async () => {
    const t = await makeTestApp();
    const { spot, workOrder } = await repaired(t);
    t.clock.advance(DAY);
    for (const phone of ["again-1", "again-2", "again-3"]) await passOver(t, phone, CHANGSHA);
    // Between the check's read and its write, the work is reopened and resolved again: that
    // resolution has had no pass yet, so nothing verifies it.
    const redone = async () => {
      expect((await move(t, workOrder.id, { to: "reopened" })).status).toBe(200);
      t.clock.advance(60_000);
      expect((await move(t, workOrder.id, { to: "resolved" })).status).toBe(200);
    };
    expect(await checkRepairs(interleaved(t.db, "all", redone), { now: t.clock() })).toEqual({
      verified: 0,
      reopened: 0,
    });
    const after = (await (await t.app.request(`/api/sensor/spots/${spot.id}`)).json()).spot;
    expect(after.state).toBe("confirmed");
  });

  it("does not verify a repair for made-up device ids passing from one network: one pass a day", async () => {
    const t = await makeTestApp();
    const { spot } = await repaired(t);
    t.clock.advance(DAY);
    for (const phone of ["fake-1", "fake-2", "fake-3", "fake-4", "fake-5"]) {
      await passOver(t, phone, CHANGSHA, "one-network");
    }
    expect(await checkRepairs(t.db, { now: t.clock() })).toEqual({ verified: 0, reopened: 0 });
    const seen = (await (await t.app.request(`/api/sensor/spots/${spot.id}`)).json()).spot;
    expect(seen.state).toBe("confirmed");
    // Two more vehicles, each from a network of its own, make three passes.
    await passOver(t, "later-1", CHANGSHA);
    await passOver(t, "later-2", CHANGSHA);
    expect(await checkRepairs(t.db, { now: t.clock() })).toEqual({ verified: 1, reopened: 0 });
  });

  it("reopens the work order when enough distinct devices still hit the spot after the repair", async () => {
    const t = await makeTestApp();
    const { spot } = await repaired(t);
    t.clock.advance(3_600_000);
    for (const phone of ["p", "q"]) {
      await upload(t, { deviceId: phone, events: [hitAt(CHANGSHA, t.clock())] }, `again-${phone}`);
    }
    expect(await checkRepairs(t.db, { now: t.clock() })).toEqual({ verified: 0, reopened: 0 });
    await upload(t, { deviceId: "r", events: [hitAt(CHANGSHA, t.clock())] }, "again-r");
    expect(await checkRepairs(t.db, { now: t.clock() })).toEqual({ verified: 0, reopened: 1 });
    const cluster = await workOrderOf(t, spot.clusterId as string);
    expect(cluster.workOrder.status).toBe("reopened");
    expect(cluster.timeline.at(-1)).toMatchObject({
      to: "reopened",
      actor: "sensor",
      note: "still felt by 3 vehicles after the repair",
    });
    expect(await workOrderCount(t)).toBe(1);
  });

  it("reopens by hits folded in from a spot GPS error had opened beside the repaired one", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    const middle = { lat: (Math.floor(CHANGSHA.lat / KEY_CELL_DEG) + 0.5) * KEY_CELL_DEG, lon: CHANGSHA.lon };
    const spot = await confirmAt(t, middle);
    const { workOrder } = await workOrderOf(t, spot.clusterId as string);
    expect((await move(t, workOrder.id, { to: "acknowledged" })).status).toBe(200);
    t.clock.advance(3_600_000);
    expect((await move(t, workOrder.id, { to: "resolved" })).status).toBe(200);
    t.clock.advance(3_600_000);
    // Beyond the repaired spot's reach a spot opens; the second car's hit pulls it within, and it folds.
    await upload(t, { deviceId: "v1", events: [hitAt(north(middle, 17), t.clock())] }, "v1");
    await upload(t, { deviceId: "v2", events: [hitAt(north(middle, 14), t.clock())] }, "v2");
    expect(await t.db.all(sql`SELECT 1 FROM road_spots`)).toHaveLength(1);
    await upload(t, { deviceId: "v3", events: [hitAt(north(middle, 2), t.clock())] }, "v3");
    expect(await checkRepairs(t.db, { now: t.clock() })).toEqual({ verified: 0, reopened: 1 });
    expect((await workOrderOf(t, spot.clusterId as string)).workOrder.status).toBe("reopened");
  });

  it("does not reopen for made-up device ids from one network: they count as one vehicle", async () => {
    const t = await makeTestApp();
    await repaired(t);
    t.clock.advance(3_600_000);
    for (const phone of ["p", "q", "r", "s"]) {
      await upload(
        t,
        { deviceId: phone, events: [hitAt(CHANGSHA, t.clock())] },
        `again-${phone}`,
        "one-network",
      );
    }
    expect(await checkRepairs(t.db, { now: t.clock() })).toEqual({ verified: 0, reopened: 0 });
    // Two more vehicles, each from a network of its own, make three.
    for (const phone of ["u", "v"]) {
      await upload(t, { deviceId: phone, events: [hitAt(CHANGSHA, t.clock())] }, `again-${phone}`);
    }
    expect(await checkRepairs(t.db, { now: t.clock() })).toEqual({ verified: 0, reopened: 1 });
  });

  /** Three more vehicles hit the place: the new spot they make and the work orders there are. */
  async function hitAgain(t: TestApp, tag: string) {
    const spot = await confirmAt(t, CHANGSHA, tag);
    return { spot, workOrders: await workOrderCount(t) };
  }

  it("dispatches a hole that comes back after a verified repair as a new spot and work order", async () => {
    const t = await makeTestApp();
    const { spot } = await repaired(t);
    t.clock.advance(DAY);
    for (const phone of ["later-1", "later-2", "later-3"]) await passOver(t, phone, CHANGSHA);
    expect(await checkRepairs(t.db, { now: t.clock() })).toEqual({ verified: 1, reopened: 0 });
    t.clock.advance(60 * DAY);
    const again = await hitAgain(t, "back");
    expect(again.spot.id).not.toBe(spot.id);
    expect(again.spot.state).toBe("confirmed");
    expect(again.spot.clusterId).not.toBe(spot.clusterId);
    expect(again.workOrders).toBe(2);
    const seen = (await (await t.app.request(`/api/sensor/spots/${spot.id}`)).json()).spot;
    expect(seen.state).toBe("verified_fixed");
  });

  it("dispatches it anew once the repair is older than a hit could reopen, even unverified", async () => {
    const t = await makeTestApp();
    const { spot } = await repaired(t);
    t.clock.advance(45 * DAY);
    const again = await hitAgain(t, "late");
    expect(again.spot.id).not.toBe(spot.id);
    expect(again.spot.state).toBe("confirmed");
    expect(again.workOrders).toBe(2);
  });
});

describe("who a cluster opened by phones was reported by", () => {
  it("says the road sensors on the timeline, in Open311 and in its feed; a typed report stays a resident's", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    const spot = await confirmAt(t, CHANGSHA);
    const cluster = await workOrderOf(t, spot.clusterId as string);
    expect(cluster.timeline[0]).toMatchObject({ type: "opened", actor: "sensor" });
    const updates = await (
      await t.app.request("/open311/v2/servicerequestupdates.json?start_date=2000-01-01T00:00:00Z")
    ).json();
    // The opening and its report added (one update): said as the sensors', no resident's.
    const said = updates.map((u: { description: string }) => u.description);
    expect(
      said.filter((d: string) => d === "The road sensors (residents' phones) reported this problem."),
    ).toHaveLength(1);
    expect(JSON.stringify(updates)).not.toContain("A resident reported");
    const requests = await (await t.app.request("/open311/v2/requests.json?extensions=true")).json();
    expect(requests[0].extended_attributes.notes[0]).toMatchObject({
      type: "opened",
      description: "The road sensors (residents' phones) reported this problem.",
    });

    const feed = await (await t.app.request(`/api/feeds/clusters/${spot.clusterId}.atom`)).text();
    expect(feed).toContain("The road sensors (residents&apos; phones) reported this problem.");
    expect(feed).not.toContain("A resident reported");

    // Beside it, a resident's typed report of the same service still reads as a resident's.
    const typed = await reportAt(t, east(CHANGSHA, 500));
    expect(typed.status).toBe(201);
    const typedCluster = await workOrderOf(t, typed.body.cluster.id);
    expect(typedCluster.timeline[0]).toMatchObject({ type: "opened", actor: "resident" });
  });
});

describe("a confirmation whose filing was lost", () => {
  it("is filed by the next dispatch round, once", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    for (const phone of ["a", "b"]) {
      await upload(t, { deviceId: phone, events: [hitAt(CHANGSHA, t.clock())] }, `lost-${phone}`);
    }
    // As if the process died between the upload's batch and the filing.
    await t.db.run(sql`UPDATE road_spots SET state = 'confirmed', confirmed_at = ${t.clock()}`);
    expect(await workOrderCount(t)).toBe(0);
    const round = () =>
      runDispatch(t.db, {
        now: t.clock(),
        fetch: async () => new Response(null, { status: 204 }),
        config: t.config,
      });
    expect((await round()).sensorFiled).toBe(1);
    expect((await round()).sensorFiled).toBe(0);
    expect(await workOrderCount(t)).toBe(1);
    const [spot] = await t.db.all<{ cluster_id: string | null }>(sql`SELECT cluster_id FROM road_spots`);
    expect(spot?.cluster_id).not.toBeNull();
  });

  it("lists the candidates more vehicles felt first, however many device ids one network made up", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    for (const phone of ["a", "b"]) {
      await upload(t, { deviceId: phone, events: [hitAt(CHANGSHA, t.clock())] }, `felt-${phone}`);
    }
    t.clock.advance(60_000);
    // Later, from one network, three made-up ids over the same ten spots: three devices each, one vehicle.
    for (const fake of ["fake-1", "fake-2", "fake-3"]) {
      const spots = Array.from({ length: 10 }, (_, i) =>
        hitAt(east(north(CHANGSHA, 500), 100 * (i + 1)), t.clock() - (10 - i) * 5_000),
      );
      await upload(t, { deviceId: fake, events: spots }, `flood-${fake}`, "one-network");
    }
    const review = await (await t.app.request("/api/admin/sensor/spots", asAdmin())).json();
    expect(review.candidates).toHaveLength(11);
    expect(review.candidates[0]).toMatchObject({ devices: 2 });
    expect(review.candidates[1]).toMatchObject({ devices: 3 });
  });
});
