import type { Context } from "hono";
import { notFound } from "../domain/errors";
import type { Actor } from "../domain/states";
import type { AppEnv } from "../http/context";
import { idempotencyKeyOf, idempotencyKeyParameter } from "../http/idempotency";
import { describe } from "../openapi/describe";
import { type TransitionInput, workOrderAnswer } from "../schemas/work-order";
import { moveKeyOf } from "../store/move-keys";
import { moveWorkOrderOnce } from "../store/transitions";
import { findWorkOrderFor, presentWorkOrder } from "../store/work-orders";

/** The OpenAPI description of both transition endpoints. */
export const describeMove = (tag: "Department" | "Admin", summary: string) =>
  describe({
    tag,
    summary,
    parameters: [
      idempotencyKeyParameter(
        "a retry with the same key and move (its answer lost, a second tap) is answered with the work order as it stands, moving nothing again; kept 7 days",
      ),
    ],
    responses: { 200: { description: "The work order after the move", json: workOrderAnswer } },
    errors: {
      409: "An illegal move: the error lists the `allowed` ones",
      422: "`idempotency_key_reused`: the `Idempotency-Key` came with another move",
    },
  });

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
  const workOrderId = c.req.param("id") ?? "";
  const key = idempotencyKeyOf(c);
  const by = c.var.caller.by;
  const moveKey = key
    ? await moveKeyOf(
        department,
        { via: by.via, id: by.staffId ?? c.req.header("authorization") ?? "" },
        key,
        { workOrderId, body },
      )
    : undefined;
  // A retry of a move this key made is answered with the work order as it stands, moving nothing.
  await moveWorkOrderOnce(c.var.db, {
    workOrderId,
    to: body.to,
    actor,
    department,
    note: body.note,
    reason: body.reason,
    scheduledFor: body.scheduledFor ? Date.parse(body.scheduledFor) : null,
    duplicateOf: body.duplicateOf,
    fixture: body.fixture,
    photoIds: body.photoIds,
    by,
    moveKey,
    now,
  });
  const row = await findWorkOrderFor(c.var.db, workOrderId, null);
  if (!row) throw notFound("work order");
  // Gone to another department with the move (a rejection rerouted at once) or just after it:
  // shown as it is now, with no move left to this caller.
  const theirs = department === null || row.wo.departmentCode === department;
  return c.json({ workOrder: presentWorkOrder(row, now, theirs ? actor : null) });
}
