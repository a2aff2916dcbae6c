import { z } from "zod";
import { PUBLIC_STATUSES } from "../domain/public-status";
import { emailAddress } from "./common";

/** A browser's PushSubscription as `JSON.stringify(subscription)` gives it. */
export const pushSubscription = z.strictObject({
  // Browsers' push services are https; plain http only reaches a local one, when the operator
  // allows private addresses (`ALLOW_PRIVATE_WEBHOOKS`, checked by the route and at each push).
  endpoint: z.url({ protocol: /^https?$/, error: "must be the URL of a push service" }).max(2000),
  expirationTime: z.number().nullable().optional(),
  keys: z.strictObject({
    p256dh: z.string().regex(/^[A-Za-z0-9_-]{80,100}={0,2}$/, "must be a base64url P-256 public key"),
    auth: z.string().regex(/^[A-Za-z0-9_-]{16,32}={0,2}$/, "must be a base64url secret"),
  }),
});

export type PushSubscriptionJson = z.output<typeof pushSubscription>;

/** `POST /api/clusters/:id/follows`: an e-mail address, a push subscription or both, and a language. */
export const followInput = z
  .strictObject({
    email: emailAddress().max(254).optional(),
    push: pushSubscription.optional(),
    lang: z.enum(["zh", "en"]),
  })
  .refine((f) => f.email !== undefined || f.push !== undefined, {
    message: "give an email address, a push subscription or both",
    path: ["email"],
  });
export type FollowInput = z.output<typeof followInput>;

/** The answer to a follow: pending until the link mailed (or pushed) to the follower is opened. */
export const followPending = z.object({
  follow: z.object({ cluster: z.string(), status: z.literal("pending") }),
});

/** A confirmation or unsubscribe link's token. */
export const followTokenQuery = z.object({
  // Any length: a link cut short by a mail client's wrapping finds no follow, and its reader a page saying so.
  token: z.string().min(1).max(100),
  /** The language of the page the link's button was pressed on (its form sends it). */
  lang: z.enum(["zh", "en"]).optional().catch(undefined),
});

export const followConfirmed = z.object({
  follow: z.object({ cluster: z.string(), status: z.literal("confirmed") }),
});

/** A mailed link opened with GET: its follow as it is (only the link's POST confirms or ends it). */
export const followState = z.object({
  follow: z.object({ cluster: z.string(), status: z.enum(["pending", "confirmed"]) }),
});

export const followEnded = z.object({ follow: z.object({ status: z.literal("ended") }) });

/** The manage link: its token, and the page's language when the follower switches it. */
export const manageQuery = followTokenQuery;

const names = z.object({ en: z.string(), zh: z.string() });

/** `GET /api/follows/manage`: every follow of the address the link was mailed to (never the address). */
export const followList = z.object({
  lang: z.enum(["zh", "en"]).describe("The language of the follow the link came from"),
  follows: z.array(
    z.object({
      cluster: z.string(),
      status: z
        .enum(["pending", "confirmed"])
        .describe("pending: not confirmed yet (the confirmation link's page, then its button)"),
      service: names.extend({ code: z.string() }),
      place: names.nullable().describe("The nearest named place; null when the gazetteer has none near"),
      problem: z.enum(PUBLIC_STATUSES).describe("The problem's public status"),
    }),
  ),
});

/** `POST /api/follows/manage`: end the follow of one cluster, or (without `cluster`) all of them. */
export const manageInput = z.strictObject({ cluster: z.string().min(1).max(100).optional() });

/** `POST /api/follows/manage`: how many follows of the address ended. */
export const followsEnded = z.object({ ended: z.int().min(0) });
