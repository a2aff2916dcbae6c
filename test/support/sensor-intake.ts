/**
 * The real sensor intake (the app on a fresh database, with a sensor-fed pothole service) behind
 * a small front on 127.0.0.1 that records every request and can be scripted to fail: a status,
 * or a dropped connection. A request the script lets through is answered by the real
 * `POST /api/sensor/batches`. For the uploader and `sensor replay`, which must survive a bad network.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { sql } from "drizzle-orm";
import { Hono } from "hono";
import type { BatchBody } from "../../src/sensing/uploader";
import { makeTestApp } from "./app";
import { makeSensorCity } from "./sensor";

/**
 * A status, a dropped connection, a 429 asking to wait this many seconds, or a page of some other
 * server at the address (a captive portal's sign-in page, a proxy's refusal) with this status.
 */
export type IntakeStep =
  | 202
  | 400
  | 500
  | 503
  | "drop"
  | { status: 429; retryAfter: string }
  | { status: 200 | 403; page: string; type?: string };

export interface ReceivedBatch {
  key: string;
  body: BatchBody;
  /** The network the phone said it uploads from (`--forwarded-for`), if it said one. */
  forwardedFor: string | undefined;
  /** The scripted step, or the real app's status when the script let it through. */
  answered: IntakeStep | number;
}

export async function startSensorIntake(script: (request: number, key: string) => IntakeStep = () => 202) {
  const t = await makeTestApp();
  await makeSensorCity(t);
  const received: ReceivedBatch[] = [];
  const front = new Hono<{ Bindings: { incoming: import("node:http").IncomingMessage } }>();
  front.post("/api/sensor/batches", async (c) => {
    const key = c.req.header("idempotency-key") ?? "";
    const text = await c.req.text();
    const step = script(received.length + 1, key);
    const forwardedFor = c.req.header("x-forwarded-for");
    const record: ReceivedBatch = { key, body: JSON.parse(text) as BatchBody, forwardedFor, answered: step };
    received.push(record);
    if (step === "drop") {
      c.env.incoming.socket.destroy();
      return c.body(null, 500);
    }
    if (typeof step === "object" && "page" in step)
      return c.body(step.page, step.status, { "content-type": step.type ?? "text/html; charset=utf-8" });
    if (typeof step === "object") {
      c.header("Retry-After", step.retryAfter);
      return c.json({ error: { code: "rate_limited", message: "scripted 429" } }, 429);
    }
    if (step !== 202) return c.json({ error: { code: "scripted", message: `scripted ${step}` } }, step);
    const real = await t.app.request("/api/sensor/batches", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "idempotency-key": key,
        ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}),
      },
      body: text,
    });
    record.answered = real.status;
    return new Response(real.body, real);
  });
  const server = serve({ fetch: front.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((ready) => server.once("listening", () => ready()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    app: t,
    received,
    /** Events the real intake holds: the hits of every road spot. */
    storedEvents: async () =>
      (await t.db.all<{ n: number }>(sql`SELECT coalesce(sum(hits), 0) AS n FROM road_spots`))[0]?.n ?? 0,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
