import { beforeAll, describe, expect, it } from "vitest";
import { makeTestApp, type TestApp } from "./support/app";

describe("HTTP headers", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp();
  });

  it("lets a web app on another site read open data and send reports (CORS, no cookies involved)", async () => {
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

  it("sends the usual protective headers", async () => {
    const res = await t.app.request("/api/services");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    expect(res.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(res.headers.get("set-cookie")).toBeNull();
  });
});
