/**
 * Typed errors. Domain and store code throw these; the app's one `onError` turns them into
 * `{ error: { code, message, field? } }` with the status they carry.
 */
export class AppError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 429 | 503,
    readonly code: string,
    message: string,
    readonly field?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = "AppError";
  }
}

export const invalid = (field: string, message: string, code = "invalid_field") =>
  new AppError(400, code, message, field);

export const notFound = (what: string) => new AppError(404, "not_found", `${what} not found`);

/** A method the path does not take: 405, with the ones it does for the `Allow` header. */
export const methodNotAllowed = (method: string, path: string, allowed: readonly string[]) =>
  new AppError(
    405,
    "method_not_allowed",
    `${method} is not allowed on ${path}; use ${allowed.join(" or ")}`,
    undefined,
    {
      allow: allowed.join(", "),
    },
  );

/** An `Idempotency-Key` sent again with another request than the first (`what`: "a different batch"). */
export const keyReused = (what: string) =>
  new AppError(422, "idempotency_key_reused", `Idempotency-Key: was used for ${what}`, "Idempotency-Key");

export const conflict = (code: string, message: string, details?: Record<string, unknown>) =>
  new AppError(409, code, message, undefined, details);

/** A client that left before sending all it said it would: its own doing, not the server's failure. */
export const incompleteBody = () =>
  new AppError(400, "incomplete_body", "the body ended before its stated Content-Length", "body");

/**
 * An error as the client caused it: Node's `aborted` (ECONNRESET), a body read through the web
 * `Request` when its client hung up, is that 400, never logged as the server's failure.
 */
export const asClientError = (err: Error): Error =>
  (err as Error & { code?: unknown }).code === "ECONNRESET"
    ? incompleteBody()
    : isBusy(err)
      ? databaseBusy()
      : isUnreachable(err)
        ? databaseUnreachable()
        : err;

/**
 * A remote database (Turso, sqld) that could not be reached, refused the connection or gave no
 * answer in time (`src/db/remote-fetch.ts`): what was asked may or may not have been done there,
 * but nothing was acknowledged.
 */
export class DatabaseUnreachable extends Error {
  override name = "DatabaseUnreachable";
}

/** Whether an error, or one it was caused by (a query's, a client's wrapping), is `DatabaseUnreachable`. */
function isUnreachable(err: unknown): boolean {
  for (let e = err, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++)
    if (e instanceof DatabaseUnreachable) return true;
  return false;
}

/** A 503 a client can act on: the database did not answer, nothing was acknowledged. */
const databaseUnreachable = () =>
  new AppError(
    503,
    "database_unavailable",
    "the database did not answer; nothing was kept from this request, try again shortly",
    undefined,
    { retryAfter: BUSY_RETRY_AFTER_S },
  );

/** Seconds a client is asked to wait when the database is busy. */
const BUSY_RETRY_AFTER_S = 5;

/**
 * The database kept busy past its wait by another process writing (`npm run sample`, a second
 * server, a long migration): nothing was written, and a retry shortly succeeds. A 503 a client
 * can act on, never a 500.
 */
export const databaseBusy = () =>
  new AppError(503, "database_busy", "the database is busy with other work; try again shortly", undefined, {
    retryAfter: BUSY_RETRY_AFTER_S,
  });

/** Whether an error (or the error a query failed with, which drizzle wraps) is SQLite's BUSY. */
export function isBusy(err: unknown): boolean {
  const cause = err instanceof Error ? err.cause : undefined;
  return [err, cause].some((e) =>
    /^SQLITE_BUSY/.test(String((e as { code?: unknown } | null | undefined)?.code)),
  );
}

/**
 * An unexpected error as a log line that cannot carry a reporter's data: a failed query's
 * parameters (drizzle puts them into its error message and stack) are left out, its SQL and the
 * database's own message kept, with the stack frames for finding the place.
 */
export function loggableError(e: unknown): string {
  if (!(e instanceof Error)) return `non-error thrown: ${typeof e}`;
  const frames = (e.stack ?? "").split("\n").filter((line) => /^\s+at /.test(line));
  const failedQuery = e as Error & { query?: unknown; params?: unknown };
  const head =
    failedQuery.params !== undefined && typeof failedQuery.query === "string"
      ? `${e.name}: ${e.cause instanceof Error ? e.cause.message : "query failed"} in ${failedQuery.query}`
      : `${e.name}: ${e.message}`;
  return [head, ...frames.slice(0, 8)].join("\n");
}
