/**
 * The map's answer is bounded by design: however many clusters are in view and whatever the zoom
 * and box, it stays small (bytes) and every cluster is still counted.
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { cellSizeDeg, gridCellSize, MAX_CELLS } from "../src/domain/map-grid";
import { makeTestApp, type TestApp } from "./support/app";
import { CHANGSHA, makeService } from "./support/fixtures";

/** More clusters than SQLite binds variables in one statement (32,766). */
const ROWS = 200;
const COLS = 170;
const TOTAL = ROWS * COLS;
/** Far enough apart that each is alone in its cell at zoom 16 (cells of ~0.0014°). */
const STEP = 0.002;
const BOX = `${CHANGSHA.lon},${CHANGSHA.lat},${CHANGSHA.lon + COLS * STEP},${CHANGSHA.lat + ROWS * STEP}`;
const KB = 1024;

interface Feature {
  properties: { kind: "cell" | "cluster"; clusters?: number };
}

describe("GET /api/map over a city of clusters", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp();
    await makeService(t, { code: "pothole" });
    await t.db.run(sql`WITH RECURSIVE k(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM k WHERE i < ${TOTAL - 1})
      INSERT INTO clusters (id, service_code, lat, lon, state, report_count, reporter_count,
        first_report_at, last_report_at, created_at, updated_at)
      SELECT 'spread' || i, 'pothole', ${CHANGSHA.lat + STEP / 2} + CAST(i / ${COLS} AS INTEGER) * ${STEP},
        ${CHANGSHA.lon + STEP / 2} + (i % ${COLS}) * ${STEP}, 'open', 1, 1, 0, 0, 0, 0 FROM k`);
  });

  it("answers every zoom over the whole box in a bounded size, counting every cluster", async () => {
    for (const zoom of [0, 8, 12, 14, 16, 18, 22]) {
      const res = await t.app.request(`/api/map?bbox=${BOX}&zoom=${zoom}`);
      expect(res.status, `zoom ${zoom}`).toBe(200);
      const text = await res.text();
      expect(text.length, `zoom ${zoom}: ${text.length} bytes`).toBeLessThan(128 * KB);
      const body = JSON.parse(text) as { mode: string; features: Feature[] };
      expect(body.mode).toBe("grid");
      const counted = body.features.reduce(
        (n, f) => n + (f.properties.kind === "cell" ? (f.properties.clusters ?? 0) : 1),
        0,
      );
      expect(counted, `zoom ${zoom}`).toBe(TOTAL);
    }
  });

  it("coarsens the grid only as far as the box needs", () => {
    const city = { minLon: 112.9, minLat: 28.1, maxLon: 113.3, maxLat: 28.5 };
    // A small view keeps the zoom's own cells; a huge one at street zoom gets coarser ones.
    const street = { minLon: 112.98, minLat: 28.19, maxLon: 112.99, maxLat: 28.195 };
    expect(gridCellSize(street, 16)).toBe(cellSizeDeg(16));
    const coarse = gridCellSize(city, 16);
    expect(coarse).toBeGreaterThan(cellSizeDeg(16));
    // Still one of the grid's own sizes, so cells line up with those of a lower zoom.
    expect(Number.isInteger(Math.log2(coarse / cellSizeDeg(16)))).toBe(true);
    const cells = (Math.floor(0.4 / coarse) + 2) ** 2;
    expect(cells).toBeLessThanOrEqual(MAX_CELLS);
  });
});
