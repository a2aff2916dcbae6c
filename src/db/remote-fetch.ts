/**
 * The fetch a remote libSQL client (Turso, sqld) sends its requests with: each given at most
 * `timeoutMs`, and a failure to reach the database (refused, reset, no answer in time) thrown as
 * `DatabaseUnreachable`, which the API answers with a 503 and `Retry-After`. The client's own
 * `timeout` is a busy timeout for local files only: a database that took connections and never
 * answered had every request hang for good, on Node and on Workers alike.
 */
import { DatabaseUnreachable } from "../domain/errors";

/** Long enough for a sensor upload's batch over a slow link, short of a client giving up. */
export const DATABASE_TIMEOUT_MS = 15_000;

export function remoteDatabaseFetch(timeoutMs = DATABASE_TIMEOUT_MS) {
  return async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const deadline = new AbortController();
    const timer = setTimeout(() => deadline.abort(), timeoutMs);
    const asked = init?.signal;
    asked?.addEventListener("abort", () => deadline.abort(asked.reason), { once: true });
    try {
      const answer = await fetch(input, { ...init, signal: deadline.signal });
      // The whole answer within the deadline: a body that stops coming is no answer either.
      const body = await answer.arrayBuffer();
      return new Response(body, {
        status: answer.status,
        statusText: answer.statusText,
        headers: answer.headers,
      });
    } catch (e) {
      if (asked?.aborted) throw e;
      throw new DatabaseUnreachable(
        deadline.signal.aborted
          ? `the database gave no answer within ${timeoutMs / 1000} s`
          : "the database could not be reached",
        { cause: e },
      );
    } finally {
      clearTimeout(timer);
    }
  };
}
