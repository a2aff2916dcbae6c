/**
 * A libSQL `Client` for local files (Node only) that prepares each SQL text once per connection
 * and reuses it. `@libsql/client`'s file driver is the same native `libsql` package underneath,
 * but it prepares every statement again on every `execute`, which costs about as much as running
 * it (issue 18: 103–109 µs per nearest-cluster lookup against 54–56 µs prepared once). Store code
 * builds the same SQL text for every request and binds the values, so a cache keyed by the text
 * hits on every request after the first.
 *
 * It answers like `@libsql/client` (same row shape, errors as `LibsqlError` with the SQLite code,
 * one transaction per `batch`), so drizzle and the store run on it unchanged. Remote URLs and the
 * Worker keep `@libsql/client`.
 */
import { Buffer } from "node:buffer";
import { resolve } from "node:path";
import {
  type Client,
  type InArgs,
  type InStatement,
  LibsqlBatchError,
  LibsqlError,
  type ResultSet,
  type Row,
  type Transaction,
  type TransactionMode,
} from "@libsql/client";
import Database from "libsql";
import { isBusy } from "../domain/errors";
import { type FlushFile, flushFault, WalSync } from "./wal-sync";

type Connection = InstanceType<typeof Database>;
type NativeStatement = ReturnType<Connection["prepare"]>;

interface Prepared {
  stmt: NativeStatement;
  /** Null for statements that return no rows (their `run` reports the changes instead). */
  columns: string[] | null;
  columnTypes: string[];
  /** What its rows inherit their positions from (`rowProtoOf`); null: made the general way. */
  rowProto: object | null;
  /** Whether it may commit a write, which a flush must then reach (see `mayWrite`). */
  writes: boolean;
}

/**
 * Whether a statement may write. Without rows: anything but a SELECT or a ROLLBACK. With rows:
 * a RETURNING write or a PRAGMA that sets something; a WITH … SELECT is a read. Taking a read
 * for a write costs one needless flush, never a lost one.
 */
function mayWrite(sql: string, returnsRows: boolean): boolean {
  if (!returnsRows) return !/^\s*(select|rollback)\b/i.test(sql);
  return /\b(insert|update|delete|replace)\b/i.test(sql) || /^\s*pragma\b[^;]*=/i.test(sql);
}

/** How many distinct SQL texts a connection keeps prepared; the oldest unused one goes first. */
const CACHE_SIZE = 500;

/**
 * Runs `work` again while SQLite answers busy, for up to `timeoutMs`. Switching a new file to WAL
 * needs it alone: a second process opening the same fresh file at that moment is answered busy at
 * once (the busy handler is skipped where waiting could deadlock), not after the timeout.
 */
function whileBusy<T>(timeoutMs: number, work: () => T): T {
  const until = Date.now() + timeoutMs;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  for (;;) {
    try {
      return work();
    } catch (e) {
      if ((e as { code?: string }).code !== "SQLITE_BUSY" || Date.now() >= until) throw e;
      Atomics.wait(pause, 0, 0, 25);
    }
  }
}

/** One native connection and its prepared statements. */
class PreparedConnection {
  readonly db: Connection;
  readonly #cache = new Map<string, Prepared>();
  /** Set when the connection flushes its WAL off the main thread (see `wal-sync.ts`). */
  readonly #wal: WalSync | null = null;
  /** A commit was written that no flush has been asked for yet. */
  #unflushed = false;

  /** `busyMs`: how long SQLite itself waits for a lock, blocking the thread (see `patiently`). */
  constructor(
    path: string,
    timeoutMs: number,
    flushOffThread = false,
    flushFile?: FlushFile,
    busyMs = timeoutMs,
  ) {
    this.db = new Database(path, { timeout: busyMs });
    if (flushOffThread && path !== ":memory:") {
      const { journal_mode } = whileBusy(timeoutMs, () =>
        this.db.prepare("PRAGMA journal_mode = WAL").get(),
      ) as {
        journal_mode: string;
      };
      // NORMAL without a WAL could corrupt the file on power loss: only with one.
      if (journal_mode === "wal") {
        this.db.exec("PRAGMA synchronous = NORMAL");
        // SQLite keeps the log beside the file it really opened (symbolic links resolved).
        const main = (this.db.prepare("PRAGMA database_list").all() as { name: string; file: string }[]).find(
          (d) => d.name === "main",
        );
        this.#wal = new WalSync(main?.file || resolve(path), flushFile);
      }
    }
  }

  /** Resolves when what this connection committed is on disk (at once when SQLite flushed it itself). */
  async flushed(): Promise<void> {
    if (!this.#unflushed || !this.#wal) return;
    this.#unflushed = false;
    await this.#wal.sync();
  }

  #prepare(sql: string): Prepared {
    const hit = this.#cache.get(sql);
    if (hit) {
      // Re-inserted, so the map's order is the order of last use.
      this.#cache.delete(sql);
      this.#cache.set(sql, hit);
      return hit;
    }
    const stmt = this.db.prepare(sql);
    stmt.safeIntegers(true);
    let prepared: Prepared;
    try {
      // raw() is refused by a statement that returns no rows; that is how libsql tells them apart.
      stmt.raw(true);
      const cols = stmt.columns();
      const columns = cols.map((c) => c.name);
      prepared = {
        stmt,
        columns,
        columnTypes: cols.map((c) => c.type ?? ""),
        rowProto: rowProtoOf(columns),
        writes: mayWrite(sql, true),
      };
    } catch {
      prepared = { stmt, columns: null, columnTypes: [], rowProto: null, writes: mayWrite(sql, false) };
    }
    this.#cache.set(sql, prepared);
    if (this.#cache.size > CACHE_SIZE) this.#cache.delete(this.#cache.keys().next().value as string);
    return prepared;
  }

  execute(stmt: InStatement | string): ResultSet {
    const { sql, args } =
      typeof stmt === "string" ? { sql: stmt, args: [] as InArgs } : { sql: stmt.sql, args: stmt.args ?? [] };
    try {
      const p = this.#prepare(sql);
      const bound = bindArgs(args);
      if (p.columns) {
        const { columns, rowProto } = p;
        const rows = (p.stmt.all(bound) as unknown[][]).map((values) =>
          rowProto ? quickRowOf(values, columns, rowProto) : rowOf(values, columns),
        );
        this.#committed(p);
        return new PreparedResultSet(columns, p.columnTypes, rows, 0, undefined);
      }
      const info = p.stmt.run(bound);
      this.#committed(p);
      return new PreparedResultSet([], [], [], info.changes, BigInt(info.lastInsertRowid));
    } catch (e) {
      throw asLibsqlError(e);
    }
  }

  /** Notes a statement that may have committed a write (outside a transaction, or a COMMIT). */
  #committed(p: Prepared): void {
    if (p.writes && !this.db.inTransaction) this.#unflushed = true;
  }

  /** Runs the statements in one transaction; nothing of it stays if one fails. */
  batch(stmts: InStatement[], begin: string): ResultSet[] {
    this.execute(begin);
    try {
      const results = stmts.map((s, i) => {
        try {
          return this.execute(s);
        } catch (e) {
          const err = asLibsqlError(e);
          if (err instanceof LibsqlError && !(err instanceof LibsqlBatchError)) {
            throw new LibsqlBatchError(err.message, i, err.code, err.extendedCode, err.rawCode, err);
          }
          throw err;
        }
      });
      this.execute("COMMIT");
      return results;
    } finally {
      if (this.db.inTransaction) this.execute("ROLLBACK");
    }
  }

  /**
   * Runs several callers' batches in ONE transaction (a group commit), each as if alone and in
   * order; null, with nothing kept, if any statement fails, so that the caller can run them one
   * by one and each gets its own answer or error.
   */
  group(batches: InStatement[][], begin: string): ResultSet[][] | null {
    try {
      this.execute(begin);
      const results = batches.map((stmts) => stmts.map((s) => this.execute(s)));
      this.execute("COMMIT");
      return results;
    } catch {
      return null;
    } finally {
      if (this.db.inTransaction) this.execute("ROLLBACK");
    }
  }

  /** The failed WAL flush that makes every later write fail (`wal-sync.ts`); null while none has. */
  get flushFailure(): Error | null {
    return this.#wal?.failure ?? null;
  }

  /** How many WAL flushes this connection has finished off the main thread. */
  get flushCount(): number {
    return this.#wal?.done ?? 0;
  }

  /** How many SQL texts are prepared now. */
  get preparedCount(): number {
    return this.#cache.size;
  }

  /** Runs several statements of SQL text (no arguments). */
  exec(sql: string): void {
    try {
      this.db.exec(sql);
    } finally {
      // Statements before a failing one may have committed.
      this.#unflushed = true;
    }
  }

  close(): void {
    this.#cache.clear();
    if (this.db.open) {
      // The native driver keeps the connection (and the WAL) while prepared statements live, so
      // SQLite's own checkpoint on close never ran: a stop left every commit since the last
      // checkpoint in `-wal` (~40 MB), and a copy of the database file alone was stale.
      // TRUNCATE moves them into the file and empties the WAL; busy (another process reading) is fine.
      try {
        this.db.exec("PRAGMA wal_checkpoint(TRUNCATE)");
      } catch {
        // Left to the next open, which replays the WAL as always.
      }
      this.db.close();
    }
    this.#wal?.close();
  }
}

const beginOf = (mode: TransactionMode = "deferred"): string =>
  mode === "write" ? "BEGIN IMMEDIATE" : mode === "read" ? "BEGIN TRANSACTION READONLY" : "BEGIN DEFERRED";

/** A statement that changes rows (not a PRAGMA or a schema change, which may refuse a transaction). */
const writesRows = (sql: string) => /^\s*(insert|update|delete|replace|with)\b/i.test(sql) && !onlyReads(sql);

/** A statement that only reads (taking a read for a write only takes the write lock early). */
const onlyReads = (sql: string) =>
  /^\s*(select|with|values)\b/i.test(sql) && !/\b(insert|update|delete|replace)\b/i.test(sql);

/**
 * How a batch begins: one that writes takes the write lock at BEGIN (IMMEDIATE), whatever mode it
 * was given. Begun DEFERRED, a batch that read first and then found another process writing got
 * SQLITE_BUSY inside its transaction, and the native driver keeps a statement that failed there
 * unreset: its read snapshot stayed open after the ROLLBACK, every later write of the connection
 * was refused as busy and the WAL could never be checkpointed, until a restart (a 12 s batch of
 * `npm run sample` beside the server did it). BUSY at BEGIN IMMEDIATE leaves nothing behind.
 */
const beginOfBatch = (statements: InStatement[], mode?: TransactionMode): string =>
  mode === undefined || mode === "deferred"
    ? statements.every((s) => onlyReads(typeof s === "string" ? s : s.sql))
      ? "BEGIN DEFERRED"
      : "BEGIN IMMEDIATE"
    : beginOf(mode);

/** Values as the native driver takes them, converted as `@libsql/client` does. */
function bindArgs(args: InArgs): unknown[] | Record<string, unknown> {
  if (Array.isArray(args)) return args.map(toSql);
  const named: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(args)) {
    named[/^[@$:]/.test(name) ? name.slice(1) : name] = toSql(value);
  }
  return named;
}

function toSql(value: unknown): unknown {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError("Only finite numbers can be passed as arguments");
    return value;
  }
  if (typeof value === "boolean") return value ? 1 : 0;
  if (value instanceof ArrayBuffer) return Buffer.from(value);
  if (value instanceof Date) return value.valueOf();
  if (value === undefined) throw new TypeError("undefined cannot be passed as argument to the database");
  return value;
}

function fromSql(value: unknown): unknown {
  if (typeof value === "bigint") {
    if (value > Number.MAX_SAFE_INTEGER || value < Number.MIN_SAFE_INTEGER) {
      throw new RangeError("Received integer which cannot be safely represented as a JavaScript number");
    }
    return Number(value);
  }
  if (value instanceof Buffer)
    return value.buffer.slice(value.byteOffset, value.byteOffset + value.byteLength);
  return value;
}

/** A row as `@libsql/client` shapes it: enumerable by column name (first of a repeated name), indexable by position. */
function rowOf(values: unknown[], columns: string[]): Row {
  const row: Record<string | number, unknown> = {};
  Object.defineProperty(row, "length", { value: values.length });
  for (let i = 0; i < values.length; i++) {
    const value = fromSql(values[i]);
    Object.defineProperty(row, i, { value });
    const name = columns[i] as string;
    if (!Object.hasOwn(row, name)) row[name] = value;
  }
  return row as unknown as Row;
}

/**
 * The prototype that gives a statement's rows their positions (`row[0]`, `length`) as getters of
 * the named values, so a row is one object with its names set plainly: making each row with
 * `defineProperty` per value was a visible part of a report's CPU. Null when a name repeats or
 * looks like a position, which only the general way (`rowOf`) gets right.
 */
function rowProtoOf(columns: string[]): object | null {
  if (new Set(columns).size !== columns.length) return null;
  if (columns.some((c) => c === "length" || /^\d+$/.test(c))) return null;
  const props: PropertyDescriptorMap = { length: { value: columns.length } };
  columns.forEach((name, i) => {
    props[i] = {
      get(this: Record<string, unknown>) {
        return this[name];
      },
    };
  });
  return Object.create(Object.prototype, props);
}

/** A row with the names as its own enumerable values and the positions from `proto`. */
function quickRowOf(values: unknown[], columns: string[], proto: object): Row {
  const row = Object.create(proto) as Record<string, unknown>;
  for (let i = 0; i < values.length; i++) row[columns[i] as string] = fromSql(values[i]);
  return row as unknown as Row;
}

/** A `ResultSet` as `@libsql/client` answers it (a class, so no closure is made per statement). */
class PreparedResultSet implements ResultSet {
  constructor(
    readonly columns: string[],
    readonly columnTypes: string[],
    readonly rows: Row[],
    readonly rowsAffected: number,
    readonly lastInsertRowid: bigint | undefined,
  ) {}
  toJSON() {
    return {
      columns: this.columns,
      columnTypes: this.columnTypes,
      rows: this.rows,
      rowsAffected: this.rowsAffected,
      lastInsertRowid: this.lastInsertRowid?.toString(),
    };
  }
}

function asLibsqlError(e: unknown): unknown {
  if (e instanceof LibsqlError || !(e instanceof Database.SqliteError)) return e;
  const raw = e.rawCode;
  const code =
    raw === undefined ? "SQLITE_UNKNOWN" : (SQLITE_CODES[raw & 0xff] ?? `SQLITE_UNKNOWN_${raw & 0xff}`);
  return new LibsqlError(e.message, code, e.code, raw, e);
}

const SQLITE_CODES: Record<number, string> = {
  1: "SQLITE_ERROR",
  5: "SQLITE_BUSY",
  6: "SQLITE_LOCKED",
  8: "SQLITE_READONLY",
  10: "SQLITE_IOERR",
  11: "SQLITE_CORRUPT",
  13: "SQLITE_FULL",
  14: "SQLITE_CANTOPEN",
  17: "SQLITE_SCHEMA",
  18: "SQLITE_TOOBIG",
  19: "SQLITE_CONSTRAINT",
  20: "SQLITE_MISMATCH",
  21: "SQLITE_MISUSE",
  25: "SQLITE_RANGE",
  26: "SQLITE_NOTADB",
};

/**
 * A transaction on a connection of its own, so statements of the rest of the process (which may
 * run while the transaction's caller awaits) never land inside it.
 */
class PreparedTransaction implements Transaction {
  #conn: PreparedConnection | null;

  constructor(conn: PreparedConnection) {
    this.#conn = conn;
  }

  #open(): PreparedConnection {
    if (!this.#conn?.db.inTransaction)
      throw new LibsqlError("The transaction is closed", "TRANSACTION_CLOSED");
    return this.#conn;
  }

  async execute(stmt: InStatement | string, args?: InArgs): Promise<ResultSet> {
    return this.#open().execute(typeof stmt === "string" && args ? { sql: stmt, args } : stmt);
  }
  async batch(stmts: InStatement[]): Promise<ResultSet[]> {
    const conn = this.#open();
    return stmts.map((s) => conn.execute(s));
  }
  async executeMultiple(sql: string): Promise<void> {
    this.#open().db.exec(sql);
  }
  async commit(): Promise<void> {
    try {
      this.#open().execute("COMMIT");
    } finally {
      this.close();
    }
  }
  async rollback(): Promise<void> {
    this.close();
  }
  close(): void {
    const conn = this.#conn;
    this.#conn = null;
    if (conn?.db.open && conn.db.inTransaction) conn.execute("ROLLBACK");
    conn?.close();
  }
  get closed(): boolean {
    return !this.#conn?.db.inTransaction;
  }
}

/** A `Client` that also says how many SQL texts its connection holds prepared and how often it flushed (for tests). */
export type PreparedClient = Client & {
  readonly preparedCount: number;
  readonly flushCount: number;
  readonly flushFailure: Error | null;
};

/**
 * How long SQLite's own busy handler waits on the shared connection: it sleeps on the server's
 * only thread, so another process holding the write lock for seconds (`npm run sample`'s batches)
 * froze every request, reads included, for as long (6–7 s seen). Past it, `patiently` waits
 * between tries with timers, serving other requests meanwhile.
 */
const NATIVE_BUSY_MS = 20;

/**
 * Runs `work` again while it is refused as busy, pausing (5 ms, doubling to 100 ms) on timers, for
 * up to `timeoutMs`; then the refusal is the answer. Only for work that does nothing when refused:
 * a statement outside a transaction, or a batch, which a write begins IMMEDIATE (refused at BEGIN,
 * before any statement) and which is rolled back whole otherwise.
 */
async function patiently<T>(timeoutMs: number, work: () => Promise<T>): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (let pause = 5; ; pause = Math.min(pause * 2, 100)) {
    try {
      return await work();
    } catch (e) {
      if (!isBusy(e) || Date.now() + pause > until) throw e;
      await new Promise((done) => setTimeout(done, pause));
    }
  }
}

/** Runs `f` on the connection; resolves once what it committed is on disk (even if it then failed). */
async function durably<T>(c: PreparedConnection, f: (c: PreparedConnection) => T): Promise<T> {
  let result: T;
  try {
    result = f(c);
  } catch (e) {
    // The statement's own error (a constraint, say) is the answer, not a flush's.
    await c.flushed().catch(() => undefined);
    throw e;
  }
  await c.flushed();
  return result;
}

interface Queued {
  statements: InStatement[];
  begin: string;
  done: (results: ResultSet[]) => void;
  fail: (e: unknown) => void;
}

/**
 * Write batches wait for the end of the event loop's turn, and those queued meanwhile commit as
 * one transaction. Under load (several sensor uploads whose bodies arrived together) their
 * commits then write each page they share to the log once, and flush once: a sensor upload
 * dirties hundreds of pages, and its COMMIT was the largest part of its CPU. Alone, a batch runs
 * as before, one tick later. Should anything in a group fail, nothing of it is kept and its
 * batches run again one by one, so each caller gets exactly the answer or error it would alone.
 */
function groupCommits(live: () => PreparedConnection) {
  let queue: Queued[] = [];
  const runAlone = (q: Queued) => {
    let c: PreparedConnection;
    try {
      c = live();
    } catch (e) {
      q.fail(e);
      return;
    }
    durably(c, (conn) => conn.batch(q.statements, q.begin)).then(q.done, q.fail);
  };
  const drain = () => {
    const group = queue;
    queue = [];
    if (group.length === 1) return runAlone(group[0] as Queued);
    let c: PreparedConnection;
    try {
      c = live();
    } catch (e) {
      for (const q of group) q.fail(e);
      return;
    }
    // The strongest lock any of them asked for.
    const begin = group.some((q) => q.begin === "BEGIN IMMEDIATE") ? "BEGIN IMMEDIATE" : "BEGIN DEFERRED";
    const results = c.group(
      group.map((q) => q.statements),
      begin,
    );
    if (!results) {
      for (const q of group) runAlone(q);
      return;
    }
    c.flushed().then(
      () => {
        for (const [i, q] of group.entries()) q.done(results[i] as ResultSet[]);
      },
      (e: unknown) => {
        for (const q of group) q.fail(e);
      },
    );
  };
  return (statements: InStatement[], begin: string) =>
    new Promise<ResultSet[]>((done, fail) => {
      queue.push({ statements, begin, done, fail });
      if (queue.length === 1) setImmediate(drain);
    });
}

/** `AppDeps.storageFault` of a client: a prepared one's failed WAL flush; other clients never say one. */
export const storageFaultOf = (client: Client) => () =>
  flushFault((client as Partial<PreparedClient>).flushFailure ?? null);

/**
 * Opens a local libSQL database (`file:` URL or `:memory:`) with statements prepared once.
 * `flushOffThread` puts a file in WAL mode and flushes its commits in the thread pool instead of
 * inside COMMIT (`wal-sync.ts`); writes still resolve only once on disk.
 */
export function createPreparedClient(
  url: string,
  opts: { timeoutMs?: number; flushOffThread?: boolean; flushFile?: FlushFile } = {},
): PreparedClient {
  const path = pathOf(url);
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const open = () =>
    new PreparedConnection(
      path,
      timeoutMs,
      opts.flushOffThread,
      opts.flushFile,
      Math.min(timeoutMs, NATIVE_BUSY_MS),
    );
  let conn = open();
  const live = (): PreparedConnection => {
    if (client.closed) throw new LibsqlError("The client is closed", "CLIENT_CLOSED");
    return conn;
  };
  const batches = groupCommits(live);
  const client: PreparedClient = {
    get preparedCount() {
      return conn.preparedCount;
    },
    get flushCount() {
      return conn.flushCount;
    },
    get flushFailure() {
      return conn.flushFailure;
    },
    closed: false,
    protocol: "file",
    // A statement outside a transaction, and a batch (rolled back whole), did nothing when refused
    // as busy: each is tried again until the wait is over.
    execute: async (stmt: InStatement | string, args?: InArgs) => {
      const statement = typeof stmt === "string" ? { sql: stmt, args: args ?? [] } : stmt;
      // A write alone is a batch of one, begun IMMEDIATE: refused as busy at its first step, the
      // native driver kept it unreset and the connection wedged, as a DEFERRED batch did.
      if (writesRows(statement.sql)) {
        live();
        // It waits for the turn's end as a batch does: a read sent after it without awaiting it
        // runs first. Its error is the statement's own, as outside a batch.
        return patiently(timeoutMs, () => batches([statement], "BEGIN IMMEDIATE")).then(
          (results) => results[0] as ResultSet,
          (e: unknown) => {
            throw e instanceof LibsqlBatchError && e.cause instanceof LibsqlError ? e.cause : e;
          },
        );
      }
      return patiently(timeoutMs, () => durably(live(), (c) => c.execute(statement)));
    },
    batch: async (stmts: (InStatement | [string, InArgs?])[], mode?: TransactionMode) => {
      const statements = stmts.map((s) => (Array.isArray(s) ? { sql: s[0], args: s[1] ?? [] } : s));
      const begin = mode === "read" ? beginOf(mode) : beginOfBatch(statements, mode);
      // A batch that only reads waits for no write: in a write's group it began IMMEDIATE with it,
      // and a problem's page waited out another process's lock and was answered 503.
      if (mode === "read" || begin === "BEGIN DEFERRED")
        return patiently(timeoutMs, () => durably(live(), (c) => c.batch(statements, begin)));
      live();
      return patiently(timeoutMs, () => batches(statements, begin));
    },
    migrate: async (stmts: InStatement[]) =>
      patiently(timeoutMs, () =>
        durably(live(), (c) => {
          c.execute("PRAGMA foreign_keys=off");
          try {
            return c.batch(stmts, beginOf("write"));
          } finally {
            c.execute("PRAGMA foreign_keys=on");
          }
        }),
      ),
    transaction: async (mode?: TransactionMode) => {
      live();
      if (path === ":memory:") {
        throw new LibsqlError("An in-memory database has one connection; use batch()", "TRANSACTION_ACTIVE");
      }
      const own = new PreparedConnection(path, timeoutMs);
      own.execute(beginOf(mode ?? "write"));
      return new PreparedTransaction(own);
    },
    executeMultiple: async (sql: string) =>
      durably(live(), (c) => {
        try {
          c.exec(sql);
        } catch (e) {
          throw asLibsqlError(e);
        } finally {
          if (c.db.inTransaction) c.execute("ROLLBACK");
        }
      }),
    sync: async () => undefined,
    reconnect: async () => {
      conn.close();
      conn = open();
      client.closed = false;
    },
    close: () => {
      client.closed = true;
      conn.close();
    },
  };
  return client;
}

/** `file:/abs.db`, `file:///abs.db`, `file:rel.db` or `file::memory:` as the native driver's path. */
function pathOf(url: string): string {
  if (!url.startsWith("file:")) throw new Error(`not a local database URL: ${url}`);
  const rest = url.slice("file:".length).split("?")[0] as string;
  if (rest === ":memory:") return ":memory:";
  return rest.startsWith("//") ? rest.slice(2) : rest;
}
