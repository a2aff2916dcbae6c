/**
 * One interface for rate limiting, whatever keeps the counts: in-process on Node
 * (`src/node/memory-rate-limiter.ts`), a window in the database on Workers
 * (`src/store/rate-limits.ts`). A limited write answers 429 with `Retry-After`.
 */

import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import { AppError } from "../domain/errors";
import type { LimitedWrite, LimitKind, LimitRule } from "../domain/rate-limit";
import type { AppEnv } from "./context";
import { isOwnOrigin } from "./own-origin";
import { tryLaterPage, wantsPage } from "./plain-page";

export interface LimitDecision {
  ok: boolean;
  /** When the caller may try again, in milliseconds from now (0 when ok). */
  retryAfterMs: number;
}

export interface RateLimiter {
  /**
   * Counts `cost` hits against `key` under `rule`; ok while within the limit. Cost 0 only looks,
   * and is ok while one more hit would be: a check before work that counts only if it fails.
   * A negative cost gives hits back (never below none): an attempt counted before its work,
   * whose work then succeeded.
   */
  hit(key: string, rule: LimitRule, cost?: number): Promise<LimitDecision>;
}

/** A 429 in the usual error shape; `onError` adds the `Retry-After` header from its details. */
/** Each limited write in words ("too many reports", not "too many reports requests"). */
const WRITE_WORDS: Record<Exclude<LimitedWrite, "sign_in" | "sensor_events" | "sensor_cells">, string> = {
  reports: "reports",
  photos: "photo uploads",
  ratings: "ratings",
  reopen: "'still there' answers",
  devices: "device credentials",
  password_reset: "password reset requests",
  sensor: "road sensor uploads",
  follows: "follow requests",
  follow_links: "follow link requests",
  flags: "flags",
  place_names: "place name lookups",
};

export const tooMany = (write: LimitedWrite, kind: LimitKind, retryAfterMs: number) =>
  new AppError(
    429,
    "rate_limited",
    write === "sign_in"
      ? // Every credential counts against it (a password, a token, an Open311 api_key), and past it
        // a right password waits too: a guesser learns nothing from which one would have worked.
        // (What cannot be guessed, a token the server issued or a live api_key, is taken still.)
        `too many wrong passwords, tokens or API keys from this ${kind}; try again later`
      : write === "sensor_events" || write === "sensor_cells"
        ? `too many road ${write.slice("sensor_".length)} from this ${kind} today; try again later`
        : `too many ${WRITE_WORDS[write]} from this ${kind}; try again later`,
    undefined,
    {
      retryAfter: Math.max(1, Math.ceil(retryAfterMs / 1000)),
    },
  );

/**
 * Counts one `write` for `kind` = `value` (a network, a reporter key, an app) and throws 429 when
 * over its budget. No rule for that kind: nothing is counted.
 */
export async function enforceLimit(
  c: Context<AppEnv>,
  write: LimitedWrite,
  kind: LimitKind,
  value: string,
  cost = 1,
): Promise<void> {
  const rule = c.get("config").rateLimits[write][kind];
  if (!rule) return;
  const decision = await c.get("limiter").hit(`${write}:${kind}:${value}`, rule, cost);
  if (!decision.ok) throw tooMany(write, kind, decision.retryAfterMs);
}

/**
 * Gives back one `write` counted for `kind` = `value` by `enforceLimit`: an attempt counted
 * before it was checked, which turned out right (a sign-in with the right password).
 */
export async function refundLimit(
  c: Context<AppEnv>,
  write: LimitedWrite,
  kind: LimitKind,
  value: string,
  cost = 1,
): Promise<void> {
  const rule = c.get("config").rateLimits[write][kind];
  if (rule) await c.get("limiter").hit(`${write}:${kind}:${value}`, rule, -cost);
}

/** How a limiting middleware refuses. */
export interface LimitOptions {
  /**
   * The routes of mailed links, which people open in a browser: a refused request taking HTML gets
   * a page (`tryLaterPage`, still 429 with `Retry-After`) rather than the API's JSON.
   */
  page?: boolean;
}

/** Counts the request against its network's budget; the page refusing it, when it gets one. */
async function refusal(c: Context<AppEnv>, write: LimitedWrite, options: LimitOptions) {
  try {
    await enforceLimit(c, write, "network", c.get("network"));
  } catch (e) {
    if (!options.page || !(e instanceof AppError) || e.status !== 429 || !wantsPage(c)) throw e;
    c.header("Retry-After", String(e.details?.retryAfter ?? 60));
    return c.html(tryLaterPage, 429);
  }
}

/**
 * Whether a route ahead answers this method at this path: a 404 or 405 writes nothing, and had
 * spent the network's real budget (61 `DELETE /api/sensor/spots` refused its next phone upload).
 * A write route registered with `.all()` would count as no route here: register writes by method.
 */
const handled = (c: Context<AppEnv>) =>
  matchedRoutes(c)
    .slice(c.req.routeIndex + 1)
    .some((r) => r.method !== "ALL");

/**
 * Middleware limiting the writes under it per network (GET, HEAD and OPTIONS pass), e.g.
 * `.use(limitWrites("sensor"))`. Handlers that know the reporter add `enforceLimit(c, write, "reporter", key)`.
 * Put it before the validators: a request refused for its body, query or content type counts
 * too, or a flood of bad ones would never be refused.
 */
export const limitWrites =
  (write: LimitedWrite, options: LimitOptions = {}): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    if (!["GET", "HEAD", "OPTIONS"].includes(c.req.method) && handled(c)) {
      // Before counting: another site's page must not spend its visitors' networks' budgets. A
      // photo alone counts nobody (a report names it), and a department's own tool may upload a
      // repair's photos from its page with its token.
      if (write !== "photos") refuseOtherSites(c);
      const refused = await refusal(c, write, options);
      if (refused) return refused;
    }
    await next();
  };

/** How the OpenAPI document names `refuseOtherSites`'s answer. */
export const CROSS_SITE_ANSWER =
  "`cross_site`: sent by a page of another site (the browser's `Sec-Fetch-Site: cross-site`); another site's web client goes through Open311 with an API key";

/**
 * A `403 cross_site` for a write a page of another site sent (the browser's `Sec-Fetch-Site:
 * cross-site`, or `same-site` from an origin not its own). The API answers any origin, so without it any page, or an advert, could make each
 * visitor's browser report, confirm a spot or follow from the visitor's own network: a crowd made
 * of page views. CivicLoop's pages write same-origin; apps and servers send no such header; another
 * site's web client goes through Open311 with its API key. A request without `Sec-Fetch-Site`
 * (Safari before 16.4, Firefox before 90, and every browser over plain http to an address other
 * than localhost, where browsers send no `Sec-Fetch-*`) is judged by its `Origin`, which every
 * browser sends on a cross-origin POST: one naming neither this host nor `PUBLIC_URL`'s (`null`
 * included) is another site's.
 */
export function refuseOtherSites(c: Context<AppEnv>): void {
  const site = c.req.header("sec-fetch-site");
  const origin = c.req.header("origin");
  // `same-site` is another origin of the registrable domain (a sibling subdomain, which others may
  // run): judged by its Origin, as a browser sending no `Sec-Fetch-Site` is; `PUBLIC_URL`'s may be one.
  const byOrigin = site === undefined || site === "same-site";
  if (site === "cross-site" || (byOrigin && origin !== undefined && !isOwnOrigin(c, origin)))
    throw new AppError(
      403,
      "cross_site",
      "this write is taken from CivicLoop's own pages and from apps, not from a page of another site (a web client of another site: Open311 with an API key)",
    );
}

/**
 * Middleware counting every request under it per network, reads included: a mailed link's GET
 * tries its token as its POST does.
 */
export const limitRequests =
  (write: LimitedWrite, options: LimitOptions = {}): MiddlewareHandler<AppEnv> =>
  async (c, next) => {
    const refused = await refusal(c, write, options);
    if (refused) return refused;
    await next();
  };
