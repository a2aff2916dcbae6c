/**
 * Conditional GET for answers whose version is read from the database before they are made
 * (the exports): the ETag is known first, so a matching `If-None-Match` is answered `304` without
 * reading a row. The comparison is RFC 9110's (§13.1.2): a list of entity tags or `*`, compared
 * weakly (`W/"a"` matches `"a"`), as every GET may compare.
 */
import type { Context } from "hono";
import { sha256Hex } from "../domain/crypto";

/** What an OpenAPI document says of the 304 a matching `If-None-Match` gets. */
export const NOT_MODIFIED = { description: "Unchanged since the ETag sent in If-None-Match" };

/**
 * `If-None-Match` as a whole: `*`, or entity tags separated by commas (an opaque tag may hold a
 * comma itself, so the list is read tag by tag, never split on commas).
 */
const NONE_MATCH =
  /^\s*(?:\*|(?:W\/)?"[\x21\x23-\x7e\x80-\xff]*"(?:\s*,\s*(?:W\/)?"[\x21\x23-\x7e\x80-\xff]*")*)\s*$/;
const ENTITY_TAG = /(?:W\/)?"[\x21\x23-\x7e\x80-\xff]*"/g;

/**
 * Whether `header` (an `If-None-Match` value) matches `etag` by weak comparison. A malformed
 * header matches nothing: the full answer is never wrong, a 304 for a tag misread would be.
 */
export function noneMatchHits(header: string | undefined, etag: string): boolean {
  if (!header || !NONE_MATCH.test(header)) return false;
  if (header.trim() === "*") return true;
  const opaque = (tag: string) => (tag.startsWith("W/") ? tag.slice(2) : tag);
  const mine = opaque(etag);
  return (header.match(ENTITY_TAG) ?? []).some((tag) => opaque(tag) === mine);
}

/**
 * A weak ETag of `version` and the request's path and query (filters and format each give their
 * own tag): the query is digested, so the tag stays short and carries only what the URL did.
 */
export async function versionTag(c: Context, version: string): Promise<string> {
  const url = new URL(c.req.url);
  const digest = (await sha256Hex(`${url.pathname}${url.search}`)).slice(0, 16);
  return `W/"${version}-${digest}"`;
}

/**
 * Sets the ETag and `Cache-Control` and, for a matching `If-None-Match`, returns the `304` (no
 * body) to answer with; else null, and the caller makes the answer. No `Last-Modified` is sent,
 * so `If-Modified-Since` is never answered with a 304 here (RFC 9110 §13.1.3: it is ignored when
 * `If-None-Match` is present, and without a date of ours there is nothing to compare it with).
 */
export function notModified(c: Context, etag: string, maxAgeS: number): Response | null {
  c.header("ETag", etag);
  c.header("Cache-Control", `public, max-age=${maxAgeS}`);
  return noneMatchHits(c.req.header("If-None-Match"), etag) ? c.body(null, 304) : null;
}
