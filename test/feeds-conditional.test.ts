/**
 * Conditional GET of the Atom feeds: a weak ETag (a digest of the feed), `Cache-Control: public,
 * max-age=60`, a 304 without a body for a matching `If-None-Match`, and a new ETag with the new
 * feed once a report, a status change or a hidden report changes what it shows.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, makeTestApp, type TestApp } from "./support/app";
import { CHANGSHA, east, makeDepartment, makeService, reportAt, squareAround } from "./support/fixtures";
import { departmentToken, move, workOrderAt } from "./support/work-orders";

const BOX = "112.9,28.1,113.1,28.3";

describe("conditional GET of the feeds", () => {
  let t: TestApp;
  let roads: string;
  let wo: Awaited<ReturnType<typeof workOrderAt>>;
  let feeds: string[];

  beforeEach(async () => {
    t = await makeTestApp();
    await makeService(t, { threshold: 2 });
    await makeDepartment(t, { code: "roads", services: ["pothole"], area: squareAround(CHANGSHA, 9000) });
    roads = await departmentToken(t, "roads");
    wo = await workOrderAt(t, CHANGSHA, { reporters: 2 });
    feeds = [
      `/api/feeds/clusters/${wo.clusterId}.atom`,
      `/api/feeds/area.atom?bbox=${BOX}`,
      "/api/feeds/area.atom?service=pothole",
      "/api/feeds/departments/roads.atom",
    ];
  });

  const get = (path: string, headers: Record<string, string> = {}, method = "GET") =>
    t.app.request(path, { method, headers });
  const current = async (path: string) => {
    const res = await get(path);
    expect(res.status, path).toBe(200);
    const etag = res.headers.get("etag");
    expect(etag, path).toMatch(/^W\/"[^"]+"$/);
    expect(res.headers.get("cache-control")).toBe("public, max-age=60");
    return { etag: etag as string, text: await res.text() };
  };
  /** Every feed answers its old ETag 200 with a new feed, and the new ETag 304. */
  async function allChanged(before: { etag: string; text: string }[], words?: string) {
    for (const [i, path] of feeds.entries()) {
      const old = before[i] as { etag: string; text: string };
      const res = await get(path, { "if-none-match": old.etag });
      expect(res.status, path).toBe(200);
      const text = await res.text();
      expect(text, path).not.toBe(old.text);
      if (words) expect(text.includes(words), path).toBe(false);
      const etag = res.headers.get("etag") as string;
      expect(etag).not.toBe(old.etag);
      expect((await get(path, { "if-none-match": etag })).status).toBe(304);
    }
  }

  it("answers a second GET with its ETag 304, without a body, HEAD too", async () => {
    for (const path of feeds) {
      const { etag } = await current(path);
      for (const method of ["GET", "HEAD"]) {
        const again = await get(path, { "if-none-match": `"other", ${etag}` }, method);
        expect(again.status, `${method} ${path}`).toBe(304);
        expect(await again.text()).toBe("");
        expect(again.headers.get("etag")).toBe(etag);
        expect(again.headers.get("cache-control")).toBe("public, max-age=60");
      }
      expect((await get(path, { "if-none-match": "*" })).status).toBe(304);
    }
    // Each feed its own tag.
    const tags = await Promise.all(feeds.map(async (p) => (await current(p)).etag));
    expect(new Set(tags).size).toBe(tags.length);
  });

  it("gives a new ETag and the new feed after a report, a status change and a hidden report", async () => {
    let before = await Promise.all(feeds.map(current));
    const words = "Words a moderator will hide";
    const added = await reportAt(t, CHANGSHA, { description: words });
    expect(added.status).toBe(201);
    await allChanged(before);

    before = await Promise.all(feeds.map(current));
    expect((await move(t, roads, wo.id, { to: "acknowledged" })).status).toBe(200);
    await allChanged(before);

    before = await Promise.all(feeds.map(current));
    expect(before.some((b) => b.text.includes(words))).toBe(true);
    t.clock.advance(60_000);
    const hidden = await t.app.request(`/api/admin/moderation/reports/${added.body.report.id}/hide`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(hidden.status).toBe(200);
    await allChanged(before, words);
    // The problem's entry says it changed then, so a reader replaces the words it showed.
    const area = (await current(`/api/feeds/area.atom?bbox=${BOX}`)).text;
    expect(area).toContain(`<updated>${new Date(t.clock()).toISOString()}</updated>`);
  });

  it("keeps an empty feed's ETag as time passes, and gives a new one when a problem appears", async () => {
    await makeDepartment(t, {
      code: "parks",
      services: ["pothole"],
      area: squareAround(east(CHANGSHA, 40_000), 3000),
    });
    const far = east(CHANGSHA, 40_000);
    const box = [far.lon - 0.01, far.lat - 0.01, far.lon + 0.01, far.lat + 0.01].join(",");
    const empty = [`/api/feeds/area.atom?bbox=${box}`, "/api/feeds/departments/parks.atom"];
    const before = await Promise.all(empty.map(current));
    for (const b of before) expect(b.text).not.toContain("<entry>");
    t.clock.advance(3_600_000);
    for (const [i, path] of empty.entries()) {
      expect((await get(path, { "if-none-match": before[i]?.etag as string })).status, path).toBe(304);
    }
    expect((await reportAt(t, far)).status).toBe(201);
    for (const [i, path] of empty.entries()) {
      const res = await get(path, { "if-none-match": before[i]?.etag as string });
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).toContain("<entry>");
    }
  });
});
