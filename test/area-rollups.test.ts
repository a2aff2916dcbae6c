/**
 * Reports per area read from aggregates kept on write: the SQL point-in-area test is the
 * intake's (geo.ts), the migration holds the generated text, and after random writes through
 * the real app (reports in overlapping areas, hidden and restored, work orders, road cells driven,
 * an area redrawn by an administrator, a department deleted) the aggregates equal a recomputation from the rows, the
 * migration's backfill equals what the triggers kept, and the answers equal a plain count.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { type Area, areaContains } from "../src/domain/geo";
import { PERIODS } from "../src/domain/performance";
import { areasHolding, placedArea, routeDepartment } from "../src/domain/routing";
import { MIGRATIONS_DIR } from "../src/node/database";
import { DEMO_CENTRE, loadDemoCity } from "../src/seed/demo-city";
import {
  areaBackfill,
  areaDeleteTrigger,
  areaEdgesOf0052,
  areasSql,
  areaTestTriggers,
  areaTestTriggersOf0051,
  areaTriggers,
  freshAreaBlocksSql,
  freshRoadCellsSql,
  openedAreas,
} from "../src/store/area-rollup-sql";
import { departmentAreas, routingCandidates } from "../src/store/departments";
import { routedInSql } from "../src/store/intake";
import { makeClock, makeTestApp, type TestApp } from "./support/app";
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
const CELL = 1e-4;

function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** The areas holding each point, as SQL decides them. */
async function sqlAreas(t: TestApp, points: { lat: number; lon: number }[]) {
  const rows = await t.db.all<{ areas: string }>(
    sql`SELECT ${sql.raw(areasSql("p.value ->> 0", "p.value ->> 1"))} AS areas
      FROM json_each(${JSON.stringify(points.map((p) => [p.lat, p.lon]))}) p ORDER BY p.key`,
  );
  return rows.map((r) => JSON.parse(r.areas) as string[]);
}

type Row = Record<string, unknown>;
const nonZero = (rows: Row[]) => rows.filter((r) => r.reports !== 0 || r.confirmed !== 0 || r.cells !== 0);
const ORDER = sql.raw("ORDER BY level, block, department_code");
const kept = (t: TestApp) =>
  t.db.all<Row>(
    sql`SELECT level, block, department_code, reports, confirmed, cells FROM area_blocks ${ORDER}`,
  );

async function expectExact(t: TestApp) {
  const fresh = await t.db.all<Row>(sql`SELECT * FROM (${sql.raw(freshAreaBlocksSql)}) ${ORDER}`);
  expect(nonZero(await kept(t))).toEqual(nonZero(fresh));
  // Each row's areas are what the SQL test says of its point (the intake's JS test decided most).
  const wrong = await t.db.all(
    sql`SELECT id, areas FROM reports WHERE areas IS NOT ${sql.raw(areasSql("lat", "lon"))}`,
  );
  expect(wrong).toEqual([]);
  const clusters = sql.raw(`SELECT id, areas FROM clusters WHERE areas IS NOT ${openedAreas("clusters")}`);
  expect(await t.db.all(clusters)).toEqual([]);
  const cellOrder = sql.raw("ORDER BY lat_index, lon_index");
  expect(
    await t.db.all(sql`SELECT lat_index, lon_index, last_day, areas FROM road_cells ${cellOrder}`),
  ).toEqual(await t.db.all(sql`${sql.raw(freshRoadCellsSql)} ${cellOrder}`));
}

describe("area aggregates", () => {
  it("place points in areas in SQL exactly as the intake does, holes, islands and edges included", async () => {
    const t = await makeTestApp();
    await loadDemoCity(t.db, Date.now());
    const ring = (c: { lat: number; lon: number }, m: number) => squareAround(c, m).coordinates[0];
    const far = north(DEMO_CENTRE, 60_000);
    await makeDepartment(t, {
      code: "holed",
      services: ["pothole"],
      area: { type: "Polygon", coordinates: [ring(CHANGSHA, 3000), ring(CHANGSHA, 1000)] },
    });
    await makeDepartment(t, {
      code: "islands",
      services: ["pothole"],
      area: { type: "MultiPolygon", coordinates: [[ring(far, 2000)], [ring(east(far, 10_000), 500)]] },
    });
    // A detailed area (400 corners, a star's jagged edge, with a hole): most edges within one band.
    const star = (c: { lat: number; lon: number }, m: number) => {
      const ring = Array.from({ length: 400 }, (_, i) => {
        const p = north(east(c, Math.cos((i * Math.PI) / 200) * m), Math.sin((i * Math.PI) / 200) * m);
        const r = i % 2 ? 0.8 : 1;
        return [c.lon + (p.lon - c.lon) * r, c.lat + (p.lat - c.lat) * r];
      });
      return [...ring, ring[0] as number[]];
    };
    const detailed = east(DEMO_CENTRE, 15_000);
    await makeDepartment(t, {
      code: "detailed",
      services: ["pothole"],
      area: { type: "Polygon", coordinates: [star(detailed, 5000), star(detailed, 2000)] },
    });
    const areas = await departmentAreas(t.db);
    expect(areas.length).toBeGreaterThan(5);
    const next = random(21);
    const points = Array.from({ length: 3000 }, () => ({
      lat: DEMO_CENTRE.lat - 0.3 + next() * 0.9,
      lon: DEMO_CENTRE.lon - 0.3 + next() * 0.6,
    }));
    // Every vertex, and points on the edges of the boxes: the boundary cases of the ray casting.
    for (const a of areas) {
      const rings = a.area.type === "Polygon" ? a.area.coordinates : a.area.coordinates.flat();
      for (const [lon, lat] of rings.flat()) points.push({ lat, lon }, { lat: lat + 1e-9, lon });
      points.push({ lat: a.box.minLat, lon: (a.box.minLon + a.box.maxLon) / 2 });
      points.push({ lat: (a.box.minLat + a.box.maxLat) / 2, lon: a.box.maxLon });
    }
    const bySql = await sqlAreas(t, points);
    const byJs = points.map((p) => areasHolding(areas, p));
    expect(bySql).toEqual(byJs);
    // And routed from those areas as the intake routes in SQL after a change elsewhere, each service.
    const services = await t.db.all<{ code: string }>(sql`SELECT code FROM services`);
    expect(services.length).toBeGreaterThan(2);
    const routedIn = JSON.stringify(byJs.map((a) => JSON.stringify(a)));
    const routed: (string | null)[] = [];
    for (const { code } of services) {
      const candidates = await routingCandidates(t.db, code);
      const rows = await t.db.all<{ d: string | null }>(
        sql`SELECT ${routedInSql(sql`${code}`, sql`p.value`)} AS d FROM json_each(${routedIn}) p ORDER BY p.key`,
      );
      expect(
        rows.map((r) => r.d),
        code,
      ).toEqual(points.map((p) => routeDepartment(candidates, p)));
      routed.push(...rows.map((r) => r.d));
    }
    // Smaller areas inside larger ones, fallbacks outside every area: several answers each.
    expect(new Set(routed).size).toBeGreaterThan(5);
    // The walk reached every kind of answer: none, one, and overlapping areas.
    expect(byJs.some((a) => a.length === 0)).toBe(true);
    expect(byJs.some((a) => a.includes("holed"))).toBe(true);
    expect(byJs.some((a) => a.includes("islands"))).toBe(true);
    expect(byJs.filter((a) => a.includes("detailed")).length).toBeGreaterThan(20);
    expect(byJs.some((a) => a.length > 1)).toBe(true);
  });

  it("are held by the migrations exactly as generated", async () => {
    const oneRead = readFileSync(join(MIGRATIONS_DIR, "0051_area_test_in_one_pass.sql"), "utf8");
    for (const statement of areaTestTriggersOf0051()) expect(oneRead).toContain(statement);
    const edges = readFileSync(join(MIGRATIONS_DIR, "0052_area_edges.sql"), "utf8");
    for (const statement of areaEdgesOf0052()) expect(edges).toContain(statement);
    // What the migrations leave: every trigger as generated now (0021's text, 0025's, 0028's
    // pass trigger, and those testing points redone by 0051 and again by 0052).
    const t = await makeTestApp();
    const current = [...areaTriggers().filter((x) => !/^CREATE TRIGGER area_cell_pass /.test(x))];
    for (const trigger of [...current, ...areaTestTriggers()]) {
      const name = trigger.match(/^CREATE TRIGGER (\w+)/)?.[1];
      const [row] = await t.db.all<{ sql: string }>(
        sql`SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ${name}`,
      );
      expect(`${row?.sql};`, name).toBe(trigger);
    }
  });

  it("stay equal to a recomputation after random writes, and the backfill to what the triggers kept", async () => {
    const next = random(15);
    const t = await makeTestApp({ clock: makeClock("2026-01-01T00:00:00Z") });
    await makeService(t, { code: "pothole", threshold: 2 });
    const shapes = {
      big: squareAround(CHANGSHA, 3000),
      small: squareAround(east(CHANGSHA, 1500), 1000),
      moved: squareAround(east(CHANGSHA, 2500), 1500),
    };
    await makeDepartment(t, { code: "roads", services: ["pothole"], area: shapes.big });
    await makeDepartment(t, { code: "parks", services: ["pothole"], area: shapes.small });
    // An area no work order is routed to, so the department can be deleted at the end.
    await makeDepartment(t, {
      code: "kiosks",
      services: [],
      area: squareAround(north(CHANGSHA, 1000), 2000),
    });
    const reports: string[] = [];
    let device = 0;
    let parks: keyof typeof shapes = "small";
    const spot = () => east(north(CHANGSHA, (next() - 0.5) * 7000), (next() - 0.5) * 7000);
    // Passes also come back to driven cells (a stream of their own, so the walk is otherwise as
    // it was): on the cell's last day, a day or two before it, or the day after, which the pass
    // trigger (migration 0028) must tell from the passes that move nothing.
    const again = random(16);
    const driven: [number, number][] = [];
    const passCases = new Set<string>();
    const lastDay = async ([latIndex, lonIndex]: [number, number]) =>
      (
        await t.db.get<{ day: number | null }>(
          sql`SELECT max(day) AS day FROM cell_passes WHERE lat_index = ${latIndex} AND lon_index = ${lonIndex}`,
        )
      )?.day ?? null;
    const pass = async (cell: [number, number], day: number, key: string) => {
      const last = await lastDay(cell);
      passCases.add(
        last === null ? "new" : (["older", "same", "later"][Math.sign(day - last) + 1] as string),
      );
      await t.db.run(sql`INSERT OR IGNORE INTO cell_passes (lat_index, lon_index, day, pass_key)
        VALUES (${cell[0]}, ${cell[1]}, ${day}, ${key})`);
    };
    for (let step = 0; step < 260; step++) {
      t.clock.advance(Math.floor(next() * 3 * DAY));
      const roll = next();
      if (roll < 0.5 || reports.length === 0) {
        const at = spot();
        for (let i = 0; i < (next() < 0.5 ? 2 : 1); i++) {
          const made = await reportAt(t, east(at, i * 3), { deviceId: `area-device-${++device}-abcdef` });
          expect(made.status).toBe(201);
          reports.push(made.body.report.id);
        }
      } else if (roll < 0.65) {
        const id = reports[Math.floor(next() * reports.length)];
        const res = await t.app.request(
          `/api/admin/moderation/reports/${id}/${next() < 0.6 ? "hide" : "restore"}`,
          {
            method: "POST",
            ...asAdmin({}),
          },
        );
        expect(res.status).toBeLessThan(500);
      } else if (roll < 0.9) {
        const p = spot();
        const today = Math.floor(t.clock() / DAY);
        const cell: [number, number] = [
          Math.floor(p.lat / CELL / 20) * 20,
          Math.floor(p.lon / CELL / 20) * 20,
        ];
        await pass(cell, today - Math.floor(next() * 60), `k${step}`);
        driven.push(cell);
        const back = driven[Math.floor(again() * driven.length)] as [number, number];
        const last = (await lastDay(back)) ?? today;
        if (again() < 0.6) await pass(back, Math.min(today, last - 2 + Math.floor(again() * 4)), `b${step}`);
      } else {
        // An administrator redraws an area: the rows in its old and new box are placed again.
        parks = parks === "small" ? "moved" : "small";
        const body = { name: { en: "parks", zh: "parks" }, services: ["pothole"], area: shapes[parks] };
        const res = await t.app.request("/api/admin/departments/parks", { method: "PUT", ...asAdmin(body) });
        expect(res.status).toBe(200);
      }
      if (step % 65 === 64) await expectExact(t);
    }
    await expectExact(t);
    expect([...passCases].sort()).toEqual(["later", "new", "older", "same"]);

    // Deleting a department takes its area along: no box, no blocks, the rows placed without it.
    const kiosks = sql`SELECT count(*) AS n FROM area_blocks WHERE department_code = 'kiosks' AND reports > 0`;
    expect((await t.db.get<{ n: number }>(kiosks))?.n).toBeGreaterThan(0);
    await t.db.run(sql`DELETE FROM departments WHERE code = 'kiosks'`);
    for (const table of ["area_boxes", "area_blocks"])
      expect(
        await t.db.all(sql`SELECT * FROM ${sql.raw(table)} WHERE department_code = 'kiosks'`),
        table,
      ).toEqual([]);
    expect(await t.db.all(sql`SELECT id FROM reports WHERE areas LIKE '%kiosks%'`)).toEqual([]);
    await expectExact(t);

    // The answers are a plain count over the rows with today's areas, for every period.
    const now = t.clock();
    const today = Math.floor(now / DAY);
    const rows = await t.db.all<{ lat: number; lon: number; day: number; hidden: number | null }>(
      sql`SELECT lat, lon, created_at / ${DAY} AS day, hidden_at AS hidden FROM reports`,
    );
    const orders = await t.db.all<{ lat: number; lon: number; day: number }>(sql`SELECT r.lat, r.lon,
        w.created_at / ${DAY} AS day FROM work_orders w JOIN reports r ON r.id = (SELECT id FROM reports
          WHERE cluster_id = w.cluster_id ORDER BY created_at, rowid LIMIT 1)`);
    const cells = await t.db.all<{
      lat: number;
      lon: number;
      day: number;
    }>(sql`SELECT (lat_index + 0.5) * ${CELL} AS lat,
        (lon_index + 0.5) * ${CELL} AS lon, max(day) AS day FROM cell_passes GROUP BY lat_index, lon_index`);
    const areas = { roads: shapes.big as Area, parks: shapes[parks] as Area };
    for (const [period, days] of Object.entries(PERIODS)) {
      const res = await t.app.request(`/api/stats/areas?period=${period}`);
      const body = (await res.json()) as { areas: { code: "roads" | "parks"; [k: string]: unknown }[] };
      const inPeriod = (d: number) => d > today - days && d <= today;
      for (const a of body.areas) {
        const here = (p: { lat: number; lon: number }) => areaContains(areas[a.code], p);
        expect(
          { reports: a.reports, confirmed: a.confirmed, cellsDriven: a.cellsDriven },
          `${period} ${a.code}`,
        ).toEqual({
          reports: rows.filter((r) => r.hidden === null && inPeriod(r.day) && here(r)).length,
          confirmed: orders.filter((o) => inPeriod(o.day) && here(o)).length,
          cellsDriven: cells.filter((c) => inPeriod(c.day) && here(c)).length,
        });
      }
    }
    const sums = await t.db.get<{ reports: number; confirmed: number; cells: number }>(
      sql`SELECT sum(reports) AS reports, sum(confirmed) AS confirmed, sum(cells) AS cells FROM area_blocks WHERE level = 0`,
    );
    expect(sums?.reports).toBeGreaterThan(20);
    expect(sums?.confirmed).toBeGreaterThan(5);
    expect(sums?.cells).toBeGreaterThan(5);

    // The migration's backfill, run on these rows with the triggers gone, counts what they kept.
    const before = nonZero(await kept(t));
    for (const trigger of [...areaTriggers(), areaDeleteTrigger()])
      await t.db.run(sql.raw(`DROP TRIGGER ${trigger.match(/^CREATE TRIGGER (\w+)/)?.[1]}`));
    for (const table of ["area_blocks", "area_boxes", "area_edges", "road_cells"])
      await t.db.run(sql.raw(`DELETE FROM ${table}`));
    await t.db.run(sql`UPDATE reports SET areas = NULL`);
    await t.db.run(sql`UPDATE clusters SET areas = NULL`);
    for (const statement of areaBackfill()) await t.db.run(sql.raw(statement));
    expect(nonZero(await kept(t))).toEqual(before);
  });
});

// The intake's box cut never changes the answer.
it("places a point with the box cut as without it", () => {
  const area = squareAround(CHANGSHA, 1000) as Area;
  const placed = [placedArea("a", area)];
  for (const p of [CHANGSHA, east(CHANGSHA, 999), east(CHANGSHA, 1001), north(CHANGSHA, -1001)])
    expect(areasHolding(placed, p)).toEqual(areaContains(area, p) ? ["a"] : []);
});
