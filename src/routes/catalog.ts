import { Hono } from "hono";
import type { AppEnv } from "../http/context";
import { listDepartments } from "../store/departments";
import { listServices, presentService } from "../store/services";

/** The public catalogue: what can be reported, and who handles it where. */
export const catalogRoutes = new Hono<AppEnv>()
  .get("/services", async (c) => {
    const services = await listServices(c.var.db, { activeOnly: true });
    return c.json({ services: services.map(presentService) });
  })
  .get("/departments", async (c) => c.json({ departments: await listDepartments(c.var.db) }));
