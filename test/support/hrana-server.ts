/**
 * A libSQL database served over the Hrana protocol, version 2 over HTTP (`POST /v2/pipeline`),
 * the protocol `@libsql/client` speaks to Turso and sqld for `libsql://` and `http(s)://` URLs. It
 * stands in for `turso dev` (which cannot be installed here): the engine is the real `libsql`
 * package on a real file; only the protocol front is ours, written from the Hrana specification.
 *
 * Each stream (a baton) holds its own connection, so a transaction opened in one pipeline is
 * still open in the next, as on sqld; a stream left idle is closed.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Database from "libsql";

type Value =
  | { type: "null" }
  | { type: "integer"; value: string }
  | { type: "float"; value: number }
  | { type: "text"; value: string }
  | { type: "blob"; base64: string };

interface Stmt {
  sql?: string;
  sql_id?: number;
  args?: Value[];
  named_args?: { name: string; value: Value }[];
  want_rows?: boolean;
}

type Condition =
  | { type: "ok" | "error"; step: number }
  | { type: "not"; cond: Condition }
  | { type: "and" | "or"; conds: Condition[] }
  | { type: "is_autocommit" };

interface PipelineRequest {
  type: string;
  stmt?: Stmt;
  batch?: { steps: { condition?: Condition; stmt: Stmt }[] };
  sql?: string;
  sql_id?: number;
}

interface Stream {
  conn: Database.Database;
  sqls: Map<number, string>;
  timer: ReturnType<typeof setTimeout>;
}

/** What sqld answers a failed statement with: the message and SQLite's code name. */
class HranaError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

const IDLE_MS = 10_000;

function decode(v: Value): unknown {
  switch (v.type) {
    case "null":
      return null;
    case "integer":
      return BigInt(v.value);
    case "float":
      return v.value;
    case "text":
      return v.value;
    case "blob":
      return Buffer.from(v.base64, "base64");
  }
}

function encode(v: unknown): Value {
  if (v === null || v === undefined) return { type: "null" };
  if (typeof v === "bigint") return { type: "integer", value: v.toString() };
  if (typeof v === "number") return { type: "float", value: v };
  if (typeof v === "string") return { type: "text", value: v };
  if (Buffer.isBuffer(v) || v instanceof Uint8Array)
    return { type: "blob", base64: Buffer.from(v).toString("base64") };
  throw new Error(`cannot encode ${typeof v}`);
}

function execute(s: Stream, stmt: Stmt) {
  const sql = stmt.sql ?? (stmt.sql_id !== undefined ? s.sqls.get(stmt.sql_id) : undefined);
  if (sql === undefined)
    throw new HranaError("statement has neither sql nor a known sql_id", "SQL_NOT_FOUND");
  try {
    const prepared = s.conn.prepare(sql);
    prepared.safeIntegers(true);
    const positional = (stmt.args ?? []).map(decode);
    const named = Object.fromEntries(
      (stmt.named_args ?? []).map((a) => [a.name.replace(/^[:@$]/, ""), decode(a.value)]),
    );
    const params = stmt.named_args?.length ? [...positional, named] : positional;
    if (prepared.reader) {
      const columns = prepared.columns();
      const rows = prepared.raw(true).all(...params) as unknown[][];
      return {
        cols: columns.map((c) => ({ name: c.name, decltype: c.type ?? null })),
        rows: stmt.want_rows === false ? [] : rows.map((r) => r.map(encode)),
        affected_row_count: 0,
        last_insert_rowid: null,
        rows_read: rows.length,
        rows_written: 0,
        query_duration_ms: 0,
      };
    }
    const info = prepared.run(...params);
    return {
      cols: [],
      rows: [],
      affected_row_count: Number(info.changes),
      last_insert_rowid: info.lastInsertRowid === undefined ? null : String(info.lastInsertRowid),
      rows_read: 0,
      rows_written: Number(info.changes),
      query_duration_ms: 0,
    };
  } catch (e) {
    if (e instanceof HranaError) throw e;
    const err = e as { message?: string; code?: string };
    throw new HranaError(err.message ?? String(e), err.code ?? "SQLITE_ERROR");
  }
}

function holds(c: Condition, results: (unknown | null)[], errors: (unknown | null)[], s: Stream): boolean {
  switch (c.type) {
    case "ok":
      return results[c.step] != null;
    case "error":
      return errors[c.step] != null;
    case "not":
      return !holds(c.cond, results, errors, s);
    case "and":
      return c.conds.every((x) => holds(x, results, errors, s));
    case "or":
      return c.conds.some((x) => holds(x, results, errors, s));
    case "is_autocommit":
      return !s.conn.inTransaction;
  }
}

const failure = (e: unknown) => {
  const err = e instanceof HranaError ? e : new HranaError(String(e), "UNKNOWN");
  return { message: err.message, code: err.code };
};

export interface HranaServer {
  /** `http://127.0.0.1:PORT`: a `DATABASE_URL` for the Node server and the Worker alike. */
  url: string;
  /** Pipelines answered so far (each a round trip a client made). */
  pipelines(): number;
  close(): Promise<void>;
}

/** Serves the libSQL file at `path` over Hrana 2 on a free loopback port. */
export async function startHranaServer(path: string): Promise<HranaServer> {
  const streams = new Map<string, Stream>();
  let batons = 0;
  let pipelines = 0;
  const closeStream = (baton: string) => {
    const s = streams.get(baton);
    if (!s) return;
    clearTimeout(s.timer);
    if (s.conn.inTransaction) s.conn.exec("ROLLBACK");
    s.conn.close();
    streams.delete(baton);
  };
  const openStream = (): Stream => {
    const conn = new Database(path);
    conn.exec("PRAGMA busy_timeout = 10000");
    return { conn, sqls: new Map(), timer: setTimeout(() => {}, 0) };
  };

  const answer = (body: { baton?: string | null; requests: PipelineRequest[] }) => {
    const baton = body.baton ?? null;
    const stream = baton === null ? openStream() : streams.get(baton);
    if (!stream) throw new HranaError("unknown or expired baton", "STREAM_EXPIRED");
    if (baton !== null) {
      clearTimeout(stream.timer);
      streams.delete(baton);
    }
    let closed = false;
    const results = body.requests.map((req) => {
      const s = stream;
      try {
        switch (req.type) {
          case "execute":
            return { type: "ok", response: { type: "execute", result: execute(s, req.stmt ?? {}) } };
          case "batch": {
            const steps = req.batch?.steps ?? [];
            const stepResults: unknown[] = [];
            const stepErrors: unknown[] = [];
            steps.forEach((step, i) => {
              stepResults[i] = null;
              stepErrors[i] = null;
              if (step.condition && !holds(step.condition, stepResults, stepErrors, s)) return;
              try {
                stepResults[i] = execute(s, step.stmt);
              } catch (e) {
                stepErrors[i] = failure(e);
              }
            });
            return {
              type: "ok",
              response: { type: "batch", result: { step_results: stepResults, step_errors: stepErrors } },
            };
          }
          case "sequence":
            s.conn.exec(req.sql ?? "");
            return { type: "ok", response: { type: "sequence" } };
          case "store_sql": {
            s.sqls.set(req.sql_id ?? -1, req.sql ?? "");
            return { type: "ok", response: { type: "store_sql" } };
          }
          case "close_sql":
            s.sqls.delete(req.sql_id ?? -1);
            return { type: "ok", response: { type: "close_sql" } };
          case "get_autocommit":
            return { type: "ok", response: { type: "get_autocommit", is_autocommit: !s.conn.inTransaction } };
          case "close":
            closed = true;
            return { type: "ok", response: { type: "close" } };
          default:
            throw new HranaError(`request type ${req.type} is not served here`, "PROTOCOL_ERROR");
        }
      } catch (e) {
        return { type: "error", error: failure(e) };
      }
    });
    if (closed) {
      if (stream.conn.inTransaction) stream.conn.exec("ROLLBACK");
      stream.conn.close();
      return { baton: null, base_url: null, results };
    }
    const next = `b${++batons}`;
    stream.timer = setTimeout(() => closeStream(next), IDLE_MS);
    streams.set(next, stream);
    return { baton: next, base_url: null, results };
  };

  const server: Server = createServer((req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (req.method === "GET" && (req.url === "/v2" || req.url === "/health")) return reply(200, {});
    if (req.method !== "POST" || req.url !== "/v2/pipeline") return reply(404, { message: "not found" });
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      try {
        pipelines++;
        reply(200, answer(JSON.parse(Buffer.concat(chunks).toString("utf8"))));
      } catch (e) {
        reply(400, failure(e));
      }
    });
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    pipelines: () => pipelines,
    async close() {
      for (const baton of [...streams.keys()]) closeStream(baton);
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
    },
  };
}
