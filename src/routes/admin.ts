import { Hono } from "hono";
import { invalid, notFound } from "../domain/errors";
import { checkWebhookUrl } from "../domain/webhook-url";
import { requireAdmin } from "../http/auth";
import type { AppEnv } from "../http/context";
import { jsonBody, queryParams } from "../http/validate";
import { departmentInput, departmentUpdate } from "../schemas/department";
import { serviceInput, serviceUpdate } from "../schemas/service";
import { adminWorkOrderQuery, rerouteInput, tokenInput, transitionInput } from "../schemas/work-order";
import {
  createDepartmentToken,
  listDepartmentTokens,
  revokeDepartmentToken,
} from "../store/department-tokens";
import { createDepartment, updateDepartment } from "../store/departments";
import { listDeadLetters, retryDeadLetter } from "../store/outbox";
import { createService, presentService, updateService } from "../store/services";
import { rerouteWorkOrder } from "../store/transitions";
import { findWorkOrderFor, listWorkOrders, presentWorkOrder } from "../store/work-orders";
import { answerMove } from "./move-work-order";

/** Refuses webhook addresses the server must not call (see `domain/webhook-url.ts`). */
function checkWebhook(url: string | null, allowPrivate: boolean) {
  if (url === null) return;
  const verdict = checkWebhookUrl(url, allowPrivate);
  if (!verdict.ok) throw invalid("webhookUrl", `the webhook address ${verdict.reason}`, "webhook_refused");
}

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
    checkWebhook(c.req.valid("json").webhookUrl, c.var.config.allowPrivateWebhooks);
    const { department, webhookSecret } = await createDepartment(c.var.db, c.req.valid("json"), c.var.now());
    return c.json({ department, ...(webhookSecret ? { webhookSecret } : {}) }, 201);
  })
  .put("/departments/:code", jsonBody(departmentUpdate), async (c) => {
    checkWebhook(c.req.valid("json").webhookUrl, c.var.config.allowPrivateWebhooks);
    const { department, webhookSecret } = await updateDepartment(
      c.var.db,
      c.req.param("code"),
      c.req.valid("json"),
      c.var.now(),
    );
    return c.json({ department, ...(webhookSecret ? { webhookSecret } : {}) });
  })
  .get("/work-orders", queryParams(adminWorkOrderQuery), async (c) =>
    c.json({ workOrders: await listWorkOrders(c.var.db, c.req.valid("query"), c.var.now()) }),
  )
  .post("/departments/:code/tokens", jsonBody(tokenInput), async (c) => {
    const { label } = c.req.valid("json");
    const created = await createDepartmentToken(c.var.db, c.req.param("code"), label ?? null, c.var.now());
    return c.json(created, 201);
  })
  .get("/departments/:code/tokens", async (c) =>
    c.json({ tokens: await listDepartmentTokens(c.var.db, c.req.param("code")) }),
  )
  .delete("/departments/:code/tokens/:id", async (c) => {
    await revokeDepartmentToken(c.var.db, c.req.param("code"), c.req.param("id"), c.var.now());
    return c.json({ revoked: true });
  })
  .get("/outbox/dead", async (c) => c.json({ deadLetters: await listDeadLetters(c.var.db) }))
  .post("/outbox/:id/retry", async (c) => {
    await retryDeadLetter(c.var.db, c.req.param("id"), c.var.now());
    return c.json({ retrying: true });
  })
  .post("/work-orders/:id/reroute", jsonBody(rerouteInput), async (c) => {
    const body = c.req.valid("json");
    const now = c.var.now();
    await rerouteWorkOrder(c.var.db, {
      workOrderId: c.req.param("id"),
      department: body.department,
      note: body.note,
      actor: "admin",
      now,
    });
    const row = await findWorkOrderFor(c.var.db, c.req.param("id"), null);
    if (!row) throw notFound("work order");
    return c.json({ workOrder: presentWorkOrder(row, now, "admin") });
  })
  .post("/work-orders/:id/transitions", jsonBody(transitionInput), async (c) =>
    answerMove(c, c.req.valid("json"), "admin", null),
  );
