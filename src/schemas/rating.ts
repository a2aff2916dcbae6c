import { z } from "zod";
import { text } from "./common";

/** `POST /api/reports/:id/rating`: how the resident judges the outcome, 1 to 5 stars. */
export const ratingInput = z.object({
  stars: z.int().min(1).max(5),
  /** Kept with the rating only; never put on the public timeline (see `src/store/ratings.ts`). */
  comment: text().trim().max(1000).optional(),
});
export type RatingInput = z.infer<typeof ratingInput>;

/** A report's rating as its holder sees it (the comment never leaves for anyone else). */
export const ratingView = z.object({
  stars: z.int().min(1).max(5),
  comment: z.string().nullable(),
  createdAt: z.iso.datetime(),
});
