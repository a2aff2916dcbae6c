import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { cellsOfBox } from "../src/domain/zkey";
import { createPreparedClient } from "../src/node/prepared-client";
import { loadDemoCity } from "../src/seed/demo-city";
import { addSampleClusters } from "../src/seed/sample-clusters";
import { clustersInBoxQuery } from "../src/store/clusters";
import { walkCountsQuery } from "../src/store/map-time";
import { dueMessagesQuery, questionnairesQuery } from "../src/store/messages";
import { workOrderHistory } from "../src/store/staff-actions";
import { cardsQuery, unflaggedDueQuery, windowRowsQuery } from "../src/store/stats";
import { makeTestApp, type TestApp } from "./support/app";
import { makeService, plainReportStatements, reportAt } from "./support/fixtures";

/** The plan's detail lines for one statement. */
async function planOf(t: Pick<TestApp, "client">, query: { sql: string; params: unknown[] }) {
  const res = await t.client.execute({
    sql: `EXPLAIN QUERY PLAN ${query.sql}`,
    args: query.params as never[],
  });
  return res.rows.map((r) => String(r.detail));
}

describe("index use", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp();
    await makeService(t);
    // Enough rows that the planner would rather use an index than scan, and up-to-date statistics.
    await t.db.run(sql`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
      INSERT INTO clusters (id, service_code, lat, lon, state, first_report_at, last_report_at, created_at, updated_at)
      SELECT 'c' || i, 'pothole', 28 + (i % 100) * 0.001, 112.9 + (i / 100) * 0.001, 'open', 0, 0, 0, 0 FROM n`);
    await t.client.execute("ANALYZE");
  });

  it("finds the nearest cluster through the (service, zkey) index, never scanning all clusters", async () => {
    const statements = await plainReportStatements(t);
    // One statement files the report in the nearest cluster, another opens a cluster when none is near.
    const searching = statements.filter((s) =>
      /^\s*INSERT INTO (reports|clusters)\b/.test((s as (typeof statements)[0]).getQuery().sql),
    );
    expect(searching).toHaveLength(2);
    // On a connection of its own: SQLite counts an EXPLAIN of a write as a write in progress until
    // the statement is reset, which the native driver never does, and the app's connection could
    // then commit nothing more.
    const explainer = createPreparedClient(t.url);
    for (const statement of searching) {
      const plan = await planOf({ client: explainer }, (statement as (typeof statements)[0]).getQuery());
      expect(plan.join("\n")).toMatch(/SEARCH c USING (COVERING )?INDEX clusters_service_zkey/);
      expect(plan.some((line) => /^SCAN c\b/.test(line))).toBe(false);
    }
    explainer.close();
  });

  it("answers a bounding box through the spatial key, never scanning all clusters", async () => {
    const box = { minLat: 28.01, maxLat: 28.02, minLon: 112.95, maxLon: 112.96 };
    const plan = await planOf(t, clustersInBoxQuery(t.db, box, {}, 100).toSQL());
    expect(plan.join("\n")).toMatch(/SEARCH c USING (COVERING )?INDEX clusters_zkey/);
    expect(plan.some((line) => /^SCAN (clusters|c)\b/.test(line))).toBe(false);
    const byService = await planOf(t, clustersInBoxQuery(t.db, box, { service: "pothole" }, 100).toSQL());
    expect(byService.join("\n")).toMatch(/SEARCH c USING (COVERING )?INDEX clusters_service_zkey/);
    expect(byService.some((line) => /^SCAN (clusters|c)\b/.test(line))).toBe(false);
  });

  it("reads the performance aggregates a block at a time and open deadlines through their partial index", async () => {
    const blocks = await planOf(
      t,
      cardsQuery(t.db, [
        { level: 0, block: 20_000 },
        { level: 8, block: 78 },
      ]).getQuery(),
    );
    expect(blocks.join("\n")).toMatch(
      /SEARCH b USING (COVERING )?INDEX sqlite_autoindex_performance_blocks_1 \(level=\? AND block=\?\)/,
    );
    const windows = await planOf(t, windowRowsQuery(t.db, 20_000, [30, 365]).getQuery());
    expect(windows.join("\n")).toMatch(
      /SEARCH performance_windows USING INDEX sqlite_autoindex_performance_windows_1 \(through_day=\? AND days=\?\)/,
    );
    const due = await planOf(t, unflaggedDueQuery(t.db, Date.now()).getQuery());
    expect(due.join("\n")).toMatch(
      /SEARCH work_orders USING (COVERING )?INDEX work_orders_unflagged_due \(yellow_at/,
    );
  });

  it('asks "is it fixed?" about the window of recent resolutions, never every resolved work order', async () => {
    // A year of work, most of it long resolved: the status alone would pick out nearly all of it.
    const now = Date.now();
    await t.db.run(sql`INSERT INTO work_orders (id, cluster_id, service_code, status, ack_due_at, resolve_due_at,
        deadlines_from, resolved_at, created_at, updated_at)
      SELECT 'w' || id, id, 'pothole', CASE WHEN rowid % 10 = 0 THEN 'dispatched' ELSE 'closed' END, 0, 0, 0,
        CASE WHEN rowid % 10 = 0 THEN NULL ELSE ${now} - rowid * 6000000 END, 0, 0 FROM clusters`);
    await t.client.execute("ANALYZE");
    const plan = (await planOf(t, t.db.run(questionnairesQuery(now)).getQuery())).join("\n");
    expect(plan).toMatch(
      /SEARCH w USING INDEX work_orders_resolved_at \(resolved_at>\? AND resolved_at<\?\)/,
    );
    // A reporter's asks of the day (the daily cap) through their reports and those reports' asks.
    expect(plan).toMatch(
      /SEARCH mine USING (COVERING )?INDEX reports_contact_mailbox \(contact_mailbox=\?\)/,
    );
    expect(plan).toMatch(/SEARCH mine USING (COVERING )?INDEX reports_reporter \(reporter_key=\?\)/);
    expect(plan).toMatch(/SEARCH o USING (COVERING )?INDEX outbox_asks \(report_id=\? AND created_at>\?\)/);
    expect(plan).toMatch(/SEARCH o USING COVERING INDEX outbox_dedupe \(dedupe_key=\?\)/);
    expect(plan).not.toMatch(/SCAN (o|mine|outbox)\b/);
  });

  it("claims a recipient's next message through the follow's or the report's index, never every pending row", async () => {
    const plan = (
      await planOf(t, t.db.run(dueMessagesQuery(["mail", "push"], Date.now(), 50)).getQuery())
    ).join("\n");
    expect(plan).toMatch(/SEARCH p USING INDEX outbox_follow \(follow_id=\?\)/);
    expect(plan).toMatch(/SEARCH p USING INDEX outbox_report_pending \(report_id=\?\)/);
    expect(plan).not.toMatch(/SCAN|USING INDEX outbox_due \(state=\?\)\n/);
  });

  it("tells a map view's overdue and nearly due work orders from the key index, reading no row", async () => {
    // The work orders of the test above; a district's cells at level 16.
    const cells = cellsOfBox({ minLat: 28, maxLat: 28.1, minLon: 112.9, maxLon: 112.95 }, 16).map(
      (c) => c.key,
    );
    const [workOrders] = (
      await t.client.execute("SELECT rootpage FROM sqlite_master WHERE name = 'work_orders'")
    ).rows;
    for (const kind of ["due", "yellow"] as const)
      for (const service of [undefined, "pothole"]) {
        const query = walkCountsQuery({ kind, from: 0, to: Date.now(), service, walk: true }, 16, cells);
        const plan = (await planOf(t, t.db.run(query).getQuery())).join("\n");
        expect(plan).toMatch(/SEARCH w USING (COVERING )?INDEX work_orders_zkey \(zkey>\? AND zkey<\?\)/);
        // The program reads every column it tests from the index's cursor, none from the table's
        // (SQLite does not call an index on generated columns covering, so the plan cannot say).
        const { sql: text, params } = t.db.run(query).getQuery();
        const program = (await t.client.execute({ sql: `EXPLAIN ${text}`, args: params as never[] })).rows;
        const table = program.find((op) => op.opcode === "OpenRead" && op.p2 === workOrders?.rootpage);
        const reads = program.filter((op) => op.opcode === "Column" && op.p1 === table?.p1);
        expect(table, `${kind} ${service}`).toBeDefined();
        expect(reads, `${kind} ${service}`).toEqual([]);
      }
  });
});

/**
 * A server never runs ANALYZE, so the planner knows nothing of the rows and guesses join orders.
 * Where a statement's rows come from a list it is given (`json_each(?)`: cells, key ranges,
 * blocks), the list must drive the join: read the other way, a map view on 40,000 clusters took
 * 1.2-1.9 s instead of ~10 ms, scanning every cell of a level for each of the view's.
 */
describe("without planner statistics", () => {
  it("reads every joined table a list drives from the list, and recent clusters by time, whatever the planner knows", async () => {
    const t = await makeTestApp();
    const now = t.clock();
    await loadDemoCity(t.db, now);
    await addSampleClusters(t.db, 3000, now);
    const [stats] = (
      await t.client.execute("SELECT count(*) AS n FROM sqlite_master WHERE name = 'sqlite_stat1'")
    ).rows;
    expect(stats?.n).toBe(0);
    const seen = new Map<string, unknown[]>();
    const { execute, batch } = t.client;
    const keep = (s: unknown) => {
      const { sql: text, args } =
        typeof s === "string" ? { sql: s, args: [] } : (s as { sql: string; args: unknown[] });
      if (
        /json_each\(\?\) \w+\s+(CROSS )?JOIN|c\.last_report_at >= \?|ORDER BY k\.id|SELECT r\.id FROM reports r|LEFT JOIN staff_actions/.test(
          text,
        )
      )
        seen.set(text, args);
    };
    t.client.execute = ((s: unknown) => {
      keep(s);
      return execute.call(t.client, s as never);
    }) as typeof execute;
    t.client.batch = ((ss: unknown[], mode?: never) => {
      for (const s of ss) keep(s);
      return batch.call(t.client, ss as never, mode);
    }) as typeof batch;
    const box = "112.9,28.1,113.0,28.2";
    for (const query of [
      `bbox=${box}&zoom=14`,
      `bbox=${box}&zoom=14&department=yuelu`,
      `bbox=${box}&zoom=14&deadline=red`,
      `bbox=112.97,28.19,112.98,28.195&zoom=17&service=pothole`,
      `bbox=112.5,27.8,113.5,28.6&zoom=11`,
      `bbox=112.5,27.8,113.5,28.6&zoom=11&service=pothole&since=${new Date(now - 7 * 86_400_000 + 1_234_567).toISOString()}`,
    ])
      expect((await t.app.request(`/api/map?${query}`)).status, query).toBe(200);
    expect((await t.app.request("/api/map/tiles/14/13375/6858")).status).toBe(200);
    for (const path of ["/api/stats/departments", "/api/stats/areas"])
      expect((await t.app.request(path)).status, path).toBe(200);
    expect((await reportAt(t, { lat: 28.2, lon: 112.97 })).status).toBe(201);
    const since = new Date(now - 30 * 86_400_000).toISOString();
    for (const path of [
      `/api/exports/clusters.csv?service=pothole&status=reported&since=${since}`,
      "/api/exports/work-orders.csv?service=pothole&status=dispatched&department=yuelu",
    ]) {
      const res = await t.app.request(path);
      expect(res.status, path).toBe(200);
      await res.text();
    }
    const open311 = "/open311/v2/requests.json?service_code=streetlight&status=closed";
    expect((await t.app.request(open311)).status).toBe(200);
    const [held] = await t.db.all<{ id: string }>(sql`SELECT id FROM work_orders LIMIT 1`);
    expect((await workOrderHistory(t.db, held?.id ?? "")).length).toBeGreaterThan(0);
    t.client.execute = execute;
    t.client.batch = batch;

    expect(seen.size).toBeGreaterThan(4);
    let byTime = 0;
    let pages = 0;
    let walks = 0;
    let histories = 0;
    for (const [text, args] of seen) {
      const rows = (await t.client.execute({ sql: `EXPLAIN QUERY PLAN ${text}`, args: args as never[] }))
        .rows;
      // The clusters last reported in a span are read by time, a service only filtering them (not
      // every cluster of the service through its key index: 0.7 s for a city view at 1M).
      if (/FROM clusters c WHERE c\.last_report_at >= \?/.test(text)) {
        byTime++;
        expect(rows.map((r) => r.detail).join("\n"), text).toMatch(
          /SEARCH c USING INDEX clusters_last_report/,
        );
      }
      // An export's page walks a window of the table by id, whatever its filter (a filter's index
      // and a sort, every page, held the server 67 s for one export at 1M).
      if (/ORDER BY k\.id/.test(text)) {
        pages++;
        const plan = rows.map((r) => r.detail).join("\n");
        expect(plan, text).toMatch(/SEARCH \w+ USING (COVERING )?INDEX sqlite_autoindex_\w+_1 \(id>\?/);
        expect(plan, text).not.toMatch(/service_zkey|last_report|department_|status_/);
        // Each row of the window read by its id (sorting the window's kept rows costs a window).
        expect(plan, text).toMatch(/SEARCH (c|w) USING (COVERING )?INDEX sqlite_autoindex_\w+_1 \(id=\?\)/);
      }
      // The Open311 list walks its span a window of reports at a time by their time (6.5 s for a
      // rare filter at 1M as one read), each report's cluster read by its id.
      if (/SELECT r\.id FROM reports r/.test(text)) {
        walks++;
        const plan = rows.map((r) => r.detail).join("\n");
        expect(plan, text).toMatch(
          /SEARCH r USING INDEX reports_created \(created_at>\? AND created_at<\?\)/,
        );
        expect(plan, text).toMatch(/SEARCH c USING INDEX sqlite_autoindex_clusters_1 \(id=\?\)/);
      }
      // A work order's history read from its cluster's timeline (no index has events by work order).
      if (/LEFT JOIN staff_actions/.test(text)) {
        histories++;
        expect(rows.map((r) => r.detail).join("\n"), text).toMatch(
          /SEARCH e USING INDEX events_cluster_at \(cluster_id=\?\)/,
        );
      }
      // Each list and the table it is joined to: the list's loop, then the table's inside it.
      for (const [, list, table] of text.matchAll(/json_each\(\?\) (\w+)\s+(?:CROSS )?JOIN \w+ (\w+)/g)) {
        const loop = (alias: string) =>
          rows.find((r) => new RegExp(`^(SCAN|SEARCH) ${alias}\\b`).test(String(r.detail)));
        const [outer, inner] = [loop(list as string), loop(table as string)];
        expect(outer, `${list} in ${text}`).toBeDefined();
        expect(inner?.parent, `${table} in ${text}`).toBe(outer?.parent);
        expect(Number(inner?.id), `${table} after ${list} in ${text}`).toBeGreaterThan(Number(outer?.id));
      }
    }
    expect(byTime).toBeGreaterThan(0);
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(walks).toBeGreaterThan(0);
    expect(histories).toBe(1);
  });
});
