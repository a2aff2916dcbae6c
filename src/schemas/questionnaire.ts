import { z } from "zod";
import { text } from "./common";

/** The link's query: the report's receipt, which only its reporter holds (it came in their mail). */
export const questionnaireQuery = z.object({ receipt: z.string().min(10).max(200) });

/** `POST /api/reports/:id/questionnaire` (JSON, or the page's form): is it fixed? */
export const questionnaireInput = z.strictObject({
  answer: z.enum(["fixed", "still_there"]),
  /** A number in JSON; the page's form sends digits, read as the number they are (`answerOf`). */
  stars: z.int().min(1).max(5),
  /** Kept with the rating only, never published (as a rating's comment). */
  comment: text().trim().max(1000).optional(),
});
export type QuestionnaireInput = z.output<typeof questionnaireInput>;

export const questionnaireAnswer = z.object({
  answer: z.enum(["fixed", "still_there"]),
  /** Whether "still there" reopened the problem. */
  reopened: z.boolean(),
});

/** The questionnaire mail's unsubscribe link: the report's address is gone (now or before). */
export const questionnaireUnsubscribed = z.object({
  contact: z.object({ email: z.literal("deleted") }),
});

/** The unsubscribe link opened with GET: whether the address is still kept (only POST deletes it). */
export const questionnaireContact = z.object({
  contact: z.object({ email: z.enum(["kept", "deleted"]) }),
});
