/**
 * Caching of the public figures (`/api/stats/*`), as the map's tiles are cached: a browser or the
 * edge may keep an answer for a few seconds, then revalidates it with a weak ETag. The figures
 * change with every write and with the clock (deadlines pass), so the ETag is a digest of the
 * answer itself; the answer's `at` (when it was figured, new on every request) is left out of it,
 * so an answer that says the same gets a 304.
 */
import type { MiddlewareHandler } from "hono";
import { etag } from "hono/etag";

/** Seconds a browser or the edge may keep the figures without asking (the tiles' too). */
export const FIGURES_MAX_AGE_S = 15;

/** What an OpenAPI document says of the 304 a matching `If-None-Match` gets. */
export const NOT_MODIFIED = { description: "Unchanged since the ETag sent in If-None-Match" };

/** The answer's bytes without its top-level `at` when it is JSON; other answers (CSV) as they are. */
function withoutAt(body: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const text = new TextDecoder().decode(body);
  if (!text.startsWith("{")) return body;
  const { at: _at, ...rest } = JSON.parse(text) as Record<string, unknown>;
  return new TextEncoder().encode(JSON.stringify(rest));
}

const setCacheControl: MiddlewareHandler = async (c, next) => {
  await next();
  if (c.res.status === 200) c.header("Cache-Control", `public, max-age=${FIGURES_MAX_AGE_S}`);
};

/** The middleware of the figures' routes, in order: the ETag wraps the Cache-Control it keeps on a 304. */
export const figuresCache: MiddlewareHandler[] = [
  etag({ weak: true, generateDigest: (body) => crypto.subtle.digest("SHA-1", withoutAt(body)) }),
  setCacheControl,
];
