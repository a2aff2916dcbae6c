/**
 * `GET /api/clusters` reads a bounded number of clusters whatever the box: a sparse box through
 * its spatial key, a dense one among the newest clusters (`findClustersInBox`'s bounds, made small
 * here so that a few hundred clusters are dense).
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { findClustersInBox } from "../src/store/clusters";
import type { TestApp } from "./support/app";
import { sampleCity } from "./support/sample-city";

const REGION = { minLon: 100, minLat: 20, maxLon: 130, maxLat: 40 };
const KEYED = { dense: 1_000_000, walk: 0 };

describe("a list of the clusters in a box", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await sampleCity(400);
  });

  const ids = (list: { clusters: { id: string }[] }) => list.clusters.map((c) => c.id).sort();
  const newestFirst = (list: { clusters: { lastReportAt: string | null }[] }) => {
    const times = list.clusters.map((c) => c.lastReportAt ?? "");
    expect(times).toEqual([...times].sort().reverse());
  };

  it("is the same from the newest clusters as from the box's keys when the walk covers them", async () => {
    for (const filter of [{}, { service: "pothole" }, { state: "open" as const }]) {
      const keyed = await findClustersInBox(t.db, REGION, filter, 5000, KEYED);
      const walked = await findClustersInBox(t.db, REGION, filter, 5000, { dense: 10, walk: 10_000 });
      expect(keyed.clusters.length, JSON.stringify(filter)).toBeGreaterThan(20);
      expect(ids(walked)).toEqual(ids(keyed));
      newestFirst(walked);
      expect(walked.truncated).toBe(false);
    }
    const page = await findClustersInBox(t.db, REGION, {}, 30, { dense: 10, walk: 10_000 });
    expect(page.clusters).toHaveLength(30);
    expect(page.truncated).toBe(true);
  });

  it("lists from a dense box only the newest clusters the walk read, newest first, and says there are more", async () => {
    const walked = await findClustersInBox(t.db, REGION, {}, 5000, { dense: 10, walk: 50 });
    const keyed = await findClustersInBox(t.db, REGION, {}, 5000, KEYED);
    const [cutoff] = await t.db.all<{ at: number }>(
      sql`SELECT last_report_at AS at FROM clusters ORDER BY last_report_at DESC LIMIT 1 OFFSET 49`,
    );
    const at = new Date(cutoff?.at ?? 0).toISOString();
    expect(walked.clusters.length).toBeLessThanOrEqual(50);
    expect(walked.truncated).toBe(true);
    newestFirst(walked);
    // Every cluster of the box reported after the 50th newest of all is listed, and none before it.
    const got = new Set(walked.clusters.map((c) => c.id));
    for (const c of keyed.clusters) {
      if ((c.lastReportAt ?? "") > at) expect(got.has(c.id), c.id).toBe(true);
      if ((c.lastReportAt ?? "") < at) expect(got.has(c.id), c.id).toBe(false);
    }
  });

  it("answers the route from either path", async () => {
    const res = await t.app.request("/api/clusters?bbox=100,20,130,40&limit=5");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { features: unknown[]; truncated: boolean };
    expect(body.features).toHaveLength(5);
    expect(body.truncated).toBe(true);
  });
});
