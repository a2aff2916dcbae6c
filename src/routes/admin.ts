import { Hono } from "hono";
import { z } from "zod";
import { auditDetail } from "../domain/audit-detail";
import { invalid, notFound } from "../domain/errors";
import { adminAudit } from "../http/audit";
import { requireAdmin } from "../http/auth";
import type { AppEnv } from "../http/context";
import { jsonBody, optionalJsonBody, queryParams } from "../http/validate";
import { describe } from "../openapi/describe";
import { webhookSecretRenewal, webhookSecretRenewed } from "../schemas/department";
import { serviceAnswer, serviceInput, serviceUpdate } from "../schemas/service";
import {
  adminWorkOrderList,
  adminWorkOrderQuery,
  deadLetterList,
  rerouteInput,
  tokenCreated,
  tokenInput,
  tokenList,
  transitionInput,
  workOrderAnswer,
} from "../schemas/work-order";
import {
  createDepartmentToken,
  listDepartmentTokens,
  revokeDepartmentToken,
} from "../store/department-tokens";
import { renewWebhookSecret } from "../store/departments";
import { dispatchReached } from "../store/merges";
import { dismissDeadLetter, listDeadLetters, retryDeadLetter } from "../store/outbox";
import { createService, presentService, updateService } from "../store/services";
import { rerouteWorkOrder } from "../store/transitions";
import { findWorkOrderFor, listWorkOrders, presentWorkOrder } from "../store/work-orders";
import { answerMove, describeMove } from "./move-work-order";

export const adminRoutes = new Hono<AppEnv>()
  .use(requireAdmin)
  .post(
    "/services",
    describe({
      tag: "Admin",
      summary: "Create a service, with its questions (`attributes`)",
      responses: { 201: { description: "The service", json: serviceAnswer } },
      errors: { 409: "`service_exists`" },
    }),
    jsonBody(serviceInput),
    async (c) => {
      const input = c.req.valid("json");
      const service = await createService(c.var.db, input, c.var.now(), adminAudit(c, input.code));
      return c.json({ service: presentService(service) }, 201);
    },
  )
  .put(
    "/services/:code",
    describe({
      tag: "Admin",
      summary: "Replace a service",
      description:
        "The whole service; its code is the path's. The service as `GET /api/admin/services` reads it back may be sent as it is: a `code` in the body must be the path's (a `400` naming `code` otherwise), as a service is not renamed. A threshold lowered (or the service made active again) sends at once each problem still gathering reports that now reaches it (a work order to its department, as a report reaching it would).",
      responses: { 200: { description: "The service", json: serviceAnswer } },
    }),
    jsonBody(serviceUpdate),
    async (c) => {
      const sent = c.req.valid("json").code;
      if (sent !== undefined && sent !== c.req.param("code"))
        throw invalid("code", `a service's code does not change: the path names ${c.req.param("code")}`);
      const { service, before } = await updateService(
        c.var.db,
        c.req.param("code"),
        c.req.valid("json"),
        c.var.now(),
        adminAudit(c),
      );
      // A threshold lowered (or the service taken up again): problems already reported by that
      // many people go out now.
      if (before && (service.threshold < before.threshold || (service.active && !before.active)))
        await dispatchReached(c.var.db, service.code, c.var.now());
      return c.json({ service: presentService(service) });
    },
  )
  .get(
    "/work-orders",
    describe({
      tag: "Admin",
      summary: "All work orders; `routed=false` lists those no department took",
      responses: { 200: { description: "The work orders, oldest first", json: adminWorkOrderList } },
    }),
    queryParams(adminWorkOrderQuery),
    async (c) => c.json({ workOrders: await listWorkOrders(c.var.db, c.req.valid("query"), c.var.now()) }),
  )
  .post(
    "/departments/:code/webhook-secret",
    describe({
      tag: "Admin",
      summary: "Give a department's webhook a new secret (shown once)",
      description:
        "Every later delivery (retries included) is signed with the new secret. No body (or `keepPreviousHours: 0`), for a secret lost or leaked: the old one stops at once. `keepPreviousHours`, for a planned change: until then each delivery carries a signature by each secret (`t=…,v1=<new>,v1=<old>`), so a receiver holding either verifies it.",
      requestBody: { required: false, content: { "application/json": webhookSecretRenewal } },
      responses: { 201: { description: "The new secret, this once", json: webhookSecretRenewed } },
      errors: { 409: "`no_webhook`: the department has no webhook to sign for" },
    }),
    async (c) => {
      const input = await optionalJsonBody(c, webhookSecretRenewal);
      // Read by the audit entry as a validator's would be: a planned change says so in the trail.
      c.req.addValidatedData("json", input);
      const { keepPreviousHours = 0 } = input;
      const renewed = await renewWebhookSecret(
        c.var.db,
        c.req.param("code"),
        c.var.now(),
        keepPreviousHours * 3_600_000,
        adminAudit(c),
      );
      return c.json(renewed, 201);
    },
  )
  .post(
    "/departments/:code/tokens",
    describe({
      tag: "Admin",
      summary: "Issue a department token (shown once)",
      responses: { 201: { description: "The token, this once", json: tokenCreated } },
    }),
    jsonBody(tokenInput),
    async (c) => {
      const { label } = c.req.valid("json");
      const created = await createDepartmentToken(
        c.var.db,
        c.req.param("code"),
        label ?? null,
        c.var.now(),
        adminAudit(c),
      );
      return c.json(created, 201);
    },
  )
  .get(
    "/departments/:code/tokens",
    describe({
      tag: "Admin",
      summary: "A department's tokens (never the tokens themselves)",
      responses: { 200: { description: "Its tokens, newest first", json: tokenList } },
    }),
    async (c) => c.json({ tokens: await listDepartmentTokens(c.var.db, c.req.param("code")) }),
  )
  .delete(
    "/departments/:code/tokens/:id",
    describe({
      tag: "Admin",
      summary: "Revoke a department token",
      responses: { 200: { description: "Revoked", json: z.object({ revoked: z.literal(true) }) } },
    }),
    async (c) => {
      // Which token, as the list shows it: a department may have several.
      const audit = { ...adminAudit(c), detail: auditDetail({ id: c.req.param("id") }) };
      await revokeDepartmentToken(c.var.db, c.req.param("code"), c.req.param("id"), c.var.now(), audit);
      return c.json({ revoked: true });
    },
  )
  .get(
    "/outbox/dead",
    describe({
      tag: "Admin",
      summary: "Dispatches that gave up after their retries",
      responses: { 200: { description: "The dead letters, oldest first", json: deadLetterList } },
    }),
    async (c) => c.json({ deadLetters: await listDeadLetters(c.var.db) }),
  )
  .post(
    "/outbox/:id/retry",
    describe({
      tag: "Admin",
      summary: "Try a dead dispatch again",
      description:
        "Sent again from now to the department holding its work order (a follow-up goes to whoever holds it now; any other dispatch to the department it was for). Once its work order went to another department, nothing would be sent: refused (`retryable` in the list says so beforehand). Asked again while it is pending (a double click, two admins at once), it is answered the same.",
      responses: { 200: { description: "Pending again", json: z.object({ retrying: z.literal(true) }) } },
      errors: {
        409: "`work_order_moved`: the work order is no longer the dead letter's department's; the error names the `department` and who holds it now (`heldBy`, null for none); `not_dead_letter`: a dispatch still being tried, which never died",
        404: "No such dead letter (a delivered dispatch is none)",
      },
    }),
    async (c) => {
      await retryDeadLetter(c.var.db, c.req.param("id"), c.var.now(), adminAudit(c));
      return c.json({ retrying: true });
    },
  )
  .post(
    "/outbox/:id/dismiss",
    describe({
      tag: "Admin",
      summary: "Set a dead dispatch aside",
      description:
        "For a dead letter nothing is left to do for (its work order went to another department, which got its own dispatch; or the department took the work another way): it leaves the dead letters of the admin and of the department, and stays in the outbox as history. Dismissing it again changes nothing; a retry by its id still sends it.",
      responses: { 200: { description: "Set aside", json: z.object({ dismissed: z.literal(true) }) } },
      errors: { 404: "No such dead letter" },
    }),
    async (c) => {
      if (!(await dismissDeadLetter(c.var.db, c.req.param("id"), c.var.now(), adminAudit(c))))
        throw notFound("dead letter");
      return c.json({ dismissed: true });
    },
  )
  .post(
    "/work-orders/:id/reroute",
    describe({
      tag: "Admin",
      summary: "Send a work order to another department",
      responses: { 200: { description: "The work order, rerouted", json: workOrderAnswer } },
      errors: {
        409: "`not_reroutable` in its status; `work_order_changed` when it kept being moved by others through three tries",
      },
    }),
    jsonBody(rerouteInput),
    async (c) => {
      const body = c.req.valid("json");
      const now = c.var.now();
      await rerouteWorkOrder(c.var.db, {
        workOrderId: c.req.param("id"),
        department: body.department,
        note: body.note,
        actor: "admin",
        by: c.var.caller.by,
        now,
      });
      const row = await findWorkOrderFor(c.var.db, c.req.param("id"), null);
      if (!row) throw notFound("work order");
      return c.json({ workOrder: presentWorkOrder(row, now, "admin") });
    },
  )
  .post(
    "/work-orders/:id/transitions",
    describeMove("Admin", "Move any work order on"),
    jsonBody(transitionInput),
    async (c) => answerMove(c, c.req.valid("json"), "admin", null),
  );
