import { z } from "zod";
import { text } from "./common";

/** `POST /api/reports/:id/rating`: how the resident judges the outcome, 1 to 5 stars. */
export const ratingInput = z.strictObject({
  /** The receipt `POST /api/reports` gave the reporter; without it, or with another, 403. */
  receipt: z.string().max(200).optional(),
  stars: z.int().min(1).max(5),
  /** Kept with the rating only; never put on the public timeline (see `src/store/ratings.ts`). */
  comment: text().trim().max(1000).optional(),
});
export type RatingInput = z.infer<typeof ratingInput>;

/** A rating: the comment to its author when they send it, null in every answer to anyone else. */
export const ratingView = z.object({
  stars: z.int().min(1).max(5),
  comment: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
