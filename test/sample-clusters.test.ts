/**
 * `npm run sample -- --clusters N [--departments M]` feeds every aggregate through the triggers every write goes
 * through: the league table's (from events, reports and ratings), the areas' and the open work,
 * each equal to a recomputation from the rows, and none of them empty.
 */
import { sql } from "drizzle-orm";
import { expect, it } from "vitest";
import { loadDemoCity } from "../src/seed/demo-city";
import { addSampleClusters } from "../src/seed/sample-clusters";
import { areasSql, freshAreaBlocksSql } from "../src/store/area-rollup-sql";
import { freshBlocksSql, freshOpenSql } from "../src/store/rollup-sql";
import { makeClock, makeTestApp } from "./support/app";

type Row = Record<string, unknown>;
const ORDER = sql.raw("ORDER BY level, block, department_code");
/** Rows with their histograms parsed (key order is no part of the figures), all-zero rows left out. */
const normal = (rows: Row[]) =>
  rows
    .map((r) =>
      Object.fromEntries(
        Object.entries(r).map(([k, v]) => [k, k.endsWith("hist") ? JSON.parse(String(v)) : v]),
      ),
    )
    .filter((r) =>
      Object.entries(r).some(([k, v]) =>
        k.endsWith("hist")
          ? Object.keys(v as object).length > 0
          : !["level", "block", "department_code"].includes(k) && v !== 0,
      ),
    );

const NOW = Date.parse("2026-06-14T12:00:00Z");

/** A test app with the demo city and `count` sample clusters (and `departments` grid squares). */
async function filled(count: number, departments = 0) {
  const t = await makeTestApp({ clock: makeClock(NOW) });
  await loadDemoCity(t.db, NOW);
  await addSampleClusters(t.db, count, NOW, () => {}, departments);
  return t;
}

/** Every aggregate equal to a recomputation from the rows, and the areas the intake's. */
async function expectExact(t: Awaited<ReturnType<typeof filled>>) {
  const kept = await t.db.all<Row>(sql`SELECT * FROM performance_blocks ${ORDER}`);
  expect(normal(kept)).toEqual(
    normal(await t.db.all<Row>(sql`SELECT * FROM (${sql.raw(freshBlocksSql)}) ${ORDER}`)),
  );
  const areas = await t.db.all<Row>(sql`SELECT * FROM area_blocks ${ORDER}`);
  expect(normal(areas)).toEqual(
    normal(await t.db.all<Row>(sql`SELECT * FROM (${sql.raw(freshAreaBlocksSql)}) ${ORDER}`)),
  );
  expect(
    await t.db.all(
      sql`SELECT department_code, open, flagged FROM department_open WHERE open <> 0 OR flagged <> 0 ORDER BY 1`,
    ),
  ).toEqual(
    // A department whose work orders are all closed has a recomputed row of zeros, none kept.
    await t.db.all(sql`SELECT * FROM (${sql.raw(freshOpenSql)}) WHERE open <> 0 OR flagged <> 0 ORDER BY 1`),
  );
  // No row the live code could not write: a cluster first reported after its last report, an
  // unrouted work order with a department, a fixed one whose problem still reads as sent.
  const [odd] = await t.db.all<Record<string, number>>(sql`SELECT
      (SELECT count(*) FROM clusters WHERE first_report_at > last_report_at) AS early,
      (SELECT count(*) FROM work_orders WHERE status IN ('unrouted', 'duplicate')) AS unrouted,
      (SELECT count(*) FROM work_orders w JOIN clusters c ON c.id = w.cluster_id
        WHERE (w.status IN ('resolved', 'closed')) <> (c.state = 'resolved')) AS stale,
      (SELECT count(*) FROM work_orders w JOIN clusters c ON c.id = w.cluster_id
        WHERE w.created_at < c.first_report_at) AS before,
      (SELECT count(*) FROM events e JOIN clusters c ON c.id = e.cluster_id WHERE e.at < c.first_report_at) AS told,
      (SELECT count(*) FROM work_orders w WHERE w.status = 'closed' AND NOT EXISTS (SELECT 1 FROM events e
        WHERE e.work_order_id = w.id AND e.to_status = 'closed')) AS unclosed`);
  expect(odd).toEqual({ early: 0, unrouted: 0, stale: 0, before: 0, told: 0, unclosed: 0 });
  // Each pin says its report's words, as the intake writes them (words on every service's clusters).
  expect(
    await t.db.all(sql`SELECT c.id FROM clusters c JOIN reports r ON r.cluster_id = c.id
      WHERE c.said IS NOT (SELECT substr(description, 1, 120) FROM reports WHERE cluster_id = c.id)`),
  ).toEqual([]);
  expect(
    await t.db.all(
      sql`SELECT service_code FROM clusters GROUP BY service_code HAVING NOT coalesce(min(length(said)) > 0, false)`,
    ),
  ).toEqual([]);
  // The areas are the intake's: the SQL test, itself held equal to the JS one (area-rollups.test.ts).
  expect(
    await t.db.all(sql`SELECT id FROM reports WHERE areas IS NOT ${sql.raw(areasSql("lat", "lon"))}`),
  ).toEqual([]);
}

it("fills clusters whose reports, work orders, events and ratings every aggregate counts", async () => {
  const t = await filled(3000);
  await expectExact(t);
  const city = await t.db.get<Row>(sql`SELECT sum(resolved) AS resolved, sum(acknowledged) AS acknowledged,
      sum(reopened) AS reopened, sum(rejected) AS rejected, sum(cards) AS cards, sum(reports) AS reports,
      sum(raters) AS raters FROM performance_blocks WHERE level = 0 AND department_code <> ''`);
  for (const [figure, n] of Object.entries(city ?? {})) expect(n, figure).toBeGreaterThan(0);
  const inAreas = await t.db.get<Row>(
    sql`SELECT sum(reports) AS reports, sum(confirmed) AS confirmed FROM area_blocks WHERE level = 0`,
  );
  expect(inAreas?.reports).toBeGreaterThan(1000);
  expect(inAreas?.confirmed).toBeGreaterThan(100);
  // The league table shows what was filled.
  const res = await t.app.request("/api/stats/departments?period=30d");
  const body = (await res.json()) as { departments: { resolved: number; ratings: number }[] };
  expect(body.departments.reduce((n, d) => n + d.resolved, 0)).toBeGreaterThan(0);
});

it("makes a grid of departments with areas and gives each work order the square holding it", async () => {
  const t = await filled(2000, 100);
  await expectExact(t);
  const grid = await t.db.all<{ code: string; population: number }>(
    sql`SELECT code, population FROM departments WHERE code LIKE 'grid-%' AND area IS NOT NULL ORDER BY code`,
  );
  expect(grid.map((d) => d.code)).toEqual(
    Array.from({ length: 100 }, (_, i) => `grid-${String(i).padStart(2, "0")}`),
  );
  expect(grid.every((d) => d.population > 0)).toBe(true);
  // Every work order went to a grid square, the one whose area holds its cluster (by the routing's test).
  const orders = await t.db.all<{ department: string; areas: string }>(
    sql`SELECT w.department_code AS department, c.areas FROM work_orders w JOIN clusters c ON c.id = w.cluster_id`,
  );
  expect(orders.length).toBe(200);
  for (const o of orders) expect(JSON.parse(o.areas), o.department).toContain(o.department);
  expect(new Set(orders.map((o) => o.department)).size).toBeGreaterThan(50);
  // The areas' page counts the squares' reports of its 90 days, today's included, each from midnight
  // in Changsha (UTC+8; the sample spreads reports over 90 days back from NOW: some fall on the day before).
  const ahead = 8 * 3_600_000;
  const from = NOW - ((NOW + ahead) % 86_400_000) - 89 * 86_400_000;
  const res = await t.app.request("/api/stats/areas?period=90d");
  const body = (await res.json()) as { areas: { code: string; reports: number }[] };
  const squares = body.areas.filter((a) => a.code.startsWith("grid-"));
  expect(squares.length).toBe(100);
  expect(squares.reduce((n, a) => n + a.reports, 0)).toBe(
    (
      await t.db.get<{ n: number }>(
        sql`SELECT count(*) AS n FROM reports WHERE areas LIKE '%"grid-%' AND created_at >= ${from}`,
      )
    )?.n,
  );
});
