import { Hono } from "hono";
import { notFound } from "../domain/errors";
import { routeDepartment } from "../domain/routing";
import type { AppEnv } from "../http/context";
import { queryParams } from "../http/validate";
import { describe } from "../openapi/describe";
import { routingAnswer, routingQuery } from "../schemas/meta";
import { serviceForIntake } from "../store/catalog-cache";

/**
 * Who would handle a report before it is sent: the same routing the intake applies, so the form
 * can name the department (and how many residents it waits for) as the resident fills it in.
 */
export const routingRoutes = new Hono<AppEnv>().get(
  "/",
  describe({
    tag: "Catalogue",
    summary: "Which department a report of a service at a point goes to",
    responses: { 200: { description: "The department and the threshold", json: routingAnswer } },
    errors: { 404: "`not_found`: no active service has this code" },
  }),
  queryParams(routingQuery),
  async (c) => {
    const { service, lat, lon } = c.req.valid("query");
    const found = await serviceForIntake(c.var.db, service);
    if (!found?.service.active) throw notFound("service");
    return c.json({
      service,
      department: routeDepartment(found.candidates, { lat, lon }),
      threshold: found.service.threshold,
    });
  },
);
