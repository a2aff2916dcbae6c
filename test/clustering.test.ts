import { eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { clusters } from "../src/db/schema";
import { to7 } from "../src/domain/geo";
import { takesReports } from "../src/domain/states";
import { findClusterDetail } from "../src/store/clusters";
import { makeTestApp, type TestApp } from "./support/app";
import {
  asAdmin,
  CHANGSHA,
  east,
  makeDepartment,
  makeService,
  north,
  reportAt,
  squareAround,
} from "./support/fixtures";

const DAY = 86_400_000;

describe("clustering", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp();
    await makeService(t, { code: "pothole", threshold: 3, radiusM: 25, windowDays: 30 });
    await makeService(t, { code: "noise", name: { en: "Noise", zh: "噪声" }, threshold: 5, radiusM: 100 });
    await makeDepartment(t, {
      code: "furong",
      services: ["pothole", "noise"],
      area: squareAround(CHANGSHA, 5000),
    });
  });

  const countOf = async (table: string) =>
    (await t.db.all<{ n: number }>(sql.raw(`SELECT count(*) AS n FROM ${table}`)))[0]?.n;

  it("counts one device reporting ten times once, and dispatches nothing", async () => {
    let last: Awaited<ReturnType<typeof reportAt>> | undefined;
    for (let i = 0; i < 10; i++) last = await reportAt(t, CHANGSHA, { deviceId: "one-phone-0001" });
    expect(last?.body.cluster).toMatchObject({ reports: 10, reporters: 1, state: "open", workOrder: null });
    expect(await countOf("work_orders")).toBe(0);
    expect(await countOf("outbox")).toBe(0);
  });

  it("takes reports that carry only an e-mail address for one reporter whatever its case, counted by network", async () => {
    const first = await reportAt(t, CHANGSHA, { contact: { email: "Li.Hua@example.com" } });
    const second = await reportAt(t, CHANGSHA, { contact: { email: "li.hua@example.com" } });
    const keys = await t.db.all<{ reporter_key: string }>(
      sql`SELECT reporter_key FROM reports WHERE id IN (${first.body.report.id}, ${second.body.report.id})`,
    );
    expect(new Set(keys.map((k) => k.reporter_key)).size).toBe(1);
    // From two networks: an address proves no person, so each network counts.
    expect(second.body.cluster).toMatchObject({ reports: 2, reporters: 2 });
  });

  it("falls back to the client's network when a report carries no identity", async () => {
    const headers = { "x-test-client-address": "198.51.100.7" };
    await reportAt(t, CHANGSHA, { headers });
    const again = await reportAt(t, CHANGSHA, { headers });
    const neighbour = await reportAt(t, CHANGSHA, { headers: { "x-test-client-address": "198.51.100.8" } });
    const other = await reportAt(t, CHANGSHA, { headers: { "x-test-client-address": "198.51.101.8" } });
    expect(again.body.cluster.reporters).toBe(1);
    // One /24 is one network: a neighbour on it counts with the first.
    expect(neighbour.body.cluster.reporters).toBe(1);
    expect(other.body.cluster.reporters).toBe(2);
  });

  it("joins a report within the radius and opens a new cluster just outside it", async () => {
    const first = await reportAt(t, CHANGSHA, { deviceId: "device-a-0001" });
    const inside = await reportAt(t, north(CHANGSHA, 24), { deviceId: "device-b-0001" });
    expect(inside.body.cluster.id).toBe(first.body.cluster.id);
    // The centre is now 12 m north; 26 m east of it is outside 25 m.
    const centre = north(CHANGSHA, 12);
    const outside = await reportAt(t, east(centre, 26), { deviceId: "device-c-0001" });
    expect(outside.body.cluster.id).not.toBe(first.body.cluster.id);
    expect(outside.body.cluster.reports).toBe(1);
  });

  it("keeps the centre at the mean of the reports", async () => {
    const a = await reportAt(t, CHANGSHA, { deviceId: "device-a-0001" });
    await reportAt(t, north(CHANGSHA, 20), { deviceId: "device-b-0001" });
    const row = await t.db.select().from(clusters).where(eq(clusters.id, a.body.cluster.id)).get();
    expect(row?.lat).toBeCloseTo(north(CHANGSHA, 10).lat, 9);
    expect(row?.lon).toBeCloseTo(CHANGSHA.lon, 9);
    // Stored as computed; answered to 7 decimals (~1 cm), as every answer writes a centre: the
    // problem's page, and the same view a "still there", the desk and the console answer with
    // (those once gave the mean's float noise).
    const rounded = [to7(row?.lat as number), to7(row?.lon as number)];
    expect(rounded).not.toEqual([row?.lat, row?.lon]);
    const detail = await findClusterDetail(t.db, a.body.cluster.id);
    expect([detail?.lat, detail?.lon]).toEqual(rounded);
    const page = (await (await t.app.request(`/api/clusters/${a.body.cluster.id}`)).json()) as {
      cluster: { lat: number; lon: number };
    };
    expect([page.cluster.lat, page.cluster.lon]).toEqual(rounded);
  });

  it("keeps which kind of client sent a report, api unless it says web", async () => {
    const fromApi = await reportAt(t, CHANGSHA);
    const fromWeb = await t.app.request("/api/reports", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ service: "pothole", ...CHANGSHA, description: "From the form", source: "web" }),
    });
    const sourceOf = async (id: string) =>
      ((await (await t.app.request(`/api/reports/${id}`)).json()) as { report: { source: string } }).report
        .source;
    expect(await sourceOf(fromApi.body.report.id)).toBe("api");
    expect(await sourceOf(((await fromWeb.json()) as { report: { id: string } }).report.id)).toBe("web");
  });

  it("keeps services apart", async () => {
    const pothole = await reportAt(t, CHANGSHA, { service: "pothole" });
    const noise = await reportAt(t, CHANGSHA, { service: "noise" });
    expect(noise.body.cluster.id).not.toBe(pothole.body.cluster.id);
  });

  it("opens a new cluster once the window since the latest report has passed", async () => {
    const first = await reportAt(t, CHANGSHA, { deviceId: "device-a-0001" });
    t.clock.advance(29 * DAY);
    const within = await reportAt(t, CHANGSHA, { deviceId: "device-b-0001" });
    expect(within.body.cluster.id).toBe(first.body.cluster.id);
    t.clock.advance(31 * DAY);
    const after = await reportAt(t, CHANGSHA, { deviceId: "device-c-0001" });
    expect(after.body.cluster.id).not.toBe(first.body.cluster.id);
  });

  it("keeps a dispatched cluster taking reports past the window: its work order is still being handled", async () => {
    let last: Awaited<ReturnType<typeof reportAt>> | undefined;
    for (const d of ["device-a-0001", "device-b-0001", "device-c-0001"])
      last = await reportAt(t, CHANGSHA, { deviceId: d });
    expect(last?.body.cluster.state).toBe("dispatched");
    t.clock.advance(45 * DAY);
    const later = await reportAt(t, CHANGSHA, { deviceId: "device-d-0001" });
    expect(later.body.cluster).toMatchObject({ id: last?.body.cluster.id, reports: 4 });
    expect(later.body.cluster.workOrder.id).toBe(last?.body.cluster.workOrder.id);
    expect(await countOf("work_orders")).toBe(1);
    // The pages decide as the intake does (they offer "I see it too" by this).
    const old = new Date(t.clock() - 45 * DAY).toISOString();
    expect(takesReports({ state: "dispatched", lastReportAt: old }, 30, t.clock())).toBe(true);
    expect(takesReports({ state: "open", lastReportAt: old }, 30, t.clock())).toBe(false);
    expect(takesReports({ state: "resolved", lastReportAt: null }, 30, t.clock())).toBe(false);
  });

  it("creates exactly one work order when distinct reporters reach the threshold", async () => {
    const r1 = await reportAt(t, CHANGSHA, { deviceId: "device-a-0001" });
    const r2 = await reportAt(t, CHANGSHA, { deviceId: "device-b-0001" });
    expect(r2.body.cluster.workOrder).toBeNull();
    const r3 = await reportAt(t, CHANGSHA, { deviceId: "device-c-0001" });
    expect(r3.body.cluster).toMatchObject({ state: "dispatched", reporters: 3, threshold: 3 });
    expect(r3.body.cluster.workOrder).toMatchObject({ status: "dispatched", department: "furong" });
    const r4 = await reportAt(t, CHANGSHA, { deviceId: "device-d-0001" });
    expect(r4.body.cluster.workOrder.id).toBe(r3.body.cluster.workOrder.id);
    expect(await countOf("work_orders")).toBe(1);
    // The dispatch, and the fourth report's words as a follow-up (test/dispatch-follow-ups.test.ts).
    expect(await countOf("outbox")).toBe(2);

    const page = await t.app.request(`/api/clusters/${r1.body.cluster.id}`);
    const { cluster } = (await page.json()) as { cluster: { timeline: { type: string }[] } };
    // The first report is the opening itself (one event, as in Open311's notes).
    expect(cluster.timeline.map((e) => e.type)).toEqual([
      "opened",
      "report_added",
      "report_added",
      "work_order_created",
      "report_added",
    ]);
  });

  it("dispatches every new cluster at once with threshold 1", async () => {
    await t.app.request("/api/admin/services/pothole", {
      method: "PUT",
      ...asAdmin({
        name: { en: "Pothole", zh: "坑洼" },
        radiusM: 25,
        windowDays: 30,
        threshold: 1,
        ackHours: 24,
        resolveHours: 168,
      }),
    });
    const r = await reportAt(t, CHANGSHA);
    expect(r.body.cluster.workOrder).toMatchObject({ status: "dispatched", department: "furong" });
  });

  it("opens a successor next to a resolved cluster, which takes no new reports", async () => {
    const first = await reportAt(t, CHANGSHA, { deviceId: "device-a-0001" });
    await t.db.update(clusters).set({ state: "resolved" }).where(eq(clusters.id, first.body.cluster.id));
    const next = await reportAt(t, north(CHANGSHA, 5), { deviceId: "device-b-0001" });
    expect(next.body.cluster.id).not.toBe(first.body.cluster.id);
    const page = await t.app.request(`/api/clusters/${next.body.cluster.id}`);
    expect(((await page.json()) as { cluster: { predecessorId: string } }).cluster.predecessorId).toBe(
      first.body.cluster.id,
    );
  });

  it("leaves a work order unrouted when no department handles the point, and lists it for the admin", async () => {
    const far = north(CHANGSHA, 30_000); // beyond every department's area, and no fallback
    await makeService(t, { code: "streetlight", name: { en: "Light", zh: "灯" }, threshold: 1 });
    const r = await reportAt(t, far, { service: "streetlight" });
    expect(r.body.cluster.workOrder).toMatchObject({ status: "unrouted", department: null });
    expect(await countOf("outbox")).toBe(0);
    const list = await t.app.request("/api/admin/work-orders?routed=false", asAdmin());
    const body = (await list.json()) as { workOrders: { id: string }[] };
    expect(body.workOrders.map((w) => w.id)).toEqual([r.body.cluster.workOrder.id]);
  });
});
