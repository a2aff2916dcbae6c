/** Staff accounts and the audit trail, for admins (or the bootstrap `ADMIN_TOKEN`). */
import { Hono } from "hono";
import { invalid, notFound } from "../domain/errors";
import { adminAudit } from "../http/audit";
import { requireAdmin } from "../http/auth";
import type { AppEnv } from "../http/context";
import { jsonBody, queryParams } from "../http/validate";
import { describe } from "../openapi/describe";
import {
  auditQuery,
  staffActionList,
  staffAnswer,
  staffInput,
  staffList,
  staffUpdate,
} from "../schemas/staff";
import { createStaff, findStaff, listStaff, presentStaff, updateStaff } from "../store/staff";
import { listActions } from "../store/staff-actions";

export const adminStaffRoutes = new Hono<AppEnv>()
  .use("/staff", requireAdmin)
  .use("/staff/*", requireAdmin)
  .use("/audit", requireAdmin)
  .post(
    "/staff",
    describe({
      tag: "Staff",
      summary: "Create a staff account",
      description:
        "Roles: `admin`, `department` (with `department`), `call_taker`, `viewer`. The e-mail is unique whatever its case. Without `password` the account cannot sign in until an admin sets one. The answer never carries the password or its hash.",
      responses: { 201: { description: "The account", json: staffAnswer } },
      errors: { 409: "`staff_exists`: an account with this e-mail exists" },
    }),
    jsonBody(staffInput),
    async (c) => {
      const row = await createStaff(c.var.db, c.req.valid("json"), c.var.now(), adminAudit(c));
      return c.json({ staff: presentStaff(row) }, 201);
    },
  )
  .get(
    "/staff",
    describe({
      tag: "Staff",
      summary: "Every staff account, by e-mail",
      responses: { 200: { description: "The accounts", json: staffList } },
    }),
    async (c) => c.json({ staff: (await listStaff(c.var.db)).map(presentStaff) }),
  )
  .get(
    "/staff/:id",
    describe({
      tag: "Staff",
      summary: "One staff account",
      responses: { 200: { description: "The account", json: staffAnswer } },
    }),
    async (c) => {
      const row = await findStaff(c.var.db, c.req.param("id"));
      if (!row) throw notFound("staff member");
      return c.json({ staff: presentStaff(row) });
    },
  )
  .patch(
    "/staff/:id",
    describe({
      tag: "Staff",
      summary: "Change a staff account: e-mail, name, role, department, password (a reset), disabled",
      description:
        "A new password, disabling, a new e-mail, or a change of role or department ends the account's sessions; a new password, disabling or a new e-mail also ends the browsers trusted for it and spends its unused reset links (a link mailed to an old, mistyped address no longer opens it; if someone else may have set its password, set a new one). An e-mail is unique whatever its case. A body that changes nothing (empty, or the values the account has) writes nothing and leaves no audit entry.",
      responses: { 200: { description: "The account", json: staffAnswer } },
      errors: {
        409: "`last_admin`: it would leave the city without an enabled admin; `staff_exists` (field `email`): another account has this e-mail; `staff_changed`: the account kept changing while this was written",
      },
    }),
    jsonBody(staffUpdate),
    async (c) => {
      const row = await updateStaff(
        c.var.db,
        c.req.param("id"),
        c.req.valid("json"),
        c.var.now(),
        adminAudit(c),
      );
      return c.json({ staff: presentStaff(row) });
    },
  )
  .get(
    "/audit",
    describe({
      tag: "Staff",
      summary: "The staff audit trail, newest first, a page at a time",
      description:
        "Who did what: sign-ins, work-order moves, moderation, admin changes, desk reports. `subjectType` and `subjectId` narrow it to one thing (e.g. `work_order` and its id). Up to `limit` entries (200 by default); `next`, sent back as `before`, asks for the older ones.",
      responses: { 200: { description: "The entries", json: staffActionList } },
      errors: { 400: "`invalid_field` naming `before`: it names no entry of the trail" },
    }),
    queryParams(auditQuery),
    async (c) => {
      const page = await listActions(c.var.db, c.req.valid("query"));
      if (!page) throw invalid("before", "names no entry of the audit trail: send a `next` this list gave");
      return c.json(page);
    },
  );
