/**
 * Feed discovery as feed readers do it: the page's HTML as the server sends it (no script run)
 * names the Atom feed with `<link rel="alternate" type="application/atom+xml">`, and that link
 * answers a feed. Before, only the running app added the link, so a reader given a problem's
 * page or the map found no feed. And the pages those links and Open311's `cluster_url` name
 * answer any client, not only one that asks for HTML by name.
 */
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWebServer } from "./support/browser";
import { fromResident } from "./support/residents";

let server: Awaited<ReturnType<typeof startWebServer>>;
let clusterId: string;

beforeAll(async () => {
  server = await startWebServer();
  const res = await fetch(`${server.url}/api/reports`, {
    method: "POST",
    headers: { "content-type": "application/json", ...fromResident("feed-discovery") },
    body: JSON.stringify({ service: "pothole", lat: 28.196, lon: 112.972, description: "Deep hole" }),
  });
  expect(res.status).toBe(201);
  clusterId = ((await res.json()) as { cluster: { id: string } }).cluster.id;
}, 180_000);
afterAll(() => server?.stop());

/** The feed links of a page fetched as a feed reader fetches it: HTML asked for, nothing run. */
async function feedLinks(path: string): Promise<string[]> {
  const res = await fetch(`${server.url}${path}`, { headers: { accept: "text/html,*/*;q=0.8" } });
  expect(res.status).toBe(200);
  const html = await res.text();
  expect(html).toContain('<div id="app"');
  return [...html.matchAll(/<link\s[^>]*rel="alternate"[^>]*>/g)]
    .map((m) => m[0])
    .filter((l) => l.includes('type="application/atom+xml"'))
    .map((l) => /href="([^"]+)"/.exec(l)?.[1]?.replaceAll("&amp;", "&") ?? "");
}

async function atomAt(href: string): Promise<string> {
  const res = await fetch(new URL(href, server.url));
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toMatch(/^application\/atom\+xml/);
  return res.text();
}

describe("feed discovery in the served HTML", () => {
  it("a problem's page names its timeline's feed", async () => {
    const links = await feedLinks(`/c/${clusterId}`);
    expect(links).toEqual([`/api/feeds/clusters/${clusterId}.atom`]);
    expect(await atomAt(links[0] as string)).toContain(`cluster/${clusterId}/event/`);
  });

  it("the map names its view's area feed, of its service, holding the problems there", async () => {
    const [area] = await feedLinks("/?lat=28.196&lon=112.972&z=15&service=pothole");
    expect(area).toMatch(/^\/api\/feeds\/area\.atom\?bbox=[-\d.]+,[-\d.]+,[-\d.]+,[-\d.]+&service=pothole$/);
    expect(await atomAt(area as string)).toContain(`/c/${clusterId}`);
    const [fallback] = await feedLinks("/");
    expect(await atomAt(fallback as string)).toContain(`/c/${clusterId}`);
  });

  it("the map without a view in its address names the feed of the city's own view (MAP_VIEW)", async () => {
    const wuhan = await startWebServer({ MAP_VIEW: "30.59,114.30,12" });
    try {
      const res = await fetch(`${wuhan.url}/`, { headers: { accept: "text/html" } });
      const href = /href="(\/api\/feeds\/area\.atom[^"]*)"/.exec(await res.text())?.[1] ?? "";
      const [west, south, east, north] = (/bbox=([^&"]+)/.exec(href)?.[1] ?? "").split(",").map(Number);
      expect(west).toBeLessThan(114.3);
      expect(east).toBeGreaterThan(114.3);
      expect(south).toBeLessThan(30.59);
      expect(north).toBeGreaterThan(30.59);
    } finally {
      await wuhan.stop();
    }
  });

  it("the map of one department's work names the department's feed", async () => {
    const [feed] = await feedLinks("/?department=tianxin");
    expect(feed).toBe("/api/feeds/departments/tianxin.atom");
    expect(await atomAt(feed as string)).toContain("<feed");
  });
});

/** A GET as a client sends it, with exactly these headers (fetch would add `Accept: *\/*`). */
function rawGet(path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; type: string; body: string }>((done, fail) => {
    const req = request(`${server.url}${path}`, { headers }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () =>
        done({ status: res.statusCode ?? 0, type: res.headers["content-type"] ?? "", body }),
      );
    });
    req.on("error", fail);
    req.end();
  });
}

describe("the app's pages for any client", () => {
  it("answers a problem's page (Open311's cluster_url, a feed entry's link) to curl, requests and link checkers", async () => {
    const clients: Record<string, string>[] = [
      { accept: "*/*" },
      {},
      { accept: "application/json, */*;q=0.1" },
      { accept: "text/*" },
    ];
    for (const headers of clients) {
      const page = await rawGet(`/c/${clusterId}`, headers);
      expect(page.status, JSON.stringify(headers)).toBe(200);
      expect(page.type).toMatch(/^text\/html/);
      expect(page.body).toContain('<div id="app"');
      // The same page a browser gets, its feed named in it.
      expect(page.body).toContain(`href="/api/feeds/clusters/${clusterId}.atom"`);
    }
    for (const path of ["/", "/r/abc123", "/performance", "/admin"]) {
      const page = await rawGet(path, { accept: "*/*" });
      expect([page.status, page.type.split(";")[0]], path).toEqual([200, "text/html"]);
    }
  });

  it("keeps the JSON 404 of API paths, of other paths for non-browsers, and for a client wanting JSON only", async () => {
    for (const [path, accept] of [
      ["/api/no-such-thing", "*/*"],
      ["/api/no-such-thing", "text/html"],
      ["/open311/v2/no-such-thing", "text/html,*/*;q=0.8"],
      ["/no-such-page", "*/*"],
      ["/c/abc/def", "*/*"],
      [`/c/${clusterId}`, "application/json"],
      // A built file that is not there (an old page asking after a deploy): never the index,
      // which the assets' year-long immutable caching would then keep under that name.
      ["/assets/index-gone.js", "text/html,*/*;q=0.8"],
    ] as const) {
      const res = await rawGet(path, { accept });
      expect(res.status, `${path} ${accept}`).toBe(404);
      expect(res.type, path).toMatch(/json/);
    }
    // A browser at a path the app has no page for still gets the app, which says "not found".
    const browser = await rawGet("/no-such-page", { accept: "text/html" });
    expect([browser.status, browser.type.split(";")[0]]).toEqual([200, "text/html"]);
  });
});
