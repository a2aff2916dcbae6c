import { z } from "zod";
import { FLAG_REASONS, FLAG_TARGETS } from "../domain/moderation";
import { instant } from "./common";

const target = z.enum(FLAG_TARGETS);
const itemId = z.string().min(1).max(64);

/** `POST /api/flags`: a resident flags a report, a photo or a note. */
export const flagInput = z.strictObject({
  target,
  id: itemId.describe("The report's or the photo's id; a note's: its timeline entry's `id`"),
  reason: z.enum(FLAG_REASONS),
});

/** `202` of `POST /api/flags`. */
export const flagAccepted = z.object({
  flag: z.object({
    target,
    id: z.string(),
    reason: z.enum(FLAG_REASONS),
    counted: z.boolean().describe("False when this network had already flagged the item: it counts once"),
  }),
});

/** `GET /api/admin/flags`: flagged items not yet reviewed, most flagged first. */
export const flagQueueAnswer = z.object({
  items: z.array(
    z.object({
      target,
      id: z.string(),
      flags: z.int().describe("Networks that flagged it"),
      reasons: z.object({ offensive: z.int(), personal_data: z.int(), spam: z.int() }),
      firstAt: instant,
      lastAt: instant,
      description: z.string().nullable().describe("A report's or a note's text (for staff only)"),
      photoUrl: z.string().nullable(),
      photoIds: z
        .array(z.string())
        .describe(
          "A note's photos, hidden with it (`GET /api/admin/moderation/photos/:id`); none for a report or a photo",
        ),
      reportId: z.string().nullable(),
      clusterId: z.string().nullable(),
      hidden: z.boolean(),
      reporterBlocked: z.boolean().describe("A report's reporter is blocked now (false for a photo)"),
      reporterBlockedUntil: instant
        .nullable()
        .describe("When that block ends by itself; null when it lasts until lifted, or there is none"),
    }),
  ),
  total: z.int().describe("Items with flags waiting, of which `items` lists the most flagged"),
});

/** Answer of hiding or restoring a report or a photo. */
export const moderationAnswer = z.object({
  target,
  id: z.string(),
  hidden: z.boolean(),
  changed: z.boolean().describe("False when it already was so"),
});

/** `GET /api/admin/moderation/hidden`: what the moderators hid, newest first, to restore it. */
export const hiddenList = z.object({
  items: z.array(
    z.object({
      target,
      id: z.string(),
      hiddenAt: instant,
      by: z.object({ name: z.string() }).describe("Who hid it last"),
      description: z.string().nullable().describe("A report's text (for staff only)"),
      clusterId: z.string().nullable(),
    }),
  ),
});

/** Answer of keeping a flagged item as it is. */
export const keepAnswer = z.object({
  target,
  id: z.string(),
  kept: z.boolean().describe("False when it had no flag waiting"),
});

/** Answer of blocking or unblocking a report's reporter. */
/** `POST …/block-reporter`: for how long; without a body (or `days`), until a moderator lifts it. */
export const blockInput = z.strictObject({
  days: z
    .int()
    .min(1)
    .max(3650)
    .optional()
    .describe("Days the block lasts (1-3650); without it, until a moderator lifts it"),
});

export const blockAnswer = z.object({
  reportId: z.string(),
  blocked: z.boolean(),
  until: instant
    .nullable()
    .describe("When the block ends by itself; null while blocked until lifted, or unblocked"),
});
