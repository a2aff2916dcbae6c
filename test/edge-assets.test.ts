/**
 * What stands in front of the app on the edge, as wrangler.toml configures it, in workerd: static
 * assets with the single-page fallback for the web app's own paths, the API always reaching the
 * Worker, and the client address taken from Cloudflare's header.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN } from "./support/app";
import { ensureWebBuilt } from "./support/browser";
import { CHANGSHA, makeService, reportAt } from "./support/fixtures";
import { type EdgeWorker, startEdgeWorker, workerAsTestApp } from "./support/worker";

// What a browser sends when it follows a link or types an address.
const navigation = {
  headers: { "sec-fetch-mode": "navigate", "sec-fetch-dest": "document", accept: "text/html" },
};

describe("the Worker with its static assets", () => {
  let worker: EdgeWorker;
  let index: string;

  beforeAll(async () => {
    // The built web app (its hashed files, the service worker and the manifest) is what is served.
    await ensureWebBuilt();
    worker = await startEdgeWorker({
      assets: true,
      vars: { PUBLIC_URL: "http://civicloop.test" },
      secrets: { ADMIN_TOKEN, REPORTER_KEY_SECRET: "edge-test-reporter-secret" },
    });
    index = readFileSync(join(worker.assetsDir, "index.html"), "utf8");
  }, 300_000);

  afterAll(async () => {
    await worker?.stop();
  });

  it("serves the web app at / and at its own paths", async () => {
    for (const path of ["/", "/c/abc123", "/r/xyz789"]) {
      const res = await worker.fetch(path, navigation);
      expect(res.status, path).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
      expect(await res.text()).toBe(index);
    }
  });

  it("serves a problem's page to clients that are not browsers (curl, link checkers: Accept */*)", async () => {
    // Workers static assets give index.html for any path that is no file and no Worker route, as
    // the Node server does for the app's pages (src/http/page-paths.ts `answersPage`).
    for (const path of ["/c/abc123", "/r/xyz789", "/performance"]) {
      const res = await worker.fetch(path, { headers: { accept: "*/*" } });
      expect(res.status, path).toBe(200);
      expect(await res.text()).toBe(index);
    }
  });

  it("keeps its pages out of other sites' frames, as the Node server does (web/public/_headers)", async () => {
    // Served before the Worker, the pages had none of its secureHeaders: an audit framed /admin.
    for (const path of ["/", "/admin", "/console", "/desk", "/sw.js"]) {
      const res = await worker.fetch(path, navigation);
      expect(res.headers.get("x-frame-options"), path).toBe("SAMEORIGIN");
      expect(res.headers.get("x-content-type-options"), path).toBe("nosniff");
      expect(res.headers.get("referrer-policy"), path).toBe("strict-origin-when-cross-origin");
      await res.arrayBuffer();
    }
  });

  it("lets browsers keep the hashed scripts and styles for a year (web/public/_headers)", async () => {
    const files = [...index.matchAll(/\/assets\/[^"]+\.(?:js|css)/g)].map((m) => m[0]);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const res = await worker.fetch(file);
      expect(res.status, file).toBe(200);
      expect(res.headers.get("cache-control"), file).toBe("public, max-age=31536000, immutable");
      await res.arrayBuffer();
    }
  });

  it("serves the service worker and the manifest, always revalidated (web/public/_headers)", async () => {
    const sw = await worker.fetch("/sw.js");
    expect(sw.status).toBe(200);
    expect(sw.headers.get("content-type")).toMatch(/javascript/);
    expect(sw.headers.get("cache-control")).toBe("no-cache");
    await sw.arrayBuffer();
    const manifest = await worker.fetch("/manifest.webmanifest");
    expect(manifest.status).toBe(200);
    expect(manifest.headers.get("content-type")).toMatch(/^application\/manifest\+json/);
    expect(manifest.headers.get("cache-control")).toBe("no-cache");
    expect(((await manifest.json()) as { start_url: string }).start_url).toBe("/");
  });

  it("keeps the icon a day and leads /favicon.ico to it (web/public/_headers and _redirects)", async () => {
    const icon = await worker.fetch("/favicon.ico", { redirect: "manual" });
    expect(icon.status).toBe(301);
    expect(new URL(icon.headers.get("location") ?? "", "http://x").pathname).toBe("/favicon.svg");
    await icon.arrayBuffer();
    const svg = await worker.fetch("/favicon.svg");
    expect([svg.status, svg.headers.get("cache-control")]).toEqual([200, "public, max-age=86400"]);
    await svg.arrayBuffer();
  });

  it("sends the API to the Worker even when a browser navigates to it", async () => {
    const services = await worker.fetch("/api/services", navigation);
    expect(services.status).toBe(200);
    expect(await services.json()).toEqual({ services: [] });
    // The bare prefixes too, as the Node server answers them: JSON (Open311's own list under
    // /open311), not the web app.
    for (const path of ["/api/no-such-thing", "/api", "/open311"]) {
      const missing = await worker.fetch(path, navigation);
      expect(missing.status, path).toBe(404);
      expect(missing.headers.get("content-type"), path).toMatch(/^application\/json/);
      expect(JSON.stringify(await missing.json()), path).toMatch(/not.found|404/i);
    }
    for (const path of ["/healthz", "/readyz"])
      expect(await (await worker.fetch(path, navigation)).json(), path).toEqual({ ok: true });
    const discovery = await worker.fetch("/open311/v2/discovery.json", navigation);
    expect(discovery.headers.get("content-type")).toMatch(/^application\/json/);
    const openapi = await worker.fetch("/openapi.json", navigation);
    expect(((await openapi.json()) as { openapi: string }).openapi).toMatch(/^3\./);
    // The API reference is the app's own page, not the web app's index.
    const docs = await worker.fetch("/docs", navigation);
    expect(docs.status).toBe(200);
    expect(await docs.text()).not.toBe(index);
  });

  it("tells reporters without a device id apart by CF-Connecting-IP, one network counting once", async () => {
    const t = workerAsTestApp(worker);
    await makeService(t, { code: "pothole", threshold: 5 });
    const from = (ip: string) => ({ headers: { "cf-connecting-ip": ip } });
    await reportAt(t, CHANGSHA, from("198.51.100.7"));
    const again = await reportAt(t, CHANGSHA, from("::ffff:198.51.100.7"));
    const neighbour = await reportAt(t, CHANGSHA, from("198.51.100.8"));
    const other = await reportAt(t, CHANGSHA, from("198.51.101.8"));
    expect(again.body.cluster).toMatchObject({ reports: 2, reporters: 1 });
    expect(neighbour.body.cluster).toMatchObject({ reports: 3, reporters: 1 });
    expect(other.body.cluster).toMatchObject({ reports: 4, reporters: 2 });
  });
});
