import type { D1Database, D1DatabaseSession } from "@cloudflare/workers-types";
import type { Client } from "@libsql/client";
import { sql } from "drizzle-orm";
import { drizzle as drizzleD1 } from "drizzle-orm/d1";
import { drizzle, type LibSQLDatabase } from "drizzle-orm/libsql";
import * as schema from "./schema";

/** The database handle every store function takes first. Made per request or per run. */
export type Db = LibSQLDatabase<typeof schema>;

export const createDb = (client: Client): Db => drizzle(client, { schema });

/** One trivial read: resolves once the database answers, throws as any query would when it cannot. */
export async function pingDatabase(db: Db): Promise<void> {
  await db.run(sql`select 1`);
}

/**
 * The same handle over a Cloudflare D1 binding (the Worker, `src/worker.ts`).
 *
 * This is the one place where a D1 database passes for `Db`. Both are drizzle's async SQLite
 * database over the same schema and build the same SQL; they differ only in the raw result of
 * `run()` (libSQL's `ResultSet` with `rowsAffected`, D1's `D1Result` with `meta.changes`): a
 * batch's results carry `rowsAffected` on both (below), and a lone `run()`'s count is read with
 * `rowsChanged`. `db.batch()` is atomic on D1 too, which is what the report intake relies on;
 * test/edge-worker.test.ts proves it in workerd.
 *
 * A D1 session (`DB.withSession(...)`, which may read from a replica) serves as well: drizzle and
 * the batch below use only `prepare` and `batch`, which a session has too.
 */
export function createD1Db(binding: D1Database | D1DatabaseSession): Db {
  const d1 = binding as D1Database;
  const db = drizzleD1(d1, { schema });
  repairD1Batch((db as unknown as { session: BatchingSession }).session, d1);
  return db as unknown as Db;
}

/** What drizzle's batch items and D1 session look like inside (drizzle-orm 0.45). */
interface BatchItem {
  _prepare(): PreparedItem;
}
interface PreparedItem {
  getQuery(): { sql: string; params: unknown[] };
  mapResult(result: unknown, isFromBatch: boolean): unknown;
  executeMethod?: string;
  fields?: unknown;
}
interface BatchingSession {
  batch(items: BatchItem[]): Promise<unknown[]>;
}

/**
 * drizzle-orm 0.45's D1 batch needs two repairs, made here so store code runs alike on both drivers:
 * - It cannot run raw `sql` items with parameters: it binds them through a prepared statement they
 *   do not have (drizzle-orm#2277). The report intake is exactly such a batch, so every item is
 *   prepared from its own SQL and parameters, as drizzle already does for items without them, and
 *   all go in one `D1Database.batch` (one implicit transaction, one round trip).
 * - D1 answers a batch with rows as objects keyed by column name, so a select whose joined tables
 *   share column names (`id`, `created_at`) loses columns when drizzle maps it back to positions.
 *   A batch of reads only needs no transaction, so its items run as drizzle's ordinary queries
 *   (which read positional rows), side by side. A batch that writes must not also read such
 *   clashing joins; none in src/store does.
 */
function repairD1Batch(session: BatchingSession, d1: D1Database): void {
  session.batch = async (items) => {
    const prepared = items.map((item) => item._prepare());
    if (prepared.every((p) => /^\s*select\b/i.test(p.getQuery().sql))) {
      return Promise.all(items as unknown as Promise<unknown>[]);
    }
    const results = await d1.batch(
      prepared.map((p) => {
        const { sql, params } = p.getQuery();
        return d1.prepare(sql).bind(...params);
      }),
    );
    // A `.get()` that found no row is undefined, where drizzle would crash mapping it (drizzle-orm#2721).
    return results.map((result, i) => {
      const p = prepared[i] as PreparedItem;
      if (p.executeMethod === "get" && p.fields && result.results.length === 0) return undefined;
      const mapped = p.mapResult(result, true);
      // A write's D1Result counts its rows in `meta.changes`; store code reads libSQL's `rowsAffected`.
      return mapped === result ? { ...result, rowsAffected: result.meta.changes } : mapped;
    });
  };
}

/**
 * A statement for `db.batch()` from SQL text built beforehand (with `?` parameters) and its
 * values. Building the same text with drizzle for every request cost a report ~150 µs, and a new
 * string each time made the prepared-statement cache hash it again; text built once and kept
 * skips both. Both drivers' batches take it as they take drizzle's items (libSQL's as it is, D1's
 * through the repair above). Only in batches that write: a batch of reads only runs drizzle's
 * items one by one, which this is not. Its result in a batch is its rows, as objects.
 * (A class, not an object of arrow functions: tsx names each such function again on every call.)
 */
export class BoundStatement {
  constructor(
    readonly sql: string,
    readonly params: unknown[],
  ) {}
  _prepare(): BoundStatement {
    return this;
  }
  getQuery(): { sql: string; params: unknown[] } {
    return { sql: this.sql, params: this.params };
  }
  mapResult(result: unknown): Record<string, unknown>[] {
    // libSQL answers a `ResultSet` (`rows`), D1 a `D1Result` (`results`).
    const r = result as { rows?: Record<string, unknown>[]; results?: Record<string, unknown>[] };
    return r.rows ?? r.results ?? [];
  }
}
