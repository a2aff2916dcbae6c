/**
 * Opening the database on Node: a libSQL file (created with its folder) or a `libsql://` URL,
 * migrated before use. Used by the server, the sample-data script and the tests. A file goes
 * through `prepared-client.ts` (statements prepared once and reused); a remote URL through
 * `@libsql/client`, as on the Worker.
 */
import { closeSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { type Client, createClient } from "@libsql/client";
import { sql } from "drizzle-orm";
import { readMigrationFiles } from "drizzle-orm/migrator";
import { createDb, type Db } from "../db/client";
import { remoteDatabaseFetch } from "../db/remote-fetch";
import { createPreparedClient } from "./prepared-client";
import type { FlushFile } from "./wal-sync";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
export const MIGRATIONS_DIR = resolve(root, "migrations");

/** Opens a libSQL database (`file:` or `libsql://`) and brings its schema up to date. */
export async function openDatabase(
  url: string,
  authToken?: string,
  flush: "background" | "commit" = "background",
  /** fsync unless a test makes the disk fail (`wal-sync.ts`). */
  flushFile?: FlushFile,
): Promise<{ client: Client; db: Db; migrations: MigrationsState }> {
  if (url.startsWith("file:") && !url.includes(":memory:")) {
    const file = resolve(url.slice("file:".length).split("?")[0] as string);
    mkdirSync(dirname(file), { recursive: true });
    // A new database is its owner's alone, as its backups are: it holds password hashes and the
    // reporter-key secret. Made empty here with that mode (an empty file is an empty database);
    // SQLite gives its -wal and -shm files the same. An existing file keeps the mode it has.
    closeSync(openSync(file, "a", 0o600));
  }
  const client = url.startsWith("file:")
    ? createPreparedClient(url, { timeoutMs: 10_000, flushOffThread: flush === "background", flushFile })
    : createClient({ url, authToken, fetch: remoteDatabaseFetch() });
  if (url.startsWith("file:")) {
    await client.execute("PRAGMA journal_mode = WAL");
    // A sensor upload writes rows all over the spots, hits and passes: with SQLite's default
    // 2 MB of page cache it reads most of those pages back from the file, and with its default
    // checkpoint every 1000 WAL pages it copies them into the database after nearly every upload.
    await client.execute("PRAGMA cache_size = -65536");
    await client.execute("PRAGMA wal_autocheckpoint = 10000");
    // The sensor intake's scratch table of an upload's groups is temporary: kept in memory, not a file.
    await client.execute("PRAGMA temp_store = MEMORY");
  }
  const db = createDb(client);
  const applied = await migrateDatabase(db);
  const after = await migrationsIn(client);
  return {
    client,
    db,
    migrations: {
      applied,
      total: after.count,
      newerThanThisBuild: after.latest !== null && after.latest > latestKnownMigration(),
    },
  };
}

/** What opening did to the schema: migrations applied now, in all, and any this build does not know. */
export interface MigrationsState {
  applied: number;
  total: number;
  /** Migrations a newer release applied: this older build may not read the database right. */
  newerThanThisBuild: boolean;
}

/** Drizzle's record of the migrations applied (none before the first). */
async function migrationsIn(client: Client): Promise<{ count: number; latest: number | null }> {
  try {
    const { rows } = await client.execute(
      "SELECT count(*) AS n, max(created_at) AS latest FROM __drizzle_migrations",
    );
    return {
      count: Number(rows[0]?.n ?? 0),
      latest: rows[0]?.latest == null ? null : Number(rows[0].latest),
    };
  } catch {
    return { count: 0, latest: null };
  }
}

/** The newest migration's time in this build's journal (drizzle records it as `created_at`). */
function latestKnownMigration(): number {
  const journal = JSON.parse(readFileSync(resolve(MIGRATIONS_DIR, "meta/_journal.json"), "utf8")) as {
    entries: { when: number }[];
  };
  return Math.max(...journal.entries.map((e) => e.when));
}

/** The database as a log line may name it: a file's path, or a server's address without its query. */
export const databaseName = (url: string) =>
  url.startsWith("file:") ? (url.slice("file:".length).split("?")[0] as string) : url.replace(/[?#].*$/, "");

/**
 * Applies every migration of the folder that the database has not recorded, in the journal's
 * order, in one transaction with foreign keys off (as drizzle's migrator does, and into its table).
 * A migration counts as recorded when a row of `__drizzle_migrations` has its time or its file's
 * hash. drizzle's own rule, "every migration newer than the newest recorded", skipped 0017 and 0018
 * (merged with times older than 0015's) on a database made before them, and ran 0047 and 0053 again
 * on one made before their times changed, so databases of some past versions could not start.
 */
async function applyMigrations(db: Db, migrationsFolder: string): Promise<number> {
  await db.run(sql`CREATE TABLE IF NOT EXISTS __drizzle_migrations (id SERIAL PRIMARY KEY, hash text NOT NULL,
    created_at numeric)`);
  const done = await db.all<{ hash: string; created_at: number }>(
    sql`SELECT hash, created_at FROM __drizzle_migrations`,
  );
  const hashes = new Set(done.map((r) => r.hash));
  const times = new Set(done.map((r) => Number(r.created_at)));
  const pending = readMigrationFiles({ migrationsFolder }).filter(
    (m) => !times.has(m.folderMillis) && !hashes.has(m.hash),
  );
  const [first] = pending;
  if (!first) return 0;
  const statements = [
    // Read before this transaction began: another process may have applied them since. Its
    // schema changes would then fail here anyway, but a migration that only changes rows would
    // run twice; so the transaction ends at once (json() of no JSON is an error) and the caller
    // reads again. SQLite lets no transaction that read the old state write after that commit.
    {
      sql: `SELECT CASE WHEN EXISTS (SELECT 1 FROM __drizzle_migrations WHERE created_at = ? OR hash = ?)
        THEN json('migrated meanwhile by another process') END`,
      args: [first.folderMillis, first.hash],
    },
    ...pending.flatMap((m) => [
      ...m.sql.map((text) => ({ sql: text, args: [] })),
      {
        sql: `INSERT INTO __drizzle_migrations ("hash", "created_at") VALUES (?, ?)`,
        args: [m.hash, m.folderMillis],
      },
    ]),
  ];
  // drizzle's libSQL handle carries its client as `$client` (its type here leaves it out).
  await (db as unknown as { $client: Client }).$client.migrate(statements);
  return pending.length;
}

/**
 * Applies the migrations, answering how many this call applied; a second process starting at the
 * same moment simply finds them done (and applied none, whatever the count moved meanwhile).
 * Still locked after its tries (another process migrating a big city, or holding a long write),
 * it says so rather than end on the driver's `SQLITE_BUSY`.
 */
export async function migrateDatabase(db: Db, migrationsFolder = MIGRATIONS_DIR): Promise<number> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await applyMigrations(db, migrationsFolder);
    } catch (e) {
      if (attempt >= 3) {
        if (/SQLITE_BUSY|database is locked/i.test(String((e as Error).message)))
          throw new Error(
            "the database stayed locked by another process for over 30 s while its migrations were to be applied (another server migrating it, or a long write): start again once that is done",
            { cause: e },
          );
        throw e;
      }
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}
