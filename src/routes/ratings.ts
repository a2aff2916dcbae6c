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
import { ratingInput, ratingView } from "../schemas/rating";
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
