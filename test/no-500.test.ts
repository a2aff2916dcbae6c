/**
 * Bad input never makes a 500: every route of the app, with odd path parameters, odd bodies and
 * odd query strings, as anyone and as the admin, answers below 500 with a JSON or Open311 error.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, makeTestApp, type TestApp } from "./support/app";
import { CHANGSHA, makeDepartment, makeService, squareAround } from "./support/fixtures";

const PARAMS = ["x", "0", "%00", "..%2F..%2Fetc", "a".repeat(300), "%F0%9F%92%A9", "null"];
const BODIES: [string, string][] = [
  ["application/json", ""],
  ["application/json", "{"],
  ["application/json", "null"],
  ["application/json", "[]"],
  ["application/json", '{"to":"resolved","lat":"x","service":1e308,"bbox":{}}'],
  ["application/json", '{"__proto__":{"admin":true},"constructor":{"prototype":{}}}'],
  // Far deeper than any walk by recursion survives (16 KB, under every body limit).
  ["application/json", `${"[".repeat(8000)}${"]".repeat(8000)}`],
  ["application/x-www-form-urlencoded", "api_key=&service_code=%ZZ&lat=abc&attribute[x][]=1"],
  [
    "multipart/form-data; boundary=zz",
    "--zz\r\nContent-Disposition: form-data; name=photo\r\n\r\nnot an image\r\n--zz--",
  ],
  ["text/plain", "hello"],
  ["image/png", "\u0089PNG\r\n\u001a\n broken"],
];
const QUERIES = [
  "",
  "?bbox=1,2,3&zoom=-4&since=yesterday&status=nope&limit=1e9",
  "?page=-1&page_size=x&start_date=2026-13-45",
];

describe("no input makes a 500", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp();
    await makeService(t);
    await makeDepartment(t, { code: "furong", services: ["pothole"], area: squareAround(CHANGSHA, 2000) });
  });

  it("holds for every route, odd parameter, body and query", async () => {
    const routes = new Map<string, string>();
    for (const r of t.app.routes) if (r.method !== "ALL") routes.set(`${r.method} ${r.path}`, r.method);
    const failures: string[] = [];
    let sent = 0;
    for (const [key, method] of routes) {
      const template = key.slice(method.length + 1);
      for (const param of PARAMS) {
        // `:name{regex}` and `:name` alike; a suffixed Open311 id keeps its suffix.
        const path = template.replace(/:[a-z_]+\{[^}]*\}/gi, `${param}.json`).replace(/:[a-z_]+/gi, param);
        for (const query of QUERIES) {
          for (const auth of [false, true]) {
            const bodies: ([string, string] | null)[] =
              method === "GET" || method === "DELETE" ? [null] : BODIES;
            for (const body of bodies) {
              const headers: Record<string, string> = auth ? { authorization: `Bearer ${ADMIN_TOKEN}` } : {};
              if (body) headers["content-type"] = body[0];
              const res = await t.app.request(`${path}${query}`, { method, headers, body: body?.[1] });
              if (res.status >= 500)
                failures.push(`${res.status} ${method} ${path}${query} ${body?.[0] ?? ""}`);
              await res.arrayBuffer();
              sent++;
            }
          }
        }
      }
    }
    expect(failures).toEqual([]);
    expect(routes.size).toBeGreaterThan(40);
    expect(sent).toBeGreaterThan(5000);
  });
});
