import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { makeTestApp, type TestApp } from "./support/app";
import { CHANGSHA, east, makeDepartment, makeService, reportAt, squareAround } from "./support/fixtures";
import { fromResident } from "./support/residents";

async function counts(t: TestApp) {
  const [row] = await t.db.all<Record<string, number>>(sql`SELECT
    (SELECT count(*) FROM reports) AS reports,
    (SELECT count(*) FROM clusters) AS clusters,
    (SELECT count(*) FROM work_orders) AS workOrders,
    (SELECT count(*) FROM outbox WHERE report_id IS NULL) AS outbox,
    (SELECT count(DISTINCT report_id) FROM outbox WHERE report_id IS NOT NULL) AS followUps,
    (SELECT count(*) FROM events WHERE type = 'work_order_created') AS workOrderEvents,
    (SELECT max(reporter_count) FROM clusters) AS reporters,
    (SELECT max(report_count) FROM clusters) AS clusterReports`);
  return row;
}

describe("intake under concurrency", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp();
    await makeService(t, { code: "pothole", threshold: 3, radiusM: 25 });
    await makeDepartment(t, { code: "furong", services: ["pothole"], area: squareAround(CHANGSHA, 5000) });
  });

  it("500 concurrent reports from 100 devices at one spot make one cluster and one work order", async () => {
    const results = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        reportAt(
          t,
          { lat: CHANGSHA.lat + (i % 7) * 1e-6, lon: CHANGSHA.lon },
          { deviceId: `device-${i % 100}-abcdef` },
        ),
      ),
    );
    expect(results.every((r) => r.status === 201)).toBe(true);
    expect(new Set(results.map((r) => r.body.cluster.id)).size).toBe(1);
    expect(await counts(t)).toEqual({
      reports: 500,
      clusters: 1,
      workOrders: 1,
      outbox: 1,
      // One follow-up per report that joined after the work order: all that saw it but its creator.
      followUps: results.filter((r) => r.body.cluster.workOrder).length - 1,
      workOrderEvents: 1,
      reporters: 100,
      clusterReports: 500,
    });
    const last = results.find((r) => r.body.cluster.reports === 500);
    expect(last?.body.cluster).toMatchObject({ state: "dispatched", reporters: 100, threshold: 3 });
    expect(last?.body.cluster.workOrder).toMatchObject({ status: "dispatched", department: "furong" });
  });
  it("counts a cluster's reporters as its distinct count keys when people share and change networks", async () => {
    // Ten people (by mailbox) on three networks, each reporting from more than one of them: each
    // network counts once, whoever typed which address, so the count is a recount's.
    const spot = east(CHANGSHA, 400);
    const by = (person: number, network: number) =>
      reportAt(t, spot, {
        contact: { email: `person${person}@example.org` },
        headers: fromResident(`net-${network}`),
      });
    // Person 0 again from a new network adds it; person 1 on a network counted adds no one.
    expect((await by(0, 0)).body.cluster.reporters).toBe(1);
    expect((await by(0, 1)).body.cluster.reporters).toBe(2);
    expect((await by(1, 0)).body.cluster.reporters).toBe(2);
    expect((await by(1, 2)).body.cluster.reporters).toBe(3);
    expect((await by(2, 2)).body.cluster.reporters).toBe(3);
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => by(i % 10, (i * 7) % 3)));
    expect(results.every((r) => r.status === 201)).toBe(true);
    const clusterId = results[0]?.body.cluster.id;
    expect(new Set(results.map((r) => r.body.cluster.id))).toEqual(new Set([clusterId]));
    const [row] = await t.db.all<{ stored: number; recount: number }>(sql`SELECT
      (SELECT reporter_count FROM clusters WHERE id = ${clusterId}) AS stored,
      (SELECT count(DISTINCT count_key) FROM cluster_reporters WHERE cluster_id = ${clusterId}) AS recount`);
    expect(row).toEqual({ stored: 3, recount: 3 });
    expect(Math.max(...results.map((r) => r.body.cluster.reporters))).toBe(3);
  });
});
