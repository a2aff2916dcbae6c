/**
 * Request bodies on the Node server, read straight from Node's request (`node/read-body.ts`)
 * when their length is stated, through Hono's size limit when chunked.
 */
import { mkdtempSync } from "node:fs";
import { Agent, request } from "node:http";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "../src/db/client";
import { parseEnv } from "../src/env";
import { startServer } from "../src/node/start-server";
import { ADMIN_TOKEN, LOCAL_PROXIES } from "./support/app";
import { CHANGSHA } from "./support/fixtures";
import { residentAddress } from "./support/residents";
import { hitAt } from "./support/sensor";
import { freePort } from "./support/server-process";

const MAX = 4096;

describe("request bodies on the Node server", () => {
  let port: number;
  let db: Db;
  let stop: () => Promise<void>;
  beforeAll(async () => {
    port = await freePort();
    const server = await startServer({
      env: parseEnv({
        DATABASE_URL: `file:${join(mkdtempSync(join(tmpdir(), "civicloop-body-")), "city.db")}`,
        PORT: String(port),
        ADMIN_TOKEN,
        TRUSTED_PROXIES: LOCAL_PROXIES,
        MAX_BODY_BYTES: String(MAX),
      }),
      log: () => {},
    });
    db = server.db;
    stop = server.stop;
  });
  afterAll(() => stop());

  let resident = 0;
  /** POSTs `parts` one write each; with `length`, a Content-Length header, else chunked. */
  const post = (
    parts: Buffer[],
    length?: number,
    path = "/api/reports",
    extra: Record<string, string> = {},
  ) =>
    new Promise<{ status: number; body: Record<string, unknown> }>((done, fail) => {
      resident += 1;
      const headers: Record<string, string | number> = {
        "content-type": "application/json",
        "x-forwarded-for": residentAddress(`body-${resident}`),
        ...extra,
      };
      if (length !== undefined) headers["content-length"] = length;
      const req = request({ host: "127.0.0.1", port, path, method: "POST", headers }, (res) => {
        let text = "";
        res.on("data", (d) => {
          text += d;
        });
        res.on("end", () => done({ status: res.statusCode ?? 0, body: JSON.parse(text) }));
      }).on("error", fail);
      // Each piece in its own turn of the loop, as a network delivers them.
      (async () => {
        for (const part of parts) {
          req.write(part);
          await new Promise((r) => setTimeout(r, 2));
        }
        req.end();
      })();
    });
  const report = (description: string) =>
    Buffer.from(JSON.stringify({ service: "pothole", ...CHANGSHA, description }));
  const stored = async (id: unknown) =>
    (await db.all<{ description: string }>(sql`SELECT description FROM reports WHERE id = ${id}`))[0]
      ?.description;

  it("reads a stated length sent in pieces, a character split between them and a leading BOM", async () => {
    const words = "路面坑洼，约半米宽 — a hole";
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), report(words)]);
    // Cut inside the first Chinese character's three bytes.
    const cut = bytes.indexOf(Buffer.from("路")) + 1;
    const res = await post([bytes.subarray(0, cut), bytes.subarray(cut)], bytes.length);
    expect(res.status).toBe(201);
    expect(await stored((res.body.report as { id: string }).id)).toBe(words);
  });

  it("reads a sensor batch far over one chunk, sent in 8 KB pieces, under the route's own size limit", async () => {
    // The route's limit once made Hono build its Request around the socket, which paused the
    // stream this reads: a batch over ~64 KB never ended and the phone waited for nothing.
    const at = Date.now() - 60_000;
    const events = Array.from({ length: 500 }, (_, i) =>
      hitAt({ lat: CHANGSHA.lat + i * 1e-4, lon: CHANGSHA.lon }, at + i),
    );
    const bytes = Buffer.from(JSON.stringify({ deviceId: "body-phone", events }));
    expect(bytes.length).toBeGreaterThan(64 * 1024);
    const parts = Array.from({ length: Math.ceil(bytes.length / 8192) }, (_, i) =>
      bytes.subarray(i * 8192, (i + 1) * 8192),
    );
    const res = await post(parts, bytes.length, "/api/sensor/batches", { "idempotency-key": "body-batch" });
    expect(res.status).toBe(202);
    expect(res.body.accepted).toBe(500);
  });

  it("reads a chunked body through the size limit", async () => {
    const res = await post([report("chunked"), Buffer.from(" ")]);
    expect(res.status).toBe(201);
    expect(await stored((res.body.report as { id: string }).id)).toBe("chunked");
  });

  it("refuses bytes that are not UTF-8, stated or chunked, naming the body, and writes nothing", async () => {
    const [before] = await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM reports`);
    const bytes = Buffer.concat([
      report("bad ").subarray(0, -2),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}'),
    ]);
    for (const res of [
      await post([bytes], bytes.length),
      await post([bytes.subarray(0, 20), bytes.subarray(20)]),
    ]) {
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: "invalid_encoding", field: "body" });
    }
    expect(await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM reports`)).toEqual([before]);
  });

  it("refuses a body over the limit, stated or chunked, with 413", async () => {
    const big = report("x".repeat(MAX));
    for (const res of [
      await post([big], big.length),
      await post([big.subarray(0, 2000), big.subarray(2000)]),
    ]) {
      expect(res.status).toBe(413);
      expect(res.body.error).toMatchObject({ code: "payload_too_large", field: "body" });
    }
  });

  it("keeps serving after a client leaves in the middle of its body, and logs no error for it", async () => {
    const body = report("cut short");
    const logged: string[] = [];
    const error = vi.spyOn(console, "error").mockImplementation((...args) => {
      logged.push(args.join(" "));
    });
    // The JSON API reads the body itself; Open311's form and a photo through the web Request.
    for (const [path, type] of [
      ["/api/reports", "application/json"],
      ["/open311/v2/requests.json", "application/x-www-form-urlencoded"],
      ["/api/photos", "image/jpeg"],
    ]) {
      await new Promise<void>((done) => {
        const socket = connect(port, "127.0.0.1", () => {
          socket.write(
            `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: ${type}\r\nContent-Length: ${body.length}\r\n\r\n`,
          );
          socket.write(body.subarray(0, 10));
          setTimeout(() => socket.destroy(), 50);
        });
        socket.on("close", () => done());
        socket.on("error", () => done());
      });
    }
    const res = await post([report("after")], report("after").length);
    error.mockRestore();
    expect(res.status).toBe(201);
    // A client gone is no failure of the server's (it was logged as an unhandled error, a 500).
    expect(logged.filter((line) => /unhandled error/.test(line))).toEqual([]);
  });

  it("answers what Node refuses by itself (over 16 KB of address or headers, no Host, an Expect, CONNECT) with a JSON error naming which", async () => {
    const raw = (head: string) =>
      new Promise<string>((done, fail) => {
        const socket = connect(port, "127.0.0.1", () => socket.write(head));
        let text = "";
        socket.on("data", (d) => {
          text += d;
        });
        socket.on("end", () => done(text)).on("error", fail);
      });
    const bodyOf = (answer: string) => answer.slice(answer.indexOf("\r\n\r\n") + 4);
    const longUrl = await raw(`GET /api/clusters?x=${"a".repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(longUrl).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(bodyOf(longUrl))).toMatchObject({ error: { code: "request_too_large", field: "url" } });
    // An Open311 client gets the spec's error list, as JSON or as XML by the path's suffix.
    const open311 = await raw(
      `GET /open311/v2/requests.json?x=${"a".repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
    );
    expect(open311).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(bodyOf(open311))).toEqual([{ code: 431, description: expect.stringMatching(/16 KB/) }]);
    const open311Xml = await raw(
      `GET /open311/v2/requests.xml?x=${"a".repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
    );
    expect(open311Xml).toMatch(/Content-Type: text\/xml/);
    expect(bodyOf(open311Xml)).toMatch(/<errors>\s*<error>\s*<code>431<\/code>\s*<description>[^<]*16 KB/);
    const longHeader = await raw(
      `GET /api/services HTTP/1.1\r\nHost: x\r\nX-Long: ${"b".repeat(20_000)}\r\n\r\n`,
    );
    expect(JSON.parse(longHeader.slice(longHeader.indexOf("\r\n\r\n") + 4))).toMatchObject({
      error: { field: "headers" },
    });
    const garbage = await raw("NOT HTTP AT ALL\r\n\r\n");
    expect(garbage).toMatch(/^HTTP\/1\.1 400 /);
    expect(garbage).toContain('"code":"bad_request"');
    // HTTP/1.1 without a Host, or with one that is no host: the JSON 400, naming it.
    for (const head of ["GET /api/services HTTP/1.1\r\n", "GET /api/services HTTP/1.1\r\nHost: a b\r\n"]) {
      const answer = await raw(`${head}\r\n`);
      expect(answer, head).toMatch(/^HTTP\/1\.1 400 /);
      expect(JSON.parse(bodyOf(answer))).toMatchObject({ error: { code: "bad_request", field: "Host" } });
    }
    // On an Open311 path, in Open311's shape (it had been the API's JSON, as XML was asked).
    const hostlessXml = await raw("GET /open311/v2/services.xml HTTP/1.1\r\nHost: a b\r\n\r\n");
    expect(hostlessXml).toMatch(/Content-Type: text\/xml/i);
    expect(bodyOf(hostlessXml)).toMatch(/<errors>\s*<error>\s*<code>400<\/code>\s*<description>[^<]*Host/);
    const hostless = await raw("GET /open311/v2/services.json HTTP/1.1\r\n\r\n");
    expect(JSON.parse(bodyOf(hostless))).toEqual([{ code: 400, description: expect.stringMatching(/Host/) }]);
    // A host as a person or a client may write it: in capitals with its port, an IPv6 address
    // written long or mapping an IPv4 one (they were an empty 400 from the Node adapter).
    for (const host of [
      "LOCALHOST:8731",
      "Example.COM:80",
      "[::ffff:127.0.0.1]:8731",
      "[2001:db8:0:0::1]",
      "x.",
    ]) {
      // Connection: close, or the socket ends only as the server's keep-alive runs out (5 s).
      const answer = await raw(`GET /api/services HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
      expect(answer, host).toMatch(/^HTTP\/1\.1 200 /);
    }
    // Nor is a path, a user or a query a host.
    for (const host of ["x/y", "u@x", "x?y", "x#y", "x:99999"]) {
      const answer = await raw(`GET /api/services HTTP/1.1\r\nHost: ${host}\r\n\r\n`);
      expect(JSON.parse(bodyOf(answer)), host).toMatchObject({
        error: { code: "bad_request", field: "Host" },
      });
    }
    // HTTP/1.0, which has no Host to send, is served.
    expect(await raw("GET /api/services HTTP/1.0\r\n\r\n")).toMatch(/^HTTP\/1\.1 200 /);
    // An Expect no server meets, and a proxy's CONNECT: answered as the API answers (Node's were
    // an empty 417 and a connection dropped without a word).
    const reports = sql`SELECT count(*) AS n FROM reports`;
    const [before] = await db.all<{ n: number }>(reports);
    // A report that would be taken, were it served.
    const body = report("sent with an Expect no server meets");
    const expecting = await raw(
      `POST /api/reports HTTP/1.1\r\nHost: x\r\nExpect: bogus\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
    );
    expect(expecting).toMatch(/^HTTP\/1\.1 417 /);
    expect(JSON.parse(bodyOf(expecting))).toMatchObject({
      error: { code: "expectation_failed", field: "Expect" },
    });
    const expectingXml = await raw(
      "POST /open311/v2/requests.xml HTTP/1.1\r\nHost: x\r\nExpect: bogus\r\nContent-Length: 0\r\n\r\n",
    );
    expect(bodyOf(expectingXml)).toMatch(/<errors>\s*<error>\s*<code>417<\/code>/);
    const tunnel = await raw("CONNECT localhost:443 HTTP/1.1\r\nHost: localhost:443\r\n\r\n");
    expect(tunnel).toMatch(/^HTTP\/1\.1 405 /);
    expect(JSON.parse(bodyOf(tunnel))).toMatchObject({ error: { code: "method_not_allowed" } });
    // Nothing was reported by the request its Expect refused.
    expect(await db.all<{ n: number }>(reports)).toEqual([before]);
  });

  it("closes the connection after refusing a chunked body too large, so a keep-alive client's next request is answered", async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const send = (body: Buffer, chunked: boolean) =>
      new Promise<{ status: number; connection: string | undefined }>((done, fail) => {
        resident += 1;
        const req = request(
          {
            host: "127.0.0.1",
            port,
            path: "/api/reports",
            method: "POST",
            agent,
            headers: {
              "content-type": "application/json",
              "x-forwarded-for": residentAddress(`keep-alive-${resident}`),
              ...(chunked ? {} : { "content-length": body.length }),
            },
          },
          (res) => {
            res.resume();
            res.on("end", () => done({ status: res.statusCode ?? 0, connection: res.headers.connection }));
          },
        );
        // The server may close before the whole body is written: that is the point.
        req.on("error", (e) => (req.writableEnded ? undefined : fail(e)));
        (async () => {
          for (let i = 0; i < body.length && !req.destroyed; i += 16384) {
            req.write(body.subarray(i, i + 16384));
            await new Promise((r) => setTimeout(r, 1));
          }
          req.end();
        })();
      });
    try {
      const refused = await send(report("y".repeat(1024 * 1024)), true);
      expect(refused).toEqual({ status: 413, connection: "close" });
      const next = report("asked on the connection after a refusal");
      expect(await send(next, false)).toEqual({ status: 201, connection: "keep-alive" });
      // A body read whole keeps the connection for the next request.
      expect(await send(next, true)).toMatchObject({ status: 201, connection: "keep-alive" });
    } finally {
      agent.destroy();
    }
  });
});
