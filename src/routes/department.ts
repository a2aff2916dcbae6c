/** The department API: a department's own work orders (the admin's token sees all). */
import { Hono } from "hono";
import { AppError, invalid, notFound } from "../domain/errors";
import type { Actor } from "../domain/states";
import { requireDepartment, requireDepartmentWrite } from "../http/auth";
import type { AppEnv, DepartmentCaller } from "../http/context";
import { idempotencyKeyOf } from "../http/idempotency";
import { jsonBody, queryParams } from "../http/validate";
import { describe } from "../openapi/describe";
import {
  departmentMe,
  departmentWorkOrderList,
  internalNoteAnswer,
  internalNoteInput,
  transitionInput,
  workOrderDetail,
  workOrderListQuery,
} from "../schemas/work-order";
import { findClusterDetail } from "../store/clusters";
import { listDeadLetters } from "../store/outbox";
import { nameThePoints } from "../store/places";
import { workOrderHistory } from "../store/staff-actions";
import { addInternalNote, noteIdOf } from "../store/work-order-notes";
import {
  countDepartmentWorkOrders,
  findWorkOrderFor,
  listDepartmentWorkOrders,
  presentWorkOrder,
  workOrderExtras,
} from "../store/work-orders";
import { answerMove, describeMove } from "./move-work-order";

/** The lifecycle's actor for a caller; a viewer moves nothing. */
const actorOf = (d: DepartmentCaller): Actor | null => (d.role === "viewer" ? null : d.role);

export const departmentRoutes = new Hono<AppEnv>()
  .use(requireDepartment)
  .get(
    "/me",
    describe({
      tag: "Department",
      summary: "Who this token acts as",
      responses: { 200: { description: "The department, or null for the admin", json: departmentMe } },
    }),
    (c) => {
      const d = c.var.department;
      return c.json({
        role: d.role,
        department: d.role === "department" ? { code: d.code, name: d.name } : null,
        staff: c.var.caller.staff ? { name: c.var.caller.staff.name } : null,
      });
    },
  )
  .get(
    "/work-orders",
    describe({
      tag: "Department",
      summary:
        "The department's work orders, most urgent first (with `updatedSince`, what changed, earliest first)",
      responses: {
        200: { description: "Red, then yellow, then by the nearest deadline", json: departmentWorkOrderList },
      },
    }),
    queryParams(workOrderListQuery),
    async (c) => {
      const q = c.req.valid("query");
      const own = c.var.department.code;
      if (own !== null && q.department !== undefined && q.department !== own)
        throw new AppError(403, "forbidden", `this caller sees ${own}'s work orders only`, "department");
      const filter = {
        department: own ?? q.department ?? null,
        statuses: q.status,
        service: q.service,
        overdue: q.overdue,
        flag: q.flag,
        updatedSince: q.updatedSince,
        afterId: q.afterId,
      };
      if (q.afterId !== undefined && q.updatedSince === undefined)
        throw invalid("afterId", "goes with updatedSince: the instant whose work orders it goes on after");
      const now = c.var.now();
      const workOrders = await listDepartmentWorkOrders(c.var.db, filter, now, q.limit);
      // Counted only when the list is full: a short list is all there is.
      const total =
        workOrders.length < q.limit
          ? workOrders.length
          : await countDepartmentWorkOrders(c.var.db, filter, now);
      return c.json({ total, truncated: total > workOrders.length, workOrders });
    },
  )
  .get(
    "/work-orders/:id",
    describe({
      tag: "Department",
      summary: "One work order, with its cluster, reports, webhook deliveries, dead letters and history",
      description:
        "`history` is the work order's internal record: every event with who did it (the staff member's name, or the department or token for a machine). The public timeline names only the department.",
      responses: { 200: { description: "The work order", json: workOrderDetail } },
    }),
    async (c) => {
      const d = c.var.department;
      const row = await findWorkOrderFor(c.var.db, c.req.param("id"), d.code);
      if (!row) throw notFound("work order");
      const now = c.var.now();
      const [cluster, extras, history, deadLetters, [place]] = await Promise.all([
        findClusterDetail(c.var.db, row.wo.clusterId, now),
        workOrderExtras(c.var.db, row.wo, d.code),
        workOrderHistory(c.var.db, row.wo.id),
        listDeadLetters(c.var.db, { workOrderId: row.wo.id, department: d.code }),
        // Named as the list names it: a work order opened by its link, or filtered out of the
        // list, otherwise showed only its coordinates.
        nameThePoints(c.var.db, [row]),
      ]);
      return c.json({
        workOrder: presentWorkOrder(row, now, actorOf(d)),
        place: place ?? null,
        cluster,
        ...extras,
        history,
        deadLetters,
      });
    },
  )
  .post(
    "/work-orders/:id/notes",
    describe({
      tag: "Department",
      summary: "Add an internal note to a work order (staff only, never public)",
      description:
        "The note joins the work order's `history` as `internal_note`, with who wrote it. It is never in the public timeline, feeds, exports, Open311 or the department's webhook. An `Idempotency-Key` makes a retry (a lost answer, a second tap) answer with the note the first one added, adding none.",
      responses: { 201: { description: "The note", json: internalNoteAnswer } },
    }),
    requireDepartmentWrite,
    jsonBody(internalNoteInput),
    async (c) => {
      const key = idempotencyKeyOf(c);
      const [workOrderId, words] = [c.req.param("id"), c.req.valid("json").note];
      const note = await addInternalNote(c.var.db, {
        workOrderId,
        department: c.var.department.code,
        by: c.var.caller.by,
        note: words,
        now: c.var.now(),
        // Per caller: one writer's key never answers with another's note.
        ...(key
          ? { id: await noteIdOf(c.var.department.code, c.var.caller.by, key, { workOrderId, words }) }
          : {}),
      });
      if (!note) throw notFound("work order");
      return c.json({ note }, 201);
    },
  )
  .post(
    "/work-orders/:id/transitions",
    describeMove("Department", "Move a work order on (acknowledge, schedule, resolve…)"),
    requireDepartmentWrite,
    jsonBody(transitionInput),
    async (c) => {
      const d = c.var.department;
      return answerMove(c, c.req.valid("json"), d.role === "department" ? "department" : "admin", d.code);
    },
  );
