/** What the admin console lists: every service (inactive ones too) and every department in full. */
import { Hono } from "hono";
import { requireAdmin } from "../http/auth";
import type { AppEnv } from "../http/context";
import { describe } from "../openapi/describe";
import { departmentAdminList } from "../schemas/department";
import { serviceList } from "../schemas/service";
import { listDepartmentsForAdmin } from "../store/departments";
import { listServices, presentService } from "../store/services";

/** Mounted under `/api/admin`, beside the other admin routes. */
export const adminCatalogRoutes = new Hono<AppEnv>()
  .use("/services", requireAdmin)
  .use("/departments", requireAdmin)
  .get(
    "/services",
    describe({
      tag: "Admin",
      summary: "Every service, inactive ones included",
      responses: { 200: { description: "The services, by code", json: serviceList } },
    }),
    async (c) => c.json({ services: (await listServices(c.var.db)).map(presentService) }),
  )
  .get(
    "/departments",
    describe({
      tag: "Admin",
      summary: "Every department with its population and webhook address (never its secret)",
      responses: { 200: { description: "The departments, by code", json: departmentAdminList } },
    }),
    async (c) => c.json({ departments: await listDepartmentsForAdmin(c.var.db, c.var.now()) }),
  );
