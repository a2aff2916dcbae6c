import { mkdtempSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "../src/env";
import { startServer } from "../src/node/start-server";
import { ADMIN_TOKEN, LOCAL_PROXIES, makeTestApp, type TestApp } from "./support/app";
import { ensureWebBuilt } from "./support/browser";
import { CHANGSHA } from "./support/fixtures";
import { fromResident } from "./support/residents";
import { freePort } from "./support/server-process";

describe("HTTP headers", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp();
  });

  it("answers a web app on another site's preflight and reads (CORS, no cookies involved; its report writes meet the write guard)", async () => {
    const preflight = await t.app.request("/api/reports", {
      method: "OPTIONS",
      headers: {
        origin: "https://apps.example.org",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type, idempotency-key",
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get("access-control-allow-origin")).toBe("*");
    expect(preflight.headers.get("access-control-allow-headers")?.toLowerCase()).toContain("idempotency-key");
    const open311 = await t.app.request("/open311/v2/services.json", {
      headers: { origin: "https://apps.example.org" },
    });
    expect(open311.headers.get("access-control-allow-origin")).toBe("*");
  });

  it("lets a page's script on another site revalidate what it keeps (If-None-Match allowed, ETag readable)", async () => {
    const preflight = await t.app.request("/api/map/tiles/12/3340/1706", {
      method: "OPTIONS",
      headers: {
        origin: "https://apps.example.org",
        "access-control-request-method": "GET",
        "access-control-request-headers": "if-none-match, if-modified-since, x-requested-with",
      },
    });
    expect(preflight.status).toBe(204);
    const allowed = preflight.headers.get("access-control-allow-headers")?.toLowerCase() ?? "";
    expect(allowed).toContain("if-none-match");
    expect(allowed).toContain("if-modified-since");
    // jQuery-era clients add it to every request.
    expect(allowed).toContain("x-requested-with");
    const tile = await t.app.request("/api/map/tiles/12/3340/1706", {
      headers: { origin: "https://apps.example.org" },
    });
    expect(tile.headers.get("etag")).toBeTruthy();
    const exposed = (tile.headers.get("access-control-expose-headers") ?? "").toLowerCase().split(/,\s*/);
    for (const name of ["retry-after", "etag", "last-modified", "link", "content-disposition"])
      expect(exposed, name).toContain(name);
  });

  it("lets a page's script read how long to wait after a 429 (Retry-After is exposed)", async () => {
    // Wrong Open311 keys from one network until its budget of failed attempts runs out.
    let res: Response | undefined;
    for (let i = 0; i < 100 && res?.status !== 429; i++)
      res = await t.app.request("/open311/v2/requests.json", {
        method: "POST",
        headers: {
          origin: "https://apps.example.org",
          "content-type": "application/x-www-form-urlencoded",
          ...fromResident(9001),
        },
        body: "api_key=wrong&service_code=pothole",
      });
    expect(res?.status).toBe(429);
    expect(res?.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(res?.headers.get("access-control-allow-origin")).toBe("*");
    expect(res?.headers.get("access-control-expose-headers")?.toLowerCase()).toContain("retry-after");
  });

  it("sends the usual protective headers", async () => {
    const res = await t.app.request("/api/services");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(res.headers.get("set-cookie")).toBeNull();
  });
});

describe("HTTP headers from the Node server", () => {
  let base: string;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    const port = await freePort();
    const server = await startServer({
      env: parseEnv({
        DATABASE_URL: `file:${join(mkdtempSync(join(tmpdir(), "civicloop-headers-")), "city.db")}`,
        PORT: String(port),
        ADMIN_TOKEN,
        TRUSTED_PROXIES: LOCAL_PROXIES,
      }),
      log: () => {},
    });
    base = `http://127.0.0.1:${port}`;
    stop = server.stop;
  });
  afterAll(() => stop());

  const report = (body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}/api/reports`, {
      method: "POST",
      headers: { "content-type": "application/json", origin: base, ...headers },
      body: JSON.stringify(body),
    });

  it("answers a report, and a refused one, with CORS, the protective headers and Vary (set after the route)", async () => {
    const at = { service: "pothole", ...CHANGSHA, description: "A hole by the kerb" };
    const answers = [
      await report(at, fromResident("headers-a")),
      await report({ ...at, lat: 91 }, fromResident("headers-b")),
      // Another site's page (a browser sending no Sec-Fetch-Site) is refused, readably.
      await report(at, { ...fromResident("headers-c"), origin: "https://apps.example.org" }),
    ];
    expect(answers.map((res) => res.status)).toEqual([201, 400, 403]);
    for (const res of answers) {
      expect(res.headers.get("access-control-allow-origin")).toBe("*");
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("vary")?.toLowerCase()).toContain("accept-encoding");
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect(((await res.json()) as object) ?? null).not.toBeNull();
    }
  });

  it("answers a method the API's path does not take with 405 and Allow, past the web app's own paths", async () => {
    const wrong = await fetch(`${base}/api/reports`, { method: "DELETE" });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("POST");
    expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe("method_not_allowed");
    // The web app takes GET on any path: that must not make GET allowed on every API path.
    expect((await fetch(`${base}/api/reports`, { method: "PUT" })).headers.get("allow")).toBe("POST");
    const none = await fetch(`${base}/api/nothing-here`, { method: "DELETE" });
    expect(none.status).toBe(404);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe("not_found");
  });

  it("serves the web app's files to GET and HEAD only, other methods getting the JSON error", async () => {
    await ensureWebBuilt();
    for (const path of ["/", "/sw.js", "/favicon.svg"]) {
      expect((await fetch(`${base}${path}`)).status, path).toBe(200);
      expect((await fetch(`${base}${path}`, { method: "HEAD" })).status, path).toBe(200);
      for (const method of ["POST", "DELETE"]) {
        const wrong = await fetch(`${base}${path}`, { method });
        expect(wrong.status, `${method} ${path}`).toBe(404);
        expect(((await wrong.json()) as { error: { code: string } }).error.code).toBe("not_found");
      }
    }
  });

  /** The bytes as sent (Node's fetch would ask for gzip and unzip it silently). */
  const raw = (path: string, headers: Record<string, string>) =>
    new Promise<{ headers: Record<string, unknown>; body: Buffer }>((done, fail) => {
      request(`${base}${path}`, { headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (d: Buffer) => chunks.push(d));
        res.on("end", () => done({ headers: res.headers, body: Buffer.concat(chunks) }));
      })
        .on("error", fail)
        .end();
    });

  it("compresses for a client that takes gzip, keeping every header, and not for one that does not", async () => {
    // The league table's answers are kept, gzipped too (`figures-cache.ts`): asked twice each way.
    const paths = ["/api/services", "/api/exports/clusters.geojson", "/api/stats/departments?period=30d"];
    await raw(paths[2] as string, {}); // a server keeps nothing on its database's first request
    for (const path of [...paths, paths[2] as string]) {
      const plain = await raw(path, {});
      expect(plain.headers["content-encoding"], path).toBeUndefined();
      const zipped = await raw(path, { "accept-encoding": "gzip" });
      // Under 1 KB an answer is not worth compressing (the empty test city's export is).
      const small = plain.body.byteLength < 1024;
      expect(zipped.headers["content-encoding"], path).toBe(small ? undefined : "gzip");
      expect((small ? zipped.body : gunzipSync(zipped.body)).toString(), path).toBe(plain.body.toString());
      expect(zipped.headers.etag, path).toBe(plain.headers.etag);
      for (const answer of [plain, zipped]) {
        expect(answer.headers["access-control-allow-origin"], path).toBe("*");
        expect(answer.headers["x-content-type-options"], path).toBe("nosniff");
        expect(String(answer.headers.vary).toLowerCase(), path).toContain("accept-encoding");
      }
    }
  });
});
