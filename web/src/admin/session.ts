/**
 * The admin's session: a bearer token (the bootstrap ADMIN_TOKEN, or a staff session's token) kept
 * in sessionStorage only, so closing the tab signs out; no cookie authorizes anything, so no CSRF
 * (the sign-in's HttpOnly device cookie only spares this browser the lockout others may cause).
 */
import { ApiError, apiWithToken, noteRefusal, retryAfterOf } from "../api/client";

const TOKEN_KEY = "civicloop.adminToken";
const NAME_KEY = "civicloop.adminName";

export interface AdminSession {
  token: string;
  /** The staff member's name; null for the holder of the admin token. */
  name: string | null;
}

export function savedSession(): AdminSession | null {
  const token = sessionStorage.getItem(TOKEN_KEY);
  return token ? { token, name: sessionStorage.getItem(NAME_KEY) } : null;
}

export function saveSession(s: AdminSession | null) {
  if (!s) {
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(NAME_KEY);
    return;
  }
  sessionStorage.setItem(TOKEN_KEY, s.token);
  if (s.name) sessionStorage.setItem(NAME_KEY, s.name);
  else sessionStorage.removeItem(NAME_KEY);
}

/** The typed admin API as the session's holder calls it. */
export const adminApi = (token: string) => apiWithToken(token).admin;

/**
 * A JSON call outside the typed client, for the staff and sign-in endpoints (built beside this
 * console; a server without them answers 404, which the caller turns into a message).
 */
export async function callJson<T>(
  method: "GET" | "POST" | "PATCH",
  path: string,
  opts: { token?: string; body?: unknown } = {},
): Promise<T> {
  const res = await fetch(path, {
    method,
    headers: {
      ...(opts.body === undefined ? {} : { "content-type": "application/json" }),
      ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
    },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  });
  if (opts.token) noteRefusal(opts.token, res);
  const body = (await res.json().catch(() => null)) as
    | (T & { error?: { code: string; message: string; field?: string } })
    | null;
  if (!res.ok || !body)
    throw new ApiError(
      res.status,
      body?.error?.code ?? "http_error",
      body?.error?.message ?? `HTTP ${res.status}`,
      body?.error?.field,
      retryAfterOf(res.headers),
    );
  return body;
}
