import { Hono } from "hono";
import { z } from "zod";
import { requireAdmin } from "../http/auth";
import type { AppEnv } from "../http/context";
import { jsonBody, queryParams } from "../http/validate";
import { departmentInput, departmentUpdate } from "../schemas/department";
import { serviceInput, serviceUpdate } from "../schemas/service";
import { createDepartment, updateDepartment } from "../store/departments";
import { createService, presentService, updateService } from "../store/services";
import { listWorkOrders } from "../store/work-orders";

const workOrderQuery = z.object({
  routed: z
    .enum(["true", "false"])
    .transform((v) => v === "true")
    .optional(),
});

export const adminRoutes = new Hono<AppEnv>()
  .use(requireAdmin)
  .post("/services", jsonBody(serviceInput), async (c) => {
    const service = await createService(c.var.db, c.req.valid("json"), c.var.now());
    return c.json({ service: presentService(service) }, 201);
  })
  .put("/services/:code", jsonBody(serviceUpdate), async (c) => {
    const service = await updateService(c.var.db, c.req.param("code"), c.req.valid("json"), c.var.now());
    return c.json({ service: presentService(service) });
  })
  .post("/departments", jsonBody(departmentInput), async (c) => {
    const { department, webhookSecret } = await createDepartment(c.var.db, c.req.valid("json"), c.var.now());
    return c.json({ department, ...(webhookSecret ? { webhookSecret } : {}) }, 201);
  })
  .put("/departments/:code", jsonBody(departmentUpdate), async (c) => {
    const { department, webhookSecret } = await updateDepartment(
      c.var.db,
      c.req.param("code"),
      c.req.valid("json"),
      c.var.now(),
    );
    return c.json({ department, ...(webhookSecret ? { webhookSecret } : {}) });
  })
  .get("/work-orders", queryParams(workOrderQuery), async (c) =>
    c.json({ workOrders: await listWorkOrders(c.var.db, c.req.valid("query")) }),
  );
