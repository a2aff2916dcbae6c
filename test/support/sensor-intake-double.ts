/**
 * A TEST DOUBLE of `POST /api/sensor/batches`, the sensor intake that another branch builds
 * (issue 10): the real endpoint does not exist on this branch yet, so the uploader and
 * `sensor replay` are tested against this small Hono server on 127.0.0.1. It records every
 * request, honours Idempotency-Key the way the API promises (a repeated key adds nothing and
 * gets the first answer), and can be scripted to fail: a status, or a dropped connection.
 * Replace it by the real app once both branches are merged.
 */

import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import type { BatchBody } from "../../src/sensing/uploader";

export type IntakeStep = 202 | 400 | 500 | 503 | "drop";

export interface ReceivedBatch {
  key: string;
  body: BatchBody;
  answered: IntakeStep;
}

export async function startSensorIntake(script: (request: number, key: string) => IntakeStep = () => 202) {
  const received: ReceivedBatch[] = [];
  const stored = new Map<string, { accepted: number; spots: { id: string; state: string }[] }>();
  const app = new Hono<{ Bindings: { incoming: import("node:http").IncomingMessage } }>();
  app.post("/api/sensor/batches", async (c) => {
    const key = c.req.header("idempotency-key") ?? "";
    const body = (await c.req.json()) as BatchBody;
    const step = script(received.length + 1, key);
    received.push({ key, body, answered: step });
    if (step === "drop") {
      c.env.incoming.socket.destroy();
      return c.body(null, 500);
    }
    if (step !== 202) return c.json({ error: { code: "scripted", message: `scripted ${step}` } }, step);
    const first = stored.get(key);
    if (first) return c.json(first, 202);
    const answer = {
      accepted: body.events.length,
      spots: body.events.map((_, i) => ({ id: `s${stored.size}-${i}`, state: "candidate" })),
    };
    stored.set(key, answer);
    return c.json(answer, 202);
  });
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise<void>((ready) => server.once("listening", () => ready()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    /** Events the double stored once per key: what the real server would hold. */
    storedEvents: () => [...stored.values()].reduce((s, a) => s + a.accepted, 0),
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}
