import { z } from "zod";
import { receipt, text } from "./common";
import { contact } from "./report";

/** `POST /api/reports/:id/rating`: how the resident judges the outcome, 1 to 5 stars. */
export const ratingInput = z.strictObject({
  receipt,
  stars: z.int().min(1).max(5),
  /** Kept with the rating only; never put on the public timeline (see `src/store/ratings.ts`). */
  comment: text().trim().max(1000).optional(),
});
export type RatingInput = z.infer<typeof ratingInput>;

/** The report's receipt alone: `POST /api/reports/:id/contact` and `…/contact/erase`. */
export const receiptOnly = z.strictObject({ receipt });

/** `PATCH /api/reports/:id/contact`: each field given replaces what is kept; null deletes it. */
export const contactCorrection = z
  .strictObject({
    receipt,
    name: contact.shape.name.unwrap().nullable().optional(),
    email: contact.shape.email.unwrap().nullable().optional(),
    phone: contact.shape.phone.unwrap().nullable().optional(),
  })
  .refine((c) => c.name !== undefined || c.email !== undefined || c.phone !== undefined, {
    message: "needs one of name, email or phone to put right",
  });

/** What a report keeps to reach its reporter, for the reporter alone. */
export const contactKept = z.object({
  contact: z.object({
    name: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    deviceId: z.string().nullable(),
  }),
});

/** A rating: the comment to its author when they send it, null in every answer to anyone else. */
export const ratingView = z.object({
  stars: z.int().min(1).max(5),
  comment: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
