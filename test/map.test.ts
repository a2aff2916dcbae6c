import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { to7 } from "../src/domain/geo";
import {
  cellOf,
  cellSizeDeg,
  PUBLIC_STATUSES,
  shareInBox,
  statusCanBeDue,
  statusPairs,
} from "../src/domain/map-grid";
import { publicStatus } from "../src/domain/public-status";
import { denseCellsQuery, liveSource, type MapFilter, SAID_CHARS } from "../src/store/map";
import { LIVE_WALK_CAP } from "../src/store/map-view";
import { ADMIN_TOKEN, makeTestApp, type TestApp } from "./support/app";
import {
  CHANGSHA,
  east,
  makeDepartment,
  makeService,
  north,
  reportAt,
  squareAround,
} from "./support/fixtures";
import { move, workOrderAt } from "./support/work-orders";

const around = (p: { lat: number; lon: number }, d = 0.01) =>
  `${p.lon - d},${p.lat - d},${p.lon + d},${p.lat + d}`;

// biome-ignore lint/suspicious/noExplicitAny: GeoJSON bodies are inspected field by field
async function mapOf(t: TestApp, query: string): Promise<{ status: number; body: any }> {
  const res = await t.app.request(`/api/map?${query}`);
  return { status: res.status, body: await res.json() };
}

/** `n` open clusters spread over a square of about 2 km around a point, written directly. */
async function manyClusters(t: TestApp, n: number, centre = CHANGSHA) {
  await t.db.run(sql`WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ${n})
    INSERT INTO clusters (id, service_code, lat, lon, state, report_count, reporter_count,
      first_report_at, last_report_at, created_at, updated_at)
    SELECT 'bulk' || i, 'pothole', ${centre.lat - 0.01} + (i % 97) * 0.0002, ${centre.lon - 0.01} + (i / 97) * 0.0002,
      'open', 1, 1, 0, 0, 0, 0 FROM k`);
}

describe("map grid arithmetic", () => {
  it("halves the cell at each zoom and floors negative coordinates correctly", () => {
    expect(cellSizeDeg(1) / cellSizeDeg(2)).toBe(2);
    const cell = cellSizeDeg(10);
    expect(cellOf(-0.0001, -0.0001, cell)).not.toEqual(cellOf(0.0001, 0.0001, cell));
  });

  it("measures the share of a cell inside a box: whole, a part, none", () => {
    const cell = { minLat: 0, maxLat: 2, minLon: 10, maxLon: 14 };
    expect(shareInBox(cell, { minLat: -1, maxLat: 3, minLon: 9, maxLon: 15 })).toBe(1);
    expect(shareInBox(cell, { minLat: 1, maxLat: 3, minLon: 12, maxLon: 20 })).toBe(0.25);
    expect(shareInBox(cell, { minLat: 2, maxLat: 3, minLon: 10, maxLon: 14 })).toBe(0);
    expect(shareInBox(cell, { minLat: 0, maxLat: 2, minLon: 15, maxLon: 16 })).toBe(0);
  });

  it("derives each status filter from publicStatus itself", () => {
    for (const pair of statusPairs("dispatched")) {
      expect(publicStatus(pair.state, pair.workOrder)).toBe("dispatched");
    }
    expect(statusPairs("reported")).toContainEqual({ state: "open", workOrder: null });
  });

  it("knows which public statuses a running deadline can show as", () => {
    // A merged cluster is 'closed' whatever its work order, so even 'closed' can be overdue.
    expect(PUBLIC_STATUSES.filter(statusCanBeDue)).toEqual(["dispatched", "in_progress", "closed"]);
  });
});

describe("GET /api/map", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp();
    await makeService(t, { threshold: 2 });
    await makeService(t, { code: "streetlight", name: { en: "Light", zh: "灯" }, threshold: 5 });
    await makeDepartment(t, { code: "roads", services: ["pothole"], area: squareAround(CHANGSHA, 5000) });
  });

  it("lists every cluster in a sparse view with its public status and department, and nothing private", async () => {
    const spot = CHANGSHA;
    await reportAt(t, spot, { deviceId: "device-aaaa-1", contact: { email: "a@example.org" } });
    await reportAt(t, north(spot, 5), { deviceId: "device-bbbb-2" });
    await reportAt(t, east(spot, 300), { service: "streetlight", deviceId: "device-cccc-3" });

    const { status, body } = await mapOf(t, `bbox=${around(spot)}&zoom=16`);
    expect(status).toBe(200);
    expect(body.type).toBe("FeatureCollection");
    expect(body.mode).toBe("clusters");
    expect(body.features).toHaveLength(2);
    const pothole = body.features.find(
      (f: { properties: { service: string } }) => f.properties.service === "pothole",
    );
    expect(pothole.properties).toMatchObject({
      kind: "cluster",
      status: "dispatched",
      reports: 2,
      reporters: 2,
      department: "roads",
    });
    expect(pothole.geometry.type).toBe("Point");
    const text = JSON.stringify(body);
    expect(text).not.toContain("device-aaaa-1");
    expect(text).not.toContain("a@example.org");
    expect(text).not.toMatch(/reporterKey|reporter_key|deviceId/);
  });

  it("filters by service, public status and period", async () => {
    await reportAt(t, CHANGSHA, { deviceId: "device-aaaa-1" });
    await reportAt(t, CHANGSHA, { deviceId: "device-bbbb-2" });
    await reportAt(t, east(CHANGSHA, 300), { service: "streetlight", deviceId: "device-cccc-3" });
    const box = `bbox=${around(CHANGSHA)}&zoom=16`;

    const lights = await mapOf(t, `${box}&service=streetlight`);
    expect(
      lights.body.features.map((f: { properties: { service: string } }) => f.properties.service),
    ).toEqual(["streetlight"]);
    const dispatched = await mapOf(t, `${box}&status=dispatched`);
    expect(dispatched.body.features).toHaveLength(1);
    expect(dispatched.body.features[0].properties.service).toBe("pothole");
    const reported = await mapOf(t, `${box}&status=reported`);
    expect(
      reported.body.features.map((f: { properties: { service: string } }) => f.properties.service),
    ).toEqual(["streetlight"]);

    t.clock.advance(10 * 86_400_000);
    const recent = await mapOf(t, `${box}&since=${new Date(t.clock() - 86_400_000).toISOString()}`);
    expect(recent.body.features).toHaveLength(0);
    const older = await mapOf(t, `${box}&since=${new Date(t.clock() - 30 * 86_400_000).toISOString()}`);
    expect(older.body.features).toHaveLength(2);
    // As the exports and Open311 read dates: a bare date, and an offset without its colon.
    const day = new Date(t.clock() - 30 * 86_400_000).toISOString().slice(0, 10);
    expect((await mapOf(t, `${box}&since=${day}`)).body.features).toHaveLength(2);
    const plus8 = `${new Date(t.clock() - 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 19)}%2B0800`;
    expect((await mapOf(t, `${box}&since=${plus8}`)).body.features).toHaveLength(0);
    expect((await mapOf(t, `${box}&since=yesterday`)).status).toBe(400);
  });

  it("answers a dense view with counts per cell that add up to every cluster in view", async () => {
    await manyClusters(t, 3000);
    const { status, body } = await mapOf(t, `bbox=${around(CHANGSHA, 0.05)}&zoom=13`);
    expect(status).toBe(200);
    expect(body.mode).toBe("grid");
    const cells = body.features.filter((f: { properties: { kind: string } }) => f.properties.kind === "cell");
    const singles = body.features.filter(
      (f: { properties: { kind: string } }) => f.properties.kind === "cluster",
    );
    expect(cells.length).toBeGreaterThan(0);
    const total = cells.reduce(
      (n: number, f: { properties: { clusters: number } }) => n + f.properties.clusters,
      0,
    );
    expect(total + singles.length).toBe(3000);
    expect(body.features.length).toBeLessThan(400);
    for (const f of cells) {
      const [w, s, e, n] = f.properties.bbox;
      const [lon, lat] = f.geometry.coordinates;
      expect(lon).toBeGreaterThanOrEqual(w);
      expect(lon).toBeLessThanOrEqual(e);
      expect(lat).toBeGreaterThanOrEqual(s);
      expect(lat).toBeLessThanOrEqual(n);
    }
    // Zoomed far in on one corner, the same data comes back cluster by cluster.
    const close = await mapOf(
      t,
      `bbox=${around({ lat: CHANGSHA.lat - 0.01, lon: CHANGSHA.lon - 0.01 }, 0.001)}&zoom=18`,
    );
    expect(close.body.mode).toBe("clusters");
    expect(close.body.features.length).toBeGreaterThan(0);
  });

  it("reads the live filters through the view's key ranges: of the clusters, or of the work orders", async () => {
    await manyClusters(t, 2000);
    await t.client.execute("ANALYZE");
    const box = { minLat: 28.19, maxLat: 28.2, minLon: 112.97, maxLon: 112.98 };
    const planOf = async (filter: MapFilter) =>
      (
        await t.db.all<{ detail: string }>(
          sql`EXPLAIN QUERY PLAN ${denseCellsQuery(liveSource(box, filter), cellSizeDeg(14))}`,
        )
      )
        .map((r) => r.detail)
        .join("\n");
    // Both axes narrowed by the key: never the latitude strip of the (lat, lon) index.
    const since = await planOf({ since: 0 });
    expect(since).toMatch(/SEARCH c USING INDEX clusters_zkey/);
    expect(since).not.toMatch(/clusters_(service_)?lat_lon/);
    expect(await planOf({ service: "pothole", since: 0 })).toMatch(
      /SEARCH c USING INDEX clusters_service_zkey/,
    );
    // The work-order filters walk the work orders in view first, each then joined to its cluster.
    const key =
      /SCAN zr[\s\S]*SEARCH w USING INDEX work_orders_(department_)?zkey[\s\S]*SEARCH c USING INDEX sqlite_autoindex_clusters/;
    expect(await planOf({ department: "roads" })).toMatch(/work_orders_department_zkey/);
    expect(await planOf({ department: "roads" })).toMatch(key);
    const red = await planOf({ deadline: { flag: "red", now: t.clock() } });
    expect(red).toMatch(key);
    expect(red).not.toMatch(/work_orders_status/);
  });

  it("keeps each work order's key equal to its cluster's, through intake and moves", async () => {
    for (const p of [CHANGSHA, CHANGSHA, north(CHANGSHA, 3000), north(CHANGSHA, 3000)])
      expect((await reportAt(t, p)).status).toBe(201);
    const stale = () =>
      t.db.all(
        sql`SELECT w.id FROM work_orders w JOIN clusters c ON c.id = w.cluster_id WHERE w.zkey IS NOT c.zkey`,
      );
    expect((await t.db.all(sql`SELECT id FROM work_orders`)).length).toBe(2);
    expect(await stale()).toEqual([]);
    await t.db.run(sql`UPDATE clusters SET lat = lat + 0.01, lon = lon - 0.02`);
    expect(await stale()).toEqual([]);
    // A work order moved to another cluster (one without a work order of its own) takes its key.
    await manyClusters(t, 1);
    await t.db.run(
      sql`UPDATE work_orders SET cluster_id = 'bulk1' WHERE id = (SELECT min(id) FROM work_orders)`,
    );
    expect(
      await t.db.all(sql`SELECT id FROM work_orders WHERE cluster_id = 'bulk1' AND zkey IS NOT NULL`),
    ).toHaveLength(1);
    expect(await stale()).toEqual([]);
  });

  it("filters by the work order's department, alone and with the deadline flag", async () => {
    await makeDepartment(t, {
      code: "north_roads",
      services: ["pothole"],
      area: squareAround(north(CHANGSHA, 20_000), 5000),
    });
    const far = north(CHANGSHA, 20_000);
    for (const p of [CHANGSHA, CHANGSHA, far, far]) expect((await reportAt(t, p)).status).toBe(201);
    const box = `bbox=${CHANGSHA.lon - 0.1},${CHANGSHA.lat - 0.1},${CHANGSHA.lon + 0.1},${far.lat + 0.1}&zoom=12`;
    const ids = async (q: string) =>
      (await mapOf(t, `${box}${q}`)).body.features.map(
        (f: { properties: { department: string } }) => f.properties.department,
      );
    expect(await ids("&department=roads")).toEqual(["roads"]);
    expect(await ids("&department=north_roads")).toEqual(["north_roads"]);
    expect(await ids("&department=nobody")).toEqual([]);
    expect(await ids("&department=roads&deadline=red")).toEqual([]);
    // Past the acknowledgement deadline, the department's work order is overdue; the other one too.
    t.clock.advance(30 * 86_400_000);
    expect(await ids("&department=roads&deadline=red")).toEqual(["roads"]);
    expect((await ids("&deadline=red")).sort()).toEqual(["north_roads", "roads"]);
    const tile = await t.app.request("/api/map/tiles/2/3/1?department=roads&deadline=red");
    expect(tile.status).toBe(200);
    const body = (await tile.json()) as {
      features: { properties: { department?: string; clusters?: number } }[];
    };
    expect(body.features.map((f) => f.properties.department ?? f.properties.clusters)).toEqual(["roads"]);
  });

  it("keeps an answer of 300 pins under 100 KB even when every resident wrote 120 Chinese characters", async () => {
    await manyClusters(t, 300);
    const words = "路面塌陷".repeat(40);
    // Written as the intake writes a report's words onto its cluster (`clusters.said`).
    await t.db.run(sql`UPDATE clusters SET said = substr(${words}, 1, ${SAID_CHARS})`);
    const res = await t.app.request(`/api/map?bbox=${around(CHANGSHA, 0.02)}&zoom=16`);
    const text = await res.text();
    const body = JSON.parse(text);
    expect(body.mode).toBe("clusters");
    expect(body.features).toHaveLength(300);
    expect(new TextEncoder().encode(text).length).toBeLessThanOrEqual(100_000);
    // Cut, not dropped: each pin still says the start of its words, as long as the cap allows.
    const chars = body.features[0].properties.said.length;
    expect(chars).toBeGreaterThan(0);
    expect(words.startsWith(body.features[0].properties.said)).toBe(true);
    expect(JSON.stringify(body)).toBe(text);
    for (const f of body.features) f.properties.said = words.slice(0, chars + 1);
    expect(new TextEncoder().encode(JSON.stringify(body)).length).toBeGreaterThan(100_000);
  });

  it("says which problem a duplicate was merged into, where its reports now count", async () => {
    const kept = await workOrderAt(t, CHANGSHA, { reporters: 2 });
    const duplicate = await workOrderAt(t, east(CHANGSHA, 300), { reporters: 2 });
    expect(
      (await move(t, ADMIN_TOKEN, duplicate.id, { to: "duplicate", duplicateOf: kept.clusterId })).status,
    ).toBe(200);
    const { body } = await mapOf(t, `bbox=${around(CHANGSHA)}&zoom=16`);
    const pin = (id: string) =>
      body.features.find((f: { id: string }) => f.id === id)?.properties as Record<string, unknown>;
    expect(pin(duplicate.clusterId)).toMatchObject({
      status: "closed",
      reports: 0,
      mergedIntoId: kept.clusterId,
    });
    expect(pin(kept.clusterId)).toMatchObject({ reports: 4, mergedIntoId: null });
  });

  it("says a pin's newest visible words as reports join, are hidden and restored, and move to another cluster", async () => {
    const said = async () =>
      Object.fromEntries(
        (await mapOf(t, `bbox=${around(CHANGSHA)}&zoom=16`)).body.features.map(
          (f: { id: string; properties: { said: string } }) => [f.id, f.properties.said],
        ),
      );
    const first = (await reportAt(t, CHANGSHA, { description: "坑很深", deviceId: "device-said-1" })).body;
    const other = (
      await reportAt(t, east(CHANGSHA, 400), { description: "另一个坑", deviceId: "device-said-2" })
    ).body;
    const [cluster, elsewhere] = [first.cluster.id, other.cluster.id];
    expect(await said()).toEqual({ [cluster]: "坑很深", [elsewhere]: "另一个坑" });
    t.clock.advance(60_000);
    const second = (
      await reportAt(t, north(CHANGSHA, 3), { description: "越来越大", deviceId: "device-said-3" })
    ).body;
    expect(second.cluster.id).toBe(cluster);
    expect(await said()).toEqual({ [cluster]: "越来越大", [elsewhere]: "另一个坑" });
    const moderate = (action: string) =>
      t.app.request(`/api/admin/moderation/reports/${second.report.id}/${action}`, {
        method: "POST",
        headers: { Authorization: `Bearer ${ADMIN_TOKEN}` },
      });
    expect((await moderate("hide")).status).toBe(200);
    expect(await said()).toEqual({ [cluster]: "坑很深", [elsewhere]: "另一个坑" });
    expect((await moderate("restore")).status).toBe(200);
    expect(await said()).toEqual({ [cluster]: "越来越大", [elsewhere]: "另一个坑" });
    // As a merge moves reports: the words go with the newest, and the cluster left says its own again.
    await t.db.run(sql`UPDATE reports SET cluster_id = ${elsewhere} WHERE id = ${second.report.id}`);
    expect(await said()).toEqual({ [cluster]: "坑很深", [elsewhere]: "越来越大" });
  });

  it("draws each pin at its cluster's stored centre, to 7 decimals as every answer writes one, with its words", async () => {
    await manyClusters(t, 40);
    // Centres no 15-digit number gives back.
    await t.db.run(sql`UPDATE clusters SET lat = lat + 1e-13 * rowid, lon = lon + 0.000000123456789 * rowid,
      said = 'words of ' || id`);
    const stored = await t.db.all<{ id: string; lat: number; lon: number }>(
      sql`SELECT id, lat, lon FROM clusters`,
    );
    for (const zoom of [16, 11]) {
      const { body } = await mapOf(t, `bbox=${around(CHANGSHA, 0.02)}&zoom=${zoom}`);
      expect(body.mode).toBe("clusters");
      const pins = new Map(
        // biome-ignore lint/suspicious/noExplicitAny: GeoJSON features
        body.features.map((f: any) => [
          f.id,
          { lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1], said: f.properties.said },
        ]),
      );
      expect(pins.size).toBe(40);
      for (const c of stored)
        expect(pins.get(c.id)).toEqual({ lat: to7(c.lat), lon: to7(c.lon), said: `words of ${c.id}` });
    }
  });

  it("answers a period, deadline or department filter over any view from the aggregates, and asks to zoom in only for the mixes walked live", {
    timeout: 240_000,
  }, async () => {
    await manyClusters(t, LIVE_WALK_CAP + 1);
    const wide = `bbox=${around(CHANGSHA, 0.2)}&zoom=11`;
    const since = await mapOf(t, `${wide}&since=${new Date(0).toISOString()}`);
    expect(since.status).toBe(200);
    expect(since.body.zoomIn).toBeUndefined();
    const counted = (features: { properties: { kind: string; clusters?: number } }[]) =>
      features.reduce((n, f) => n + (f.properties.kind === "cell" ? (f.properties.clusters ?? 0) : 1), 0);
    expect(counted(since.body.features)).toBe(LIVE_WALK_CAP + 1);
    // None of them has a work order: nothing is overdue or nearly due (or a department's), and
    // nothing was reported after now.
    for (const f of ["deadline=red", "deadline=yellow", "department=roads"])
      expect((await mapOf(t, `${wide}&${f}`)).body, f).toEqual({
        type: "FeatureCollection",
        mode: "clusters",
        features: [],
      });
    expect((await mapOf(t, `${wide}&since=${new Date(Date.now()).toISOString()}`)).body.features).toEqual([]);
    // A period with a status is walked live, over the clusters in view: past the cap, the reader zooms in.
    expect((await mapOf(t, `${wide}&since=${new Date(0).toISOString()}&status=reported`)).body).toEqual({
      type: "FeatureCollection",
      mode: "grid",
      zoomIn: true,
      features: [],
    });
    // A deadline or a department walks the work orders in view: none here (the aggregates say
    // so before any walk), so the answer is empty, not "zoom in".
    for (const f of [
      "deadline=yellow&status=reported",
      "department=roads&deadline=yellow",
      "since=1970-01-01T00:00:00Z&deadline=red",
    ])
      expect((await mapOf(t, `${wide}&${f}`)).body, f).toEqual({
        type: "FeatureCollection",
        mode: "clusters",
        features: [],
      });
    // Zoomed in, the same filter is answered.
    const close = await mapOf(
      t,
      `bbox=${around({ lat: CHANGSHA.lat, lon: CHANGSHA.lon - 0.009 }, 0.002)}&zoom=17&since=${new Date(0).toISOString()}&status=reported`,
    );
    expect(close.body.zoomIn).toBeUndefined();
    expect(close.body.features.length).toBeGreaterThan(0);
    // With a work order each (more than the cap), a deadline with a status walks the work orders in
    // view, reading the rows of the flagged ones only: half are overdue, within the cap, so the mix
    // is answered; no running deadline shows as 'resolved' (the other half), so that mix is
    // nothing, known without a walk.
    await t.db.run(sql`INSERT INTO work_orders (id, cluster_id, service_code, status, ack_due_at, resolve_due_at,
        deadlines_from, created_at, updated_at)
      SELECT 'w' || id, id, service_code, CASE WHEN rowid % 2 = 0 THEN 'dispatched' ELSE 'resolved' END,
        1, 2, 0, 0, 0 FROM clusters`);
    const overdue = await mapOf(t, `${wide}&deadline=red&status=dispatched`);
    expect(overdue.body.zoomIn).toBeUndefined();
    expect(counted(overdue.body.features)).toBe(Math.floor((LIVE_WALK_CAP + 1) / 2));
    expect((await mapOf(t, `${wide}&deadline=red&status=resolved`)).body).toEqual({
      type: "FeatureCollection",
      mode: "clusters",
      features: [],
    });
    // All overdue: past the cap, zoom in.
    await t.db.run(sql`UPDATE work_orders SET status = 'dispatched'`);
    expect((await mapOf(t, `${wide}&deadline=red&status=dispatched`)).body.zoomIn).toBe(true);
  });

  it('reads an empty filter as no filter, as a form\'s "any" choice sends it', async () => {
    const box = `bbox=${around(CHANGSHA)}&zoom=14`;
    const all = await mapOf(t, box);
    expect(all.status).toBe(200);
    const empty = await mapOf(t, `${box}&status=&service=&department=&since=&deadline=&status=`);
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual(all.body);
    // Beside a value, an empty one adds nothing: `status=dispatched&status=` is the dispatched ones.
    expect((await mapOf(t, `${box}&status=dispatched&status=`)).body).toEqual(
      (await mapOf(t, `${box}&status=dispatched`)).body,
    );
  });

  it("refuses a bad box, zoom, status or date with a 400 naming the parameter", async () => {
    for (const [query, field] of [
      ["bbox=1,2,3&zoom=5", "bbox"],
      [`bbox=${around(CHANGSHA)}&zoom=40`, "zoom"],
      [`bbox=${around(CHANGSHA)}`, "zoom"],
      [`bbox=${around(CHANGSHA)}&zoom=5&status=lost`, "status"],
      [`bbox=${around(CHANGSHA)}&zoom=5&since=yesterday`, "since"],
      [`bbox=${around(CHANGSHA)}&zoom=5&department=Not%20a%20code`, "department"],
    ] as const) {
      const { status, body } = await mapOf(t, query);
      expect(status, query).toBe(400);
      expect(body.error.field).toBe(field);
    }
    // The words say what is wrong: out of range is not "required".
    expect((await mapOf(t, `bbox=${around(CHANGSHA)}&zoom=40`)).body.error.message).toBe(
      "zoom: is too large: at most 22",
    );
    // Past what a number holds exactly, the bound said is still the parameter's.
    expect((await mapOf(t, `bbox=${around(CHANGSHA)}&zoom=999999999999999999999`)).body.error.message).toBe(
      "zoom: is too large: at most 22",
    );
    for (const query of [`bbox=${around(CHANGSHA)}`, `bbox=${around(CHANGSHA)}&zoom=`])
      expect((await mapOf(t, query)).body.error.message, query).toBe("zoom: is required");
  });
});
