/** The sensor intake's cost does not grow with the spots stored: every statement searches by index. */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { groupEvents, SPOT_GRID_DEG } from "../src/domain/sensor";
import { spotsInBox } from "../src/store/road-spots";
import { sensorBatchStatements, uploadRows } from "../src/store/sensor-batches";
import { unfiledSpots } from "../src/store/sensor-confirmations";
import { makeTestApp, type TestApp } from "./support/app";
import { CHANGSHA } from "./support/fixtures";
import { SENSOR } from "./support/sensor";

describe("the sensor intake's statements", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp();
    // Enough spots and passes that the planner would rather use an index than scan, with statistics.
    await t.db.run(sql`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000),
        p(i, lat, lon) AS (SELECT i, 28 + (i % 100) * 0.001, 112.9 + (i / 100) * 0.001 FROM n)
      INSERT INTO road_spots (id, family, kind, state, lat, lon, grid_lat, grid_lon, weight, radius_m, hits,
        pothole_hits, bump_hits, devices, hit_passes, first_hit_at, last_hit_at, created_at, updated_at)
      SELECT 's' || i, 'impact', 'pothole', 'candidate', lat, lon, CAST(lat / ${SPOT_GRID_DEG} AS INTEGER),
        CAST(lon / ${SPOT_GRID_DEG} AS INTEGER), 1, 10, 1, 1, 0, 1, 1, 0, 0, 0, 0 FROM p`);
    await t.db.run(sql`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
      INSERT INTO cell_passes (lat_index, lon_index, day, pass_key)
      SELECT 280000 + i % 100, 1129000 + i / 100, 1, 'k' || i FROM n`);
    await t.client.execute("ANALYZE");
  });

  it("find the confirmations to file through their partial index, not by reading every spot", async () => {
    const query = (
      t.db as unknown as { dialect: { sqlToQuery: (q: unknown) => { sql: string; params: never[] } } }
    ).dialect.sqlToQuery(unfiledSpots(50));
    const res = await t.client.execute({ sql: `EXPLAIN QUERY PLAN ${query.sql}`, args: query.params });
    const plan = res.rows.map((r) => String(r.detail));
    // A scan of that index reads only unfiled confirmations, already in order, and stops at the limit.
    expect(plan[0]).toMatch(/^(SCAN|SEARCH) road_spots USING INDEX road_spots_unfiled\b/);
    expect(
      plan.filter((line) => /^SCAN road_spots\b(?! USING INDEX road_spots_unfiled\b)/.test(line)),
    ).toEqual([]);
    expect(plan.join("\n")).not.toMatch(/TEMP B-TREE FOR ORDER BY/);
  });

  it("never scan road spots, passes, hits or known features", async () => {
    const statements = sensorBatchStatements(t.db, {
      key: "k",
      requestHash: "h",
      claim: "c",
      rows: uploadRows(
        groupEvents([{ ...CHANGSHA, accuracyM: 4, kind: "pothole", at: 0 }]).map((g) => ({
          ...g,
          newSpotId: "n",
          keys: [1, 2, 3, 4],
        })),
        [[281941, 1129823, 7]],
      ),
      keyReach: { lat: 2e-4, lon: 2e-4 },
      feeds: new Map([["pothole", SENSOR]]),
      now: 0,
      day: 1,
      cellAreas: JSON.stringify([[281941, 1129823, "[]"]]),
      areaVersion: null,
    });
    const plans: string[] = [];
    for (const statement of statements) {
      const query = (
        statement as unknown as { getQuery: () => { sql: string; params: unknown[] } }
      ).getQuery();
      // A local database's scratch table of groups is made by the batch itself, when first needed.
      if (/^CREATE TEMP TABLE/.test(query.sql)) {
        await t.client.execute(query.sql);
        continue;
      }
      const res = await t.client.execute({
        sql: `EXPLAIN QUERY PLAN ${query.sql}`,
        args: query.params as never[],
      });
      plans.push(...res.rows.map((r) => String(r.detail)));
    }
    // The intake's probe of a device's hits on a spot uses their key (the table: WITHOUT ROWID).
    expect(plans.join("\n")).toMatch(/SEARCH h USING PRIMARY KEY \(spot_id=\? AND device_key=\?/);
    expect(plans.join("\n")).toMatch(
      /SEARCH s USING INDEX road_spots_family_grid \(family=\? AND grid_lat=\?/,
    );
    // A spot folding looks for the one it folds into, and a spot looked at for those folding into it, by the grid.
    expect(plans.join("\n")).toMatch(
      /SEARCH t USING INDEX road_spots_family_grid \(family=\? AND grid_lat=\?/,
    );
    expect(plans.join("\n")).toMatch(
      /SEARCH road_spot_folds USING (COVERING )?INDEX road_spot_folds_into \(into_id=\?\)/,
    );
    // The passes are WITHOUT ROWID (migration 0035): their key is the table.
    expect(plans.join("\n")).toMatch(/SEARCH p USING PRIMARY KEY \(lat_index=\? AND lon_index>\?/);
    // The one scan allowed: "does any confirmed spot wait for its report?", of the partial index
    // holding exactly those (none, or the few since the last filing), stopping at the first.
    expect(plans).toContain("SCAN road_spots USING INDEX road_spots_unfiled");
    const scans = plans.filter(
      (line) =>
        /^SCAN (road_spots|s|t|p|h|x|k|l|cell_passes|road_spot_hits|road_spot_folds|legacy_spot_hits|known_features)\b/.test(
          line,
        ) && line !== "SCAN road_spots USING INDEX road_spots_unfiled",
    );
    expect(scans).toEqual([]);
  });

  it("find the map's boxes through the grid index (the centre has none)", async () => {
    const box = { minLat: 28.01, maxLat: 28.03, minLon: 112.91, maxLon: 112.93 };
    const query = sql`SELECT id FROM road_spots WHERE ${spotsInBox(box)}`;
    const { sql: text, params } = t.db.all(query).getQuery();
    const res = await t.client.execute({ sql: `EXPLAIN QUERY PLAN ${text}`, args: params as never[] });
    const plan = res.rows.map((r) => String(r.detail)).join("\n");
    expect(plan).toMatch(/SEARCH road_spots USING INDEX road_spots_family_grid \(family=\? AND grid_lat>\?/);
    // The box finds exactly the spots whose centres are in it.
    const found = await t.db.all<{ id: string }>(query);
    const inside = await t.db.all<{ id: string }>(sql`SELECT id FROM road_spots
      WHERE lat BETWEEN ${box.minLat} AND ${box.maxLat} AND lon BETWEEN ${box.minLon} AND ${box.maxLon}`);
    expect(found.length).toBeGreaterThan(0);
    expect(found.map((r) => r.id).sort()).toEqual(inside.map((r) => r.id).sort());
  });
});
