/**
 * A real webhook receiver on 127.0.0.1 that records every request. Its behaviour per delivery
 * (keyed by Idempotency-Key) is a script: answer with a status, or hang past the sender's timeout.
 */
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

/** A status, a status with headers (a 429's `Retry-After`), or no answer within the sender's timeout. */
export type Step = number | "hang" | { status: number; headers: Record<string, string> };

export interface Received {
  key: string;
  /** The Host header: the name the sender was asked to reach. */
  host: string;
  signature: string;
  body: string;
  answered: number | "hang";
}

export async function startReceiver(script: (attempt: number, key: string) => Step) {
  const received: Received[] = [];
  const seen = new Map<string, number>();
  const read = (req: IncomingMessage) =>
    new Promise<string>((done) => {
      let text = "";
      req.on("data", (c) => {
        text += c;
      });
      req.on("end", () => done(text));
    });
  const server = createServer(async (req, res) => {
    const body = await read(req);
    const key = String(req.headers["idempotency-key"] ?? "");
    const attempt = (seen.get(key) ?? 0) + 1;
    seen.set(key, attempt);
    const step = script(attempt, key);
    received.push({
      key,
      host: String(req.headers.host ?? ""),
      signature: String(req.headers["civicloop-signature"] ?? ""),
      body,
      answered: typeof step === "object" ? step.status : step,
    });
    if (step === "hang") {
      // Answer only long after the sender gave up.
      setTimeout(() => {
        if (!res.destroyed) res.writeHead(200).end("late");
      }, 10_000).unref();
      return;
    }
    const { status, headers } = typeof step === "object" ? step : { status: step, headers: {} };
    res.writeHead(status, { "content-type": "text/plain", ...headers }).end(String(status));
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

/**
 * A free TCP port on this machine (for a server that needs one before it listens). Drawn at random
 * below Linux's ephemeral range (32768-60999), not from `listen(0)`: that range is also where every
 * outgoing connection gets its local port, so a port found there could be taken by any client
 * socket of a test file running in parallel before the server listens on it.
 */
export async function freePort(): Promise<number> {
  for (let tries = 0; tries < 100; tries++) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    const free = await new Promise<boolean>((done) => {
      const probe = createServer();
      probe.once("error", () => done(false));
      probe.listen(port, () => probe.close(() => done(true)));
    });
    if (free) return port;
  }
  throw new Error("no free TCP port found below the ephemeral range");
}
