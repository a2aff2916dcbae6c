/** A GET to a city's Open311 server (polls and look-ups), by the dispatch loop's address rules. */
import { open311Url } from "../domain/open311-client";
import type { DeliverOptions } from "./deliver";
import { type Reach, reach } from "./reach";
import { isRetryableStatus } from "./retry-policy";

export interface Open311Server {
  endpoint: string | null;
  apiKey: string | null;
  jurisdictionId: string | null;
}

/** The server answered, but not with a success: `status` says how. */
export class Open311Refusal extends Error {
  constructor(readonly status: number) {
    super(`HTTP ${status}`);
  }
}

/** The JSON of `path`; throws `Open311Refusal` for a non-2xx answer, other errors as they come. */
export async function getOpen311Json(
  server: Open311Server,
  path: string,
  opts: DeliverOptions & { timeoutMs: number },
  query: Record<string, string> = {},
): Promise<unknown> {
  const url = open311Url(server.endpoint ?? "", path, {
    jurisdiction_id: server.jurisdictionId,
    api_key: server.apiKey,
    ...query,
  });
  const way = await reach(url.href, { ...opts, allowPrivate: opts.config.allowPrivateWebhooks });
  if (!way.ok) throw new Error(way.reason);
  try {
    const get = way.fetch;
    const res = await get(way.url, {
      headers: { accept: "application/json", "user-agent": "CivicLoop-Open311/1" },
      redirect: "manual",
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
    if (!res.ok) {
      await res.body?.cancel().catch(() => {});
      throw new Open311Refusal(res.status);
    }
    return await res.json();
  } finally {
    await way.close().catch(() => {});
  }
}

/**
 * Looks for what an earlier attempt may have left at the city, in the list at `path`: what `find`
 * picks (null: nothing), or `"unknown"` when the city could not be asked now (try again later).
 * A server that does not list (a 4xx other than 408/429, or 501) cannot be asked at all: null,
 * and the caller sends. A busy or failing one (408, 429, other 5xx) is asked again later.
 */
export async function lookUpEarlier(
  server: Open311Server,
  path: string,
  opts: DeliverOptions & { timeoutMs: number },
  query: Record<string, string>,
  find: (list: unknown) => string | null,
): Promise<string | null | "unknown"> {
  try {
    return find(await getOpen311Json(server, path, opts, query));
  } catch (e) {
    const cannotList =
      e instanceof Open311Refusal && (e.status === 501 || (e.status < 500 && !isRetryableStatus(e.status)));
    return cannotList ? null : "unknown";
  }
}

/** The date-time `ms` as a GeoReport v2 query takes it (UTC, to the second). */
export const w3cSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** The department's Open311 server as a delivery row names it. */
export const serverOf = (row: {
  open311Endpoint: string | null;
  open311ApiKey: string | null;
  open311Jurisdiction: string | null;
}): Open311Server => ({
  endpoint: row.open311Endpoint,
  apiKey: row.open311ApiKey,
  jurisdictionId: row.open311Jurisdiction,
});

/**
 * POSTs a form to a city's Open311 server as every Open311 write goes: no redirect followed (it
 * could lead past the address rules), within the timeout; its status, text and time.
 */
export async function postForm(
  way: Extract<Reach, { ok: true }>,
  form: URLSearchParams,
  timeoutMs: number,
): Promise<{ status: number; text: string; latencyMs: number; retryAfter: string | null }> {
  const started = performance.now();
  const res = await way.fetch(way.url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", "user-agent": "CivicLoop-Open311/1" },
    body: form.toString(),
    redirect: "manual",
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text().catch(() => "");
  const latencyMs = Math.round(performance.now() - started);
  return { status: res.status, text, latencyMs, retryAfter: res.headers.get("retry-after") };
}
