/**
 * A resident rating the outcome of their report. Public: the report id is unguessable and only
 * the resident who sent it holds it, so it is the capability.
 */
import { Hono } from "hono";
import { z } from "zod";
import { notFound } from "../domain/errors";
import type { AppEnv } from "../http/context";
import { jsonBody } from "../http/validate";
import { describe } from "../openapi/describe";
import { ratingInput, ratingView } from "../schemas/rating";
import { findRating, rateReport } from "../store/ratings";
import { findPublicReport } from "../store/reports";

export const ratingRoutes = new Hono<AppEnv>()
  .post(
    "/reports/:id/rating",
    describe({
      tag: "Reports",
      summary: "Rate the outcome of your report, 1 to 5 stars",
      description:
        "Once the problem's work order is resolved or closed; one rating per report. The report id is the capability: whoever sent the report holds it. The public timeline shows the stars, never the comment.",
      responses: { 201: { description: "The rating", json: z.object({ rating: ratingView }) } },
      errors: { 409: "`not_resolved` before the work order is resolved or closed; `already_rated` after" },
    }),
    jsonBody(ratingInput),
    async (c) => {
      const rating = await rateReport(c.var.db, c.req.param("id"), c.req.valid("json"), c.var.now());
      return c.json({ rating }, 201);
    },
  )
  .get(
    "/reports/:id/rating",
    describe({
      tag: "Reports",
      summary: "The rating given to a report, if any",
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
