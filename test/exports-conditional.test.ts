/**
 * Conditional GET of the open-data exports: a weak ETag of the clusters' and work orders' version
 * with the path and query, `Cache-Control: public, max-age=60`, and a 304 without a body for a
 * matching `If-None-Match` (a list, `*`, weak or strong), until a report, a transition or a merge
 * changes what the export shows.
 */
import { gunzipSync } from "node:zlib";
import { Hono } from "hono";
import { beforeEach, describe, expect, it } from "vitest";
import { compressed } from "../src/node/compress";
import { makeTestApp, type TestApp } from "./support/app";
import {
  CHANGSHA,
  east,
  makeDepartment,
  makeService,
  north,
  reportAt,
  squareAround,
} from "./support/fixtures";
import { departmentToken, move, workOrderAt } from "./support/work-orders";

const EXPORTS = [
  "/api/exports/clusters.csv",
  "/api/exports/clusters.geojson",
  "/api/exports/work-orders.csv",
  "/api/exports/work-orders.geojson",
];

describe("conditional GET of the exports", () => {
  let t: TestApp;
  let roads: string;

  beforeEach(async () => {
    t = await makeTestApp();
    await makeService(t, { threshold: 2 });
    await makeDepartment(t, { code: "roads", services: ["pothole"], area: squareAround(CHANGSHA, 9000) });
    roads = await departmentToken(t, "roads");
  });

  const get = (path: string, headers: Record<string, string> = {}, method = "GET") =>
    t.app.request(path, { method, headers });
  const etagOf = async (path: string) => {
    const res = await get(path);
    expect(res.status).toBe(200);
    const etag = res.headers.get("etag");
    expect(etag).toMatch(/^W\/"[^"]+"$/);
    return { etag: etag as string, text: await res.text() };
  };

  it("answers a second GET with its ETag 304, without a body, on every export", async () => {
    await workOrderAt(t, CHANGSHA, { reporters: 2 });
    for (const path of EXPORTS) {
      const first = await get(path);
      expect(first.status).toBe(200);
      expect(first.headers.get("cache-control")).toBe("public, max-age=60");
      const etag = first.headers.get("etag") as string;
      expect(etag).toMatch(/^W\/"/);
      expect((await first.text()).length).toBeGreaterThan(0);

      const again = await get(path, { "if-none-match": etag });
      expect(again.status, path).toBe(304);
      expect(await again.text()).toBe("");
      expect(again.headers.get("etag")).toBe(etag);
      expect(again.headers.get("cache-control")).toBe("public, max-age=60");
      expect(again.headers.get("content-type")).toBeNull();
    }
  });

  it("compares as RFC 9110 says: lists, `*`, and weakly", async () => {
    const path = EXPORTS[0] as string;
    const { etag } = await etagOf(path);
    const strong = etag.slice(2);
    for (const header of [`"nope", ${etag}`, `${strong}`, `W/"a",${strong} , "b"`, "*"]) {
      expect((await get(path, { "if-none-match": header })).status, header).toBe(304);
    }
    for (const header of ['"nope"', `W/${etag}`, 'W/"x"', etag.replace(/"$/, 'x"')]) {
      const res = await get(path, { "if-none-match": header });
      expect(res.status, header).toBe(200);
      expect(res.headers.get("etag")).toBe(etag);
    }
  });

  it("gives each query and format its own ETag", async () => {
    await reportAt(t, CHANGSHA);
    const tags = await Promise.all(
      [
        ...EXPORTS,
        "/api/exports/clusters.csv?service=pothole",
        "/api/exports/clusters.csv?status=reported",
        "/api/exports/clusters.csv?status=reported&service=pothole",
        "/api/exports/work-orders.csv?department=roads",
      ].map(async (p) => (await etagOf(p)).etag),
    );
    expect(new Set(tags).size).toBe(tags.length);
    // And a tag of one query is no 304 for another.
    const res = await get("/api/exports/clusters.csv?service=pothole", {
      "if-none-match": tags[0] as string,
    });
    expect(res.status).toBe(200);
  });

  it("moves the ETag with a new report, a status change and a merge, and answers the new content", async () => {
    const path = "/api/exports/clusters.csv";
    const woPath = "/api/exports/work-orders.csv";
    const wo = await workOrderAt(t, CHANGSHA, { reporters: 2 });
    let before = await etagOf(path);
    let woBefore = await etagOf(woPath);

    // A report joining the cluster: its count changes, no new row.
    expect((await reportAt(t, CHANGSHA)).status).toBe(201);
    let res = await get(path, { "if-none-match": before.etag });
    expect(res.status).toBe(200);
    let text = await res.text();
    expect(text).not.toBe(before.text);
    expect(res.headers.get("etag")).not.toBe(before.etag);
    before = { etag: res.headers.get("etag") as string, text };

    // A department acknowledging the work order: the status columns change.
    expect((await move(t, roads, wo.id, { to: "acknowledged" })).status).toBe(200);
    for (const [p, b] of [
      [path, before],
      [woPath, woBefore],
    ] as const) {
      res = await get(p, { "if-none-match": b.etag });
      expect(res.status, p).toBe(200);
      text = await res.text();
      expect(text).not.toBe(b.text);
      expect(text).toContain("acknowledged");
    }
    before = await etagOf(path);
    woBefore = await etagOf(woPath);

    // Scheduling twice: the second only moves the date the work-order export shows.
    expect(
      (await move(t, roads, wo.id, { to: "scheduled", scheduledFor: "2026-03-05T09:00:00Z" })).status,
    ).toBe(200);
    woBefore = await etagOf(woPath);
    expect(
      (await move(t, roads, wo.id, { to: "scheduled", scheduledFor: "2026-03-09T09:00:00Z" })).status,
    ).toBe(200);
    res = await get(woPath, { "if-none-match": woBefore.etag });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain("2026-03-09T09:00:00.000Z");

    // A merge: the duplicate's state and merged_into_id, the kept one's counts.
    before = await etagOf(path);
    const dupe = await workOrderAt(t, east(north(CHANGSHA, 3000), 10), { reporters: 2 });
    const afterDupe = await etagOf(path);
    expect(afterDupe.etag).not.toBe(before.etag);
    expect((await move(t, roads, dupe.id, { to: "duplicate", duplicateOf: wo.clusterId })).status).toBe(200);
    res = await get(path, { "if-none-match": afterDupe.etag });
    expect(res.status).toBe(200);
    text = await res.text();
    expect(text).toContain(",merged,");
    expect(text).toContain(wo.clusterId);
    expect(text.split("\r\n").find((l) => l.startsWith(`${dupe.clusterId},`))).toContain(wo.clusterId);
  });

  it("answers HEAD as GET without a body, 304 included, and leaves If-Modified-Since alone", async () => {
    await reportAt(t, CHANGSHA);
    const path = EXPORTS[1] as string;
    const { etag } = await etagOf(path);
    const head = await get(path, {}, "HEAD");
    expect(head.status).toBe(200);
    expect(head.headers.get("etag")).toBe(etag);
    expect(head.headers.get("content-type")).toBe("application/geo+json; charset=utf-8");
    expect(await head.text()).toBe("");
    expect((await get(path, { "if-none-match": etag }, "HEAD")).status).toBe(304);
    // No Last-Modified is sent: a date the client makes up is never taken for "unchanged".
    const dated = await get(path, { "if-modified-since": "Fri, 01 Jan 2100 00:00:00 GMT" });
    expect(dated.status).toBe(200);
    expect(dated.headers.get("last-modified")).toBeNull();
    expect(dated.headers.get("etag")).toBe(etag);
    expect((await dated.text()).length).toBeGreaterThan(0);
  });

  it("keeps Vary and a weak ETag through the Node server's compression, 304 included", async () => {
    await workOrderAt(t, CHANGSHA, { reporters: 2 });
    for (let i = 0; i < 40; i++) await reportAt(t, north(CHANGSHA, 200 * (i + 1)));
    const server = new Hono();
    server.use("/api/*", compressed());
    server.route("/", t.app);
    const path = EXPORTS[0] as string;
    const plain = await etagOf(path);
    const zipped = await server.request(path, { headers: { "accept-encoding": "gzip" } });
    expect(zipped.headers.get("content-encoding")).toBe("gzip");
    expect(zipped.headers.get("vary")).toBe("Accept-Encoding");
    expect(zipped.headers.get("etag")).toBe(plain.etag);
    expect(gunzipSync(Buffer.from(await zipped.arrayBuffer())).toString()).toBe(plain.text);
    const again = await server.request(path, {
      headers: { "accept-encoding": "gzip", "if-none-match": plain.etag },
    });
    expect(again.status).toBe(304);
    expect(again.headers.get("vary")).toBe("Accept-Encoding");
    expect(again.headers.get("content-encoding")).toBeNull();
    expect((await again.arrayBuffer()).byteLength).toBe(0);
  });
});
