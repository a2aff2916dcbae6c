/**
 * Map tiles: cacheable (ETag, If-None-Match → 304), invalidated by a write in the tile and only
 * by one there, and fitting together: the tiles of a zoom count every cluster exactly once.
 */
import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, makeTestApp, type TestApp } from "./support/app";
import { CHANGSHA, east, makeService, reportAt } from "./support/fixtures";

/** The Web Mercator tile holding a point at a zoom. */
function tileOf(p: { lat: number; lon: number }, z: number) {
  const n = 2 ** z;
  const rad = (p.lat * Math.PI) / 180;
  return {
    x: Math.floor(((p.lon + 180) / 360) * n),
    y: Math.floor(((1 - Math.log(Math.tan(rad) + 1 / Math.cos(rad)) / Math.PI) / 2) * n),
  };
}

interface Feature {
  properties: { kind: "cell" | "cluster"; clusters?: number; id?: string };
}

describe("GET /api/map/tiles/:z/:x/:y", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp();
    await makeService(t, { threshold: 5 });
  });

  const tile = (z: number, x: number, y: number, headers: Record<string, string> = {}, query = "") =>
    t.app.request(`/api/map/tiles/${z}/${x}/${y}${query}`, { headers });

  it("answers 304 to its own ETag, and a new ETag after a report in the tile but not after one elsewhere", async () => {
    expect((await reportAt(t, CHANGSHA)).status).toBe(201);
    const { x, y } = tileOf(CHANGSHA, 15);
    const first = await tile(15, x, y);
    expect(first.status).toBe(200);
    expect(first.headers.get("cache-control")).toMatch(/max-age=\d+/);
    const etag = first.headers.get("etag") ?? "";
    expect(etag).not.toBe("");
    const body = (await first.json()) as { features: Feature[] };
    expect(body.features).toHaveLength(1);

    const again = await tile(15, x, y, { "If-None-Match": etag });
    expect(again.status).toBe(304);
    // As RFC 9110 compares for a GET: within a list, and weakly (a cache may send the strong form).
    expect((await tile(15, x, y, { "If-None-Match": `"other", ${etag}` })).status).toBe(304);
    expect((await tile(15, x, y, { "If-None-Match": etag.replace(/^W\//, "") })).status).toBe(304);
    // A filter is another answer, with its own ETag.
    const filtered = await tile(15, x, y, { "If-None-Match": etag }, "?status=reported");
    expect(filtered.status).toBe(200);

    // A report 20 km away is in another tile: this one stays valid.
    expect((await reportAt(t, east(CHANGSHA, 20_000))).status).toBe(201);
    expect((await tile(15, x, y, { "If-None-Match": etag })).status).toBe(304);

    // A second report on the cluster changes it (counts; its centre stays in its quantum): the
    // tile is answered afresh, at an odd zoom (versions of the level above) as at an even one.
    const even = tileOf(CHANGSHA, 14);
    const evenTag = (await tile(14, even.x, even.y)).headers.get("etag") ?? "";
    expect((await reportAt(t, CHANGSHA)).status).toBe(201);
    const changed = await tile(15, x, y, { "If-None-Match": etag });
    expect(changed.status).toBe(200);
    expect(changed.headers.get("etag")).not.toBe(etag);
    expect((await tile(14, even.x, even.y, { "If-None-Match": evenTag })).status).toBe(200);
  });

  it("answers a tile afresh when a report in it is hidden or restored, its words gone from the pin and back", async () => {
    const res = await reportAt(t, CHANGSHA, { description: "Deep hole by the school gate" });
    expect(res.status).toBe(201);
    const reportId = (res.body as { report: { id: string } }).report.id;
    const { x, y } = tileOf(CHANGSHA, 15);
    const saidIn = async (r: Response) =>
      ((await r.json()) as { features: { properties: { said?: string } }[] }).features[0]?.properties.said;
    const first = await tile(15, x, y);
    const etag = first.headers.get("etag") ?? "";
    expect(await saidIn(first)).toBe("Deep hole by the school gate");

    const moderate = (action: "hide" | "restore") =>
      t.app.request(`/api/admin/moderation/reports/${reportId}/${action}`, {
        method: "POST",
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      });
    expect((await moderate("hide")).status).toBe(200);
    const hidden = await tile(15, x, y, { "If-None-Match": etag });
    expect(hidden.status).toBe(200);
    const hiddenTag = hidden.headers.get("etag") ?? "";
    expect(hiddenTag).not.toBe(etag);
    expect(await saidIn(hidden)).toBe("");
    // A tile elsewhere keeps its ETag.
    expect((await reportAt(t, east(CHANGSHA, 20_000))).status).toBe(201);
    const far = tileOf(east(CHANGSHA, 20_000), 15);
    const farFirst = await tile(15, far.x, far.y);
    expect(farFirst.status).toBe(200);

    expect((await moderate("restore")).status).toBe(200);
    const restored = await tile(15, x, y, { "If-None-Match": hiddenTag });
    expect(restored.status).toBe(200);
    expect(await saidIn(restored)).toBe("Deep hole by the school gate");
    expect(
      (await tile(15, far.x, far.y, { "If-None-Match": farFirst.headers.get("etag") ?? "" })).status,
    ).toBe(304);
  });

  it("counts every cluster exactly once over the tiles of a zoom", async () => {
    // A 40 x 40 grid of clusters 0.001° apart, straddling tile edges at zooms 10 to 14.
    await t.db.run(sql`WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < 1599)
      INSERT INTO clusters (id, service_code, lat, lon, state, report_count, reporter_count,
        first_report_at, last_report_at, created_at, updated_at)
      SELECT 'g' || i, 'pothole', ${CHANGSHA.lat} + (i / 40) * 0.001, ${CHANGSHA.lon} + (i % 40) * 0.001,
        'open', 1, 1, 0, 0, 0, 0 FROM k`);
    for (const z of [10, 12, 14]) {
      const lo = tileOf({ lat: CHANGSHA.lat + 0.04, lon: CHANGSHA.lon }, z);
      const hi = tileOf({ lat: CHANGSHA.lat, lon: CHANGSHA.lon + 0.04 }, z);
      let counted = 0;
      const seen = new Set<string>();
      for (let x = lo.x; x <= hi.x; x++) {
        for (let y = lo.y; y <= hi.y; y++) {
          const res = await tile(z, x, y);
          expect(res.status).toBe(200);
          for (const f of ((await res.json()) as { features: Feature[] }).features) {
            if (f.properties.kind === "cell") counted += f.properties.clusters ?? 0;
            else {
              expect(seen.has(f.properties.id ?? "")).toBe(false);
              seen.add(f.properties.id ?? "");
              counted += 1;
            }
          }
        }
      }
      expect(counted, `zoom ${z}`).toBe(1600);
    }
  });

  it("counts every cluster once over a zoom's tiles under a time filter, whose cells may be twice as wide", async () => {
    // Two rows of clusters either side of a tile edge at zoom 7 (27.0592°), in one cell of the
    // coarser level a time filter groups that zoom at (26.71875° to 28.125°): more than a live
    // walk takes, so the tiles are grouped from the aggregates over time.
    const now = t.clock();
    await t.db.run(sql`WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < 2399)
      INSERT INTO clusters (id, service_code, lat, lon, state, report_count, reporter_count,
        first_report_at, last_report_at, created_at, updated_at)
      SELECT 'e' || i, 'pothole', CASE WHEN i < 1200 THEN 27.0 ELSE 27.5 END, 112.9 + (i % 1200) * 0.0002,
        'open', 1, 1, ${now}, ${now}, ${now}, ${now} FROM k`);
    const since = `?since=${new Date(now - 86_400_000).toISOString()}`;
    for (const z of [5, 6, 7, 8, 9]) {
      const lo = tileOf({ lat: 27.6, lon: 112.89 }, z);
      const hi = tileOf({ lat: 26.9, lon: 113.11 }, z);
      let counted = 0;
      for (let x = lo.x; x <= hi.x; x++) {
        for (let y = lo.y; y <= hi.y; y++) {
          const res = await tile(z, x, y, {}, since);
          expect(res.status).toBe(200);
          for (const f of ((await res.json()) as { features: Feature[] }).features)
            counted += f.properties.kind === "cell" ? (f.properties.clusters ?? 0) : 1;
        }
      }
      expect(counted, `zoom ${z}`).toBe(2400);
    }
  });

  it("refuses a tile outside its zoom with a 400 naming the coordinate", async () => {
    const res = await tile(3, 8, 0);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { field: string } }).error.field).toBe("x");
    expect((await tile(23, 0, 0)).status).toBe(400);
  });
});
