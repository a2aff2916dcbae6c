/**
 * The map's aggregates stay exactly what a fresh GROUP BY of the clusters says, after random
 * sequences of writes through the real intake (concurrent reports crossing thresholds) and
 * through the statements other write paths use (state moves, work orders, merges, deletions);
 * views answered from them equal the live grouping; the spatial key agrees with the domain's.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { HOUR_LEVELS, HOURS_END, hourRuns } from "../src/domain/hour-blocks";
import { cellBounds, cellOf, MAX_SINGLE_CLUSTERS } from "../src/domain/map-grid";
import {
  cellKeyAt,
  cellSideOfLevel,
  interleave,
  rowColOfKey,
  ZKEY_LEVEL,
  zkeyOf,
  zkeyRanges,
} from "../src/domain/zkey";
import { MIGRATIONS_DIR } from "../src/node/database";
import { asUtcDays } from "../src/store/city-days-sql";
import { denseCellsQuery } from "../src/store/map";
import {
  CENTRE_LEVEL,
  centre7OfKey,
  centre7Sql,
  freshMapCellsSql,
  mapCellTriggersOf0026,
  quantised,
} from "../src/store/map-cells-sql";
import { quantisedCentresOf0032 } from "../src/store/map-centre-sql";
import {
  freshMapDepartmentCellsSql,
  mapDepartmentBackfill,
  mapDepartmentTriggers,
} from "../src/store/map-department-sql";
import {
  freshMapTimeCellsSql,
  mapTimeBackfill,
  mapTimeClusterUpdateTriggers,
  mapTimeTriggers,
  mapTimeYellowOf0027,
} from "../src/store/map-time-sql";
import { findMapItems, fromAggregates } from "../src/store/map-view";
import { makeTestApp, type TestApp } from "./support/app";
import { CHANGSHA, makeDepartment, makeService, reportAt, squareAround } from "./support/fixtures";
import { plainScan } from "./support/map-scan";

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const kept = (t: TestApp) =>
  t.db.all(sql`SELECT level, cell, service_code, status, n, sum_lat, sum_lon, sum_rowid
    FROM map_cells WHERE n <> 0 ORDER BY 1, 2, 3, 4`);
const fresh = (t: TestApp) => t.db.all(sql.raw(`${freshMapCellsSql} ORDER BY 1, 2, 3, 4`));
const keptTime = (t: TestApp) =>
  t.db.all(sql`SELECT kind, level, cell, tlevel, tblock, service_code, n, sum_lat, sum_lon, sum_rowid
    FROM map_time_cells ORDER BY 1, 2, 3, 4, 5, 6`);
const freshTime = (t: TestApp) => t.db.all(sql.raw(`${freshMapTimeCellsSql} ORDER BY 1, 2, 3, 4, 5, 6`));
const keptDepartment = (t: TestApp) =>
  t.db.all(sql`SELECT level, department_code, cell, service_code, status, n, sum_lat, sum_lon, sum_rowid
    FROM map_department_cells WHERE n <> 0 ORDER BY 1, 2, 3, 4, 5`);
const freshDepartment = (t: TestApp) =>
  t.db.all(sql.raw(`${freshMapDepartmentCellsSql} ORDER BY 1, 2, 3, 4, 5`));
const HOUR = 3_600_000;
/** An instant in the middle of an hour, where the tests' times start. */
const T0 = 1_790_000_000_000 + 1_234_567;

const STATES = ["open", "dispatched", "resolved", "merged"] as const;
const WO = ["dispatched", "acknowledged", "in_progress", "resolved", "closed", "rejected"] as const;

describe("map_cells", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp();
    await makeService(t, { threshold: 2 });
    await makeService(t, { code: "streetlight", name: { en: "Light", zh: "灯" }, threshold: 3 });
    await makeDepartment(t, { code: "roads", services: ["pothole"], area: squareAround(CHANGSHA, 5000) });
  });

  it("computes the same spatial key in SQL as in the domain, even at the world's edges", async () => {
    const next = random(7);
    const points = [
      { lat: -90, lon: -180 },
      { lat: 90, lon: 180 },
      { lat: 0, lon: 0 },
      { lat: -0.000001, lon: -0.000001 },
      ...Array.from({ length: 200 }, () => ({ lat: next() * 180 - 90, lon: next() * 360 - 180 })),
    ];
    await t.db.run(sql`INSERT INTO clusters (id, service_code, lat, lon, state, first_report_at, last_report_at,
        created_at, updated_at)
      SELECT 'k' || key, 'pothole', json_extract(value, '$.lat'), json_extract(value, '$.lon'), 'open', 0, 0, 0, 0
      FROM json_each(${JSON.stringify(points)})`);
    const rows = await t.db.all<{ lat: number; lon: number; zkey: number; lat7: number; lon7: number }>(
      sql`SELECT lat, lon, zkey, ${sql.raw(centre7Sql("clusters", "lat"))} AS lat7,
        ${sql.raw(centre7Sql("clusters", "lon"))} AS lon7 FROM clusters`,
    );
    for (const r of rows) {
      expect(r.zkey, `${r.lat},${r.lon}`).toBe(zkeyOf(r.lat, r.lon));
      // The centre the aggregates sum, from the key alone (the map's partial hours count keys).
      const centre = cellKeyAt(r.zkey, CENTRE_LEVEL);
      expect(centre7OfKey(centre), `${r.lat},${r.lon}`).toEqual({ lat7: r.lat7, lon7: r.lon7 });
      const { row, col } = rowColOfKey(r.zkey, ZKEY_LEVEL);
      expect(interleave(row, col, ZKEY_LEVEL)).toBe(r.zkey);
    }
    expect(await kept(t)).toEqual(await fresh(t));
  });

  it("stays equal to a fresh GROUP BY after random writes of every kind", async () => {
    const next = random(42);
    const near = () => ({
      lat: CHANGSHA.lat + (next() - 0.5) * 0.02,
      lon: CHANGSHA.lon + (next() - 0.5) * 0.02,
    });
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)] as T;
    // Raw statements below stand for every write path; events referring to work orders must not stop them.
    await t.db.run(sql`PRAGMA foreign_keys = OFF`);
    for (let round = 0; round < 6; round++) {
      // Concurrent reports at a few places: clusters open, grow, move and cross their threshold.
      const spots = Array.from({ length: 4 }, near);
      const reports = Array.from({ length: 12 }, () => {
        const s = pick(spots);
        return reportAt(
          t,
          { lat: s.lat + next() * 1e-5, lon: s.lon },
          { service: pick(["pothole", "streetlight"]) },
        );
      });
      for (const r of await Promise.all(reports)) expect(r.status).toBe(201);
      const ids = (await t.db.all<{ id: string }>(sql`SELECT id FROM clusters`)).map((r) => r.id);
      for (let i = 0; i < 8; i++) {
        const id = pick(ids);
        const p = near();
        const other = pick(ids);
        const writes = [
          sql`UPDATE clusters SET state = ${pick(STATES)} WHERE id = ${id}`,
          sql`UPDATE clusters SET lat = ${p.lat}, lon = ${p.lon} WHERE id = ${id}`,
          sql`UPDATE clusters SET service_code = ${pick(["pothole", "streetlight"])} WHERE id = ${id}`,
          sql`UPDATE work_orders SET status = ${pick(WO)} WHERE cluster_id = ${id}`,
          // A later report (maybe in the same hour), deadlines moved.
          sql`UPDATE clusters SET last_report_at = last_report_at + ${Math.floor(next() * 40 * HOUR)} WHERE id = ${id}`,
          // A report joining: the centre moves a little (mostly within its cell), counts and time grow.
          sql`UPDATE clusters SET lat = lat + ${(next() - 0.5) * 2e-5}, lon = lon + ${(next() - 0.5) * 2e-5},
              report_count = report_count + 1, last_report_at = last_report_at + ${Math.floor(next() * 3 * HOUR)}
            WHERE id = ${id}`,
          // A work order moved to another cluster that has none (no write path does this today).
          sql`UPDATE work_orders SET cluster_id = ${other} WHERE cluster_id = ${id}
            AND NOT EXISTS (SELECT 1 FROM work_orders w WHERE w.cluster_id = ${other})`,
          sql`UPDATE work_orders SET ack_due_at = ${Math.floor(next() * 1e12)}, resolve_due_at = ${Math.floor(next() * 1e12)}
            WHERE cluster_id = ${id}`,
          // Restarted deadlines (a reroute, a reopening): the yellow time moves, maybe past the deadline.
          sql`UPDATE work_orders SET deadlines_from = ${Math.floor(next() * 1e12)} WHERE cluster_id = ${id}`,
          // Rerouted to another department, or unrouted.
          sql`UPDATE work_orders SET department_code = ${pick(["roads", "parks", null])} WHERE cluster_id = ${id}`,
          sql`INSERT INTO work_orders (id, cluster_id, service_code, department_code, status, ack_due_at, resolve_due_at,
              deadlines_from, created_at, updated_at)
            SELECT 'w' || ${id}, ${id}, service_code, ${pick(["roads", "parks", null])}, ${pick(WO)},
              ${Math.floor(next() * 1e12)}, ${Math.floor(next() * 1e12)}, ${Math.floor(next() * 1e12)}, 0, 0
            FROM clusters WHERE id = ${id}
            ON CONFLICT DO NOTHING`,
          sql`DELETE FROM work_orders WHERE cluster_id = ${id}`,
          sql`UPDATE clusters SET state = 'merged', merged_into_id = ${pick(ids)}, report_count = 0 WHERE id = ${id}`,
        ];
        await t.db.run(pick(writes));
      }
      expect(await kept(t), `round ${round}`).toEqual(await fresh(t));
      expect(await keptTime(t), `round ${round}`).toEqual(await freshTime(t));
      expect(await keptDepartment(t), `round ${round}`).toEqual(await freshDepartment(t));
    }
    // Every work order rerouted at once, some unrouted.
    await t.db.run(sql`UPDATE work_orders SET department_code = CASE WHEN department_code = 'roads' THEN 'parks'
      WHEN rowid % 2 = 0 THEN 'roads' END`);
    expect(await keptDepartment(t)).toEqual(await freshDepartment(t));
    expect((await keptTime(t)).length).toBeGreaterThan(0);
    expect((await keptDepartment(t)).length).toBeGreaterThan(0);
    // The migrations' backfills (finest rows, then rolled up) give the same tables.
    const before = await keptTime(t);
    await t.db.run(sql`DELETE FROM map_time_cells`);
    for (const statement of [...mapTimeBackfill(), ...mapTimeBackfill("yellow")])
      await t.db.run(sql.raw(quantised(statement)));
    expect(await keptTime(t)).toEqual(before);
    const byDepartment = await keptDepartment(t);
    await t.db.run(sql`DELETE FROM map_department_cells`);
    for (const statement of mapDepartmentBackfill()) await t.db.run(sql.raw(quantised(statement)));
    expect(await keptDepartment(t)).toEqual(byDepartment);
    // A cluster that goes away takes its counts with it.
    await t.db.run(sql`DELETE FROM clusters WHERE rowid % 3 = 0`);
    expect(await keptTime(t)).toEqual(await freshTime(t));
    expect(await keptDepartment(t)).toEqual(await freshDepartment(t));
    await t.db.run(sql`DELETE FROM work_orders`);
    await t.db.run(sql`DELETE FROM clusters WHERE rowid % 2 = 0`);
    expect(await kept(t)).toEqual(await fresh(t));
    expect(await keptTime(t)).toEqual(await freshTime(t));
    expect(await keptDepartment(t)).toEqual(await freshDepartment(t));
  });

  it("answers filtered grids from the aggregates exactly as the live grouping over the same cells, and the mixes walked live or not at all", async () => {
    const next = random(3);
    await t.db.run(sql`INSERT INTO clusters (id, service_code, lat, lon, state, report_count, reporter_count,
        first_report_at, last_report_at, created_at, updated_at)
      SELECT 'g' || key, CASE WHEN key % 3 = 0 THEN 'streetlight' ELSE 'pothole' END,
        json_extract(value, '$[0]'), json_extract(value, '$[1]'),
        CASE WHEN key % 5 = 0 THEN 'dispatched' ELSE 'open' END, 1, 1, 0, ${T0} + key * 7919000, 0, 0
      FROM json_each(${JSON.stringify(
        Array.from({ length: 6000 }, () => [
          CHANGSHA.lat + (next() - 0.5) * 0.1,
          CHANGSHA.lon + (next() - 0.5) * 0.1,
        ]),
      )})`);
    // In the clusters' order whatever index the plan reads: the work orders' rowids pick the edges below.
    await t.db.run(sql`INSERT INTO work_orders (id, cluster_id, service_code, department_code, status, ack_due_at,
        resolve_due_at, deadlines_from, created_at, updated_at)
      SELECT 'w' || id, id, service_code, CASE WHEN rowid % 4 < 3 THEN 'roads' END,
        CASE WHEN rowid % 3 = 0 THEN 'in_progress' ELSE 'dispatched' END,
        last_report_at + rowid * 1000003 % ${40 * HOUR}, last_report_at + ${50 * HOUR}, last_report_at, 0, 0
      FROM clusters WHERE state = 'dispatched' ORDER BY rowid`);
    // Mid-hour instants, so both the blocks and the partial hours count.
    const since = T0 + 3000 * 7919000 + 1234567;
    const now = T0 + 2500 * 7919000 + 2345678;
    // Some right at `since` and some due just before `now`: the partial hours read row by row.
    await t.db.run(sql`UPDATE clusters SET last_report_at = ${since} WHERE rowid % 7 = 0`);
    await t.db.run(
      sql`UPDATE work_orders SET ack_due_at = ${now - 1} WHERE rowid % 4 = 0 AND status = 'dispatched'`,
    );
    // Nearly due at its edges: yellow exactly from now; due exactly now but yellow only after (its
    // deadlines restarted past it); yellow half a millisecond after now; due now, yellow before.
    const edges = [
      [11, now + 1000, now - 3000],
      [13, now, now + 5000],
      [17, now + 1, now - 1],
      [19, now, now - 4000],
    ];
    for (const [k, due, from] of edges)
      await t.db.run(sql`UPDATE work_orders SET ack_due_at = ${due}, deadlines_from = ${from}
        WHERE rowid % ${k} = 0 AND status = 'dispatched'`);
    const wide = {
      minLat: CHANGSHA.lat - 0.04,
      maxLat: CHANGSHA.lat + 0.03,
      minLon: CHANGSHA.lon - 0.05,
      maxLon: CHANGSHA.lon + 0.02,
    };
    const narrow = {
      minLat: CHANGSHA.lat - 0.005,
      maxLat: CHANGSHA.lat + 0.005,
      minLon: CHANGSHA.lon - 0.005,
      maxLon: CHANGSHA.lon + 0.005,
    };
    let zoomIns = 0;
    let walked = 0;
    for (const filter of [
      {},
      { service: "streetlight" },
      { status: "dispatched" as const },
      { service: "pothole", status: "reported" as const },
      { since },
      { service: "pothole", since },
      // Deadlines from the aggregates' hour blocks, and from a walk of the work orders in view (the
      // way `findMapItems` takes where they are few, as here).
      ...[false, undefined].flatMap((walk) => [
        { deadline: { flag: "red" as const, now, walk } },
        { service: "streetlight", deadline: { flag: "red" as const, now, walk } },
        { deadline: { flag: "yellow" as const, now, walk } },
        { service: "pothole", deadline: { flag: "yellow" as const, now, walk } },
      ]),
      { department: "roads" },
      { department: "roads", service: "pothole" },
      { department: "roads", status: "dispatched" as const },
      // Mixes walked live (the clusters in view, or the work orders), up to `LIVE_WALK_CAP`.
      { since, status: "reported" as const },
      { service: "pothole", since, status: "in_progress" as const },
      { deadline: { flag: "red" as const, now }, status: "dispatched" as const },
      { since, deadline: { flag: "red" as const, now } },
      { department: "roads", since },
      { department: "roads", deadline: { flag: "yellow" as const, now } },
    ]) {
      // A view of ~3,000 clusters (~600 work orders), and one of ~60.
      for (const [view, zoom] of [...[9, 12, 14].map((z) => [wide, z] as const), [narrow, 16] as const]) {
        const answer = await findMapItems(t.db, view, zoom, filter, now);
        const label = `${JSON.stringify(filter)} z${zoom}`;
        if ("since" in filter && zoom === 9 && fromAggregates(filter))
          expect(answer.mode, label).toBe("grid");
        if (answer.zoomIn) {
          // Only over the wide view is a walk that long (never for the aggregates' filters).
          expect(fromAggregates(filter) || view === narrow, label).toBe(false);
          expect(answer.items, label).toEqual([]);
          zoomIns++;
          continue;
        }
        if (answer.mode === "clusters") {
          // Few enough to list (the sparser filters): exactly the clusters in the view.
          const live = await t.db.all<{ id: string }>(
            sql`SELECT c.id FROM ${plainScan(view, filter).from} WHERE ${plainScan(view, filter).where}`,
          );
          if (fromAggregates(filter)) expect(live.length, label).toBeGreaterThan(0);
          else walked += live.length;
          // The SQL's flag is the domain's (`deadlineFlag`), to the millisecond at the edges above.
          if (filter.deadline)
            for (const i of answer.items)
              expect(i.kind === "cluster" && i.flag, label).toBe(filter.deadline.flag);
          expect(answer.items.map((i) => (i.kind === "cluster" ? i.id : "cell")).sort(), label).toEqual(
            live.map((r) => r.id).sort(),
          );
          continue;
        }
        const cell = answer.items.find((i) => i.kind === "cell");
        const side = cell?.kind === "cell" ? cell.bbox[2] - cell.bbox[0] : 0;
        // The live grouping over the whole of every cell the view touches (edge cells count whole),
        // or for a mix walked live, over the view.
        const lo = cellOf(view.minLat, view.minLon, side);
        const hi = cellOf(view.maxLat, view.maxLon, side);
        const whole = fromAggregates(filter)
          ? {
              ...cellBounds(lo.row, lo.col, side),
              maxLat: cellBounds(hi.row, hi.col, side).maxLat - 1e-9,
              maxLon: cellBounds(hi.row, hi.col, side).maxLon - 1e-9,
            }
          : view;
        if (fromAggregates(filter)) expect(side).toBe(cellSideOfLevel(Math.round(Math.log2(360 / side))));
        else walked += answer.items.length;
        const live = await t.db.all<{ row: number; col: number; n: number; lat: number; lon: number }>(
          denseCellsQuery(plainScan(whole, filter), side),
        );
        const got = new Map<string, { n: number; lat: number; lon: number }>();
        for (const i of answer.items) {
          const at = cellOf(
            i.kind === "cell" ? i.bbox[1] + side / 2 : i.lat,
            i.kind === "cell" ? i.bbox[0] + side / 2 : i.lon,
            side,
          );
          got.set(`${at.row},${at.col}`, { n: i.kind === "cell" ? i.clusters : 1, lat: i.lat, lon: i.lon });
        }
        expect([...got.keys()].sort(), label).toEqual(live.map((r) => `${r.row},${r.col}`).sort());
        for (const r of live) {
          const g = got.get(`${r.row},${r.col}`);
          expect(g?.n, label).toBe(r.n);
          expect(Math.abs((g?.lat ?? 0) - r.lat), label).toBeLessThan(1e-6);
          expect(Math.abs((g?.lon ?? 0) - r.lon), label).toBeLessThan(1e-6);
        }
      }
    }
    // Both ways were taken: some mixes walked live, some too long to walk.
    expect(zoomIns).toBeGreaterThan(0);
    expect(walked).toBeGreaterThan(0);
  });

  it("lists a sparse view exactly, clipping clusters in partly covered cells", async () => {
    await t.db.run(sql`INSERT INTO clusters (id, service_code, lat, lon, state, first_report_at, last_report_at, created_at, updated_at)
      VALUES ('in', 'pothole', ${CHANGSHA.lat}, ${CHANGSHA.lon}, 'open', 0, 0, 0, 0),
             ('out', 'pothole', ${CHANGSHA.lat + 0.0021}, ${CHANGSHA.lon}, 'open', 0, 0, 0, 0)`);
    const box = {
      minLat: CHANGSHA.lat - 0.002,
      maxLat: CHANGSHA.lat + 0.002,
      minLon: CHANGSHA.lon - 0.002,
      maxLon: CHANGSHA.lon + 0.002,
    };
    const answer = await findMapItems(t.db, box, 16, {}, 0);
    expect(answer.mode).toBe("clusters");
    expect(answer.items.map((i) => (i.kind === "cluster" ? i.id : "cell"))).toEqual(["in"]);
  });

  it("lists a view inside one crowded cell by counting first: a page in the box is a grid, fewer are listed", async () => {
    // A cell of level 16 holding 900 clusters around a box 0.64 of its area: likely more
    // than a page, so they are counted in the box before any pin is read.
    const side = cellSideOfLevel(16);
    const { row, col } = cellOf(CHANGSHA.lat, CHANGSHA.lon, side);
    const cell = cellBounds(row, col, side);
    const box = {
      minLat: cell.minLat + side / 10,
      maxLat: cell.maxLat - side / 10,
      minLon: cell.minLon + side / 10,
      maxLon: cell.maxLon - side / 10,
    };
    const add = (prefix: string, n: number, at: (i: number) => { lat: number; lon: number }) =>
      t.db.run(
        sql.raw(
          `INSERT INTO clusters (id, service_code, lat, lon, state, first_report_at, last_report_at, created_at, updated_at) VALUES ${Array.from(
            { length: n },
            (_, i) => `('${prefix}${i}', 'pothole', ${at(i).lat}, ${at(i).lon}, 'open', 0, 0, 0, 0)`,
          ).join(",")}`,
        ),
      );
    // In the cell's margins (outside the box), and inside the box.
    await add("out", 900, (i) => ({
      lat: cell.minLat + side / 20,
      lon: cell.minLon + (side * (i + 0.5)) / 900,
    }));
    await add("in", 5, (i) => ({ lat: CHANGSHA.lat, lon: box.minLon + (side * (i + 1)) / 10 }));
    const listed = await findMapItems(t.db, box, 17, {}, 0);
    expect(listed.mode).toBe("clusters");
    expect(listed.items.map((i) => (i.kind === "cluster" ? i.id : "cell")).sort()).toEqual([
      "in0",
      "in1",
      "in2",
      "in3",
      "in4",
    ]);
    await add("more", MAX_SINGLE_CLUSTERS + 1 - 5, (i) => ({
      lat: box.minLat + ((box.maxLat - box.minLat) * (i + 0.5)) / 400,
      lon: CHANGSHA.lon,
    }));
    const grid = await findMapItems(t.db, box, 17, {}, 0);
    expect(grid.mode).toBe("grid");
    expect(grid.items.length).toBeGreaterThan(0);
  });

  it("keeps over time what migration 0023 holds, in blocks that cover any run of hours exactly", () => {
    const migration = readFileSync(join(MIGRATIONS_DIR, "0023_map_time_cells.sql"), "utf8");
    for (const statement of [...mapTimeBackfill(), ...mapTimeTriggers()])
      expect(migration).toContain(statement);
    const cheaper = readFileSync(join(MIGRATIONS_DIR, "0026_cheaper_cluster_update_triggers.sql"), "utf8");
    for (const statement of [...mapCellTriggersOf0026(), ...mapTimeClusterUpdateTriggers()])
      expect(cheaper).toContain(statement);
    const byDepartment = readFileSync(join(MIGRATIONS_DIR, "0027_map_department_yellow.sql"), "utf8");
    for (const statement of [
      ...mapDepartmentBackfill(),
      ...mapDepartmentTriggers(),
      ...mapTimeYellowOf0027(),
    ])
      expect(byDepartment).toContain(statement);
    const quantisedCentres = readFileSync(join(MIGRATIONS_DIR, "0032_quantised_map_centres.sql"), "utf8");
    // Its report update trigger numbered UTC's days then (migration 0054 made it again, for the city's).
    for (const statement of quantisedCentresOf0032())
      expect(quantisedCentres).toContain(asUtcDays(statement));
    const next = random(11);
    for (let i = 0; i < 300; i++) {
      const from = Math.floor(next() * 2 ** 21);
      const to = i % 3 === 0 ? HOURS_END : from + Math.floor(next() * 2 ** (i % 22));
      const hours: number[] = [];
      for (const r of hourRuns(from, to)) {
        // At most two runs per level, each at most 15 blocks below the top level.
        if (r.level < HOUR_LEVELS - 1) expect(r.last - r.first).toBeLessThan(15);
        hours.push(r.first * 16 ** r.level, (r.last + 1) * 16 ** r.level);
      }
      // The runs, in order of their start, tile [from, to) without gap or overlap.
      const spans = [];
      for (let k = 0; k < hours.length; k += 2) spans.push([hours[k] ?? 0, hours[k + 1] ?? 0]);
      spans.sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0));
      let at = from;
      for (const [a, b] of spans) {
        expect(a).toBe(at);
        at = b ?? 0;
      }
      expect(at).toBe(Math.max(from, to));
    }
  });

  it("reads clusters by key ranges that cover the box", () => {
    const box = { minLat: 28.19, maxLat: 28.2, minLon: 112.97, maxLon: 112.98 };
    const ranges = zkeyRanges(box, 64);
    for (const [lat, lon] of [
      [28.19, 112.97],
      [28.2, 112.98],
      [28.195, 112.975],
    ] as const) {
      const key = zkeyOf(lat, lon);
      expect(ranges.some(([a, b]) => a <= key && key <= b)).toBe(true);
    }
    expect(cellKeyAt(zkeyOf(28.19, 112.97), 0)).toBe(0);
  });
});
