/**
 * The Node database path for local files (`src/node/prepared-client.ts`): statements prepared once
 * and reused, answering exactly as `@libsql/client` does on the same file, so drizzle and the store
 * run unchanged. Every other test (the intake's concurrency and multi-process tests among them)
 * runs on it too, through `openDatabase`.
 */
import { copyFileSync, existsSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient, LibsqlError } from "@libsql/client";
import { sql } from "drizzle-orm";
import { Hono } from "hono";
import Database from "libsql";
import { describe, expect, it } from "vitest";
import { createDb } from "../src/db/client";
import { onError } from "../src/http/errors";
import { openDatabase } from "../src/node/database";
import { createPreparedClient, type PreparedClient } from "../src/node/prepared-client";
import { makeTestApp } from "./support/app";
import { CHANGSHA, makeService, reportAt } from "./support/fixtures";

const freshUrl = () => `file:${join(mkdtempSync(join(tmpdir(), "civicloop-prepared-")), "t.db")}`;

describe("the prepared-statement client", () => {
  it("opens files through openDatabase with the real migrations applied", async () => {
    const { client } = await openDatabase(freshUrl());
    expect("preparedCount" in client).toBe(true);
    const tables = await client.execute(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'clusters'",
    );
    expect(tables.rows.map((r) => r.name)).toEqual(["clusters"]);
    client.close();
  });

  it("prepares a SQL text once however often it runs with other values", async () => {
    const client = createPreparedClient(freshUrl());
    await client.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT)");
    await client.execute({ sql: "INSERT INTO t (id, name) VALUES (?, ?)", args: [-1, "first"] });
    // A write alone fails as a statement does, not as a batch's (it runs as a batch of one).
    const twice = client.execute({ sql: "INSERT INTO t (id, name) VALUES (?, ?)", args: [-1, "again"] });
    await expect(twice).rejects.toSatisfy(
      (e: unknown) =>
        e instanceof LibsqlError &&
        e.constructor === LibsqlError &&
        e.code === "SQLITE_CONSTRAINT" &&
        e.message === "SQLITE_CONSTRAINT: UNIQUE constraint failed: t.id",
    );
    const before = client.preparedCount;
    for (let i = 0; i < 50; i++) {
      await client.execute({ sql: "INSERT INTO t (id, name) VALUES (?, ?)", args: [i, `n${i}`] });
    }
    expect(client.preparedCount).toBe(before);
    expect((await client.execute("SELECT count(*) AS n FROM t")).rows[0]?.n).toBe(51);
    client.close();
  });

  it("answers like @libsql/client: rows by name and position, changes, errors, atomic batches", async () => {
    const url = freshUrl();
    const ours = createPreparedClient(url);
    const theirs = createClient({ url });
    await ours.execute("CREATE TABLE a (id TEXT PRIMARY KEY, n INTEGER, x REAL, b BLOB)");
    await ours.execute({
      sql: "INSERT INTO a VALUES (?, ?, ?, ?)",
      args: ["k", 1_700_000_000_000, 0.5, null],
    });
    const q = "SELECT a.id, a.n, a.x, a.b, a.id, 1 + 1 AS two FROM a";
    for (const c of [ours, theirs] as const) {
      const r = await c.execute(q);
      expect(r.columns).toEqual(["id", "n", "x", "b", "id", "two"]);
      expect({ ...r.rows[0] }).toEqual({ id: "k", n: 1_700_000_000_000, x: 0.5, b: null, two: 2 });
      expect([...Array.prototype.slice.call(r.rows[0])]).toEqual(["k", 1_700_000_000_000, 0.5, null, "k", 2]);
    }
    const update = await ours.execute({ sql: "UPDATE a SET n = n + 1 WHERE id = ?", args: ["k"] });
    expect(update.rowsAffected).toBe(1);

    const failed = await ours
      .batch([
        { sql: "INSERT INTO a (id, n) VALUES (?, ?)", args: ["m", 1] },
        { sql: "INSERT INTO a (id, n) VALUES (?, ?)", args: ["k", 2] },
      ])
      .catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(LibsqlError);
    expect((failed as LibsqlError).code).toBe("SQLITE_CONSTRAINT");
    // Nothing of the failed batch stays, and the connection is usable afterwards.
    expect((await theirs.execute("SELECT count(*) AS n FROM a")).rows[0]?.n).toBe(1);
    expect((await ours.execute("SELECT count(*) AS n FROM a")).rows[0]?.n).toBe(1);
    ours.close();
    theirs.close();
  });

  it("commits batches sent in one turn together, each answered as if alone, a failing one alone", async () => {
    const client = createPreparedClient(freshUrl(), { flushOffThread: true });
    await client.execute("CREATE TABLE g (id TEXT PRIMARY KEY, n INTEGER)");
    const insert = (id: string, n: number) => ({ sql: "INSERT INTO g (id, n) VALUES (?, ?)", args: [id, n] });
    const flushes = client.flushCount;
    // Three callers in the same turn of the event loop: one transaction, one flush.
    const together = await Promise.all([
      client.batch([insert("a", 1), { sql: "SELECT count(*) AS n FROM g", args: [] }]),
      client.batch([insert("b", 2), { sql: "SELECT count(*) AS n FROM g", args: [] }]),
      client.batch([{ sql: "UPDATE g SET n = n + 10 WHERE id IN ('a', 'b')", args: [] }]),
    ]);
    // In order, each reading what the earlier ones wrote.
    expect(together.map((r) => r.at(-1)?.rows[0]?.n ?? r.at(-1)?.rowsAffected)).toEqual([1, 2, 2]);
    expect(client.flushCount - flushes).toBe(1);
    // One of a group fails: it alone fails, with its own error and nothing of it kept; the
    // others are committed as if it had not been there.
    const outcomes = await Promise.allSettled([
      client.batch([insert("c", 3)]),
      client.batch([insert("d", 4), insert("a", 5)]),
      client.batch([insert("e", 6)]),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(["fulfilled", "rejected", "fulfilled"]);
    expect(((outcomes[1] as PromiseRejectedResult).reason as LibsqlError).code).toBe("SQLITE_CONSTRAINT");
    const rows = await client.execute("SELECT id, n FROM g ORDER BY id");
    expect(rows.rows.map((r) => [r.id, r.n])).toEqual([
      ["a", 11],
      ["b", 12],
      ["c", 3],
      ["e", 6],
    ]);
    client.close();
  });

  it("writes again, at the latest snapshot, once another process held the write lock past its wait", async () => {
    // The connection waits 200 ms for the lock; another process (`npm run sample`) holds it longer.
    const url = freshUrl();
    const client = createPreparedClient(url, { flushOffThread: true, timeoutMs: 200 });
    await client.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
    await client.execute("CREATE TABLE u (v TEXT)");
    const other = new Database(url.slice("file:".length), { timeout: 200 });
    other.exec("BEGIN IMMEDIATE; INSERT INTO u VALUES ('held')");
    // A batch that reads and then writes (a dispatch round, the intake): refused as busy.
    const readThenWrite = [
      { sql: "SELECT count(*) AS n FROM t", args: [] },
      { sql: "INSERT INTO t (v) VALUES (?)", args: ["while held"] },
    ];
    await expect(client.batch(readThenWrite)).rejects.toMatchObject({
      code: expect.stringMatching(/^SQLITE_BUSY/),
    });
    await expect(client.batch(readThenWrite, "deferred")).rejects.toMatchObject({
      code: expect.stringMatching(/^SQLITE_BUSY/),
    });
    // A write alone (the outbox's claim, a rate limit's upsert) wedged it the same way.
    for (const write of [
      "UPDATE t SET v = 'claimed' WHERE id = 1",
      "INSERT INTO t (id, v) VALUES (1, 'x') ON CONFLICT (id) DO UPDATE SET v = excluded.v",
    ])
      await expect(client.execute(write)).rejects.toMatchObject({
        code: expect.stringMatching(/^SQLITE_BUSY/),
      });
    other.exec("COMMIT");
    // Failed there, a statement had kept the connection on its old snapshot: every later write
    // was refused as busy and the WAL never checkpointed, until a restart.
    await client.batch(readThenWrite);
    await client.execute({ sql: "INSERT INTO t (v) VALUES (?)", args: ["after"] });
    expect((await client.execute("SELECT count(*) AS n FROM u")).rows[0]?.n).toBe(1);
    expect(other.prepare("PRAGMA wal_checkpoint(TRUNCATE)").get()).toMatchObject({ busy: 0 });
    other.close();
    client.close();
  });

  it("waits for another's write lock on timers, so the server's thread goes on serving meanwhile", async () => {
    const url = freshUrl();
    const client = createPreparedClient(url, { flushOffThread: true, timeoutMs: 5000 });
    await client.execute("CREATE TABLE t (v TEXT)");
    const other = new Database(url.slice("file:".length), { timeout: 100 });
    for (const write of [
      () => client.execute("INSERT INTO t VALUES ('alone')"),
      () =>
        client.batch([
          { sql: "SELECT count(*) FROM t", args: [] },
          { sql: "INSERT INTO t VALUES ('batch')", args: [] },
        ]),
    ]) {
      other.exec("BEGIN IMMEDIATE");
      // The holder lets go from a timer of this very thread: SQLite's own busy wait, sleeping on
      // the thread, never let it run, and the write was refused as busy after its whole wait.
      let ticks = 0;
      const ticking = setInterval(() => ticks++, 5);
      setTimeout(() => other.exec("COMMIT"), 200);
      await write();
      clearInterval(ticking);
      expect(ticks).toBeGreaterThan(0);
    }
    expect((await client.execute("SELECT v FROM t ORDER BY rowid")).rows.map((r) => r.v)).toEqual([
      "alone",
      "batch",
    ]);
    other.close();
    client.close();
  });

  it("answers a batch that only reads while a write beside it waits for another's lock", async () => {
    const url = freshUrl();
    const client = createPreparedClient(url, { flushOffThread: true, timeoutMs: 5000 });
    await client.execute("CREATE TABLE t (v TEXT)");
    await client.execute("INSERT INTO t VALUES ('before')");
    const other = new Database(url.slice("file:".length), { timeout: 100 });
    other.exec("BEGIN IMMEDIATE");
    // Sent in one turn, as a report and a problem's page are: the read had joined the write's
    // group, begun IMMEDIATE, and waited for the lock with it (a public page answered 503). The
    // lock is let go only once the read is answered.
    const write = client.execute("INSERT INTO t VALUES ('after')");
    const read = await client.batch([
      { sql: "SELECT count(*) AS n FROM t", args: [] },
      { sql: "SELECT v FROM t", args: [] },
    ]);
    other.exec("COMMIT");
    expect(read[0]?.rows[0]?.n).toBe(1);
    await write;
    expect((await client.execute("SELECT count(*) AS n FROM t")).rows[0]?.n).toBe(2);
    other.close();
    client.close();
  });

  it("answers a request the database stayed busy for with a 503 and when to try again, never a 500", async () => {
    const url = freshUrl();
    const client = createPreparedClient(url, { timeoutMs: 100 });
    await client.execute("CREATE TABLE t (v TEXT)");
    const other = new Database(url.slice("file:".length), { timeout: 100 });
    other.exec("BEGIN IMMEDIATE");
    const db = createDb(client);
    const app = new Hono()
      .post("/raw", async (c) => c.json(await client.execute("INSERT INTO t VALUES ('raw')")))
      .post("/drizzle", async (c) => c.json(await db.run(sql`INSERT INTO t VALUES ('drizzle')`)))
      .onError(onError);
    for (const path of ["/raw", "/drizzle"]) {
      const res = await app.request(path, { method: "POST" });
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toBe("5");
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("database_busy");
    }
    other.exec("ROLLBACK");
    other.close();
    expect((await app.request("/raw", { method: "POST" })).status).toBe(200);
    client.close();
  });

  it("runs the report intake with its statements prepared once across reports", async () => {
    const t = await makeTestApp();
    await makeService(t, { code: "pothole", threshold: 2, radiusM: 25 });
    const client = t.client as PreparedClient;
    await reportAt(t, CHANGSHA, { deviceId: "device-1-abcdef" });
    const afterFirst = client.preparedCount;
    const second = await reportAt(t, CHANGSHA, { deviceId: "device-2-abcdef" });
    const third = await reportAt(
      t,
      { lat: CHANGSHA.lat + 1e-5, lon: CHANGSHA.lon },
      { deviceId: "device-3-abcdef" },
    );
    expect(second.body.cluster).toMatchObject({ reports: 2, state: "dispatched" });
    expect(third.body.cluster.id).toBe(second.body.cluster.id);
    // Later reports (joining, dispatching) prepare at most the texts the first one did not need.
    expect(client.preparedCount - afterFirst).toBeLessThanOrEqual(3);
    const again = client.preparedCount;
    await reportAt(t, CHANGSHA, { deviceId: "device-4-abcdef" });
    expect(client.preparedCount).toBe(again);
    t.client.close();
  });
});

describe("closing the database", () => {
  it("checkpoints the WAL into the database file, so a copy of the file alone is current", async () => {
    const url = freshUrl();
    const file = url.slice("file:".length);
    const { client } = await openDatabase(url);
    await client.execute("CREATE TABLE kept (id INTEGER PRIMARY KEY)");
    for (let i = 0; i < 20; i++) await client.execute({ sql: "INSERT INTO kept (id) VALUES (?)", args: [i] });
    client.close();
    const walBytes = existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0;
    expect(walBytes).toBe(0);
    // The file alone, as `cp city.db` after a stop would take it.
    const copy = `${file}.copy`;
    copyFileSync(file, copy);
    const alone = createClient({ url: `file:${copy}` });
    expect((await alone.execute("SELECT count(*) AS n FROM kept")).rows[0]?.n).toBe(20);
    alone.close();
  });
});
