/**
 * Following a cluster without an account: `POST /clusters/:id/follows` stores a pending follow
 * (double opt-in), the mailed links confirm or end it. Mounted at `/api`.
 */
import { Hono, type MiddlewareHandler } from "hono";
import { html } from "hono/html";
import { AppError, notFound } from "../domain/errors";
import type { AppEnv } from "../http/context";
import { plainPage, wantsPage } from "../http/plain-page";
import { enforceLimit, limitWrites } from "../http/rate-limit";
import { jsonBody, queryParams } from "../http/validate";
import { describe } from "../openapi/describe";
import {
  followConfirmed,
  followEnded,
  followInput,
  followList,
  followPending,
  followsEnded,
  followTokenQuery,
} from "../schemas/follow";
import { addFollow, confirmFollow, endAllFollows, endFollow, followsOfAddress } from "../store/follows";

/** The mailed links change what is kept even when opened with GET: each counts as a write. */
const limitLinks: MiddlewareHandler<AppEnv> = async (c, next) => {
  await enforceLimit(c, "follow_links", "network", c.var.network);
  await next();
};

const unsubscribe = describe({
  tag: "Clusters",
  summary: "End a follow (the one-click link in every message)",
  description:
    "Deletes the follow with its address and subscription, and its unsent messages. `POST` is RFC 8058's one-click unsubscribe (`List-Unsubscribe-Post`), which mail clients send without opening a page.",
  responses: { 200: { description: "Ended", json: followEnded } },
  errors: {
    404: "No follow has this token (it ended already)",
    429: "`rate_limited`: too many links opened from this network; see `Retry-After`",
  },
});

const confirmedPage = (cluster: string) =>
  plainPage(
    "已确认 Confirmed",
    html`<h1>已确认 / Confirmed</h1>
<p>问题有变化时我们会通知您。每条消息都附有一键退订链接。</p>
<p>We will tell you when this problem changes. Every message carries a one-click unsubscribe link.</p>
<p><a href="/c/${cluster}">查看问题 / See the problem</a></p>`,
  );
const endedPage = plainPage(
  "已退订 Unsubscribed",
  html`<h1>已退订 / Unsubscribed</h1>
<p>您不会再收到关于此问题的消息，您的地址已删除。</p>
<p>You will get no more messages about this problem; your address is deleted.</p>`,
);

export const followRoutes = new Hono<AppEnv>()
  .post(
    "/clusters/:id/follows",
    describe({
      tag: "Clusters",
      summary: "Follow a cluster by e-mail or Web Push",
      description:
        "Stores a pending follow: nothing is sent to it until the confirmation link (mailed, with the unsubscribe link) is opened. The address and subscription are kept sealed and never shown.",
      responses: { 202: { description: "Pending until confirmed", json: followPending } },
      errors: {
        429: "`rate_limited`: too many follows from this network; see `Retry-After`",
        503: "`follows_unavailable`: no contact key is configured, so contacts cannot be kept here",
      },
    }),
    limitWrites("follows"),
    jsonBody(followInput),
    async (c) => {
      const key = c.var.config.contactKey;
      if (!key)
        throw new AppError(503, "follows_unavailable", "contacts cannot be kept here (no contact key)");
      const clusterId = c.req.param("id");
      const id = await addFollow(c.var.db, key, clusterId, c.req.valid("json"), c.var.now());
      if (!id) throw notFound("cluster");
      return c.json({ follow: { cluster: clusterId, status: "pending" as const } }, 202);
    },
  )
  .get(
    "/follows/confirm",
    describe({
      tag: "Clusters",
      summary: "Confirm a follow (the mailed link)",
      responses: { 200: { description: "Confirmed (again: no change)", json: followConfirmed } },
      errors: { 404: "No follow has this token (it was never made, or it ended)" },
    }),
    limitLinks,
    queryParams(followTokenQuery),
    async (c) => {
      const cluster = await confirmFollow(c.var.db, c.req.valid("query").token, c.var.now());
      if (!cluster) throw notFound("follow");
      if (wantsPage(c)) return c.html(confirmedPage(cluster));
      return c.json({ follow: { cluster, status: "confirmed" as const } });
    },
  )
  .get("/follows/unsubscribe", unsubscribe, limitLinks, queryParams(followTokenQuery), async (c) => {
    if (!(await endFollow(c.var.db, c.req.valid("query").token))) throw notFound("follow");
    if (wantsPage(c)) return c.html(endedPage);
    return c.json({ follow: { status: "ended" as const } });
  })
  .post("/follows/unsubscribe", unsubscribe, limitLinks, queryParams(followTokenQuery), async (c) => {
    if (!(await endFollow(c.var.db, c.req.valid("query").token))) throw notFound("follow");
    return c.json({ follow: { status: "ended" as const } });
  })
  .get(
    "/follows/manage",
    describe({
      tag: "Clusters",
      summary: 'Every follow of the address a message went to (the "manage" link in each mail)',
      responses: { 200: { description: "The follows, oldest first", json: followList } },
      errors: {
        404: "No follow has this token (it ended)",
        429: "`rate_limited`: too many links opened from this network; see `Retry-After`",
      },
    }),
    limitLinks,
    queryParams(followTokenQuery),
    async (c) => {
      const follows = await followsOfAddress(c.var.db, c.req.valid("query").token);
      if (!follows) throw notFound("follow");
      return c.json({ follows });
    },
  )
  .post(
    "/follows/manage",
    describe({
      tag: "Clusters",
      summary: "End every follow of the address a message went to, deleting the address",
      responses: { 200: { description: "How many ended", json: followsEnded } },
      errors: {
        404: "No follow has this token (it ended)",
        429: "`rate_limited`: too many links opened from this network; see `Retry-After`",
      },
    }),
    limitLinks,
    queryParams(followTokenQuery),
    async (c) => {
      const ended = await endAllFollows(c.var.db, c.req.valid("query").token);
      if (ended === 0) throw notFound("follow");
      return c.json({ ended });
    },
  );
