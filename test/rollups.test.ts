/**
 * The performance page's aggregates stay exactly what a recomputation from the rows says, after
 * random writes through the real app over weeks of a set clock: reports, work orders crossing
 * their threshold, acknowledgements, resolutions, "still there", ratings, rejections, reroutes,
 * hidden reports and the deadline check. The migration holds the triggers' text as generated.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { blocksOf, bucketHours, durationBucket, histogramMedian } from "../src/domain/rollup";
import { MIGRATIONS_DIR } from "../src/node/database";
import { checkDeadlines } from "../src/store/overdue";
import {
  bucketSql,
  freshBlocksSql,
  freshOpenSql,
  freshRaterDaysSql,
  rollupBackfill,
  rollupTriggers,
} from "../src/store/rollup-sql";
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
import { departmentToken, move, stillThere } from "./support/work-orders";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

type Row = Record<string, unknown>;
/** Rows with their histograms parsed (key order is no part of the figures), all-zero rows left out. */
const normal = (rows: Row[]) =>
  rows
    .map((r) => ({
      ...r,
      ack_hist: JSON.parse(String(r.ack_hist)),
      resolve_hist: JSON.parse(String(r.resolve_hist)),
    }))
    .filter((r) =>
      Object.entries(r).some(([k, v]) =>
        k.endsWith("hist")
          ? Object.keys(v as object).length > 0
          : !["level", "block", "department_code"].includes(k) && v !== 0,
      ),
    );

async function expectExact(t: TestApp) {
  const order = sql.raw("ORDER BY level, block, department_code");
  const kept = await t.db.all<Row>(sql`SELECT * FROM performance_blocks ${order}`);
  const fresh = await t.db.all<Row>(sql`SELECT * FROM (${sql.raw(freshBlocksSql)}) ${order}`);
  expect(normal(kept)).toEqual(normal(fresh));
  const raterOrder = sql.raw("ORDER BY 1, 2, 3");
  expect(
    await t.db.all(sql`SELECT department_code, day, rater, n, stars FROM rater_days ${raterOrder}`),
  ).toEqual(await t.db.all(sql`${sql.raw(freshRaterDaysSql)} ${raterOrder}`));
  expect(
    await t.db.all(
      sql`SELECT department_code, open, flagged FROM department_open WHERE open <> 0 OR flagged <> 0 ORDER BY 1`,
    ),
  ).toEqual(await t.db.all(sql`${sql.raw(freshOpenSql)} ORDER BY 1`));
}

describe("performance aggregates", () => {
  it("cover any run of days with at most two blocks per level", () => {
    for (const [first, last] of [
      [0, 0],
      [20_000, 20_364],
      [20_001, 20_030],
      [19_999, 20_089],
    ] as const) {
      const blocks = blocksOf(first, last);
      const days = blocks.flatMap((b) =>
        Array.from({ length: 2 ** b.level }, (_, i) => b.block * 2 ** b.level + i),
      );
      expect(days).toEqual(Array.from({ length: last - first + 1 }, (_, i) => first + i));
      for (let level = 0; level <= 8; level++)
        expect(blocks.filter((b) => b.level === level).length).toBeLessThanOrEqual(2);
    }
  });

  it("bucket durations in SQL as in the domain, whole hours below 32 exactly", async () => {
    const t = await makeTestApp();
    const durations = [
      0,
      1,
      56_249,
      56_250,
      HOUR,
      1.5 * HOUR,
      10 * HOUR,
      48 * HOUR,
      49 * HOUR,
      200 * HOUR,
      9e10,
      1e12,
    ];
    const rows = await t.db.all<{ d: number; b: number }>(
      sql`SELECT value AS d, ${sql.raw(bucketSql("value"))} AS b FROM json_each(${JSON.stringify(durations)})`,
    );
    for (const r of rows) expect(r.b, String(r.d)).toBe(durationBucket(r.d));
    for (let h = 1; h < 32; h++) expect(bucketHours(durationBucket(h * HOUR))).toBe(h);
    expect(bucketHours(durationBucket(49 * HOUR))).toBe(48);
    expect(
      histogramMedian(
        new Map([
          [durationBucket(10 * HOUR), 1],
          [durationBucket(48 * HOUR), 2],
        ]),
      ),
    ).toBe(48);
    expect(histogramMedian(new Map())).toBeNull();
  });

  it("are held by the migration exactly as generated", () => {
    const migration = readFileSync(join(MIGRATIONS_DIR, "0015_performance_rollups.sql"), "utf8");
    for (const statement of [...rollupBackfill(), ...rollupTriggers()])
      expect(migration).toContain(statement);
  });

  it("stay equal to a recomputation from the rows after random writes of every kind", async () => {
    const next = random(15);
    const t = await makeTestApp({ clock: makeClock("2026-05-01T00:00:00Z") });
    await makeService(t, { code: "pothole", threshold: 2, ackHours: 24, resolveHours: 72 });
    const west = squareAround(CHANGSHA, 3000);
    const far = north(CHANGSHA, 20_000);
    await makeDepartment(t, { code: "roads", services: ["pothole"], area: west });
    await makeDepartment(t, { code: "parks", services: ["pothole"], area: squareAround(far, 3000) });
    const tokens = { roads: await departmentToken(t, "roads"), parks: await departmentToken(t, "parks") };
    const problems: {
      id: string;
      clusterId: string;
      department: "roads" | "parks";
      reports: { id: string; receipt: string }[];
      rated: boolean;
    }[] = [];
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(next() * xs.length)] as T;
    let device = 0;
    const admin = (path: string, body: unknown = {}) =>
      t.app.request(path, { method: "POST", ...asAdmin(body) });

    for (let step = 0; step < 300; step++) {
      t.clock.advance(Math.floor(next() * 30 * HOUR));
      const p = problems.length ? pick(problems) : undefined;
      const roll = next();
      if (!p || roll < 0.12) {
        const department = next() < 0.7 ? "roads" : "parks";
        const spot = east(department === "roads" ? CHANGSHA : far, Math.floor(next() * 2000));
        const reports: { id: string; receipt: string }[] = [];
        let last: Awaited<ReturnType<typeof reportAt>> | undefined;
        for (let i = 0; i < 2; i++) {
          last = await reportAt(t, spot, { deviceId: `rollup-device-${++device}-abcdef` });
          expect(last.status).toBe(201);
          reports.push({ id: last.body.report.id, receipt: last.body.receipt });
        }
        const wo = last?.body.cluster.workOrder;
        if (wo)
          problems.push({ id: wo.id, clusterId: last?.body.cluster.id, department, reports, rated: false });
      } else if (roll < 0.35) await move(t, tokens[p.department], p.id, { to: "acknowledged" });
      else if (roll < 0.5) await move(t, tokens[p.department], p.id, { to: "resolved" });
      else if (roll < 0.57) await move(t, tokens[p.department], p.id, { to: "in_progress" });
      else if (roll < 0.65) await stillThere(t, p.clusterId, pick(p.reports).receipt);
      else if (roll < 0.75) {
        const r = pick(p.reports);
        const res = await t.app.request(`/api/reports/${r.id}/rating`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ stars: 1 + Math.floor(next() * 5), receipt: r.receipt }),
        });
        if (res.status === 201) p.rated = true;
      } else if (roll < 0.8)
        await move(t, tokens[p.department], p.id, { to: "rejected", reason: "not ours" });
      else if (roll < 0.86 && !p.rated) {
        // Ratings count for the department that held the work order then: rerouting after a
        // rating would part it from a recomputation that reads today's department.
        const to = p.department === "roads" ? "parks" : "roads";
        const res = await admin(`/api/admin/work-orders/${p.id}/reroute`, { department: to });
        if (res.status === 200) p.department = to;
      } else if (roll < 0.9)
        await admin(
          `/api/admin/moderation/reports/${pick(p.reports).id}/${next() < 0.5 ? "hide" : "restore"}`,
        );
      else if (roll < 0.95) {
        const more = await reportAt(t, east(p.department === "roads" ? CHANGSHA : far, 0), {
          deviceId: `rollup-device-${++device}-abcdef`,
        });
        expect(more.status).toBe(201);
      } else await checkDeadlines(t.db, t.clock());
      if (step % 75 === 74) await expectExact(t);
    }
    await expectExact(t);
    const counted = await t.db.get<{ resolved: number; reopened: number; raters: number; cards: number }>(
      sql`SELECT sum(resolved) AS resolved, sum(reopened) AS reopened, sum(raters) AS raters, sum(cards) AS cards
        FROM performance_blocks WHERE level = 0 AND department_code <> ''`,
    );
    // The walk did reach every kind of figure.
    expect(counted?.resolved).toBeGreaterThan(5);
    expect(counted?.reopened).toBeGreaterThan(0);
    expect(counted?.raters).toBeGreaterThan(0);
    expect(counted?.cards).toBeGreaterThan(0);
  });
});
