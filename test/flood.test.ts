/**
 * One client floods the real Node server (a process of its own) with 2,000 reports in a few seconds: past its budget it
 * gets 429 with Retry-After, nothing more is written, and another client's reads keep being
 * answered. Their p99 is printed, not asserted (tests never assert on time; see `npm run bench`).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_LIMITS } from "../src/domain/rate-limit";
import { openDatabase } from "../src/node/database";
import { ADMIN_TOKEN } from "./support/app";
import { CHANGSHA } from "./support/fixtures";
import { type ServerProcess, startServerProcess } from "./support/server-process";

const FLOOD = 2000;
const IN_FLIGHT = 64;

describe("a flood of reports from one client", () => {
  const dir = mkdtempSync(join(tmpdir(), "civicloop-flood-"));
  const url = `file:${join(dir, "flood.db")}`;
  let server: ServerProcess;
  let base = "";

  beforeAll(async () => {
    // A server process of its own, so the clients here do not share its event loop. No
    // TRUSTED_PROXIES: the flooding client is what it is, one host connecting directly.
    server = await startServerProcess({ DATABASE_URL: url, ADMIN_TOKEN, DEMO_DATA: "true" });
    base = server.url;
  });
  afterAll(async () => {
    await server?.stop();
  });

  it("answers 429 past the budget and keeps answering others' reads", async () => {
    const statuses = new Map<number, number>();
    let retryAfter: string | null = null;
    let sent = 0;
    const flooder = async () => {
      while (sent < FLOOD) {
        const i = sent++;
        const res = await fetch(`${base}/api/reports`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            service: "pothole",
            lat: CHANGSHA.lat + (i % 50) * 1e-4,
            lon: CHANGSHA.lon,
            description: `flood ${i}`,
            deviceId: `flood-device-${i}`,
          }),
        });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status === 429) retryAfter ??= res.headers.get("retry-after");
        await res.arrayBuffer();
      }
    };
    const readTimes: number[] = [];
    let flooding = true;
    const reader = async () => {
      while (flooding) {
        const t0 = performance.now();
        const res = await fetch(`${base}/api/map?bbox=112.9,28.1,113.1,28.3&zoom=14`);
        await res.arrayBuffer();
        expect(res.status).toBe(200);
        readTimes.push(performance.now() - t0);
      }
    };
    // One read first, so the figures are of a warm server, not of its first query.
    await (await fetch(`${base}/api/map?bbox=112.9,28.1,113.1,28.3&zoom=14`)).arrayBuffer();
    const started = performance.now();
    const reading = reader();
    await Promise.all(Array.from({ length: IN_FLIGHT }, flooder));
    const seconds = (performance.now() - started) / 1000;
    flooding = false;
    await reading;

    // Without a credential or contact the client is its network, so both budgets apply: the smaller.
    const budget = Math.min(
      DEFAULT_LIMITS.reports.network?.limit ?? 0,
      DEFAULT_LIMITS.reports.reporter?.limit ?? 0,
    );
    expect(statuses.get(201)).toBe(budget);
    expect(statuses.get(429)).toBe(FLOOD - budget);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    const { client, db } = await openDatabase(url);
    const [row] = await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM reports`);
    client.close();
    expect(row?.n).toBe(budget);

    readTimes.sort((a, b) => a - b);
    const p = (q: number) =>
      readTimes[Math.min(readTimes.length - 1, Math.floor(q * readTimes.length))]?.toFixed(1);
    console.log(
      `flood: ${FLOOD} reports in ${seconds.toFixed(2)} s (${statuses.get(201)} accepted, ${statuses.get(429)} × 429); ` +
        `another client's ${readTimes.length} map reads meanwhile: p50 ${p(0.5)} ms, p99 ${p(0.99)} ms`,
    );
    expect(readTimes.length).toBeGreaterThan(0);
  });
});
