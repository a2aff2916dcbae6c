/**
 * The typed API client, the only one in the web app: `hono/client` over the server's own app
 * type, so paths, query parameters, bodies (the shared zod schemas in `src/schemas`) and answers
 * are checked against the server at compile time.
 */
import { hc } from "hono/client";
import type { App } from "../../../src/app";
import { retryAfterMs } from "../../../src/domain/retry-after";
import { askingFor, noteAnswer } from "../lib/saved-answers";

const origin = typeof location === "undefined" ? "http://localhost" : location.origin;

/** The API as anyone calls it; each answer noted, so a saved one shown offline is said to be. */
export const api = hc<App>(origin, {
  fetch: async (input: RequestInfo | URL, init?: RequestInit) => {
    const ticket = askingFor(input instanceof Request ? input.url : String(input));
    try {
      const res = await fetch(input, init);
      noteAnswer(ticket, res);
      return res;
    } catch (e) {
      noteAnswer(ticket, null);
      throw e;
    }
  },
}).api;

/**
 * How long a staff request may go unanswered: on a weak connection a request can hang for
 * minutes, holding the console's buttons (one request at a time) with nothing said.
 */
const STAFF_TIMEOUT_MS = 60_000;

/** The API as the holder of a token calls it (the department console): each request carries it. */
export const apiWithToken = (token: string): typeof api =>
  hc<App>(origin, {
    headers: { authorization: `Bearer ${token}` },
    fetch: async (input: RequestInfo | URL, init?: RequestInit) =>
      noteRefusal(
        token,
        await fetch(input, {
          ...init,
          signal: init?.signal ?? AbortSignal.timeout?.(STAFF_TIMEOUT_MS),
        }),
      ),
  }).api;

/**
 * Fired on `window` (its `detail` the token) when an answer says a bearer token no longer holds:
 * a 401 (revoked, signed out elsewhere, expired). The page signed in with it signs out and says so,
 * rather than go on naming who is signed in over requests that all fail.
 */
export const TOKEN_REFUSED = "civicloop-token-refused";

/** Passes `res` on, telling the page first when it refused `token`. */
export function noteRefusal(token: string, res: Response): Response {
  if (res.status === 401) window.dispatchEvent(new CustomEvent(TOKEN_REFUSED, { detail: token }));
  return res;
}

/** A refused request, with the server's `{error:{code,message,field}}`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    /** A 429's `Retry-After`, in seconds, where the answer said. */
    readonly retryAfterS?: number,
  ) {
    super(message);
  }
}

type JsonResponse<T> = { ok: boolean; status: number; headers?: Headers; json(): Promise<T> };

/** The body of a successful answer; an `ApiError` otherwise. */
export async function ok<T>(pending: Promise<JsonResponse<T>>): Promise<Exclude<T, { error: unknown }>> {
  const res = await pending;
  const body = (await res.json().catch(() => null)) as
    | (Exclude<T, { error: unknown }> & { error?: { code: string; message: string; field?: string } })
    | null;
  if (!res.ok || !body) {
    throw new ApiError(
      res.status,
      body?.error?.code ?? "http_error",
      body?.error?.message ?? `HTTP ${res.status}`,
      body?.error?.field,
      retryAfterOf(res.headers),
    );
  }
  return body;
}

/** `Retry-After` in seconds (delay-seconds or an HTTP date), where the answer gave one. */
export function retryAfterOf(headers: Headers | undefined): number | undefined {
  const ms = retryAfterMs(headers?.get("retry-after"));
  return ms !== null && ms > 0 ? Math.ceil(ms / 1000) : undefined;
}
