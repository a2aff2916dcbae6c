import { z } from "zod";
import { receipt, text } from "./common";

/** `POST /api/reports/:id/rating`: how the resident judges the outcome, 1 to 5 stars. */
export const ratingInput = z.strictObject({
  receipt,
  stars: z.int().min(1).max(5),
  /** Kept with the rating only; never put on the public timeline (see `src/store/ratings.ts`). */
  comment: text().trim().max(1000).optional(),
});
export type RatingInput = z.infer<typeof ratingInput>;

/** `POST /api/reports/:id/contact/erase`: the reporter asks for their contact details deleted. */
export const contactEraseInput = z.strictObject({ receipt });

/** A rating: the comment to its author when they send it, null in every answer to anyone else. */
export const ratingView = z.object({
  stars: z.int().min(1).max(5),
  comment: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
