/**
 * The write side's shared statements, named once: creating a work order, appending a work
 * order's event, queueing an event for a department's webhook, moving a cluster, restarting
 * deadlines, and the guard "was this event written". Every write path (the intake, moves,
 * reroutes, merges, ratings, the deadline check) builds its batch from these.
 *
 * How a write is made here, and how to add one:
 * 1. Read what the caller needs to decide (validation, the domain's rules) before writing.
 * 2. Build every statement of the write as a value and run them all in ONE `db.batch([...])`:
 *    one transaction and one round trip on libSQL files, Turso and D1 alike.
 * 3. Never read a value in one round trip and write it back in another. A statement that depends
 *    on an earlier one reads what that one wrote inside the batch (`INSERT … SELECT … WHERE`),
 *    and races are settled by the database: a unique index (`ON CONFLICT DO NOTHING`), or a first
 *    statement that appends an event only if the row is still as read, with every later statement
 *    guarded by `eventWritten(eventId)`. The loser of a race writes nothing.
 * 4. Name statuses with `./status-sql` (from the domain's lists), never as strings in the SQL.
 * 5. A statement more than one write path needs goes here, with a name; one only that path needs
 *    stays in its own file (e.g. the intake's nearest-cluster search in `intake.ts`). A new kind
 *    of write (say, sensor batches) gets its own file in `src/store/` built the same way.
 *
 * The shape of a guarded write (see `applyMove` in `transitions.ts` for the whole of one):
 *
 *     const eventId = newId();
 *     const [, , , written] = await db.batch([
 *       // Decides: written only if the row is still as the caller read it.
 *       appendWorkOrderEvent(db, { id: eventId, workOrderId, type: "status_changed", to: "acknowledged",
 *         actor: "department", at: now, where: sql`status = ${workOrderStatus(seen)}` }),
 *       // Follows: each statement runs only if that event was written.
 *       db.run(sql`UPDATE work_orders SET status = … WHERE id = ${workOrderId} AND ${eventWritten(eventId)}`),
 *       queueOutbox(db, { eventId, now }),
 *       db.select({ id: events.id }).from(events).where(eq(events.id, eventId)), // did this one win?
 *     ]);
 */
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import type { AuditAction } from "../domain/audit-actions";
import { dueAt, HOUR_MS } from "../domain/deadlines";
import { FOLLOW_UP_EVENTS, FOLLOW_UP_HOLD_MS, HEARING_STATUSES } from "../domain/follow-up";
import { newId } from "../domain/ids";
import type { Actor, ClusterState, EventType, WorkOrderStatus } from "../domain/states";
import {
  actor,
  clusterState,
  eventType,
  oneOf,
  outboxKind,
  outboxState,
  workOrderStatus,
} from "./status-sql";

/** One statement of a batch. */
export type Statement = ReturnType<Db["run"]>;

/** A value for a column: a plain value (bound as a parameter) or SQL (a column, a subquery). */
type Value<T> = T | SQL;

/**
 * Drops the unsent messages `which` picks (a condition on `outbox`), with the attempts logged for
 * those that failed once: a foreign key keeps those, so the delete alone failed, and its batch.
 * Two statements, to run in that order in the batch.
 */
export const dropUnsentMessages = (db: Db, which: SQL): [Statement, Statement] => {
  const unsent = sql`SELECT id FROM outbox WHERE state = ${outboxState("pending")} AND ${which}`;
  return [
    db.run(sql`DELETE FROM delivery_attempts WHERE outbox_id IN (${unsent})`),
    db.run(sql`DELETE FROM outbox WHERE id IN (${unsent})`),
  ];
};

/** The condition "this batch wrote event `eventId`": later statements of a guarded write run only if it holds. */
export const eventWritten = (eventId: string): SQL =>
  sql`EXISTS (SELECT 1 FROM events WHERE id = ${eventId})`;

/**
 * When a deadline of `hours` falls if it starts at `from`: the domain's `dueAt`, or the same
 * arithmetic in SQL when the hours are read inside the statement (a subquery on the service).
 */
export const deadlineAt = (from: Value<number>, hours: Value<number>): SQL =>
  typeof hours === "number" && typeof from === "number"
    ? sql`${dueAt(from, hours)}`
    : sql`${from} + ${hours} * ${HOUR_MS}`;

/** A work order's service's hours, read inside a statement on `work_orders`. */
const serviceHours = (column: "ack_hours" | "resolve_hours") =>
  sql`(SELECT ${sql.raw(column)} FROM services s WHERE s.code = work_orders.service_code)`;

/**
 * The `SET` assignments of an `UPDATE work_orders` that start its deadlines afresh at `now`, from
 * its service's hours: both (a reroute) or only the resolution (a reopening). It may be flagged again.
 */
export const restartDeadlines = (now: number, which: "both" | "resolve"): SQL =>
  sql.join(
    [
      sql`deadlines_from = ${now}`,
      sql`overdue_notified_for = NULL`,
      ...(which === "both" ? [sql`ack_due_at = ${deadlineAt(now, serviceHours("ack_hours"))}`] : []),
      sql`resolve_due_at = ${deadlineAt(now, serviceHours("resolve_hours"))}`,
    ],
    sql`, `,
  );

/** The status a new work order starts in: dispatched to its department, or unrouted without one. */
export const initialStatus = (department: Value<string> | null): WorkOrderStatus =>
  department === null ? "unrouted" : "dispatched";

/**
 * Creates the work order of the cluster whose id `cluster` yields, if `where` holds for it
 * (`c.` is the cluster). Its deadlines start now. The unique index on `work_orders.cluster_id`
 * makes it exactly one per cluster, whoever races. The department is read again in the statement:
 * one deleted since a cached catalog routed to it leaves the work order unrouted, never a foreign
 * key failure.
 */
export const createWorkOrder = (
  db: Db,
  wo: {
    id: Value<string>;
    cluster: Value<string>;
    where: SQL;
    department: Value<string> | null;
    service: { ackHours: Value<number>; resolveHours: Value<number> };
    now: Value<number>;
  },
): Statement =>
  db.run(sql`INSERT INTO work_orders (id, cluster_id, service_code, department_code, status,
      ack_due_at, resolve_due_at, deadlines_from, created_at, updated_at)
    SELECT ${wo.id}, c.id, c.service_code, d.code, CASE WHEN d.code IS NULL THEN ${workOrderStatus("unrouted")}
        ELSE ${workOrderStatus(initialStatus(wo.department))} END,
      ${deadlineAt(wo.now, wo.service.ackHours)}, ${deadlineAt(wo.now, wo.service.resolveHours)},
      ${wo.now}, ${wo.now}, ${wo.now}
    FROM clusters c LEFT JOIN departments d ON d.code = ${wo.department}
    WHERE c.id = ${wo.cluster} AND ${wo.where}
    ON CONFLICT (cluster_id) DO NOTHING`);

/**
 * The events of work order `workOrderId`, as a condition on the events row `e`: read through its
 * cluster's timeline (`events_cluster_at`), as every event of a work order is on its cluster's
 * (written so below), and no index has events by work order (a scan: 120-240 ms at 1M clusters).
 */
export const ofWorkOrder = (e: string, workOrderId: string) =>
  sql`${sql.raw(e)}.cluster_id = (SELECT w.cluster_id FROM work_orders w WHERE w.id = ${workOrderId})
    AND ${sql.raw(e)}.work_order_id = ${workOrderId}`;

/**
 * Appends an event about work order `workOrderId` to its cluster's timeline, if `where` holds
 * for the work order's row. By default the event's statuses are the row's current one and its
 * department the row's; pass values (or SQL) to say otherwise, `from: null` for none. Its time is
 * never before the timeline's latest: a move read its clock when its request began, and another
 * process may have written a later-stamped move while it waited for the database (a "still there"
 * stamped before the close it reopened, whose notice then came last).
 */
export const appendWorkOrderEvent = (
  db: Db,
  e: {
    id: Value<string>;
    workOrderId: Value<string>;
    type: EventType;
    from?: Value<WorkOrderStatus> | null;
    to?: Value<WorkOrderStatus>;
    department?: Value<string>;
    actor: Actor;
    note?: string | null;
    /** A move to `scheduled`: its planned date. */
    scheduledFor?: number | null;
    at: Value<number>;
    where?: SQL;
  },
): Statement => {
  const status = (s: Value<WorkOrderStatus> | null | undefined) =>
    s === undefined ? sql`status` : s === null ? sql`NULL` : typeof s === "string" ? workOrderStatus(s) : s;
  return db.run(sql`INSERT INTO events (id, cluster_id, work_order_id, type, from_status, to_status,
      department_code, actor, note, scheduled_for, at)
    SELECT ${e.id}, cluster_id, id, ${eventType(e.type)}, ${status(e.from)}, ${status(e.to)},
      ${e.department ?? sql`department_code`}, ${actor(e.actor)}, ${e.note ?? null}, ${e.scheduledFor ?? null},
      max(${e.at}, coalesce((SELECT max(x.at) FROM events x WHERE x.cluster_id = work_orders.cluster_id), 0))
    FROM work_orders WHERE id = ${e.workOrderId} ${e.where ? sql`AND ${e.where}` : sql``}`);
};

/** The `work_order_created` event of a work order just created (nothing if it was not). */
export const workOrderCreated = (
  db: Db,
  eventId: Value<string>,
  workOrderId: Value<string>,
  now: Value<number>,
): Statement =>
  appendWorkOrderEvent(db, {
    id: eventId,
    workOrderId,
    type: "work_order_created",
    from: null,
    actor: "system",
    at: now,
  });

/**
 * Queues event `eventId` for its department's webhook (the outbox), if the event was written
 * and names a department and a work order; `where` narrows it further (on the event's row).
 * `to` addresses it to another department instead: the one an admin's reroute took it from.
 */
export const queueOutbox = (
  db: Db,
  o: { eventId: Value<string>; now: Value<number>; id?: Value<string>; where?: SQL; to?: string },
): Statement =>
  db.run(sql`INSERT INTO outbox (id, event_id, work_order_id, department_code, state, attempts, next_attempt_at, created_at)
    SELECT ${o.id ?? newId()}, id, work_order_id, ${o.to ?? sql`department_code`}, ${outboxState("pending")}, 0, ${o.now}, ${o.now}
    FROM events WHERE id = ${o.eventId} AND department_code IS NOT NULL AND work_order_id IS NOT NULL
      ${o.where ? sql`AND ${o.where}` : sql``}`);

/**
 * Queues event `eventId` (a later report joining a cluster, a resident's update) as a follow-up
 * for the department holding its cluster's work order, due after the moderation hold; nothing if
 * the cluster has no work order with a department that is still working on it. `reportId` names
 * the report whose words it carries (none for an update: its words are the event's note). It is
 * addressed to that department; a reroute while it is pending readdresses it (`readdressFollowUps`).
 */
export const queueFollowUp = (
  db: Db,
  f: { eventId: Value<string>; reportId: Value<string> | null; now: Value<number>; id?: Value<string> },
): Statement =>
  db.run(sql`INSERT INTO outbox (id, event_id, work_order_id, department_code, report_id, state, attempts, next_attempt_at, created_at)
    SELECT ${f.id ?? newId()}, e.id, w.id, w.department_code, ${f.reportId}, ${outboxState("pending")}, 0, ${f.now} + ${FOLLOW_UP_HOLD_MS}, ${f.now}
    FROM events e JOIN work_orders w ON w.cluster_id = e.cluster_id
    WHERE e.id = ${f.eventId} AND w.department_code IS NOT NULL AND w.status IN ${oneOf(HEARING_STATUSES)}`);

/**
 * Readdresses a work order's follow-ups still pending to `department`, its new holder: residents'
 * words go to whoever holds the work order when they leave. Those settled (delivered, dead) stay
 * the earlier department's; a row a dispatcher holds meanwhile is settled with the department it
 * was sent to (`recordAttempts`).
 */
export const readdressFollowUps = (
  db: Db,
  r: { workOrderId: string; department: string; where: SQL },
): Statement =>
  db.run(sql`UPDATE outbox SET department_code = ${r.department}
    WHERE work_order_id = ${r.workOrderId} AND kind = ${outboxKind("webhook")} AND state = ${outboxState("pending")}
      AND EXISTS (SELECT 1 FROM events e WHERE e.id = outbox.event_id AND e.type IN ${oneOf(FOLLOW_UP_EVENTS)})
      AND ${r.where}`);

/** Moves the cluster whose id `cluster` yields to state `to`, if `where` holds for its row. */
export const moveCluster = (
  db: Db,
  c: { cluster: Value<string>; to: ClusterState; where: SQL; now: number },
): Statement =>
  db.run(sql`UPDATE clusters SET state = ${clusterState(c.to)}, updated_at = ${c.now}
    WHERE id = ${c.cluster} AND ${c.where}`);

/**
 * A cluster's reporters as they count toward its threshold, inside an UPDATE of `clusters`:
 * distinct count keys, so people from one network (without credentials issued elsewhere) weigh once.
 */
export const countedReporters = sql`(SELECT count(DISTINCT p.count_key) FROM cluster_reporters p WHERE p.cluster_id = clusters.id)`;

/** Who did a staff action, as the audit trail names them (`http/auth.ts` makes it from the caller). */
export interface ActionBy {
  staffId: string | null;
  name: string;
  via: "staff" | "department_token" | "admin_token";
}

/**
 * Appends one entry to the staff audit trail: `by` did `action` to the subject; with `eventId`,
 * written only if that event was (so a lost race leaves no entry), and linked to it.
 */
export const recordStaffAction = (
  db: Db,
  a: {
    by: ActionBy;
    action: AuditAction;
    subject: { type: string; id: string } | null;
    at: number;
    eventId?: string | undefined;
    /** What the change set (`domain/audit-detail.ts`), as JSON. */
    detail?: string | null | undefined;
    /** Written only if the statement just before it in the batch changed a row (`changes()`). */
    afterChange?: boolean | undefined;
  },
): Statement =>
  db.run(sql`INSERT INTO staff_actions (id, at, staff_id, by_name, via, action, subject_type, subject_id, event_id, detail)
    SELECT ${newId()}, ${a.at}, ${a.by.staffId}, ${a.by.name}, ${a.by.via}, ${a.action},
      ${a.subject?.type ?? null}, ${a.subject?.id ?? null}, ${a.eventId ?? null}, ${a.detail ?? null}
    WHERE ${a.eventId ? eventWritten(a.eventId) : sql`1`} AND ${a.afterChange ? sql`changes() > 0` : sql`1`}`);

/** Whether every column `next` sets holds the same value in `stored` (compared as JSON; null as absent). */
export const sameColumns = (next: Record<string, unknown>, stored: Record<string, unknown>): boolean =>
  Object.keys(next).every((k) => JSON.stringify(next[k] ?? null) === JSON.stringify(stored[k] ?? null));

/** An admin change's audit entry, made by the route (`http/audit.ts`) and written by the store. */
export interface AuditEntry {
  by: ActionBy;
  action: AuditAction;
  subject: { type: string; id: string } | null;
  /** What the change set, as JSON (`domain/audit-detail.ts`). */
  detail?: string | null;
}

/**
 * The audit entry of an admin change, as statements to put right after the statement that makes
 * the change, in its batch: written only if that statement changed a row, and never without it
 * (one transaction). No entry (a seed, the CLI): no statement.
 */
export const auditAfter = (db: Db, audit: AuditEntry | undefined, at: number): Statement[] =>
  audit ? [recordStaffAction(db, { ...audit, at, afterChange: true })] : [];

/**
 * The audit entry of an admin change that always writes (an import of many rows), as a statement
 * for the change's batch: written with it or not at all, whatever its last statement changed.
 */
export const auditAlong = (db: Db, audit: AuditEntry | undefined, at: number): Statement[] =>
  audit ? [recordStaffAction(db, { ...audit, at })] : [];
