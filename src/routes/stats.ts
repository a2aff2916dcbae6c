/** Public performance figures of the departments. */
import { Hono } from "hono";
import type { AppEnv } from "../http/context";
import { describe } from "../openapi/describe";
import { departmentStats as statsAnswer } from "../schemas/department";
import { departmentStats } from "../store/stats";

export const statsRoutes = new Hono<AppEnv>().get(
  "/departments",
  describe({
    tag: "Catalogue",
    summary: "Public performance figures of the departments",
    responses: { 200: { description: "Figures per department, as of `at`", json: statsAnswer } },
  }),
  async (c) =>
    c.json({
      departments: await departmentStats(c.var.db, c.var.now()),
      at: new Date(c.var.now()).toISOString(),
    }),
);
