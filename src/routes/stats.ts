/** Public performance figures of the departments. */
import { Hono } from "hono";
import type { AppEnv } from "../http/context";
import { departmentStats } from "../store/stats";

export const statsRoutes = new Hono<AppEnv>().get("/departments", async (c) =>
  c.json({
    departments: await departmentStats(c.var.db, c.var.now()),
    at: new Date(c.var.now()).toISOString(),
  }),
);
