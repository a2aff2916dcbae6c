/**
 * Caching of the public figures (`/api/stats/*`), as the map's tiles are cached: a browser or the
 * edge may keep an answer for a few seconds, then revalidates it with a weak ETag, a digest of the
 * answer without its `at` (when it was figured), so an answer that says the same gets a 304.
 *
 * The server keeps answers too (`keptBy`): under a key read from the database that moves with
 * every write that changes a figure (`store/figures-version.ts`), so a repeat request with
 * unchanged figures costs that read and a lookup, in any number of processes. A kept answer is
 * kept FIGURES_MAX_AGE_S at most, so its `at` is never older than a browser's copy may be.
 */
import type { Context, MiddlewareHandler } from "hono";
import { etag } from "hono/etag";
import type { AppEnv } from "./context";

/** Seconds a browser or the edge may keep the figures without asking (the tiles' too). */
export const FIGURES_MAX_AGE_S = 15;

/** The answer's bytes without a trailing top-level `at` (every figures answer ends with it). */
function withoutAt(body: Uint8Array<ArrayBuffer>): Uint8Array<ArrayBuffer> {
  const text = new TextDecoder().decode(body);
  const rest = text.replace(/,"at":"[^"]*"\}$/, "}");
  return rest === text ? body : new TextEncoder().encode(rest);
}

const digest = (body: Uint8Array<ArrayBuffer>) => crypto.subtle.digest("SHA-1", withoutAt(body));

const hex = (bytes: ArrayBuffer) =>
  [...new Uint8Array(bytes)].map((b) => b.toString(16).padStart(2, "0")).join("");

const setCacheControl: MiddlewareHandler = async (c, next) => {
  await next();
  if (c.res.status === 200) c.header("Cache-Control", `public, max-age=${FIGURES_MAX_AGE_S}`);
};

/** The middleware of the figures' routes, in order: the ETag wraps the Cache-Control it keeps on a 304. */
export const figuresCache: MiddlewareHandler[] = [
  etag({ weak: true, generateDigest: digest }),
  setCacheControl,
];

interface Kept {
  key: string;
  since: number;
  body: Uint8Array<ArrayBuffer>;
  /** The route's own headers (what the body is; the CSV's file name) and the ETag: nothing of one request's. */
  headers: Record<string, string>;
  /** The body gzipped, once a client took gzip from a Node server (`c.var.gzip`). */
  gzip?: Uint8Array<ArrayBuffer>;
}

const OWN_HEADERS = ["content-type", "content-disposition", "link"];

/**
 * Answers kept per database (tests run many apps in one process), by path and query: a few per
 * path (periods, departments' trends), the oldest dropped first.
 */
const keptOf = new WeakMap<object, Map<string, Kept>>();
const KEPT_MAX = 256;

async function keep(c: Context<AppEnv>, key: string, now: number): Promise<Kept | null> {
  if (c.res.status !== 200) return null;
  const body = new Uint8Array(await c.res.arrayBuffer());
  const headers: Record<string, string> = { ETag: `W/"${hex(await digest(body))}"` };
  for (const name of OWN_HEADERS) {
    const value = c.res.headers.get(name);
    if (value !== null) headers[name] = value;
  }
  return { key, since: now, body, headers };
}

/**
 * Keeps a route's answer while `keyOf` (read from the database) and FIGURES_MAX_AGE_S hold. After
 * the request's validators: a refusal is never kept. Its ETag goes to `figuresCache`'s.
 */
export function keptBy(
  keyOf: (c: Context<AppEnv>, now: number) => Promise<string>,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    // A database first seen keeps nothing and pays no key read: a Worker opens one per request.
    const kept = keptOf.get(c.var.db);
    if (!kept) {
      keptOf.set(c.var.db, new Map());
      return next();
    }
    const now = c.var.now();
    const url = c.req.url;
    const key = await keyOf(c, now);
    let entry = kept.get(url);
    if (!entry || entry.key !== key || now - entry.since >= FIGURES_MAX_AGE_S * 1000) {
      await next();
      const made = await keep(c, key, now);
      if (!made) return;
      entry = made;
      kept.delete(url);
      kept.set(url, entry);
      if (kept.size > KEPT_MAX) kept.delete(kept.keys().next().value as string);
    }
    const headers = { ...entry.headers };
    let body = entry.body;
    const gzip = c.get("gzip");
    if (gzip) {
      entry.gzip ??= gzip(entry.body) as Uint8Array<ArrayBuffer>;
      body = entry.gzip;
      headers["Content-Encoding"] = "gzip";
    }
    // Through `c.body`, so the headers other middleware set for this request stay.
    c.res = c.body(body, 200, headers);
    c.res.headers.delete("Content-Length");
  };
}
