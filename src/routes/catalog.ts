import { Hono } from "hono";
import type { AppEnv } from "../http/context";
import { webSettingsOf } from "../http/shared-config";
import { describe } from "../openapi/describe";
import { departmentList } from "../schemas/department";
import { catalogAnswer } from "../schemas/meta";
import { serviceList } from "../schemas/service";
import { listDepartments } from "../store/departments";
import { listServices, presentService, servicesWithProblems } from "../store/services";

/** The public catalogue: what can be reported, and who handles it where. */
export const catalogRoutes = new Hono<AppEnv>()
  .get(
    "/services",
    describe({
      tag: "Catalogue",
      summary: "What can be reported, with each service's questions",
      responses: { 200: { description: "The active services", json: serviceList } },
    }),
    async (c) => {
      const services = await listServices(c.var.db, { activeOnly: true });
      return c.json({ services: services.map(presentService) });
    },
  )
  .get(
    "/departments",
    describe({
      tag: "Catalogue",
      summary: "Departments and the areas they serve",
      responses: { 200: { description: "The departments, without webhooks", json: departmentList } },
    }),
    async (c) => c.json({ departments: await listDepartments(c.var.db) }),
  )
  .get(
    "/catalog",
    describe({
      tag: "Catalogue",
      summary: "Services, departments and map tiles in one answer",
      description:
        "What the web app needs before its first page: `/api/services`, `/api/departments` and `/api/config` folded into one request, so a slow connection waits for one round trip instead of three.",
      responses: { 200: { description: "The catalogue and the tiles", json: catalogAnswer } },
    }),
    async (c) => {
      const [services, departments] = await Promise.all([listServices(c.var.db), listDepartments(c.var.db)]);
      // Withdrawn services name the problems reported under them; one that has none (a test, a
      // typo) would stand in the map's filter for good.
      const retired = services.filter((s) => !s.active);
      const named = await servicesWithProblems(
        c.var.db,
        retired.map((s) => s.code),
      );
      return c.json({
        services: services.filter((s) => s.active).map(presentService),
        retiredServices: retired
          .filter((s) => named.has(s.code))
          .map((s) => ({ code: s.code, name: { en: s.nameEn, zh: s.nameZh } })),
        departments,
        ...webSettingsOf(c.var.config),
      });
    },
  );
