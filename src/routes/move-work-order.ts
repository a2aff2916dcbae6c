import type { Context } from "hono";
import { notFound } from "../domain/errors";
import type { Actor } from "../domain/states";
import type { AppEnv } from "../http/context";
import type { TransitionInput } from "../schemas/work-order";
import { moveWorkOrder } from "../store/transitions";
import { findWorkOrderFor, presentWorkOrder } from "../store/work-orders";

/**
 * The one handler body behind both transition endpoints (a department's and the admin's):
 * moves the work order as `actor`, limited to `department`'s own (null: any), and answers with it.
 */
export async function answerMove(
  c: Context<AppEnv>,
  body: TransitionInput,
  actor: Actor,
  department: string | null,
) {
  const now = c.var.now();
  await moveWorkOrder(c.var.db, {
    workOrderId: c.req.param("id") ?? "",
    to: body.to,
    actor,
    department,
    note: body.note,
    reason: body.reason,
    scheduledFor: body.scheduledFor ? Date.parse(body.scheduledFor) : null,
    duplicateOf: body.duplicateOf,
    fixture: body.fixture,
    photoIds: body.photoIds,
    by: c.var.caller.by,
    now,
  });
  const row = await findWorkOrderFor(c.var.db, c.req.param("id") ?? "", null);
  if (!row) throw notFound("work order");
  // Gone to another department with the move (a rejection rerouted at once) or just after it:
  // shown as it is now, with no move left to this caller.
  const theirs = department === null || row.wo.departmentCode === department;
  return c.json({ workOrder: presentWorkOrder(row, now, theirs ? actor : null) });
}
