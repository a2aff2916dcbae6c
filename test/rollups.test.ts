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
import { runDispatch } from "../src/dispatch/run";
import { type DeadlineFacts, deadlineFlag } from "../src/domain/deadlines";
import { HELD_STATUSES, PERIODS, SATISFIED_STARS } from "../src/domain/performance";
import {
  addCounts,
  addCountsText,
  BUCKETS,
  blocksOf,
  bucketHours,
  durationBucket,
  emptyHistogram,
  histogramMedian,
  textMedian,
} from "../src/domain/rollup";
import { MIGRATIONS_DIR } from "../src/node/database";
import { asUtcDays, cityDaysOf0054 } from "../src/store/city-days-sql";
import { asHeldBefore0058, openHeldOf0058 } from "../src/store/open-held-sql";
import { checkDeadlines } from "../src/store/overdue";
import {
  bucketSql,
  freshBlocksSql,
  freshOpenSql,
  freshRaterDaysSql,
  rollupBackfill,
  rollupTriggers,
} from "../src/store/rollup-sql";
import { bucketHoursSql, freshWindowsSql, medianSql, windowTriggers } from "../src/store/window-sql";
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
  // The league table's windows, on every day kept, are the blocks' sums now (buckets at 0 aside).
  const days = await t.db.all<{ through: number }>(
    sql`SELECT DISTINCT through_day AS through FROM performance_windows`,
  );
  const windowOrder = sql.raw("ORDER BY through_day, days, department_code");
  const windows = (rows: Row[]) =>
    rows.map((r) => {
      const hist = (h: unknown) => Object.entries(JSON.parse(String(h))).filter(([, n]) => n !== 0);
      return { ...r, ack_hist: hist(r.ack_hist).sort(), resolve_hist: hist(r.resolve_hist).sort() };
    });
  for (const { through } of days) {
    const kept = await t.db.all<Row>(
      sql`SELECT * FROM performance_windows WHERE through_day = ${through} ${windowOrder}`,
    );
    // The medians kept are the domain's on the kept histograms.
    for (const r of kept) {
      expect(r.ack_median).toBe(textMedian(String(r.ack_hist)));
      expect(r.resolve_median).toBe(textMedian(String(r.resolve_hist)));
    }
    expect(windows(kept.map(({ ack_median: _, resolve_median: __, ...r }) => r))).toEqual(
      windows(await t.db.all<Row>(sql`SELECT * FROM (${freshWindowsSql(through)}) ${windowOrder}`)),
    );
  }
  return days.length;
}

interface EventRow {
  workOrder: string;
  type: string;
  from: string | null;
  to: string | null;
  department: string | null;
  at: number;
}
interface Fact {
  kind: "ack" | "resolve" | "reopen" | "reject" | "card";
  department: string;
  day: number;
  took?: number;
  onTime?: boolean;
}

const round2 = (x: number) => Math.round(x * 100) / 100;
const medianOf = (hours: number[]) => {
  const s = [...hours].sort((a, b) => a - b);
  if (s.length === 0) return null;
  const m = Math.floor(s.length / 2);
  return round2(s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2);
};

/**
 * The league table recomputed the plain way, from the events, work orders and ratings: each
 * work order's history replayed in order (its deadlines restarting at reroutes and reopenings).
 */
async function recompute(t: TestApp, days: number, hours: { ack: number; resolve: number }) {
  const now = t.clock();
  // Days are Changsha's, midnight to midnight: its clock runs eight hours ahead of UTC.
  const AHEAD = 8 * HOUR;
  const dayOf = (at: number) => Math.floor((at + AHEAD) / DAY);
  const events = await t.db.all<EventRow>(sql`SELECT work_order_id AS workOrder, type, from_status AS "from",
      to_status AS "to", department_code AS department, at FROM events WHERE work_order_id IS NOT NULL ORDER BY at, rowid`);
  const orders = await t.db.all<
    DeadlineFacts & { id: string; department: string | null; createdAt: number }
  >(sql`SELECT id,
      department_code AS department, status, ack_due_at AS ackDueAt, resolve_due_at AS resolveDueAt,
      deadlines_from AS deadlinesFrom, created_at AS createdAt FROM work_orders`);
  // A rating counts for the department that held the work order when it was given: its "rated" event says which.
  const ratings = await t.db.all<{ department: string; day: number; rater: string; stars: number }>(sql`SELECT
      e.department_code AS department, (r.created_at + ${AHEAD}) / ${DAY} AS day, coalesce(r.reporter_key, r.report_id) AS rater, r.stars
    FROM ratings r JOIN events e ON e.cluster_id = r.cluster_id AND e.type = 'rated' AND e.at = r.created_at
    WHERE e.department_code IS NOT NULL`);
  const start = new Map(orders.map((o) => [o.id, o.createdAt]));
  const lastResolution = new Map<string, Fact>();
  const facts: Fact[] = [];
  for (const e of events) {
    const moved = e.to !== null && e.from !== e.to;
    const from = start.get(e.workOrder) as number;
    const fact = (kind: Fact["kind"], department: string | null = e.department, more: Partial<Fact> = {}) => {
      if (department === null) return;
      const f = { kind, department, day: dayOf(e.at), ...more };
      facts.push(f);
      return f;
    };
    if (e.type === "rerouted") start.set(e.workOrder, e.at);
    if (moved && e.to === "acknowledged") fact("ack", e.department, { took: e.at - from });
    if (moved && e.to === "resolved") {
      const f = fact("resolve", e.department, {
        took: e.at - from,
        onTime: e.at <= from + hours.resolve * HOUR,
      });
      if (f) lastResolution.set(e.workOrder, f);
    }
    if (moved && e.to === "reopened") {
      const r = lastResolution.get(e.workOrder);
      if (r) facts.push({ kind: "reopen", department: r.department, day: r.day });
      start.set(e.workOrder, e.at);
    }
    if (moved && e.to === "rejected") fact("reject");
    if (e.type === "deadline_missed") fact("card");
  }
  const today = dayOf(now);
  const inPeriod = (day: number) => day > today - days && day <= today;
  const month = new Date(now + AHEAD);
  const monthFirst = Date.UTC(month.getUTCFullYear(), month.getUTCMonth(), 1) / DAY;
  return (code: string) => {
    const mine = (kind: Fact["kind"]) =>
      facts.filter((f) => f.kind === kind && f.department === code && inPeriod(f.day));
    const [resolved, acks, reopened] = [mine("resolve"), mine("ack"), mine("reopen")];
    const raterDays = new Map<string, { n: number; stars: number }>();
    for (const r of ratings.filter((r) => r.department === code && inPeriod(r.day))) {
      const k = `${r.day}/${r.rater}`;
      const d = raterDays.get(k) ?? { n: 0, stars: 0 };
      raterDays.set(k, { n: d.n + 1, stars: d.stars + r.stars });
    }
    const means = [...raterDays.values()].map((d) => d.stars / d.n);
    const open = orders.filter((o) => o.department === code && HELD_STATUSES.includes(o.status as never));
    const share = (part: number, whole: number) => (whole ? Math.round((part / whole) * 1000) / 1000 : null);
    return {
      open: open.length,
      overdue: open.filter((o) => deadlineFlag(o, now) === "red").length,
      nearlyDue: open.filter((o) => deadlineFlag(o, now) === "yellow").length,
      resolved: resolved.length,
      onTimeShare: share(resolved.filter((f) => f.onTime).length, resolved.length),
      medianAckHours: medianOf(acks.map((f) => bucketHours(durationBucket(f.took as number)))),
      medianResolveHours: medianOf(resolved.map((f) => bucketHours(durationBucket(f.took as number)))),
      satisfiedShare: share(means.filter((m) => m >= SATISFIED_STARS).length, means.length),
      meanStars: means.length ? round2(means.reduce((a, b) => a + b, 0) / means.length) : null,
      ratings: means.length,
      reopenRate: share(reopened.length, resolved.length),
      cards: facts.filter(
        (f) => f.kind === "card" && f.department === code && f.day >= monthFirst && f.day <= today,
      ).length,
      rejected: mine("reject").length,
    };
  };
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
    // The windows' medians: every bucket's hours, and medians of odd, even and lopsided counts.
    const buckets = Array.from({ length: BUCKETS }, (_, b) => b);
    const hours = await t.db.all<{ b: number; h: number }>(
      sql`SELECT value AS b, ${sql.raw(bucketHoursSql("value"))} AS h FROM json_each(${JSON.stringify(buckets)})`,
    );
    for (const r of hours) expect(r.h, String(r.b)).toBe(bucketHours(r.b));
    for (const text of ["{}", '{"97":3}', '{"97":1,"113":1}', '{"5":2,"336":1,"40":7}', '{"1":1,"2":-1}']) {
      const res = await t.client.execute({ sql: `SELECT ${medianSql("?")} AS m`, args: [text] });
      const kept = res.rows[0]?.m as number | null;
      expect(kept === -1 ? "read from the text" : kept, text).toBe(
        text.includes("-") ? "read from the text" : textMedian(text),
      );
    }
    for (let h = 1; h < 32; h++) expect(bucketHours(durationBucket(h * HOUR))).toBe(h);
    expect(bucketHours(durationBucket(49 * HOUR))).toBe(48);
    const histogram = emptyHistogram();
    addCounts(histogram, { [durationBucket(10 * HOUR)]: 1, [durationBucket(48 * HOUR)]: 2 });
    expect(histogramMedian(histogram)).toBe(48);
    addCounts(histogram, { [durationBucket(2 * HOUR)]: 1 });
    expect(histogramMedian(histogram)).toBe(29);
    expect(histogramMedian(emptyHistogram())).toBeNull();
    // A histogram's JSON text read in place: the same sums as parsing it.
    const kept = ['{"0":3,"113":4,"97":-1}', "{}", '{"113":2,"336":12}'];
    const parsed = emptyHistogram();
    for (const k of kept) addCounts(parsed, JSON.parse(k));
    const read = emptyHistogram();
    addCountsText(read, kept.join("|"));
    expect([...read]).toEqual([...parsed]);
  });

  it("roll the league table's windows into a new day in the background round", async () => {
    const t = await makeTestApp({ clock: makeClock("2026-05-01T12:00:00Z") });
    const marks = async () =>
      (
        await t.db.all<{ through: number; days: number }>(
          sql`SELECT through_day AS through, days FROM performance_windows WHERE department_code = '' ORDER BY 1, 2`,
        )
      ).map((r) => `${r.through}/${r.days}`);
    const round = () => runDispatch(t.db, { now: t.clock(), fetch: globalThis.fetch, config: t.config });
    const today = Math.floor(t.clock() / DAY);
    expect(await marks()).toEqual([]);
    await round();
    expect(await marks()).toEqual([`${today}/30`, `${today}/90`, `${today}/365`]);
    t.clock.advance(2 * DAY);
    await round();
    // The day before yesterday's are dropped; the new day's are there before anyone reads.
    expect(await marks()).toEqual([`${today + 2}/30`, `${today + 2}/90`, `${today + 2}/365`]);
  });

  it("are held by the migration exactly as generated", () => {
    const migration = readFileSync(join(MIGRATIONS_DIR, "0018_performance_rollups.sql"), "utf8");
    // Written when days were UTC's; migration 0054 made those numbering days again, as they stand.
    for (const statement of [...rollupBackfill(), ...rollupTriggers()])
      expect(migration).toContain(asUtcDays(asHeldBefore0058(statement)));
    const cityDays = readFileSync(join(MIGRATIONS_DIR, "0054_city_days.sql"), "utf8");
    for (const statement of cityDaysOf0054()) expect(cityDays).toContain(statement);
    const openHeld = readFileSync(join(MIGRATIONS_DIR, "0058_open_without_rejected.sql"), "utf8");
    for (const statement of openHeldOf0058()) expect(openHeld).toContain(statement);
    const windows = readFileSync(join(MIGRATIONS_DIR, "0029_league_windows.sql"), "utf8");
    for (const statement of windowTriggers()) expect(windows).toContain(statement);
    expect(windowTriggers()).toHaveLength(4);
  });

  it("count a report moved off and onto a department's cluster, and stay exact when a move changes no count", async () => {
    const t = await makeTestApp({ clock: makeClock("2026-05-01T00:00:00Z") });
    await makeService(t, { code: "pothole", threshold: 1 });
    await makeDepartment(t, { code: "roads", services: ["pothole"], area: squareAround(CHANGSHA, 3000) });
    const ids = async (p: { lat: number; lon: number }) => {
      const { body } = await reportAt(t, p);
      return { id: body.report.id as string, cluster: body.cluster.id as string };
    };
    const routed = await ids(CHANGSHA);
    // Outside every area: its work order has no department (the update trigger's skipped case).
    const far = north(CHANGSHA, 20_000);
    const unrouted = await ids(far);
    await expectExact(t);
    for (const r of [routed, unrouted]) {
      await t.db.run(sql`UPDATE reports SET cluster_id = NULL WHERE id = ${r.id}`);
      await expectExact(t);
      await t.db.run(sql`UPDATE reports SET cluster_id = ${r.cluster} WHERE id = ${r.id}`);
      await expectExact(t);
    }
    // From the unrouted cluster onto the routed one: now counted for the department.
    await t.db.run(sql`UPDATE reports SET cluster_id = ${routed.cluster} WHERE id = ${unrouted.id}`);
    await expectExact(t);
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
      t.clock.advance(Math.floor(next() * 8 * HOUR));
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
      else if (roll < 0.86) {
        // Ratings count for the department that held the work order then, a reroute after them too
        // (each rating keeps its department, migration 0053).
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
      // The league table read now and then: the day's windows rolled, then kept by the triggers.
      if (step % 20 === 10)
        expect((await t.app.request("/api/stats/departments?period=365d")).status).toBe(200);
      if (step % 75 === 74) expect(await expectExact(t)).toBeGreaterThan(0);
    }
    await expectExact(t);
    // The answers read from the aggregates are the plain recomputation's, for every period.
    for (const [period, days] of Object.entries(PERIODS)) {
      const res = await t.app.request(`/api/stats/departments?period=${period}`);
      const { departments } = (await res.json()) as {
        departments: ({ code: string } & Record<string, unknown>)[];
      };
      const plain = await recompute(t, days, { ack: 24, resolve: 72 });
      for (const d of departments) {
        const expected = plain(d.code);
        expect(
          Object.fromEntries(Object.keys(expected).map((k) => [k, d[k]])),
          `${period} ${d.code}`,
        ).toEqual(expected);
      }
    }
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
