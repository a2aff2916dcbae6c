/**
 * Abuse from outside: one machine holding connections open (slowloris, headers never ended) must
 * not take the Node server from everyone else. Past MAX_CONNECTIONS_PER_ADDRESS its new
 * connections are closed at once; other clients, and a trusted proxy however many it holds,
 * are served; the client is served again once it lets go. Distinct clients here are distinct
 * loopback addresses (127.0.0.x), which Linux routes to this machine.
 */
import { mkdtempSync } from "node:fs";
import { request } from "node:http";
import { connect, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "../src/env";
import { startServer } from "../src/node/start-server";
import { ADMIN_TOKEN } from "./support/app";
import { freePort } from "./support/server-process";

const CAP = 8;
/** Holds in all, on the second server: the flood below fills it from two clients under their cap. */
const TOTAL = 12;
let port: number;
let fullPort: number;
const stops: (() => Promise<void>)[] = [];
const lines: string[] = [];

async function serve(env: Record<string, string>) {
  const at = await freePort();
  const server = await startServer({
    env: parseEnv({
      DATABASE_URL: `file:${join(mkdtempSync(join(tmpdir(), "civicloop-connections-")), "city.db")}`,
      PORT: String(at),
      ADMIN_TOKEN,
      MAX_CONNECTIONS_PER_ADDRESS: String(CAP),
      ...env,
    }),
    log: (line) => lines.push(line),
  });
  stops.push(server.stop);
  return at;
}

beforeAll(async () => {
  port = await serve({ TRUSTED_PROXIES: "127.0.0.3" });
  fullPort = await serve({ MAX_CONNECTIONS: String(TOTAL) });
});
afterAll(() => Promise.all(stops.map((stop) => stop())));

/** A request's status from `from`, or the error that ended it. */
const statusFrom = (from: string, to = port) =>
  new Promise<number | string>((done) => {
    request(
      { host: "127.0.0.1", port: to, path: "/api/services", localAddress: from, agent: false },
      (res) => {
        res.resume();
        done(res.statusCode ?? 0);
      },
    )
      .on("error", (e: NodeJS.ErrnoException) => done(e.code ?? String(e)))
      .setTimeout(5000, function (this: { destroy(): void }) {
        this.destroy();
      })
      .end();
  });

/** `n` connections from `from` that send half a request and hold on. */
async function slowClients(from: string, n: number, to = port): Promise<Socket[]> {
  return Promise.all(
    Array.from(
      { length: n },
      () =>
        new Promise<Socket>((done, fail) => {
          const s = connect({ host: "127.0.0.1", port: to, localAddress: from });
          s.on("error", () => {});
          s.once("connect", () => {
            s.write("GET /api/services HTTP/1.1\r\nHost: x\r\n");
            done(s);
          });
          s.once("close", () => fail(new Error("closed before it connected")));
        }),
    ),
  );
}

describe("connections per client", () => {
  it("closes a client's connections past the cap, serving others and a trusted proxy, and serves it again once it lets go", async () => {
    expect(await statusFrom("127.0.0.1")).toBe(200);
    const held = await slowClients("127.0.0.1", CAP);
    // The server accepts them a moment after they connect: then the client's next one is closed.
    await expect.poll(() => statusFrom("127.0.0.1")).toBe("ECONNRESET");
    expect(await statusFrom("127.0.0.2")).toBe(200);
    // A proxy's connections carry many clients: not counted.
    const proxied = await slowClients("127.0.0.3", CAP * 2);
    expect(await statusFrom("127.0.0.3")).toBe(200);
    // What kind of address was refused, never which: a proxy on this machine hints at TRUSTED_PROXIES.
    expect(
      lines.some((l) =>
        /connections: \d+ refused .*loopback address: a proxy missing from TRUSTED_PROXIES/.test(l),
      ),
    ).toBe(true);
    expect(lines.join("\n")).not.toContain("127.0.0.1");

    for (const s of [...held, ...proxied]) s.destroy();
    await expect.poll(() => statusFrom("127.0.0.1")).toBe(200);
  });

  it("serves a newcomer when many clients under their cap fill the server, closing the oldest of the one holding the most", async () => {
    // Two clients, each under its cap, hold all the server takes (80 addresses had spent its files).
    const flood = [
      ...(await slowClients("127.0.0.4", TOTAL / 2, fullPort)),
      ...(await slowClients("127.0.0.5", TOTAL / 2, fullPort)),
    ];
    const closed = () => flood.filter((s) => s.destroyed || s.readyState === "closed").length;
    // A resident with no connection yet is served; one of the flood's oldest made room.
    expect(await statusFrom("127.0.0.6", fullPort)).toBe(200);
    await expect.poll(closed).toBe(1);
    // Full again: the client holding the most gets no room by closing another's, its own is
    // refused; a resident still gets in.
    flood.push(...(await slowClients("127.0.0.5", 1, fullPort)));
    await expect.poll(() => statusFrom("127.0.0.5", fullPort)).toBe("ECONNRESET");
    expect(await statusFrom("127.0.0.6", fullPort)).toBe(200);
    await expect.poll(closed).toBe(2);
    expect(lines.some((l) => /connections: \d+ refused or closed so far/.test(l))).toBe(true);
    expect(lines.join("\n")).not.toMatch(/127\.0\.0\.[456]/);
    for (const s of flood) s.destroy();
    await expect.poll(() => statusFrom("127.0.0.5", fullPort)).toBe(200);
  });
});
