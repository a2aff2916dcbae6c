/**
 * An admin lowers a service's threshold: the problems already reported by that many people go to
 * their department then, as the report that reached it would have sent them, not only when one
 * more report comes. A problem that stopped gathering reports (past the window) does not.
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { makeTestApp, type TestApp } from "./support/app";
import {
  asAdmin,
  CHANGSHA,
  east,
  makeDepartment,
  makeService,
  reportAt,
  squareAround,
} from "./support/fixtures";

const DAY_MS = 86_400_000;

async function setThreshold(t: TestApp, threshold: number, active = true) {
  const list = (await (await t.app.request("/api/admin/services", asAdmin())).json()) as {
    services: { code: string }[];
  };
  const pothole = list.services.find((s) => s.code === "pothole");
  const res = await t.app.request("/api/admin/services/pothole", {
    method: "PUT",
    ...asAdmin({ ...pothole, threshold, active }),
  });
  expect(res.status, await res.clone().text()).toBe(200);
}

const workOrdersOf = (t: TestApp, clusterId: string) =>
  t.db.all<{ id: string; department_code: string | null; status: string; queued: number }>(
    sql`SELECT w.id, w.department_code, w.status,
          (SELECT count(*) FROM outbox o WHERE o.work_order_id = w.id) AS queued
        FROM work_orders w WHERE w.cluster_id = ${clusterId}`,
  );

const stateOf = async (t: TestApp, clusterId: string) =>
  (await t.db.all<{ state: string }>(sql`SELECT state FROM clusters WHERE id = ${clusterId}`))[0]?.state;

describe("a service's threshold lowered", () => {
  let t: TestApp;
  let stale: string;
  let twice: string;
  let once: string;
  beforeAll(async () => {
    t = await makeTestApp();
    await makeService(t, { threshold: 3, windowDays: 30 });
    await makeDepartment(t, { code: "roads", services: ["pothole"], area: squareAround(CHANGSHA, 5000) });
    // Two people, 40 days ago: past the 30-day window, it no longer gathers reports.
    const old = east(CHANGSHA, 600);
    stale = (await reportAt(t, old, { deviceId: "stale-a" })).body.cluster.id;
    await reportAt(t, old, { deviceId: "stale-b" });
    t.clock.advance(40 * DAY_MS);
    twice = (await reportAt(t, CHANGSHA, { deviceId: "resident-a" })).body.cluster.id;
    expect((await reportAt(t, CHANGSHA, { deviceId: "resident-b" })).body.cluster.id).toBe(twice);
    once = (await reportAt(t, east(CHANGSHA, 300), { deviceId: "resident-c" })).body.cluster.id;
    expect(await workOrdersOf(t, twice)).toEqual([]);
  });

  it("sends a problem two people reported once the threshold is two, to its department, through the outbox", async () => {
    await setThreshold(t, 2);
    const [wo, ...more] = await workOrdersOf(t, twice);
    expect(more).toEqual([]);
    expect(wo).toMatchObject({ department_code: "roads", status: "dispatched", queued: 1 });
    expect(await stateOf(t, twice)).toBe("dispatched");
    const detail = (await (await t.app.request(`/api/clusters/${twice}`)).json()) as {
      cluster: { workOrder: { department: string } | null };
    };
    expect(JSON.stringify(detail)).toContain("roads");
    // One reporter is still under two; the stale one stays as it was.
    expect(await workOrdersOf(t, once)).toEqual([]);
    expect(await workOrdersOf(t, stale)).toEqual([]);
    expect(await stateOf(t, stale)).toBe("open");
  });

  it("makes no second work order when saved again, or raised and lowered back", async () => {
    await setThreshold(t, 2);
    await setThreshold(t, 5);
    await setThreshold(t, 2);
    expect(await workOrdersOf(t, twice)).toHaveLength(1);
  });

  it("makes exactly one work order when a report crosses the threshold as it is lowered", async () => {
    await setThreshold(t, 3);
    const p = east(CHANGSHA, 1200);
    const racing = (await reportAt(t, p, { deviceId: "race-a" })).body.cluster.id;
    await reportAt(t, p, { deviceId: "race-b" });
    await Promise.all([setThreshold(t, 2), reportAt(t, p, { deviceId: "race-c" })]);
    const orders = await workOrdersOf(t, racing);
    expect(orders).toHaveLength(1);
    expect(orders[0]?.queued).toBe(1);
  });

  it("sends what reached a threshold lowered while the service was off once it is taken up again", async () => {
    await setThreshold(t, 3);
    const p = east(CHANGSHA, 1800);
    const paused = (await reportAt(t, p, { deviceId: "paused-a" })).body.cluster.id;
    await reportAt(t, p, { deviceId: "paused-b" });
    await setThreshold(t, 2, false);
    expect(await workOrdersOf(t, paused)).toEqual([]);
    await setThreshold(t, 2, true);
    expect(await workOrdersOf(t, paused)).toHaveLength(1);
  });
});
