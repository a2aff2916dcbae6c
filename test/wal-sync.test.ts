/**
 * Durable commits off the main thread (`src/node/wal-sync.ts`): a `file:` database commits with
 * `synchronous = NORMAL` and every write resolves only after a flush of its WAL in the thread
 * pool; writes landing together share a flush. `DATABASE_FLUSH=commit` keeps SQLite's own FULL.
 * Every test on a file database (`test/support/app.ts`) runs the whole app this way.
 */
import { fsync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { type Client, createClient } from "@libsql/client";
import { describe, expect, it } from "vitest";
import { openDatabase } from "../src/node/database";
import { createPreparedClient, type PreparedClient } from "../src/node/prepared-client";
import { WalSync } from "../src/node/wal-sync";
import { makeTestApp } from "./support/app";
import { asAdmin, makeService, POTHOLE_SERVICE } from "./support/fixtures";

const freshUrl = () => `file:${join(mkdtempSync(join(tmpdir(), "civicloop-wal-")), "t.db")}`;
const pragma = async (client: Client, name: string) => (await client.execute(`PRAGMA ${name}`)).rows[0]?.[0];

describe("flushing the WAL off the main thread", () => {
  it("commits with NORMAL on a WAL file by default and with FULL when asked to flush inside COMMIT", async () => {
    const background = await openDatabase(freshUrl());
    expect(await pragma(background.client, "journal_mode")).toBe("wal");
    expect(await pragma(background.client, "synchronous")).toBe(1);
    background.client.close();
    const commit = await openDatabase(freshUrl(), undefined, "commit");
    expect(await pragma(commit.client, "journal_mode")).toBe("wal");
    expect(await pragma(commit.client, "synchronous")).toBe(2);
    expect((commit.client as PreparedClient).flushCount).toBe(0);
    commit.client.close();
  });

  it("resolves a write only after a flush that began after it; writes together share flushes, reads flush nothing", async () => {
    const url = freshUrl();
    const client = createPreparedClient(url, { flushOffThread: true });
    await client.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)");
    const before = client.flushCount;
    const one = client.execute({ sql: "INSERT INTO t (id) VALUES (?)", args: [0] });
    expect(client.flushCount).toBe(before);
    await one;
    expect(client.flushCount).toBe(before + 1);

    const writes = Array.from({ length: 100 }, (_, i) =>
      client.batch([{ sql: "INSERT INTO t (id) VALUES (?)", args: [i + 1] }], "write"),
    );
    await Promise.all(writes);
    const shared = client.flushCount - (before + 1);
    expect(shared).toBeGreaterThanOrEqual(1);
    expect(shared).toBeLessThan(100);

    const afterWrites = client.flushCount;
    for (let i = 0; i < 10; i++) await client.execute("SELECT count(*) FROM t");
    await client.execute("WITH n AS (SELECT count(*) AS n FROM t) SELECT n FROM n");
    await client.execute("PRAGMA journal_mode");
    expect(client.flushCount).toBe(afterWrites);
    // A write that returns rows is flushed too.
    await client.execute({ sql: "INSERT INTO t (id) VALUES (?) RETURNING id", args: [1000] });
    expect(client.flushCount).toBe(afterWrites + 1);
    await client.execute({ sql: "DELETE FROM t WHERE id = ?", args: [1000] });
    expect(client.flushCount).toBe(afterWrites + 2);
    // Another connection (another process would do the same) sees every acknowledged write.
    const other = createClient({ url });
    expect((await other.execute("SELECT count(*) AS n FROM t")).rows[0]?.n).toBe(101);
    other.close();
    client.close();
  });

  it("a failed write still waits for what committed before it failed, and rejects", async () => {
    const client = createPreparedClient(freshUrl(), { flushOffThread: true });
    await client.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)");
    const before = client.flushCount;
    await expect(
      client.executeMultiple("INSERT INTO t (id) VALUES (1); INSERT INTO t (id) VALUES (1);"),
    ).rejects.toThrow(/UNIQUE/);
    expect(client.flushCount).toBe(before + 1);
    expect((await client.execute("SELECT count(*) AS n FROM t")).rows[0]?.n).toBe(1);
    client.close();
  });

  it("flushes the log beside the real file when the database path is a symbolic link", async () => {
    const dir = mkdtempSync(join(tmpdir(), "civicloop-wal-"));
    mkdirSync(join(dir, "real"));
    const client = createPreparedClient(`file:${join(dir, "real", "t.db")}`);
    await client.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)");
    client.close();
    symlinkSync(join(dir, "real", "t.db"), join(dir, "link.db"));
    const linked = createPreparedClient(`file:${join(dir, "link.db")}`, { flushOffThread: true });
    const before = linked.flushCount;
    await linked.execute({ sql: "INSERT INTO t (id) VALUES (?)", args: [1] });
    expect(linked.flushCount).toBe(before + 1);
    linked.close();
  });

  it("never reports a flush as done again once one failed", async () => {
    const db = join(mkdtempSync(join(tmpdir(), "civicloop-wal-")), "t.db");
    writeFileSync(`${db}-wal`, "");
    // The disk fails once; after an fsync error Linux may report the next one clean without the
    // lost pages, so every later flush must fail too.
    let calls = 0;
    const wal = new WalSync(db, async () => {
      calls++;
      if (calls === 2) throw new Error("EIO: i/o error, fsync");
    });
    await expect(wal.sync()).rejects.toThrow(/EIO/);
    await expect(wal.sync()).rejects.toThrow(/EIO/);
    expect(calls).toBe(2);
    expect(wal.done).toBe(0);
    wal.close();
  });

  it("answers the health check with 503 and why once a flush failed, and until a restart", async () => {
    let failing = false;
    const t = await makeTestApp({
      flushFile: async (fd) => {
        if (failing) throw Object.assign(new Error(`EIO: i/o error, fsync ${t.url}`), { code: "EIO" });
        await new Promise<void>((done, fail) => fsync(fd, (e) => (e ? fail(e) : done())));
      },
    });
    await makeService(t, { code: "pothole" });
    const healthy = await t.app.request("/healthz");
    expect([healthy.status, await healthy.json()]).toEqual([200, { ok: true }]);

    failing = true;
    const write = await t.app.request("/api/admin/services", {
      method: "POST",
      ...asAdmin({ ...POTHOLE_SERVICE, code: "streetlight" }),
    });
    // The write fails as the storage's fault, said as the health check says it.
    expect(write.status).toBe(503);
    expect(((await write.json()) as { error: { code: string } }).error.code).toBe("storage_failed");
    failing = false;
    for (const path of ["/healthz", "/readyz", "/healthz"]) {
      const res = await t.app.request(path);
      expect(res.status).toBe(503);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code).toBe("storage_failed");
      expect(body.error.message).toContain("(EIO)");
      // The error's own message names the file: the answer never does.
      expect(JSON.stringify(body)).not.toContain(dirname(t.url.slice("file:".length)));
    }
    t.client.close();
  });

  it("refuses every write once the database file was removed under the server, and says so, never acknowledging one lost at its stop", async () => {
    const t = await makeTestApp();
    await makeService(t, { code: "pothole" });
    const file = t.url.slice("file:".length);
    rmSync(file);
    const write = await t.app.request("/api/admin/services", {
      method: "POST",
      ...asAdmin({ ...POTHOLE_SERVICE, code: "streetlight" }),
    });
    expect(write.status).toBe(503);
    expect(((await write.json()) as { error: { code: string } }).error.code).toBe("storage_failed");
    const res = await t.app.request("/healthz");
    expect(res.status).toBe(503);
    const body = (await res.json()) as { error: { message: string } };
    expect(body.error.message).toMatch(/database file was removed, moved or replaced/);
    expect(JSON.stringify(body)).not.toContain(dirname(file));
    t.client.close();
  });
});
