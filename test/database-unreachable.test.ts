/**
 * A remote database (Turso, sqld) that takes connections and never answers, or refuses them: each
 * request is answered with a 503 `database_unavailable` and `Retry-After`, in time, rather than
 * hanging for good (the client's own `timeout` holds for local files only). The same client works
 * as before against a real libSQL server over HTTP (the repository's Hrana server).
 */
import { mkdtempSync } from "node:fs";
import { createServer, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { Hono } from "hono";
import { afterAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { createDb } from "../src/db/client";
import { remoteDatabaseFetch } from "../src/db/remote-fetch";
import { onError } from "../src/http/errors";
import { memoryRateLimiter } from "../src/node/memory-rate-limiter";
import { makeTestApp } from "./support/app";
import { startHranaServer } from "./support/hrana-server";
import { freePort } from "./support/receiver";

const sockets: Socket[] = [];
/** A server that takes connections and reads what comes, never answering. */
const silent = createServer((socket) => {
  sockets.push(socket);
  socket.resume();
});
let listening: Promise<number> | undefined;
/** The silent server's port, listening from the first call on. */
const silentPort = () =>
  (listening ??= new Promise<number>((done) =>
    silent.listen(0, "127.0.0.1", () => done((silent.address() as { port: number }).port)),
  ));
afterAll(() => {
  for (const s of sockets) s.destroy();
  silent.close();
});

/** A route reading the database at `url` through the API's error handler. */
function appOn(url: string) {
  const client = createClient({ url, fetch: remoteDatabaseFetch(500) });
  return new Hono()
    .get("/read", async (c) => c.json((await client.execute("SELECT 41 + 1 AS n")).rows[0]))
    .onError(onError);
}

/** The whole app on the remote database at `url`, as the Worker or a Node server on Turso runs it. */
async function wholeAppOn(url: string) {
  const { config, clock } = await makeTestApp();
  const client = createClient({ url, fetch: remoteDatabaseFetch(500) });
  return createApp({
    db: createDb(client),
    config,
    clock,
    clientAddress: () => "127.0.0.1",
    limiter: memoryRateLimiter(),
  });
}

describe("a remote database that does not answer", () => {
  it("answers 503 database_unavailable with Retry-After when the database is silent or refuses", async () => {
    const port = await silentPort();
    const closed = await freePort();
    for (const url of [`http://127.0.0.1:${port}`, `http://127.0.0.1:${closed}`]) {
      const res = await appOn(url).request("/read");
      expect(res.status, url).toBe(503);
      expect(res.headers.get("retry-after")).toBe("5");
      expect((await res.json()).error).toMatchObject({ code: "database_unavailable" });
    }
    expect(sockets.length).toBeGreaterThan(0);
  });

  it("reads through the same client from a libSQL server that answers", async () => {
    const server = await startHranaServer(join(mkdtempSync(join(tmpdir(), "civicloop-remote-")), "city.db"));
    try {
      const res = await appOn(server.url).request("/read");
      expect([res.status, await res.json()]).toEqual([200, { n: 42 }]);
    } finally {
      await server.close();
    }
  });

  it("makes /readyz answer 503 database_unavailable while /healthz, which reads nothing, stays 200", async () => {
    const port = await silentPort();
    for (const url of [`http://127.0.0.1:${port}`, `http://127.0.0.1:${await freePort()}`]) {
      const app = await wholeAppOn(url);
      const ready = await app.request("/readyz");
      expect(ready.status, url).toBe(503);
      expect(ready.headers.get("retry-after")).toBe("5");
      expect((await ready.json()).error).toMatchObject({ code: "database_unavailable" });
      const alive = await app.request("/healthz");
      expect([alive.status, await alive.json()]).toEqual([200, { ok: true }]);
    }
    const server = await startHranaServer(join(mkdtempSync(join(tmpdir(), "civicloop-remote-")), "city.db"));
    try {
      const ready = await (await wholeAppOn(server.url)).request("/readyz");
      expect([ready.status, await ready.json()]).toEqual([200, { ok: true }]);
    } finally {
      await server.close();
    }
  });
});
