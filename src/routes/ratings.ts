/**
 * A resident rating the outcome of their report. Public: the report id is unguessable and only
 * the resident who sent it holds it, so it is the capability.
 */
import { Hono } from "hono";
import { notFound } from "../domain/errors";
import type { AppEnv } from "../http/context";
import { jsonBody } from "../http/validate";
import { ratingInput } from "../schemas/rating";
import { findRating, rateReport } from "../store/ratings";
import { findPublicReport } from "../store/reports";

export const ratingRoutes = new Hono<AppEnv>()
  .post("/reports/:id/rating", jsonBody(ratingInput), async (c) => {
    const rating = await rateReport(c.var.db, c.req.param("id"), c.req.valid("json"), c.var.now());
    return c.json({ rating }, 201);
  })
  .get("/reports/:id/rating", async (c) => {
    const id = c.req.param("id");
    const [report, rating] = await Promise.all([findPublicReport(c.var.db, id), findRating(c.var.db, id)]);
    if (!report) throw notFound("report");
    return c.json({ rating });
  });
