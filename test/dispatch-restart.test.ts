import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { verifySignature } from "../src/dispatch/signature";
import { parseEnv } from "../src/env";
import { startServer } from "../src/node/start-server";
import { ADMIN_TOKEN, makeClock } from "./support/app";
import { CHANGSHA, east, squareAround } from "./support/fixtures";
import { freePort, startReceiver } from "./support/receiver";

const HOUR = 3_600_000;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()?.();
});

const until = async (what: string, ok: () => boolean | Promise<boolean>, ms = 20_000) => {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

describe("the Node server's outbox worker across a restart", () => {
  it("delivers every work order once the server is stopped and started between attempts", async () => {
    const receiver = await startReceiver((attempt) => (attempt <= 2 ? 500 : attempt === 3 ? "hang" : 200));
    closers.push(receiver.close);
    const dir = mkdtempSync(join(tmpdir(), "civicloop-restart-"));
    const port = await freePort();
    const env = parseEnv({
      DATABASE_URL: `file:${join(dir, "city.db")}`,
      PORT: String(port),
      ADMIN_TOKEN,
      ALLOW_PRIVATE_WEBHOOKS: "true",
      DEMO_DATA: "false",
    });
    const clock = makeClock();
    const start = () =>
      startServer({ env, clock, log: () => {}, dispatch: { intervalMs: 20, timeoutMs: 300 } });
    const base = `http://127.0.0.1:${port}/api`;
    const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
      const res = await fetch(base + path, {
        method: "POST",
        headers: { "content-type": "application/json", ...headers },
        body: JSON.stringify(body),
      });
      if (res.status >= 300) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return res.json() as Promise<Record<string, unknown>>;
    };
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

    let server = await start();
    await post(
      "/admin/services",
      {
        code: "pothole",
        name: { en: "Pothole", zh: "坑洼" },
        radiusM: 25,
        windowDays: 30,
        threshold: 1,
        ackHours: 24,
        resolveHours: 168,
      },
      admin,
    );
    const dept = await post(
      "/admin/departments",
      {
        code: "roads",
        name: { en: "Roads", zh: "道路" },
        services: ["pothole"],
        area: squareAround(CHANGSHA, 20_000),
        webhookUrl: receiver.url,
      },
      admin,
    );
    for (let i = 0; i < 5; i++) {
      await post("/reports", { service: "pothole", ...east(CHANGSHA, 100 * i), description: "a hole" });
    }
    const keys = async () =>
      (await server.db.all<{ id: string }>(sql`SELECT id FROM events WHERE type = 'work_order_created'`)).map(
        (r) => r.id,
      );
    const wanted = await keys();
    expect(wanted).toHaveLength(5);

    // First life: every work order gets its first (failed) attempt, then the server stops.
    await until("first attempts", () => wanted.every((k) => receiver.received.some((r) => r.key === k)));
    await server.stop();
    const before = receiver.received.length;

    // Second life over the same file: the backoff is waited out by moving the clock.
    server = await start();
    closers.push(() => server.stop());
    const tick = setInterval(() => clock.advance(HOUR), 40);
    closers.push(async () => clearInterval(tick));
    await until("every delivery", () =>
      wanted.every((k) => receiver.received.some((r) => r.key === k && r.answered === 200)),
    );
    expect(receiver.received.length).toBeGreaterThan(before);
    for (const r of receiver.received) {
      expect(await verifySignature(dept.webhookSecret as string, r.body, r.signature)).toBe(true);
      expect(wanted).toContain(r.key);
    }
    await until("outbox settled", async () => {
      const [row] = await server.db.all<{ n: number }>(
        sql`SELECT count(*) AS n FROM outbox WHERE state = 'delivered'`,
      );
      return row?.n === 5;
    });
  });
});
