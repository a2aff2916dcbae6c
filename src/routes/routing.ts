import { Hono } from "hono";
import { notFound } from "../domain/errors";
import { routeDepartment, withinServiceArea } from "../domain/routing";
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
    // The intake refuses such a place (`outside_service_area`): no department is promised there.
    const outsideServiceArea = !withinServiceArea(found.areas, { lat, lon });
    return c.json({
      service,
      department: outsideServiceArea ? null : routeDepartment(found.candidates, { lat, lon }),
      outsideServiceArea,
      threshold: found.service.threshold,
    });
  },
);
