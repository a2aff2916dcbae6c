/**
 * A path asked with a method it does not take answers 405 with `Allow` listing the ones it does
 * (RFC 9110), in the API's error shape or Open311's; a path no route has stays a 404.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { makeTestApp, type TestApp } from "./support/app";

describe("methods a path does not take", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp();
  });

  it("answers 405 with Allow on the API, for writes and reads alike", async () => {
    for (const [method, path, allow] of [
      ["DELETE", "/api/reports", "POST"],
      ["GET", "/api/reports", "POST"],
      ["HEAD", "/api/devices", "POST"],
      ["PUT", "/api/reports/01abc", "GET, HEAD"],
      ["POST", "/api/map", "GET, HEAD"],
      ["PATCH", "/api/clusters/01abc/follows", "POST"],
      ["DELETE", "/api/reports/01abc/rating", "POST, GET, HEAD"],
      ["POST", "/healthz", "GET, HEAD"],
      ["POST", "/readyz", "GET, HEAD"],
    ] as const) {
      const res = await t.app.request(path, { method });
      expect(res.status, `${method} ${path}`).toBe(405);
      expect(res.headers.get("allow"), `${method} ${path}`).toBe(allow);
      if (method === "HEAD") continue;
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("method_not_allowed");
      expect(body.error.message).toContain(`${method} is not allowed on ${path}`);
    }
  });

  it("answers 405 in Open311's own shape, as JSON or XML by the path's suffix", async () => {
    const json = await t.app.request("/open311/v2/requests.json", { method: "DELETE" });
    expect(json.status).toBe(405);
    expect(json.headers.get("allow")).toBe("GET, POST, HEAD");
    expect(await json.json()).toEqual([{ code: 405, description: expect.stringContaining("DELETE") }]);
    const xml = await t.app.request("/open311/v2/services/pothole.xml", { method: "POST" });
    expect(xml.status).toBe(405);
    expect(xml.headers.get("allow")).toBe("GET, HEAD");
    expect(await xml.text()).toContain("<code>405</code>");
  });

  it("keeps 404 for a path no route has, and answers the methods a path takes as before", async () => {
    for (const [method, path] of [
      ["DELETE", "/api/nothing-here"],
      ["GET", "/api/reports/01abc/nothing"],
      ["POST", "/open311/v2/nothing.json"],
    ] as const) {
      expect((await t.app.request(path, { method })).status, `${method} ${path}`).toBe(404);
    }
    expect((await t.app.request("/api/reports/01abc")).status).toBe(404);
    expect((await t.app.request("/api/services", { method: "HEAD" })).status).toBe(200);
    const preflight = await t.app.request("/api/reports", {
      method: "OPTIONS",
      headers: { origin: "https://apps.example.org", "access-control-request-method": "POST" },
    });
    expect(preflight.status).toBe(204);
  });
});
