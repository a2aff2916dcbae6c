/**
 * A resident rating the outcome of their report. The report id is public (Open311 lists them), so
 * the capability is the report's receipt, which only its reporter was given.
 */
import { Hono } from "hono";
import { z } from "zod";
import { notFound } from "../domain/errors";
import type { AppEnv } from "../http/context";
import { CROSS_SITE_ANSWER, enforceLimit, limitWrites } from "../http/rate-limit";
import { jsonBody } from "../http/validate";
import { describe } from "../openapi/describe";
import { contactEraseInput, ratingInput, ratingView } from "../schemas/rating";
import { eraseReporterContact } from "../store/contacts";
import { findRating, rateReport } from "../store/ratings";
import { refuseBlocked, reporterOfReport } from "../store/receipts";
import { findPublicReport } from "../store/reports";

export const ratingRoutes = new Hono<AppEnv>()
  .post(
    "/reports/:id/rating",
    describe({
      tag: "Reports",
      summary: "Rate the outcome of your report, 1 to 5 stars",
      description:
        "Once the problem's work order is resolved or closed; one rating per person per problem (however many reports they sent). `receipt` is the one `POST /api/reports` gave: the report id is public, the receipt is not. The public timeline shows the stars, never the comment.",
      responses: { 201: { description: "The rating", json: z.object({ rating: ratingView }) } },
      errors: {
        403: `\`forbidden\`: no receipt, or not this report's; \`reporter_blocked\`: a moderator blocked the reporter; ${CROSS_SITE_ANSWER}`,
        409: "`not_resolved` before the work order is resolved or closed; `already_rated` after; `rated_from_network` when a rating of the problem from the same network (or credential's network) is counted already: one a network, as reports count toward a threshold",
        429: "`rate_limited`: too many ratings from this reporter or network; see `Retry-After`",
      },
    }),
    // The network's budget first, before the body is read: it also bounds guessing receipts.
    limitWrites("ratings"),
    jsonBody(ratingInput),
    async (c) => {
      const id = c.req.param("id");
      const input = c.req.valid("json");
      if (!(await findPublicReport(c.var.db, id))) throw notFound("report");
      const { reporterKey } = await reporterOfReport(c.var.db, id, input.receipt);
      await refuseBlocked(c.var.db, reporterKey, c.var.now());
      await enforceLimit(c, "ratings", "reporter", reporterKey);
      const rating = await rateReport(c.var.db, id, reporterKey, input, c.var.now(), c.var.config.contactKey);
      return c.json({ rating }, 201);
    },
  )
  .post(
    "/reports/:id/contact/erase",
    describe({
      tag: "Reports",
      summary: "Delete how to reach you: the contact details kept with your reports of this problem",
      description:
        'The name, e-mail, phone and app device id kept (sealed) with every report the receipt\'s reporter filed on the problem are deleted, with the "is it fixed?" questions not yet sent. The reports stay on the problem, counted as before; nothing of them was public. Follows are ended by their own links (`/api/follows/manage`). `receipt` in the body, as for a rating, so it stays out of logs.',
      responses: {
        200: {
          description: "Deleted (`erased: false`: there was nothing left to delete)",
          json: z.object({ contact: z.object({ erased: z.boolean() }) }),
        },
      },
      errors: {
        403: `\`forbidden\`: no receipt, or not this report's; ${CROSS_SITE_ANSWER}`,
        429: "`rate_limited`: too many from this network; see `Retry-After`",
      },
    }),
    // A receipt's write, as a rating is: the network's budget bounds guessing receipts.
    limitWrites("ratings"),
    jsonBody(contactEraseInput),
    async (c) => {
      const id = c.req.param("id");
      // A report moderators hid is its reporter's still: no public look-up first.
      await reporterOfReport(c.var.db, id, c.req.valid("json").receipt);
      return c.json({ contact: { erased: await eraseReporterContact(c.var.db, id) } });
    },
  )
  .get(
    "/reports/:id/rating",
    describe({
      tag: "Reports",
      summary: "The rating given to a report, if any (the stars; the comment stays private)",
      responses: {
        200: { description: "The rating, or null", json: z.object({ rating: ratingView.nullable() }) },
      },
    }),
    async (c) => {
      const id = c.req.param("id");
      const [report, rating] = await Promise.all([findPublicReport(c.var.db, id), findRating(c.var.db, id)]);
      if (!report) throw notFound("report");
      return c.json({ rating });
    },
  );
