import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { makeTestApp, type TestApp } from "./support/app";
import { CHANGSHA, makeService } from "./support/fixtures";

const good = { service: "pothole", lat: CHANGSHA.lat, lon: CHANGSHA.lon, description: "A hole" };

describe("Idempotency-Key", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp();
    await makeService(t);
  });

  const post = (body: string, headers: Record<string, string>) =>
    t.app.request("/api/reports", { method: "POST", headers, body });

  it("refuses a reused idempotency key with another body, and replays the first answer for the same", async () => {
    const headers = { "content-type": "application/json", "idempotency-key": "retry-1" };
    const first = await post(JSON.stringify(good), headers);
    expect(first.status).toBe(201);
    const firstBody = await first.json();
    const replay = await post(JSON.stringify(good), headers);
    expect(replay.status).toBe(201);
    expect(await replay.json()).toEqual(firstBody);
    const reused = await post(JSON.stringify({ ...good, description: "another" }), headers);
    expect(reused.status).toBe(422);
    const [{ n } = { n: -1 }] = await t.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM reports`);
    expect(n).toBe(1);
  });

  it("answers concurrent retries with one idempotency key with one report", async () => {
    const headers = { "content-type": "application/json", "idempotency-key": "retry-2" };
    const answers = await Promise.all(Array.from({ length: 20 }, () => post(JSON.stringify(good), headers)));
    const bodies = await Promise.all(answers.map((a) => a.json() as Promise<{ report: { id: string } }>));
    expect(new Set(bodies.map((b) => b.report.id)).size).toBe(1);
    const [{ n } = { n: -1 }] = await t.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM reports`);
    expect(n).toBe(1);
  });
});
