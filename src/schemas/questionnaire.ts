import { z } from "zod";
import { text } from "./common";

/**
 * The link's query: the report's receipt, which only its reporter holds (it came in their mail),
 * and the language its pages are shown in (else the browser's).
 */
export const questionnaireQuery = z.object({
  // Any length: a link cut short finds no report, and its reader a page saying so.
  receipt: z.string().min(1).max(200),
  // A language not offered (a hand-edited link) shows the browser's, rather than refusing the link.
  lang: z.enum(["zh", "en"]).optional().catch(undefined),
});

/**
 * The unsubscribe link's query: the mail's also carries `mailbox`, its proof that the reader holds
 * the address the mail went to, which lets it reach every report of the problem that keeps that
 * address; a receipt alone reaches its own report.
 */
export const unsubscribeQuery = questionnaireQuery.extend({
  // Any length, as the receipt: a proof that does not match reaches what the receipt alone does.
  mailbox: z.string().max(200).optional(),
});

/** `POST /api/reports/:id/questionnaire` (JSON, or the page's form): is it fixed? */
export const questionnaireInput = z
  .strictObject({
    answer: z.enum(["fixed", "still_there"]),
    /**
     * The reporter's rating: needed with `fixed`, optional with `still_there`. A number in JSON;
     * the page's form sends digits, read as the number they are (`answerOf`).
     */
    stars: z.int().min(1).max(5).optional(),
    /**
     * With `fixed`, kept with the rating, never published (as a rating's comment); with
     * `still_there`, the reopening's note: what is still wrong, on the public timeline as a
     * resident's "still there" note is (contacts masked, moderated).
     */
    comment: text().trim().max(1000).optional(),
  })
  .superRefine((a, ctx) => {
    if (a.answer === "fixed" && a.stars === undefined)
      ctx.addIssue({ code: "custom", path: ["stars"], message: "is required when the answer is fixed" });
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
