/**
 * `GET /open311/v2/requests` walks the span newest first a window of reports at a time
 * (`findRequests`' window, made small here): the same list, page for page, as one read of it,
 * and other work run between windows.
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { findRequests, type RequestFilter } from "../src/open311/queries";
import type { TestApp } from "./support/app";
import { sampleCity } from "./support/sample-city";
import { turnsDuring } from "./support/turns";

const WHOLE = Number.MAX_SAFE_INTEGER;

describe("the Open311 list walked in windows", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await sampleCity(300);
    // Reports to three days: many share a time, so ties fall across the windows' edges.
    await t.db.run(sql`UPDATE reports SET created_at = created_at - created_at % 259200000`);
  });

  const ids = async (f: Omit<RequestFilter, "limit" | "offset">, offset: number, window: number) =>
    (await findRequests(t.db, { ...f, limit: 25, offset }, window)).map((r) => r.id);

  it("lists page for page what one read of the span lists", async () => {
    const [ties] = await t.db.all<{ n: number }>(
      sql`SELECT max(n) AS n FROM (SELECT count(*) AS n FROM reports GROUP BY created_at)`,
    );
    expect(ties?.n).toBeGreaterThan(7);
    const filters: Omit<RequestFilter, "limit" | "offset">[] = [
      {},
      { serviceCodes: ["pothole"] },
      { statuses: ["closed"] },
      { serviceCodes: ["streetlight", "graffiti"], statuses: ["open"] },
      { from: t.clock() - 20 * 86_400_000, to: t.clock() - 5 * 86_400_000 },
    ];
    for (const f of filters) {
      for (const offset of [0, 10, 140]) {
        const whole = await ids(f, offset, WHOLE);
        const label = JSON.stringify({ f, offset });
        if (offset === 0) expect(whole.length, label).toBeGreaterThan(0);
        for (const window of [1, 7, 50]) expect(await ids(f, offset, window), label).toEqual(whole);
      }
    }
    const [first] = await findRequests(t.db, { limit: 1, offset: 0 }, 7);
    expect(first?.service_name).toBeTruthy();
  });

  it("names each request's place on a page as it names the request alone", async () => {
    const res = await t.app.request(
      "/open311/v2/requests.json?page_size=120&start_date=2020-01-01T00:00:00Z",
    );
    const page = (await res.json()) as { service_request_id: string; address?: string }[];
    expect(page).toHaveLength(120);
    expect(page.filter((r) => r.address).length).toBeGreaterThan(20);
    for (const r of page) {
      const alone = await t.app.request(`/open311/v2/requests/${r.service_request_id}.json`);
      const [one] = (await alone.json()) as { address?: string }[];
      expect(r.address, r.service_request_id).toBe(one?.address);
    }
  });
});

describe("the Open311 list's walk", () => {
  it("lets other work run between its windows", async () => {
    const t = await sampleCity(300);
    const nothing = { serviceCodes: ["no-such-service"], limit: 25, offset: 0 };
    const [times] = await t.db.all<{ n: number }>(sql`SELECT count(DISTINCT created_at) AS n FROM reports`);
    // Windows of 1 then 2 reports: a turn each, about half as many as the reports' times.
    expect(await turnsDuring(findRequests(t.db, nothing, 1))).toBeGreaterThan((times?.n ?? 0) / 3);
  });
});
