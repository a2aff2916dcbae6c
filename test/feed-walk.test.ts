/**
 * The area feed over a dense box, or everywhere, walks the clusters a window at a time
 * (`feedClustersInBox`' bounds, made small here so that a few hundred clusters are dense): the
 * same entries, in the same order, as one read of them, and other work run between windows.
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import type { BBox } from "../src/domain/geo";
import { feedClustersInBox } from "../src/store/feeds";
import type { TestApp } from "./support/app";
import { sampleCity } from "./support/sample-city";
import { turnsDuring } from "./support/turns";

const REGION = { minLon: 100, minLat: 20, maxLon: 130, maxLat: 40 };
const CITY = { minLon: 112.8, minLat: 28.0, maxLon: 113.2, maxLat: 28.4 };
const ONE_READ = { dense: 1_000_000, window: 1_000_000 };

describe("the area feed walked in windows", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await sampleCity(400);
    // Some work orders changed after their cluster, so that either time can be a cluster's latest.
    await t.db.run(
      sql`UPDATE work_orders SET updated_at = updated_at + 86400000 * (rowid % 20) WHERE rowid % 3 = 0`,
    );
  });

  const ids = async (box: BBox | undefined, service: string | undefined, bounds: typeof ONE_READ) =>
    (await feedClustersInBox(t.db, box, service, bounds)).map((r) => r.id);

  it("lists the latest changed clusters of the box as one read of them does", async () => {
    for (const [box, service] of [
      [undefined, undefined],
      [undefined, "pothole"],
      [REGION, undefined],
      [REGION, "streetlight"],
      [CITY, undefined],
    ] as const) {
      const label = JSON.stringify({ box, service });
      const whole = await ids(box, service, ONE_READ);
      expect(whole.length, label).toBeGreaterThan(10);
      for (const window of [1, 7, 100])
        expect(await ids(box, service, { dense: 10, window }), label).toEqual(whole);
      const rows = await feedClustersInBox(t.db, box, service, { dense: 10, window: 7 });
      const times = rows.map((r) => r.updatedAt);
      expect(times).toEqual([...times].sort((a, b) => b - a));
      if (service) for (const r of rows) expect(r.service).toBe(service);
    }
  });

  it("lets other work run between its windows", async () => {
    const [clusters] = await t.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM clusters`);
    const walk = feedClustersInBox(t.db, undefined, "no-such-service", { dense: 10, window: 5 });
    // One turn a window of 5 clusters, give or take.
    expect(await turnsDuring(walk)).toBeGreaterThan((clusters?.n ?? 0) / 10);
  });

  it("answers the route", async () => {
    const res = await t.app.request("/api/feeds/area.atom?bbox=100,20,130,40&service=pothole");
    expect(res.status).toBe(200);
    expect((await res.text()).match(/<entry>/g)?.length).toBeGreaterThan(10);
  });
});
