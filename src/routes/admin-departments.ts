/**
 * Creating and replacing departments, apart from the other admin routes: a department's area, a
 * surveyed boundary pasted whole, may be far larger than other bodies (see `app.ts`), and is
 * simplified to what routing needs (`schemas/department.ts`).
 */
import { Hono } from "hono";
import { z } from "zod";
import type { Db } from "../db/client";
import { overlapsOf } from "../domain/area-overlaps";
import { invalid, notFound } from "../domain/errors";
import { checkWebhookUrl } from "../domain/webhook-url";
import { adminAudit } from "../http/audit";
import type { AppEnv } from "../http/context";
import { jsonBody } from "../http/validate";
import { describe } from "../openapi/describe";
import {
  type DepartmentUpdate,
  departmentInput,
  departmentSaved,
  departmentUpdate,
  WEBHOOK_ONLY_WORDS,
  webhookOnlyFor,
} from "../schemas/department";
import {
  createDepartment,
  deleteDepartment,
  listDepartmentsForAdmin,
  updateDepartment,
} from "../store/departments";
import { routedElsewhere } from "../store/routed-elsewhere";

/**
 * Refuses webhook and Open311 addresses the server must not call (see `domain/webhook-url.ts`):
 * the city's Open311 server is called from the same loop, under the same rules.
 */
function checkWebhook(d: DepartmentUpdate, allowPrivate: boolean) {
  const check = (url: string | null, field: string, what: string) => {
    if (url === null) return;
    const verdict = checkWebhookUrl(url, allowPrivate);
    if (!verdict.ok) throw invalid(field, `the ${what} address ${verdict.reason}`, "webhook_refused");
  };
  check(d.webhookUrl, "webhookUrl", "webhook");
  if (d.dispatch.method === "open311") check(d.dispatch.endpoint, "dispatch.endpoint", "Open311");
}

/**
 * A `PUT` of a department as read back may carry the webhook an older release kept beside e-mail
 * or Open311 dispatch (never called): dropped. A new one there is refused, as in a `POST`.
 */
async function withoutStaleWebhook(db: Db, code: string, d: DepartmentUpdate): Promise<DepartmentUpdate> {
  if (webhookOnlyFor(d)) return d;
  const stored = (await listDepartmentsForAdmin(db, 0, code))[0];
  if (stored?.webhookUrl !== d.webhookUrl) throw invalid("webhookUrl", `webhookUrl: ${WEBHOOK_ONLY_WORDS}`);
  return { ...d, webhookUrl: null };
}

/**
 * The answer to a department saved: the department as the admin's list reads it back (so a `PUT`
 * of it keeps its webhook and population), its dispatch beside it as before, a new secret once,
 * how much open work routing would now take from it or give it, and the departments whose areas
 * partly overlap its own.
 */
async function saved(db: Db, now: number, code: string, webhookSecret: string | null | undefined) {
  const all = await listDepartmentsForAdmin(db, now);
  const department = all.find((d) => d.code === code);
  if (!department) throw notFound("department");
  return {
    department,
    dispatch: department.dispatch,
    ...(webhookSecret ? { webhookSecret } : {}),
    // Work stays where it is: said, so a reorganisation does not leave it where no one looks.
    workRoutedElsewhere: (await routedElsewhere(db)).filter(
      (w) => w.department === code || w.routesTo === code,
    ).length,
    // Said where the area is drawn: a strip of streets given to one district only by size.
    overlaps: overlapsOf(department, all),
  };
}

/** Behind `requireAdmin` where `app.ts` mounts them, before their bodies are read. */
export const adminDepartmentRoutes = new Hono<AppEnv>()
  .post(
    "/departments",
    describe({
      tag: "Admin",
      summary: "Create a department",
      responses: {
        201: { description: "The department, and its webhook secret this once", json: departmentSaved },
      },
      errors: {
        409: "`department_exists`, or `fallback_taken` (field `fallbackFor`): another department takes a service's points outside every area",
      },
    }),
    jsonBody(departmentInput),
    async (c) => {
      checkWebhook(c.req.valid("json"), c.var.config.allowPrivateWebhooks);
      const input = c.req.valid("json");
      const { department, webhookSecret } = await createDepartment(
        c.var.db,
        input,
        c.var.now(),
        adminAudit(c, input.code),
      );
      return c.json(await saved(c.var.db, c.var.now(), department.code, webhookSecret), 201);
    },
  )
  .put(
    "/departments/:code",
    describe({
      tag: "Admin",
      summary: "Replace a department",
      responses: {
        200: { description: "The department, and a new webhook secret this once", json: departmentSaved },
      },
      errors: {
        409: "`fallback_taken` (field `fallbackFor`): another department takes a service's points outside every area",
      },
    }),
    jsonBody(departmentUpdate),
    async (c) => {
      const sent = c.req.valid("json").code;
      if (sent !== undefined && sent !== c.req.param("code"))
        throw invalid("code", `a department's code does not change: the path names ${c.req.param("code")}`);
      const input = await withoutStaleWebhook(c.var.db, c.req.param("code"), c.req.valid("json"));
      checkWebhook(input, c.var.config.allowPrivateWebhooks);
      const { department, webhookSecret } = await updateDepartment(
        c.var.db,
        c.req.param("code"),
        input,
        c.var.now(),
        adminAudit(c),
      );
      return c.json(await saved(c.var.db, c.var.now(), department.code, webhookSecret));
    },
  )
  .delete(
    "/departments/:code",
    describe({
      tag: "Admin",
      summary: "Delete a department made by mistake",
      description:
        "Only a department no work order, event, delivery, rating or staff account has ever named; its services, Open311 codes, tokens and area's counts go with it.",
      responses: { 200: { description: "Deleted", json: z.object({ deleted: z.literal(true) }) } },
      errors: { 409: "`department_in_use`: it has work orders or staff accounts, now or in its history" },
    }),
    async (c) => {
      await deleteDepartment(c.var.db, c.req.param("code"), c.var.now(), adminAudit(c));
      return c.json({ deleted: true });
    },
  );
