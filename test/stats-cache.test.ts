/**
 * The public figures are cached as the map's tiles are: a few seconds, then revalidated by a weak
 * ETag of the answer without its `at`, so a later request that says the same gets a 304 and a
 * write that changes a figure gets a new ETag at once. The server keeps answers under a key read
 * from the database: a write through another server process, or the clock turning work yellow,
 * is answered at once too.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { FIGURES_MAX_AGE_S } from "../src/http/figures-cache";
import { makeTestApp, type TestApp } from "./support/app";
import { CHANGSHA, east, makeDepartment, makeService, reportAt, squareAround } from "./support/fixtures";

const PATHS = [
  "/api/stats/areas?period=30d",
  "/api/stats/departments?period=30d",
  "/api/stats/departments.csv?period=30d",
  "/api/stats/trends?period=90d",
  "/api/stats/overdue",
];

/** Each path's ETag and body (without `at`). */
async function answers(t: TestApp, paths: string[]) {
  const out = new Map<string, { tag: string; body: string }>();
  for (const path of paths) {
    const res = await t.app.request(path);
    expect(res.status, path).toBe(200);
    out.set(path, {
      tag: res.headers.get("etag") ?? "",
      body: (await res.text()).replace(/"at":"[^"]*"/, ""),
    });
  }
  return out;
}

describe("caching of /api/stats", () => {
  it("answers with a short max-age and an ETag, 304 while the figures hold, a new ETag after a write", async () => {
    const t = await makeTestApp();
    await makeService(t, { code: "pothole", threshold: 1 });
    await makeDepartment(t, { code: "roads", services: ["pothole"], area: squareAround(CHANGSHA, 3000) });
    expect((await reportAt(t, CHANGSHA, { deviceId: "cache-device-1-abcdef" })).status).toBe(201);

    const first = new Map<string, string>();
    for (const path of PATHS) {
      const res = await t.app.request(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("cache-control"), path).toBe(`public, max-age=${FIGURES_MAX_AGE_S}`);
      const tag = res.headers.get("etag") ?? "";
      expect(tag, path).toMatch(/^W\/"[0-9a-f]+"$/);
      first.set(path, tag);
    }

    // Later (a new `at`), the same figures: 304, keeping the caching headers.
    t.clock.advance(60_000);
    for (const path of PATHS) {
      const res = await t.app.request(path, { headers: { "If-None-Match": first.get(path) ?? "" } });
      expect(res.status, path).toBe(304);
      expect(res.headers.get("etag"), path).toBe(first.get(path));
      expect(res.headers.get("cache-control"), path).toBe(`public, max-age=${FIGURES_MAX_AGE_S}`);
    }

    // A second report in the area makes a second work order: every figure of the area, the
    // league table and the trends moves, and their ETags with it.
    expect((await reportAt(t, east(CHANGSHA, 500), { deviceId: "cache-device-2-abcdef" })).status).toBe(201);
    for (const path of PATHS.slice(0, 4)) {
      const res = await t.app.request(path, { headers: { "If-None-Match": first.get(path) ?? "" } });
      expect(res.status, path).toBe(200);
      expect(res.headers.get("etag"), path).not.toBe(first.get(path));
    }
    // A kept answer keeps the route's own headers: the CSV still names its definitions.
    for (let i = 0; i < 3; i++) {
      const res = await t.app.request("/api/stats/departments.csv?period=30d");
      expect(res.headers.get("link"), `request ${i + 1}`).toBe(
        '</api/stats/definitions.csv>; rel="describedby"; type="text/csv"',
      );
    }
  });

  it("answers a write through another server process at once, and work the clock turned yellow", async () => {
    const t = await makeTestApp();
    const other = await makeTestApp({ url: t.url, clock: t.clock });
    await makeService(t, { code: "pothole", threshold: 1 });
    await makeDepartment(t, { code: "roads", services: ["pothole"], area: squareAround(CHANGSHA, 3000) });
    expect((await reportAt(t, CHANGSHA, { deviceId: "cache-device-3-abcdef" })).status).toBe(201);
    const paths = PATHS.slice(0, 4);
    const kept = await answers(other, paths);
    expect(await answers(other, paths)).toEqual(kept);

    // The same second: the other process keeps its answers, yet the write moves them.
    expect((await reportAt(t, east(CHANGSHA, 500), { deviceId: "cache-device-4-abcdef" })).status).toBe(201);
    const moved = await answers(other, paths);
    for (const path of paths) {
      expect(moved.get(path)?.tag, path).not.toBe(kept.get(path)?.tag);
      expect(moved.get(path)?.body, path).not.toBe(kept.get(path)?.body);
    }

    // No write: the clock reaches the first work order's yellow mark within a kept answer's age.
    const [first] = await t.db.all<{ yellowAt: number }>(
      sql`SELECT min(yellow_at) AS yellowAt FROM work_orders WHERE yellow_at IS NOT NULL`,
    );
    t.clock.set((first?.yellowAt ?? 0) - 1);
    const league = "/api/stats/departments?period=30d";
    const before = await answers(other, [league]);
    expect(before.get(league)?.body).toContain('"nearlyDue":0');
    t.clock.advance(2);
    const after = await answers(other, [league]);
    expect(after.get(league)?.tag).not.toBe(before.get(league)?.tag);
    expect(after.get(league)?.body).toContain('"nearlyDue":2');
  });
});
