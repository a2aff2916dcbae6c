import { z } from "zod";

/** A browser's PushSubscription as `JSON.stringify(subscription)` gives it. */
export const pushSubscription = z.object({
  endpoint: z.url({ protocol: /^https$/ }).max(2000),
  expirationTime: z.number().nullable().optional(),
  keys: z.object({
    p256dh: z.string().regex(/^[A-Za-z0-9_-]{80,100}={0,2}$/, "must be a base64url P-256 public key"),
    auth: z.string().regex(/^[A-Za-z0-9_-]{16,32}={0,2}$/, "must be a base64url secret"),
  }),
});

export type PushSubscriptionJson = z.output<typeof pushSubscription>;

/** `POST /api/clusters/:id/follows`: an e-mail address, a push subscription or both, and a language. */
export const followInput = z
  .object({
    email: z.email().max(254).optional(),
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
  token: z.string().min(20).max(100),
});

export const followConfirmed = z.object({
  follow: z.object({ cluster: z.string(), status: z.literal("confirmed") }),
});

export const followEnded = z.object({ follow: z.object({ status: z.literal("ended") }) });

/** `GET /api/follows/manage`: every follow of the address the link was mailed to. */
export const followList = z.object({
  follows: z.array(z.object({ cluster: z.string(), status: z.enum(["pending", "confirmed"]) })),
});

/** `POST /api/follows/manage`: how many follows of the address ended. */
export const followsEnded = z.object({ ended: z.int().min(0) });
