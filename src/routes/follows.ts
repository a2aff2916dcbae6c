/**
 * Following a cluster without an account: `POST /clusters/:id/follows` stores a pending follow
 * (double opt-in), the mailed links confirm or end it. Mounted at `/api`.
 */
import { type Context, Hono } from "hono";
import { AppError, notFound } from "../domain/errors";
import { checkPushEndpoint } from "../domain/webhook-url";
import type { AppEnv } from "../http/context";
import { type FollowLink, followDonePage, followLinkPage } from "../http/link-page";
import { acceptedLang, allEndedPage, goneManagePage, managePage, type PageLang } from "../http/manage-page";
import { type plainPage, wantsPage } from "../http/plain-page";
import { CROSS_SITE_ANSWER, limitRequests, limitWrites } from "../http/rate-limit";
import { firstIssue, jsonBody, jsonOrFormBody, queryParams } from "../http/validate";
import { describe } from "../openapi/describe";
import {
  followConfirmed,
  followEnded,
  followInput,
  followList,
  followPending,
  followState,
  followsEnded,
  followTokenQuery,
  manageInput,
  manageQuery,
} from "../schemas/follow";
import {
  addFollow,
  confirmFollow,
  endAllFollows,
  endFollow,
  endFollowOfAddress,
  followOfToken,
  followsOfAddress,
} from "../store/follows";

/** Each mailed link's request tries a token, opened (GET) or pressed (POST): all are counted. */
const limitLinks = limitRequests("follow_links", { page: true });

/** The manage page's own link, in the language shown. */
const manageLink = (path: string, token: string, lang: PageLang) =>
  `${path}?token=${encodeURIComponent(token)}&lang=${lang}`;

/** The page lists what an address follows: kept by no cache (the app's Referrer-Policy keeps its link on this site). */
const keepPrivate = (c: Context) => c.header("Cache-Control", "no-store");

/**
 * The manage form's body: a form post, JSON, or nothing at all (end every follow). Only an empty
 * body means "all": one that cannot be read, or names a field this form does not have, is refused,
 * never taken for the widest choice.
 */
async function manageBody(c: Context<AppEnv>) {
  const body = await jsonOrFormBody(c, "the choice");
  // The page's forms: one names its follow, the other is its "end all" button (`all=1`).
  const { all: _button, ...fields } = body.kind === "form" ? body.fields : {};
  const raw = body.kind === "json" ? body.value : fields;
  const parsed = manageInput.safeParse(raw);
  if (!parsed.success) {
    const { field, message } = firstIssue(parsed.error);
    throw new AppError(400, "invalid_field", `${field}: ${message}`, field);
  }
  return parsed.data;
}

const LINK_LIMITED =
  "`rate_limited`: too many links opened from this network; see `Retry-After` (a browser, `Accept: text/html`, gets a page saying so)";

/** `GET` of a mailed link: the same description for both links, which only differ in what the button does. */
const openedLink = (link: FollowLink, summary: string, does: string) =>
  describe({
    tag: "Clusters",
    summary,
    description: `Changes nothing: mail scanners fetch every link of a mail (GET, HEAD) before the reader opens it. A browser (\`Accept: text/html\`) gets a page in the follower's language saying what its button will do, and the button (a form) \`POST\`s the same link, which ${does}. A program gets the follow as it is.`,
    responses: {
      200: {
        description: "The follow, unchanged",
        content: { "application/json": followState, "text/html": { type: "string" } },
      },
    },
    errors: {
      404:
        link === "confirm"
          ? "No follow has this token (it was never made, or it ended); a browser gets a page saying the link is no longer valid"
          : "No follow has this token (it ended already); a browser gets a page saying so",
      429: LINK_LIMITED,
    },
  });

/** The language a link's page speaks: the one its page's form posted, else the browser's. */
const linkLang = (c: Context<AppEnv>, asked: PageLang | undefined) =>
  asked ?? acceptedLang(c.req.header("accept-language"));

/** A confirmation link no follow has any more, in the follower's or the browser's language. */
const goneLinkPage = (c: Context<AppEnv>, lang?: PageLang) => goneManagePage(linkLang(c, lang));

/**
 * A mailed link opened (GET, HEAD): nothing changes. A browser gets the page whose button posts
 * the same link (the token in its query), or `gone` when no follow has the token; a program the
 * follow as it is.
 */
async function linkOpened(
  c: Context<AppEnv>,
  link: FollowLink,
  token: string,
  gone: ReturnType<typeof plainPage>,
) {
  const found = await followOfToken(c.var.db, link, token);
  if (!found) {
    if (wantsPage(c)) return c.html(gone, 404);
    throw notFound("follow");
  }
  // A confirmation link opened again once confirmed: it says so, rather than ask again.
  if (wantsPage(c) && link === "confirm" && found.status === "confirmed")
    return c.html(followDonePage("confirmed", found.lang, found.cluster));
  if (wantsPage(c))
    return c.html(
      followLinkPage(link, found.lang, `${c.req.path}?token=${encodeURIComponent(token)}`, found.cluster),
    );
  return c.json({ follow: { cluster: found.cluster, status: found.status } });
}

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
        403: CROSS_SITE_ANSWER,
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
      const input = c.req.valid("json");
      // Held to the rules each push is sent under, so a follow that could never be sent is refused now.
      const endpoint =
        input.push && checkPushEndpoint(input.push.endpoint, c.var.config.allowPrivateWebhooks);
      if (endpoint && !endpoint.ok)
        throw new AppError(400, "invalid_field", `push.endpoint: ${endpoint.reason}`, "push.endpoint");
      const clusterId = c.req.param("id");
      const id = await addFollow(c.var.db, key, clusterId, input, c.var.now());
      if (!id) throw notFound("cluster");
      return c.json({ follow: { cluster: clusterId, status: "pending" as const } }, 202);
    },
  )
  .get(
    "/follows/confirm",
    openedLink(
      "confirm",
      "The mailed confirmation link: a page whose button confirms the follow",
      "confirms it",
    ),
    limitLinks,
    queryParams(followTokenQuery),
    (c) => linkOpened(c, "confirm", c.req.valid("query").token, goneLinkPage(c, c.req.valid("query").lang)),
  )
  .post(
    "/follows/confirm",
    describe({
      tag: "Clusters",
      summary: "Confirm a follow (the button of the mailed link's page)",
      description: "A form post from the page is answered with a page, anything else with JSON.",
      responses: {
        200: {
          description: "Confirmed (again: no change)",
          content: { "application/json": followConfirmed, "text/html": { type: "string" } },
        },
      },
      errors: {
        404: "No follow has this token (it was never made, or it ended)",
        429: LINK_LIMITED,
      },
    }),
    limitLinks,
    queryParams(followTokenQuery),
    async (c) => {
      const { token, lang } = c.req.valid("query");
      const cluster = await confirmFollow(c.var.db, token, c.var.now());
      if (!cluster) {
        if (wantsPage(c)) return c.html(goneLinkPage(c, lang), 404);
        throw notFound("follow");
      }
      if (wantsPage(c)) return c.html(followDonePage("confirmed", linkLang(c, lang), cluster));
      return c.json({ follow: { cluster, status: "confirmed" as const } });
    },
  )
  .get(
    "/follows/unsubscribe",
    openedLink(
      "unsubscribe",
      "The unsubscribe link in every message: a page whose button ends the follow",
      "ends it",
    ),
    limitLinks,
    queryParams(followTokenQuery),
    // Opened after the follow ended (a second click): it is gone, as asked.
    (c) => {
      const { token, lang } = c.req.valid("query");
      return linkOpened(c, "unsubscribe", token, followDonePage("endedAlready", linkLang(c, lang)));
    },
  )
  .post(
    "/follows/unsubscribe",
    describe({
      tag: "Clusters",
      summary: "End a follow (the unsubscribe page's button, and RFC 8058's one-click unsubscribe)",
      description:
        "Deletes the follow with its address and subscription, and its unsent messages. It is what the page of the `GET` link posts, and RFC 8058's one-click unsubscribe (`List-Unsubscribe-Post`, body `List-Unsubscribe=One-Click`), which mail clients send without opening a page. A browser (`Accept: text/html`) gets a page, anything else JSON.",
      responses: {
        200: {
          description: "Ended",
          content: { "application/json": followEnded, "text/html": { type: "string" } },
        },
      },
      errors: {
        404: "No follow has this token (it ended already)",
        429: LINK_LIMITED,
      },
    }),
    limitLinks,
    queryParams(followTokenQuery),
    async (c) => {
      const { token, lang } = c.req.valid("query");
      if (!(await endFollow(c.var.db, token))) {
        // Pressed again (a second tab, the back button): the follow is gone, as asked.
        if (wantsPage(c)) return c.html(followDonePage("endedAlready", linkLang(c, lang)), 404);
        throw notFound("follow");
      }
      if (wantsPage(c)) return c.html(followDonePage("ended", linkLang(c, lang)));
      return c.json({ follow: { status: "ended" as const } });
    },
  )
  .get(
    "/follows/manage",
    describe({
      tag: "Clusters",
      summary: 'Every follow of the address a message went to (the "manage" link in each mail)',
      description:
        "A browser (`Accept: text/html`) gets a page in the follower's language (`lang` switches it) with a button ending each follow and one ending all; a program gets JSON. The address is never shown.",
      responses: {
        200: {
          description: "The follows, oldest first",
          content: { "application/json": followList, "text/html": { type: "string" } },
        },
      },
      errors: {
        404: "No follow has this token (it ended)",
        429: LINK_LIMITED,
      },
    }),
    limitLinks,
    queryParams(manageQuery),
    async (c) => {
      const { token, lang } = c.req.valid("query");
      const found = await followsOfAddress(c.var.db, token);
      // What an address follows, page or JSON: no shared cache may keep it.
      keepPrivate(c);
      if (!wantsPage(c)) {
        if (!found) throw notFound("follow");
        return c.json(found);
      }
      if (!found) return c.html(goneManagePage(lang ?? acceptedLang(c.req.header("accept-language"))), 404);
      return c.html(managePage(lang ?? found.lang, (l) => manageLink(c.req.path, token, l), found.follows));
    },
  )
  .post(
    "/follows/manage",
    describe({
      tag: "Clusters",
      summary: "End the address's follow of one cluster, or every follow of the address (deleting it)",
      description:
        "With `cluster`, that follow ends; without, all of them. The manage page's forms post here: a browser is sent back to the page (303; its link may change when the follow the link came from ended) or, when nothing is left, shown that the address is deleted.",
      requestBody: {
        required: false,
        content: {
          "application/json": manageInput,
          "application/x-www-form-urlencoded": manageInput,
        },
      },
      responses: {
        200: {
          description:
            "How many ended (a browser with one follow left or more is sent back to the page: 303)",
          content: { "application/json": followsEnded, "text/html": { type: "string" } },
        },
      },
      errors: {
        404: "No follow has this token (it ended), or the address does not follow that cluster",
        429: LINK_LIMITED,
      },
    }),
    limitLinks,
    queryParams(manageQuery),
    async (c) => {
      const { token, lang } = c.req.valid("query");
      const { cluster } = await manageBody(c);
      const page = wantsPage(c);
      const shown = lang ?? acceptedLang(c.req.header("accept-language"));
      if (page) keepPrivate(c);
      if (cluster === undefined) {
        const ended = await endAllFollows(c.var.db, token);
        if (ended === 0) {
          if (page) return c.html(goneManagePage(shown), 404);
          throw notFound("follow");
        }
        return page ? c.html(allEndedPage(shown)) : c.json({ ended });
      }
      const key = c.var.config.contactKey;
      if (!key)
        throw new AppError(503, "follows_unavailable", "contacts cannot be kept here (no contact key)");
      const result = await endFollowOfAddress(c.var.db, key, token, cluster);
      if (page) {
        if (!result) return c.html(goneManagePage(shown), 404);
        // Ended now or before (a second click): the page of what is left, or that nothing is.
        if (!result.next) return c.html(allEndedPage(shown));
        return c.redirect(manageLink(c.req.path, result.next, shown), 303);
      }
      if (!result?.ended) throw notFound("follow");
      return c.json({ ended: 1 });
    },
  );
