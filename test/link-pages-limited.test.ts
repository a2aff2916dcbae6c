/**
 * The mailed links' routes refused for their network's budget: a person who opened the link in a
 * browser gets a small bilingual page (still 429 with `Retry-After`), not the API's JSON; a program
 * asking for JSON keeps the JSON error. Each route is tried from a network of its own (residents
 * through the trusted local proxy), with budgets of one request so the second is refused.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { parseLimits } from "../src/domain/rate-limit";
import { makeTestApp, type TestApp } from "./support/app";
import { fromResident } from "./support/residents";

const BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
const RECEIPT = "r".repeat(24);
const TOKEN = "t".repeat(24);

/** Every route a mailed link (or its page's button) reaches, by method and path. */
const LINK_ROUTES: [string, string][] = [
  ["GET", `/api/follows/confirm?token=${TOKEN}`],
  ["POST", `/api/follows/confirm?token=${TOKEN}`],
  ["GET", `/api/follows/unsubscribe?token=${TOKEN}`],
  ["POST", `/api/follows/unsubscribe?token=${TOKEN}`],
  ["GET", `/api/follows/manage?token=${TOKEN}&lang=en`],
  ["POST", `/api/follows/manage?token=${TOKEN}`],
  ["GET", `/api/reports/r1/questionnaire?receipt=${RECEIPT}`],
  ["POST", `/api/reports/r1/questionnaire?receipt=${RECEIPT}`],
  ["GET", `/api/reports/r1/questionnaire/unsubscribe?receipt=${RECEIPT}`],
  ["POST", `/api/reports/r1/questionnaire/unsubscribe?receipt=${RECEIPT}`],
];

describe("a mailed link refused for its network's budget", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp({
      config: {
        contactKey: "test-contact-key-for-limited-0123",
        rateLimits: parseLimits("follow_links.network=1/10m,ratings.network=1/1h"),
      },
    });
  });

  const open = (method: string, path: string, who: string, accept: string) =>
    t.app.request(path, {
      method,
      headers: {
        accept,
        ...fromResident(who),
        ...(method === "POST" ? { "content-type": "application/x-www-form-urlencoded" } : {}),
      },
      ...(method === "POST" ? { body: "" } : {}),
    });

  it.each(LINK_ROUTES)(
    "%s %s: a browser gets a bilingual page, 429 with Retry-After",
    async (method, path) => {
      const who = `limited-page-${method}-${path}`;
      // The network's one request (a made-up token: refused for that), then the one over budget.
      expect((await open(method, path, who, BROWSER)).status).not.toBe(429);
      const res = await open(method, path, who, BROWSER);
      expect(res.status).toBe(429);
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
      const page = await res.text();
      expect(page).toMatch(/^<!doctype html>/);
      expect(page).toContain("请稍后再试");
      expect(page).toContain("Please try again later");
      // Still refused, whatever it asks for: the page does not open the budget.
      const again = await open(method, path, who, "application/json");
      expect(again.status).toBe(429);
      expect(again.headers.get("retry-after")).toBe(res.headers.get("retry-after"));
      expect(again.headers.get("content-type")).toMatch(/^application\/json/);
      expect(await again.json()).toMatchObject({ error: { code: "rate_limited" } });
    },
  );

  it("answers a program asking for anything but HTML with the JSON error", async () => {
    const [method, path] = LINK_ROUTES[0] as [string, string];
    for (const accept of ["application/json", "*/*"]) {
      const who = `limited-json-${accept}`;
      await open(method, path, who, accept);
      const res = await open(method, path, who, accept);
      expect(res.status).toBe(429);
      expect(res.headers.get("retry-after")).toBeTruthy();
      expect(await res.json()).toMatchObject({ error: { code: "rate_limited" } });
    }
  });
});
