/**
 * Moving work orders: status changes, reroutes and merges of duplicates. Each is one atomic
 * batch whose first statement appends the event only if the work order is still where the caller
 * saw it (`WHERE status = <expected>`); every later statement runs only if that event exists.
 * Two concurrent moves therefore cannot both win: the second finds the status changed, writes
 * nothing, and is answered 409. Changes a department did not make itself are queued in the outbox.
 */
import { eq, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { clusters, events, workOrders } from "../db/schema";
import { HOUR_MS } from "../domain/deadlines";
import { AppError, conflict, invalid, notFound } from "../domain/errors";
import { newId } from "../domain/ids";
import { allowedTransitions, canReroute, checkSchedule, FIXTURE_CLOSED_NOTE } from "../domain/lifecycle";
import { routeDepartment } from "../domain/routing";
import { type Actor, type ClusterState, WORK_ORDER_GROUPS, type WorkOrderStatus } from "../domain/states";
import { routingCandidates } from "./departments";
import {
  checkDuplicateTarget,
  clusterNamedBy,
  mergeRecentres,
  mergeStatements,
  thresholdStatements,
} from "./merges";
import { keepMoveKey, keyUnused, type MoveKey, movedWithKey, sweepMoveKeys } from "./move-keys";
import { missedBeforeMove } from "./overdue";
import { linkPhotosToEvent, photosFree, photosStillFree } from "./photos";
import { closedAsFixtureSql, hasRoadSpots, learnFixtureStatements } from "./sensor-fixtures";
import { clusterState, workOrderStatus } from "./status-sql";
import {
  type ActionBy,
  appendWorkOrderEvent,
  eventWritten,
  moveCluster,
  ofWorkOrder,
  queueOutbox,
  readdressFollowUps,
  recordStaffAction,
  restartDeadlines,
  type Statement,
} from "./writes";

/** The audit entry of a staff member's move, written only if the move's event is. */
const auditMove = (
  db: Db,
  by: ActionBy,
  action: WorkOrderStatus | "rerouted",
  workOrderId: string,
  eventId: string,
  at: number,
) => recordStaffAction(db, { by, action, subject: { type: "work_order", id: workOrderId }, at, eventId });

export interface MoveCommand {
  workOrderId: string;
  to: WorkOrderStatus;
  actor: Actor;
  /** The acting department: it may move only its own work orders. Null for the admin, residents, system. */
  department: string | null;
  note?: string | null | undefined;
  /** Required for `scheduled`: the planned date, ms. */
  scheduledFor?: number | null | undefined;
  /** Required for `rejected`. */
  reason?: string | null | undefined;
  /** Required for `duplicate`: the cluster this one duplicates. */
  duplicateOf?: string | null | undefined;
  /** With `rejected`: a fixture, not a defect; its road spots become known features. */
  fixture?: boolean | undefined;
  /** Uploaded photos (not yet linked) that go with this change: linked in the same batch. */
  photoIds?: string[] | undefined;
  /** The staff member or machine token that moved it, for the audit trail; none for residents and the system. */
  by?: ActionBy | undefined;
  /** Sent with an `Idempotency-Key`: kept with the move, so its retry moves nothing again. */
  moveKey?: MoveKey | undefined;
  now: number;
}

type Batch = Parameters<Db["batch"]>[0];

/** A move the lifecycle does not allow: a 409 naming the field (`to`) and the moves it allows. */
const illegal = (from: WorkOrderStatus, to: WorkOrderStatus, allowed: WorkOrderStatus[]) =>
  new AppError(
    409,
    "illegal_transition",
    `to: a work order cannot move from ${from} to ${to}; allowed: ${allowed.length ? allowed.join(", ") : "none"}`,
    "to",
    { allowed },
  );

async function loadWorkOrder(db: Db, id: string, department: string | null) {
  const wo = await db.select().from(workOrders).where(eq(workOrders.id, id)).get();
  // Another department's work order does not exist as far as this caller may know.
  if (!wo || (department !== null && wo.departmentCode !== department)) throw notFound("work order");
  return wo;
}

/** What the work order's own row and its cluster become for a move to `to`. */
function sideEffects(to: WorkOrderStatus, cmd: MoveCommand): { wo: SQL; cluster: ClusterState | null } {
  const { now } = cmd;
  switch (to) {
    case "acknowledged":
      return { wo: sql`, acknowledged_at = coalesce(acknowledged_at, ${now})`, cluster: null };
    case "scheduled":
      return { wo: sql`, scheduled_for = ${cmd.scheduledFor ?? null}`, cluster: null };
    case "resolved":
      return { wo: sql`, resolved_at = ${now}`, cluster: "resolved" };
    case "closed":
      return { wo: sql``, cluster: "resolved" };
    case "reopened":
      // Back to work: a fresh resolve deadline runs from now, and may be flagged again. The visit
      // planned for the fix that did not hold is past, so no date is planned until it is scheduled again.
      return {
        wo: sql`, resolved_at = NULL, scheduled_for = NULL, ${restartDeadlines(now, "resolve")}`,
        cluster: "dispatched",
      };
    case "duplicate":
      return { wo: sql``, cluster: null }; // the merge statements set the cluster
    default:
      return { wo: sql``, cluster: null };
  }
}

/** Departments that already rejected this work order, so an automatic reroute skips them. */
async function rejectedBy(db: Db, workOrderId: string): Promise<string[]> {
  const rows = await db.all<{ d: string }>(sql`SELECT DISTINCT e.department_code AS d FROM events e
    WHERE ${ofWorkOrder("e", workOrderId)} AND e.to_status = ${workOrderStatus("rejected")}
      AND e.department_code IS NOT NULL`);
  return rows.map((r) => r.d);
}

/** Another department whose area contains the cluster and that handles the service, if any. */
async function automaticReroute(db: Db, wo: typeof workOrders.$inferSelect): Promise<string | null> {
  const cluster = await db.select().from(clusters).where(eq(clusters.id, wo.clusterId)).get();
  if (!cluster) return null;
  const skip = new Set([...(await rejectedBy(db, wo.id)), wo.departmentCode]);
  // Only an area that fits counts: a fallback department is the admin's call, not the system's.
  const candidates = (await routingCandidates(db, wo.serviceCode))
    .filter((c) => !skip.has(c.code))
    .map((c) => ({ ...c, fallback: false }));
  return routeDepartment(candidates, cluster);
}

/** Statements that hand a work order (expected in `from`) to `department`, with fresh deadlines. */
function rerouteStatements(
  db: Db,
  wo: { id: string; clusterId: string },
  from: { status: WorkOrderStatus; guard: SQL },
  department: string,
  eventId: string,
  opts: { actor: Actor; note: string | null; now: number },
) {
  const { now } = opts;
  const guard = eventWritten(eventId);
  return [
    appendWorkOrderEvent(db, {
      id: eventId,
      workOrderId: wo.id,
      type: "rerouted",
      to: "dispatched",
      department,
      actor: opts.actor,
      note: opts.note,
      at: now,
      where: sql`status = ${from.status} AND ${from.guard}`,
    }),
    db.run(sql`UPDATE work_orders SET status = ${workOrderStatus("dispatched")}, department_code = ${department},
        acknowledged_at = NULL, scheduled_for = NULL, resolved_at = NULL, ${restartDeadlines(now, "both")},
        updated_at = ${now}
      WHERE id = ${wo.id} AND ${guard}`),
    moveCluster(db, {
      cluster: wo.clusterId,
      to: "dispatched",
      where: sql`state = ${clusterState("open")} AND ${guard}`,
      now,
    }),
    queueOutbox(db, { eventId, now }),
    readdressFollowUps(db, { workOrderId: wo.id, department, where: guard }),
  ];
}

/**
 * The system's move rejected → closed that follows a rejection as a fixture, in the same batch:
 * written only if the rejection was (the work order is then `rejected`), as any move is.
 */
function closeAsFixture(
  db: Db,
  wo: { id: string; clusterId: string },
  rejected: SQL,
  now: number,
): Statement[] {
  const eventId = newId();
  const guard = eventWritten(eventId);
  const effects = sideEffects("closed", {
    workOrderId: wo.id,
    to: "closed",
    actor: "system",
    department: null,
    now,
  });
  return [
    appendWorkOrderEvent(db, {
      id: eventId,
      workOrderId: wo.id,
      type: "status_changed",
      to: "closed",
      actor: "system",
      note: FIXTURE_CLOSED_NOTE,
      at: now,
      where: sql`status = ${workOrderStatus("rejected")} AND ${rejected}`,
    }),
    db.run(sql`UPDATE work_orders SET status = ${workOrderStatus("closed")}, updated_at = ${now} ${effects.wo}
      WHERE id = ${wo.id} AND ${guard}`),
    moveCluster(db, {
      cluster: wo.clusterId,
      to: effects.cluster ?? "resolved",
      where: sql`state != ${clusterState("merged")} AND ${guard}`,
      now,
    }),
    // Not the department's doing: it is told, as of any move it did not make.
    queueOutbox(db, { eventId, now }),
  ];
}

/** Runs the batch and tells whether the guarding event was written. */
async function runGuarded(db: Db, statements: Statement[], eventId: string): Promise<boolean> {
  const results = await db.batch([
    ...statements,
    db.select({ id: events.id }).from(events).where(eq(events.id, eventId)),
  ] as unknown as Batch);
  return (results[results.length - 1] as unknown as unknown[]).length > 0;
}

/** How often a move is written before it gives up to moves that keep landing first. */
const MOVE_TRIES = 3;

/**
 * Moves a work order to `to` if the lifecycle allows it for this actor: 404 when the caller may
 * not see it, 409 `illegal_transition` naming the allowed moves otherwise. Returns the new row.
 * `lost`: how many times this move already lost to another landing first.
 */
export async function moveWorkOrder(
  db: Db,
  named: MoveCommand,
  lost = 0,
): Promise<typeof workOrders.$inferSelect> {
  const cmd =
    named.to === "duplicate" && named.duplicateOf
      ? { ...named, duplicateOf: await clusterNamedBy(db, named.duplicateOf) }
      : named;
  const wo = await loadWorkOrder(db, cmd.workOrderId, cmd.department);
  const from = wo.status as WorkOrderStatus;
  const allowed = allowedTransitions(from, cmd.actor);
  if (!allowed.includes(cmd.to)) throw illegal(from, cmd.to, allowed);
  if (cmd.to === "reopened" && from === "closed") await refuseReopeningAFixture(db, wo.id, wo.clusterId);
  if (cmd.to === "scheduled" && cmd.scheduledFor == null) {
    throw invalid("scheduledFor", "scheduling needs the planned date (scheduledFor)", "missing_field");
  }
  if (cmd.to === "scheduled" && cmd.scheduledFor != null) checkSchedule(cmd.scheduledFor, cmd.now);
  if (cmd.to === "rejected" && !cmd.reason) {
    throw invalid("reason", "rejecting needs a reason", "missing_field");
  }
  if (cmd.to === "duplicate") await checkDuplicateTarget(db, wo, cmd.duplicateOf, cmd.department);
  if (cmd.fixture && cmd.to !== "rejected") {
    throw invalid("fixture", "only a rejection can say: a fixture, not a defect");
  }
  // Kept by no other move: refused rather than dropped, so a caller never believes it was.
  if (cmd.scheduledFor != null && cmd.to !== "scheduled") {
    throw invalid("scheduledFor", "only a move to scheduled takes a planned date");
  }
  if (cmd.duplicateOf && cmd.to !== "duplicate") {
    throw invalid("duplicateOf", "only a move to duplicate names the problem it duplicates");
  }
  // Otherwise a residents' work order would be closed unrerouted, with nothing learnt.
  if (cmd.fixture && !(await hasRoadSpots(db, wo.clusterId))) {
    throw invalid("fixture", "only a problem the phones sensed can be a fixture; this one has no road spot");
  }
  if (cmd.photoIds?.length && !(await photosFree(db, cmd.photoIds))) {
    throw invalid(
      "photoIds",
      "a photo is unknown or already attached elsewhere: upload each with POST /api/photos first",
    );
  }

  if (!(await applyMove(db, wo, cmd))) {
    // Its own first try, landed meanwhile (a second tap racing the first): answered as it.
    if (cmd.moveKey && (await movedWithKey(db, cmd.moveKey, cmd.now)))
      return loadWorkOrder(db, cmd.workOrderId, null);
    // Someone else moved it first. Where the move is still allowed from where it stands now (a
    // resident's "still there" as the department closes it), it is checked and tried again from
    // there; otherwise the answer says where it stands.
    const current = await loadWorkOrder(db, cmd.workOrderId, cmd.department);
    const now = current.status as WorkOrderStatus;
    const allowedNow = allowedTransitions(now, cmd.actor);
    if (!allowedNow.includes(cmd.to)) throw illegal(now, cmd.to, allowedNow);
    if (lost < MOVE_TRIES - 1) return moveWorkOrder(db, cmd, lost + 1);
    throw conflict(
      "work_order_changed",
      "the work order kept changing while this move was written; try again",
      {
        allowed: allowedNow,
      },
    );
  }
  return loadWorkOrder(db, cmd.workOrderId, null);
}

/**
 * A move that may come with an `Idempotency-Key` (`cmd.moveKey`): made once. A retry of one its
 * key made already is answered without moving, and so is one whose first try landed between the
 * look-up and this one's checks (two sends at once), which would otherwise meet the work order
 * moved on, a photo taken or a rejection sent elsewhere.
 */
export async function moveWorkOrderOnce(db: Db, cmd: MoveCommand): Promise<void> {
  const { moveKey } = cmd;
  const movedAlready = async () => moveKey !== undefined && (await movedWithKey(db, moveKey, cmd.now));
  if (await movedAlready()) return;
  await moveWorkOrder(db, cmd).catch(async (e: unknown) => {
    if (!(await movedAlready())) throw e;
  });
}

/**
 * Writes a validated move of `wo` as it was read: one batch that does nothing unless the work
 * order is still in the status read. Returns whether this move won.
 */
export async function applyMove(
  db: Db,
  wo: typeof workOrders.$inferSelect,
  cmd: MoveCommand,
): Promise<boolean> {
  const from = wo.status as WorkOrderStatus;
  const eventId = newId();
  const guard = eventWritten(eventId);
  const note = [cmd.reason, cmd.note].filter(Boolean).join(" — ") || null;
  const scope = cmd.department === null ? sql`` : sql`AND department_code = ${cmd.department}`;
  // A merge target merged away (or, for a department, rerouted away from it) meanwhile must stop the move too.
  const targetAlive =
    cmd.to === "duplicate"
      ? sql`AND EXISTS (SELECT 1 FROM clusters t WHERE t.id = ${cmd.duplicateOf}
          AND t.state != ${clusterState("merged")}${
            cmd.department === null
              ? sql``
              : sql` AND coalesce((SELECT tw.department_code FROM work_orders tw WHERE tw.cluster_id = t.id),
                  ${cmd.department}) = ${cmd.department}`
          })`
      : sql``;
  const effects = sideEffects(cmd.to, cmd);
  // Photos another move or report took meanwhile stop the move: it is then checked again, and refused.
  const photosTaken = cmd.photoIds?.length ? sql`AND ${photosStillFree(cmd.photoIds)}` : sql``;
  const fresh = cmd.moveKey ? sql`AND ${keyUnused(cmd.moveKey)}` : sql``;
  const statements: Statement[] = [
    ...(cmd.moveKey ? [sweepMoveKeys(db, cmd.now)] : []),
    ...missedBeforeMove(db, wo, cmd.now),
    appendWorkOrderEvent(db, {
      id: eventId,
      workOrderId: wo.id,
      type: "status_changed",
      to: cmd.to,
      actor: cmd.actor,
      note,
      scheduledFor: cmd.to === "scheduled" ? (cmd.scheduledFor ?? null) : null,
      at: cmd.now,
      where: sql`status = ${from} ${scope} ${targetAlive} ${photosTaken} ${fresh}`,
    }),
    db.run(sql`UPDATE work_orders SET status = ${cmd.to}, updated_at = ${cmd.now} ${effects.wo}
      WHERE id = ${wo.id} AND ${guard}`),
  ];
  if (cmd.by) statements.push(auditMove(db, cmd.by, cmd.to, wo.id, eventId, cmd.now));
  if (cmd.moveKey)
    statements.push(keepMoveKey(db, cmd.moveKey, { workOrderId: wo.id, eventId, now: cmd.now }, guard));
  if (cmd.photoIds?.length) statements.push(linkPhotosToEvent(db, cmd.photoIds, eventId, guard));
  if (effects.cluster) {
    statements.push(
      moveCluster(db, {
        cluster: wo.clusterId,
        to: effects.cluster,
        where: sql`state != ${clusterState("merged")} AND ${guard}`,
        now: cmd.now,
      }),
    );
  }
  if (cmd.to === "duplicate" && cmd.duplicateOf) {
    const recentre = await mergeRecentres(db, wo.clusterId, cmd.duplicateOf);
    statements.push(
      ...mergeStatements(db, wo.clusterId, cmd.duplicateOf, guard, newId(), { ...cmd, recentre }),
    );
    statements.push(...(await thresholdStatements(db, cmd.duplicateOf, wo.serviceCode, guard, cmd.now)));
  }
  // Whatever a department did itself it already knows; everything else is sent to it.
  if (cmd.actor !== "department") statements.push(queueOutbox(db, { eventId, now: cmd.now }));
  if (cmd.fixture) {
    // A fixture is nobody's to repair: no other department is asked, the place is learnt, and
    // the work order is closed (publicly: closed, not a defect) rather than left waiting.
    statements.push(...learnFixtureStatements(db, wo.clusterId, cmd.now, guard));
    statements.push(...closeAsFixture(db, wo, guard, cmd.now));
  } else if (cmd.to === "rejected") {
    const next = await automaticReroute(db, wo);
    if (next) {
      statements.push(
        ...rerouteStatements(db, wo, { status: "rejected", guard }, next, newId(), {
          actor: "system",
          note: `rejected by ${wo.departmentCode}; this area is ${next}'s`,
          now: cmd.now,
        }),
      );
    }
  }

  return runGuarded(db, statements, eventId);
}

/** The admin hands a work order to another department that handles its service. */
export async function rerouteWorkOrder(
  db: Db,
  cmd: {
    workOrderId: string;
    department: string;
    note?: string | null | undefined;
    actor: Actor;
    by?: ActionBy | undefined;
    now: number;
  },
  lost = 0,
  /** The department the first try read as holding it: a retry takes it from that one only. */
  heldBy?: string | null,
): Promise<Awaited<ReturnType<typeof loadWorkOrder>>> {
  const wo = await loadWorkOrder(db, cmd.workOrderId, null);
  if (heldBy !== undefined && wo.departmentCode !== heldBy)
    throw conflict(
      "work_order_changed",
      "the work order went to another department meanwhile; reload and try again",
    );
  const from = wo.status as WorkOrderStatus;
  if (!canReroute(from)) {
    throw conflict("not_reroutable", `a work order that is ${from} cannot be rerouted`, { allowed: [] });
  }
  // Sent "again" to its holder, a work order would lose its acknowledgement and start its
  // deadlines over. Only a rejection can be handed back to the department that made it.
  if (cmd.department === wo.departmentCode && from !== "rejected") {
    throw invalid(
      "department",
      `department ${cmd.department} already holds this work order`,
      "already_assigned",
    );
  }
  const handles = await routingCandidates(db, wo.serviceCode);
  if (!handles.some((d) => d.code === cmd.department)) {
    const exists = await db.all(sql`SELECT 1 FROM departments WHERE code = ${cmd.department}`);
    throw invalid(
      "department",
      exists.length
        ? `department ${cmd.department} does not handle ${wo.serviceCode}`
        : `there is no department ${cmd.department}`,
      "unknown_department",
    );
  }
  const eventId = newId();
  const sameDept =
    wo.departmentCode === null ? sql`department_code IS NULL` : sql`department_code = ${wo.departmentCode}`;
  const ok = await runGuarded(
    db,
    [
      // The deadline its holder let pass is theirs, recorded before the new one's start afresh.
      ...missedBeforeMove(db, wo, cmd.now),
      ...rerouteStatements(db, wo, { status: from, guard: sameDept }, cmd.department, eventId, {
        actor: cmd.actor,
        note: cmd.note ?? null,
        now: cmd.now,
      }),
      // The department it is taken from is told (one that rejected it knows already).
      ...(wo.departmentCode && from !== "rejected"
        ? [queueOutbox(db, { eventId, now: cmd.now, to: wo.departmentCode })]
        : []),
      ...(cmd.by ? [auditMove(db, cmd.by, "rerouted", wo.id, eventId, cmd.now)] : []),
    ],
    eventId,
  );
  if (!ok) {
    // Its department moved it meanwhile (acknowledged it, scheduled it): checked again from where
    // it stands and tried again, as a department's move is, rather than refused; gone to another
    // department meanwhile (another admin, a rejection rerouted), it is refused: the admin chose
    // with the other holder in view.
    if (lost < MOVE_TRIES - 1) return rerouteWorkOrder(db, cmd, lost + 1, wo.departmentCode);
    throw conflict("work_order_changed", "the work order kept changing while it was rerouted; try again");
  }
  return loadWorkOrder(db, cmd.workOrderId, null);
}

/** Days after resolution during which a resident may say the problem is still there. */
export const REOPEN_WINDOW_DAYS = 30;

/**
 * 409 when the work order's last move was the system closing it as a fixture: that closing follows
 * a rejection, not a repair, so there is no fix to dispute (and the league table counts a
 * reopening against the resolution it undoes, which here would be an older one).
 */
async function refuseReopeningAFixture(db: Db, workOrderId: string, clusterId: string): Promise<void> {
  const [row] = await db.all<{ fixture: number }>(
    sql`SELECT ${closedAsFixtureSql(workOrderId, clusterId)} AS fixture`,
  );
  if (row?.fixture) {
    throw conflict(
      "not_reopenable",
      "the department found a known road feature here (a manhole cover, a speed bump), not a defect; please send a new report if something else is wrong",
      { allowed: [] },
    );
  }
}

/** The status of the cluster's work order, or null where it has none. */
export async function workOrderStatusOf(db: Db, clusterId: string): Promise<WorkOrderStatus | null> {
  const [row] = await db.all<{ status: WorkOrderStatus }>(
    sql`SELECT status FROM work_orders WHERE cluster_id = ${clusterId}`,
  );
  return row?.status ?? null;
}

/**
 * Whether the cluster's work order is open again after a resolution (asked where one was: the
 * "is it fixed?" questionnaire): another reporter's "still there" (or the road sensors') landed
 * first, and the department has it back.
 */
export async function openAgain(db: Db, clusterId: string): Promise<boolean> {
  const status = await workOrderStatusOf(db, clusterId);
  return status !== null && (WORK_ORDER_GROUPS.open as readonly string[]).includes(status);
}

/**
 * A reporter's "still there": reopens the cluster's resolved work order within the window. Each
 * reporter may say it once per resolution (409 `already_said`): their claim is written first, so
 * a second one from them, even concurrent, finds it and moves nothing.
 */
export async function reopenCluster(
  db: Db,
  clusterId: string,
  reporterKey: string,
  note: string | null,
  now: number,
  /**
   * Who says it: a resident (`by`: the call-taker who took their call, for the audit trail) or
   * the road sensors (hits after the repair).
   */
  who: { actor?: "resident" | "sensor"; by?: ActionBy | undefined } = {},
) {
  const cluster = await db.select().from(clusters).where(eq(clusters.id, clusterId)).get();
  if (!cluster) throw notFound("cluster");
  const wo = await db.select().from(workOrders).where(eq(workOrders.clusterId, clusterId)).get();
  if (cluster.state !== "resolved" || !wo) {
    throw conflict("not_reopenable", "only a resolved or closed problem can be reported as still there", {
      allowed: [],
    });
  }
  // Before the claim is written: a refused reopening leaves nothing behind.
  if (wo.status === "closed") await refuseReopeningAFixture(db, wo.id, clusterId);
  const resolvedAt = wo.resolvedAt ?? wo.updatedAt;
  if (now - resolvedAt > REOPEN_WINDOW_DAYS * 24 * HOUR_MS) {
    throw conflict(
      "not_reopenable",
      `it was resolved over ${REOPEN_WINDOW_DAYS} days ago; please send a new report`,
      { allowed: [] },
    );
  }
  const claimed =
    await db.all(sql`INSERT INTO reopen_claims (work_order_id, reporter_key, resolved_at, created_at)
    VALUES (${wo.id}, ${reporterKey}, ${resolvedAt}, ${now}) ON CONFLICT DO NOTHING RETURNING 1`);
  if (claimed.length === 0) {
    throw conflict(
      "already_said",
      "you have already said this problem is still there since it was resolved",
      {
        allowed: [],
      },
    );
  }
  try {
    return await moveWorkOrder(db, {
      workOrderId: wo.id,
      to: "reopened",
      actor: who.actor ?? "resident",
      department: null,
      note,
      by: who.by,
      now,
    });
  } catch (e) {
    // Not reopened (closed as a fixture meanwhile, moved on): the claim goes too, so saying it
    // again is answered for what it is, not as `already_said`.
    await db.run(sql`DELETE FROM reopen_claims
      WHERE work_order_id = ${wo.id} AND reporter_key = ${reporterKey} AND resolved_at = ${resolvedAt}`);
    // Another resident's "still there" (or a department's move) landed first: answered as it is
    // when sent after it, not with the department's move words naming a `to` never sent.
    if (e instanceof AppError && e.code === "illegal_transition")
      throw conflict("not_reopenable", "only a resolved or closed problem can be reported as still there", {
        allowed: [],
      });
    throw e;
  }
}
