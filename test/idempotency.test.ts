import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { makeTestApp, type TestApp } from "./support/app";
import { CHANGSHA, makeService } from "./support/fixtures";
import { fromResident } from "./support/residents";

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
    expect(((await reused.json()) as { error: unknown }).error).toEqual({
      code: "idempotency_key_reused",
      message:
        "Idempotency-Key: was used for another request, or by another reporter: a retry must come with the same body and the same device credential, contact or caller (without one, from the same network)",
      field: "Idempotency-Key",
    });
    const long = await post(JSON.stringify(good), { ...headers, "idempotency-key": "k".repeat(256) });
    expect(long.status).toBe(400);
    expect(((await long.json()) as { error: { message: string } }).error.message).toBe(
      "Idempotency-Key: must be 1 to 255 characters",
    );
    const [{ n } = { n: -1 }] = await t.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM reports`);
    expect(n).toBe(1);
  });

  it("replays a receipt only to its reporter: the same key and body from another network get 422", async () => {
    const json = { "content-type": "application/json", "idempotency-key": "retry-3" };
    const first = await post(JSON.stringify(good), { ...json, ...fromResident("first") });
    const { receipt } = (await first.json()) as { receipt: string };
    const stranger = await post(JSON.stringify(good), { ...json, ...fromResident("stranger") });
    expect(stranger.status).toBe(422);
    expect(JSON.stringify(await stranger.json())).not.toContain(receipt);

    // A phone with a device credential keeps its identity when its network changes: its retry replays.
    const device = await t.app.request("/api/devices", { method: "POST", headers: fromResident("home") });
    const { credential } = (await device.json()) as { credential: string };
    const withDevice = JSON.stringify({ ...good, description: "Another hole", deviceCredential: credential });
    const sent = await post(withDevice, { ...json, "idempotency-key": "retry-4", ...fromResident("home") });
    const retried = await post(withDevice, {
      ...json,
      "idempotency-key": "retry-4",
      ...fromResident("mobile"),
    });
    expect(retried.status).toBe(201);
    expect(await retried.json()).toEqual(await sent.json());
    const [{ n } = { n: -1 }] = await t.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM reports`);
    expect(n).toBe(2);
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
