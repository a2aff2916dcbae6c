/**
 * The outbox's webhook side: one row per event a department's webhook must receive (mail and
 * push rows, the other kinds, are claimed in `messages.ts`). The database is the queue,
 * so a restart loses nothing: a row is pending until a delivery succeeds or it is given up (dead).
 */
import { and, asc, eq, isNull, or, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { events, outbox, workOrders } from "../db/schema";
import { classifyDeliveryError } from "../domain/delivery-error";
import { conflict, notFound } from "../domain/errors";
import { FOLLOW_UP_EVENTS } from "../domain/follow-up";
import { newId } from "../domain/ids";
import { iso } from "../domain/iso-time";
import type { DispatchMethod } from "../domain/states";
import { publicNote } from "./moderation";
import { recordRemoteRequest } from "./remote-requests";
import { dispatchMethod, eventType, oneOf, outboxKind, outboxState } from "./status-sql";
import { type AuditEntry, auditAfter } from "./writes";

/**
 * A department that can be delivered to: a webhook with an address, an Open311 server, or a
 * mailbox while this runtime has a mail sender (without one its rows are parked, not failed).
 */
const receives = (mail: boolean) =>
  sql`(d.webhook_url IS NOT NULL OR d.dispatch_method = ${dispatchMethod("open311")}${
    mail ? sql` OR d.dispatch_mail_to IS NOT NULL` : sql``
  })`;

/** A row's department: the one it is addressed to (`outbox.department_code`). */
const rowDepartment = sql`d.code = o.department_code`;

const PARK_MS = 3_600_000;

/**
 * An outbox row no dispatcher is sending now (none claimed it, or its lease lapsed). The time is
 * bound, not written in: a new text each round would be prepared afresh and crowd the cache.
 */
export const notInFlight = (now: number, row = "") => {
  const column = sql.raw(`${row}in_flight_until`);
  return sql`(${column} IS NULL OR ${column} <= ${now})`;
};

/**
 * Makes a department's waiting rows due now: it has just been given a way to receive them (or a
 * new one). A row a dispatcher holds (claimed, its attempt not yet recorded) is left to it: made
 * due, another dispatcher would deliver it a second time.
 */
export const wakeParked = (db: Db, departmentCode: string, now: number) =>
  db.run(sql`UPDATE outbox SET next_attempt_at = ${now}
    WHERE kind = ${outboxKind("webhook")} AND state = ${outboxState("pending")} AND next_attempt_at > ${now}
      AND ${notInFlight(now)} AND department_code = ${departmentCode}`);

/**
 * Makes the work orders parked for e-mail departments due now: a mail sender was just configured
 * (a process starting). A row another process holds is left to it, as in `wakeParked`.
 */
export const wakeParkedMailDispatch = (db: Db, now: number) =>
  db.run(sql`UPDATE outbox SET next_attempt_at = ${now}
    WHERE kind = ${outboxKind("webhook")} AND state = ${outboxState("pending")} AND next_attempt_at > ${now}
      AND attempts = 0 AND ${notInFlight(now)} AND id IN (SELECT o.id FROM outbox o
        JOIN departments d ON ${rowDepartment} WHERE d.dispatch_mail_to IS NOT NULL)`);

/**
 * A reroute's row for the department the admin took the work order from (the event names the one
 * it went to): it tells that department the work is no longer theirs.
 */
export const takenAway = (row: Pick<DeliveryRow, "eventType" | "eventDepartmentCode" | "departmentCode">) =>
  row.eventType === "rerouted" && row.eventDepartmentCode !== row.departmentCode;

/** What a row is sent as `Idempotency-Key`: its event's id, told apart for the department left. */
export const deliveryKey = (
  row: Pick<DeliveryRow, "eventId" | "eventType" | "eventDepartmentCode" | "departmentCode">,
) => (takenAway(row) ? `${row.eventId}.away` : row.eventId);

/** What a delivery needs about one outbox row: the event, its work order, cluster, service and webhook. */
export interface DeliveryRow {
  outboxId: string;
  attempts: number;
  /** Claims of the row so far, this one included (see the schema's `outbox.claims`). */
  claims: number;
  createdAt: number;
  eventId: string;
  eventType: string;
  fromStatus: string | null;
  toStatus: string | null;
  eventNote: string | null;
  eventActor: string;
  eventAt: number;
  /** The department the row is addressed to (`outbox.department_code`). */
  departmentCode: string;
  /** The department holding the work order now: another than `departmentCode` once it moved away. */
  holderCode: string | null;
  /** The event's department: for a reroute, the one it went to (see `takenAway`). */
  eventDepartmentCode: string | null;
  dispatchMethod: DispatchMethod;
  /** Null for an Open311 department. */
  webhookUrl: string | null;
  webhookSecret: string | null;
  /** A renewed secret's predecessor, signing beside it until `webhookPreviousUntil` (ms). */
  webhookPreviousSecret: string | null;
  webhookPreviousUntil: number | null;
  open311Endpoint: string | null;
  open311ApiKey: string | null;
  open311Jurisdiction: string | null;
  /** An e-mail department's mailbox and reply address. */
  mailTo: string | null;
  mailReplyTo: string | null;
  /** The cluster's visible residents' photos, comma-separated ids (for the work-order mail). */
  photoIds: string | null;
  /** The city's code for the work order's service (Open311 departments). */
  remoteServiceCode: string | null;
  /** Whether the city's Open311 server already holds this work order as a request. */
  remoteRequested: number;
  /** That request's id there (or, before the server gave one, its token): a reopening names it. */
  remoteRef: string | null;
  /** The request's id there once known, and the city's last status for it (`open`, `closed`). */
  remoteId: string | null;
  remoteStatus: string | null;
  /**
   * A follow-up's report (`domain/follow-up.ts`): its words, link, visible unflagged photos (ids,
   * comma-separated), whether it is hidden or waits on a flag.
   */
  followDescription: string | null;
  followMediaUrl: string | null;
  followPhotoIds: string | null;
  followHidden: number;
  followFlagged: number;
  /** When the last follow-up mail of this work order went out to this department (e-mail departments). */
  lastFollowUpAt: number | null;
  /** A duplicate's: the cluster it was merged into, and that cluster's work order. */
  mergedIntoClusterId: string | null;
  mergedIntoWorkOrderId: string | null;
  /** The earliest visible report's words, attributes, media link and address: what an Open311 request carries. */
  description: string | null;
  attributes: string | null;
  /** The service's questions (JSON text), to read those answers by. */
  questions: string | null;
  mediaUrl: string | null;
  /** Where that report is in its reporter's words (sent to us as Open311 `address_string`), if any. */
  address: string | null;
  workOrderId: string;
  status: string;
  ackDueAt: number;
  resolveDueAt: number;
  deadlinesFrom: number;
  scheduledFor: number | null;
  workOrderCreatedAt: number;
  clusterId: string;
  lat: number;
  lon: number;
  reportCount: number;
  reporterCount: number;
  clusterState: string;
  serviceCode: string;
  serviceNameEn: string;
  serviceNameZh: string;
}

/**
 * Leases rows read as due until `leaseUntil`, each only if it is still pending with the next
 * attempt read (nobody claimed it since): the ids this round won. Rows grouped together are
 * leased by one statement, all that are still free or none when `idle` (read before any of them
 * is leased) says another dispatcher holds something they wait on.
 */
export async function leaseRows<Row extends { id: string; next: number }>(
  db: Db,
  groups: Row[][],
  leaseUntil: number,
  idle: (group: Row[]) => SQL | undefined = () => undefined,
) {
  if (groups.length === 0) return [];
  const claims = await db.batch(
    groups.map((group) =>
      db
        .update(outbox)
        .set({ nextAttemptAt: leaseUntil, inFlightUntil: leaseUntil, claims: sql`${outbox.claims} + 1` })
        .where(
          and(
            eq(outbox.state, "pending"),
            or(...group.map((r) => and(eq(outbox.id, r.id), eq(outbox.nextAttemptAt, r.next)))),
            idle(group),
          ),
        )
        .returning({ id: outbox.id }),
    ) as unknown as Parameters<Db["batch"]>[0],
  );
  return (claims as unknown as { id: string }[][]).flat().map((r) => r.id);
}

interface DueRow {
  id: string;
  next: number;
  workOrderId: string;
  departmentCode: string;
  byMail: number;
}

/**
 * An e-mail department's due rows of one work order go in one mail, so they are leased together;
 * the rest one by one.
 */
function leaseGroups(due: DueRow[]): DueRow[][] {
  const mails = new Map<string, DueRow[]>();
  const groups: DueRow[][] = [];
  for (const row of due) {
    if (!row.byMail) {
      groups.push([row]);
      continue;
    }
    const key = `${row.workOrderId} ${row.departmentCode}`;
    const group = mails.get(key);
    if (group) group.push(row);
    else {
      const fresh = [row];
      mails.set(key, fresh);
      groups.push(fresh);
    }
  }
  return groups;
}

/**
 * Lease groups of each department in turn, up to `limit` rows: each department's first group
 * before any department's second, and within a turn the group due longest first (a department
 * late in the alphabet had waited behind fifty busy ones). A group is never cut, nor added past
 * `limit` once something is taken.
 */
export function takeTurns<G extends { next: number }[]>(departments: G[][], limit: number): G[] {
  const out: G[] = [];
  let rows = 0;
  for (let turn = 0; rows < limit && departments.some((groups) => turn < groups.length); turn++) {
    const due = departments
      .map((groups) => groups[turn])
      .filter((group): group is G => group !== undefined)
      .sort((a, b) => (a[0]?.next ?? 0) - (b[0]?.next ?? 0));
    for (const group of due) {
      if (rows > 0 && rows + group.length > limit) continue;
      out.push(group);
      rows += group.length;
    }
  }
  return out;
}

/**
 * No row of a mail group's work order is in flight: the read that chose the group checked it,
 * but another process may have claimed one since. Write transactions take turns, and the
 * sub-query is read before the group's own rows are leased, so of two processes claiming rows
 * of one work order at once the second leaves its rows for a later round.
 */
function mailIdle(now: number) {
  return ([row]: DueRow[]) =>
    row?.byMail
      ? sql`NOT EXISTS (SELECT 1 FROM outbox p INDEXED BY outbox_work_order_pending
          WHERE p.work_order_id = ${row.workOrderId} AND p.state = ${outboxState("pending")}
            AND p.kind = ${outboxKind("webhook")} AND p.department_code = ${row.departmentCode}
            AND NOT ${notInFlight(now, "p.")})`
      : undefined;
}

/** A photo `p` no flag waits on: the department gets it only once the moderators kept it (or none came). */
const photoUnflagged = sql`NOT EXISTS (SELECT 1 FROM flags f WHERE f.target = 'photo' AND f.target_id = p.id
  AND f.reviewed_at IS NULL)`;

/**
 * Claims up to `limit` due rows for one delivery round by moving their next attempt to
 * `leaseUntil`, each only if nobody else claimed it since it was read. A worker that dies
 * mid-delivery leaves the row to be tried again when the lease ends: at-least-once delivery.
 * Rows whose department has no webhook wait (pending) until it gets one: they are parked an
 * hour ahead at a time, so they do not pile up in front of every round's query, and woken by
 * `wakeParked` when the department gets a webhook.
 */
export async function claimDue(
  db: Db,
  now: number,
  leaseUntil: number,
  limit: number,
  mail = false,
): Promise<DeliveryRow[]> {
  await db.run(sql`UPDATE outbox SET next_attempt_at = ${now + PARK_MS}
    WHERE id IN (SELECT o.id FROM outbox o JOIN departments d ON ${rowDepartment}
      WHERE o.kind = ${outboxKind("webhook")} AND o.state = ${outboxState("pending")} AND o.next_attempt_at <= ${now} AND NOT ${receives(mail)} LIMIT 1000)`);
  // A department hears of a work order's changes in the order they happened: a row waits while
  // an earlier one of the same work order, for the same department, is pending (retrying). Not
  // behind a resident's follow-up, held for moderation (ten minutes, longer once flagged): a
  // deadline missed or an admin's move would wait with it; it goes when its hold ends, with its time.
  // Not by e-mail: its follow-ups leave together in one mail an hour, in order within it; so a
  // row waits while another of the work order is being sent (claimed, its lease running, not yet
  // recorded), by any process: that mail's time is what the next one's hour counts from (checked
  // again as they are leased: `mailIdle`).
  //
  // Departments take turns (a department's backlog of residents' follow-ups, all due before them,
  // had held every other department's new work orders for hours): each department's due rows are
  // read on their own (its index, stopping at `limit`), and the round takes one lease group of
  // each department in turn (an e-mail department's rows of one work order stay one group).
  const pending = outboxState("pending");
  // Only the departments with a row due: a query each, so an idle city of hundreds of
  // departments asks nothing more (D1 counts every query of a Cron run).
  const codes = await db.all<{ code: string }>(sql`SELECT DISTINCT department_code AS code
    FROM outbox INDEXED BY outbox_department_due
    WHERE state = ${pending} AND kind = ${outboxKind("webhook")} AND next_attempt_at <= ${now}
      AND department_code IS NOT NULL`);
  const perDepartment = await Promise.all(
    codes.map(({ code }) =>
      db.all<DueRow>(sql`SELECT o.id, o.next_attempt_at AS next, o.work_order_id AS workOrderId,
      o.department_code AS departmentCode, d.dispatch_mail_to IS NOT NULL AS byMail
    FROM outbox o INDEXED BY outbox_department_due JOIN departments d ON ${rowDepartment}
    WHERE o.department_code = ${code} AND o.kind = ${outboxKind("webhook")} AND o.state = ${pending}
      AND o.next_attempt_at <= ${now} AND ${receives(mail)}
      AND NOT EXISTS (SELECT 1 FROM outbox p INDEXED BY outbox_work_order_pending
        WHERE p.work_order_id = o.work_order_id AND p.state = ${pending} AND p.kind = ${outboxKind("webhook")}
          AND p.department_code = o.department_code
          AND CASE WHEN d.dispatch_mail_to IS NOT NULL
            THEN p.rowid <> o.rowid AND NOT ${notInFlight(now, "p.")}
            ELSE (p.created_at < o.created_at OR (p.created_at = o.created_at AND p.rowid < o.rowid))
              AND NOT EXISTS (SELECT 1 FROM events pe WHERE pe.id = p.event_id AND pe.type IN ${oneOf(FOLLOW_UP_EVENTS)}) END)
    ORDER BY o.next_attempt_at, o.created_at, o.rowid LIMIT ${limit}`),
    ),
  );
  const due = takeTurns(perDepartment.map(leaseGroups), limit);
  const claimed = await leaseRows(db, due, leaseUntil, mailIdle(now));
  if (claimed.length === 0) return [];
  return db.all<DeliveryRow>(sql`SELECT o.id AS outboxId, o.attempts, o.claims, o.created_at AS createdAt,
      e.id AS eventId, e.type AS eventType, e.from_status AS fromStatus, e.to_status AS toStatus,
      ${publicNote("e")} AS eventNote, e.actor AS eventActor, e.at AS eventAt,
      d.code AS departmentCode, w.department_code AS holderCode, e.department_code AS eventDepartmentCode,
      d.webhook_url AS webhookUrl, d.webhook_secret AS webhookSecret,
      d.webhook_previous_secret AS webhookPreviousSecret, d.webhook_previous_until AS webhookPreviousUntil,
      CASE WHEN d.dispatch_mail_to IS NOT NULL THEN ${dispatchMethod("email")} ELSE d.dispatch_method END
        AS dispatchMethod, d.dispatch_mail_to AS mailTo, d.dispatch_mail_reply_to AS mailReplyTo,
      d.open311_endpoint AS open311Endpoint,
      d.open311_api_key AS open311ApiKey, d.open311_jurisdiction AS open311Jurisdiction,
      (SELECT m.remote_code FROM open311_service_codes m
        WHERE m.department_code = d.code AND m.service_code = w.service_code) AS remoteServiceCode,
      EXISTS (SELECT 1 FROM remote_requests q
        WHERE q.work_order_id = w.id AND q.department_code = d.code) AS remoteRequested,
      (SELECT coalesce(q.remote_id, q.token) FROM remote_requests q
        WHERE q.work_order_id = w.id AND q.department_code = d.code) AS remoteRef,
      (SELECT q.remote_id FROM remote_requests q
        WHERE q.work_order_id = w.id AND q.department_code = d.code) AS remoteId,
      (SELECT q.remote_status FROM remote_requests q
        WHERE q.work_order_id = w.id AND q.department_code = d.code) AS remoteStatus,
      fr.description AS followDescription, fr.media_url AS followMediaUrl,
      (fr.hidden_at IS NOT NULL OR e.hidden_at IS NOT NULL) AS followHidden,
      EXISTS (SELECT 1 FROM flags f WHERE ((f.target = 'report' AND f.target_id = fr.id)
          OR (f.target = 'note' AND f.target_id = e.id))
        AND f.reviewed_at IS NULL) AS followFlagged,
      (SELECT group_concat(p.id) FROM photos p WHERE p.report_id = fr.id AND p.hidden_at IS NULL
        AND ${photoUnflagged}) AS followPhotoIds,
      (SELECT max(o2.delivered_at) FROM outbox o2 JOIN events e2 ON e2.id = o2.event_id
        WHERE o2.work_order_id = w.id AND o2.department_code = d.code
          AND o2.kind = ${outboxKind("webhook")} AND o2.state = ${outboxState("delivered")}
          AND o2.last_error IS NULL AND e2.type IN ${oneOf(FOLLOW_UP_EVENTS)}) AS lastFollowUpAt,
      r.description, r.attributes, r.media_url AS mediaUrl, r.address,
      (SELECT group_concat(p.id) FROM photos p JOIN reports pr ON pr.id = p.report_id
        WHERE pr.cluster_id = c.id AND pr.hidden_at IS NULL AND p.hidden_at IS NULL
          AND ${photoUnflagged}) AS photoIds,
      w.id AS workOrderId, w.status, w.ack_due_at AS ackDueAt, w.resolve_due_at AS resolveDueAt,
      w.deadlines_from AS deadlinesFrom, w.scheduled_for AS scheduledFor, w.created_at AS workOrderCreatedAt,
      c.id AS clusterId, c.lat, c.lon, c.report_count AS reportCount, c.reporter_count AS reporterCount,
      c.state AS clusterState, s.code AS serviceCode, s.name_en AS serviceNameEn, s.name_zh AS serviceNameZh,
      s.attributes AS questions, c.merged_into_id AS mergedIntoClusterId,
      (SELECT mw.id FROM work_orders mw WHERE mw.cluster_id = c.merged_into_id) AS mergedIntoWorkOrderId
    FROM outbox o JOIN events e ON e.id = o.event_id JOIN departments d ON ${rowDepartment}
      JOIN work_orders w ON w.id = o.work_order_id JOIN clusters c ON c.id = w.cluster_id
      JOIN services s ON s.code = w.service_code
      LEFT JOIN reports fr ON fr.id = o.report_id
      LEFT JOIN reports r ON r.id = (SELECT id FROM reports WHERE cluster_id = c.id AND hidden_at IS NULL
        ORDER BY created_at LIMIT 1)
    WHERE o.id IN (${sql.join(
      claimed.map((id) => sql`${id}`),
      sql`, `,
    )})`);
}

/** What settling an attempt needs of its row, whatever its kind. */
export interface AttemptedRow {
  outboxId: string;
  attempts: number;
  workOrderId: string | null;
}

export interface AttemptOutcome<Row extends AttemptedRow = DeliveryRow> {
  row: Row;
  at: number;
  httpStatus: number | null;
  latencyMs: number;
  error: string | null;
  /** What becomes of the row: delivered, dead, or pending again at `nextAttemptAt`. */
  state: "delivered" | "dead" | "pending";
  nextAttemptAt: number;
  /**
   * Not tried, only put off (a follow-up held for moderation or coalesced into a later mail):
   * neither logged as an attempt nor counted toward giving up.
   */
  held?: boolean;
  /** A city's Open311 server took the work order as this request (id, or a token for it). */
  remote?: { remoteId: string | null; token: string | null };
}

/** Logs every attempt and settles each row, all in one batch. */
export async function recordAttempts(db: Db, outcomes: AttemptOutcome<AttemptedRow>[]): Promise<void> {
  if (outcomes.length === 0) return;
  await db.batch(
    outcomes.flatMap((o) =>
      o.held
        ? [
            db
              .update(outbox)
              .set({ nextAttemptAt: o.nextAttemptAt, inFlightUntil: null })
              .where(and(eq(outbox.id, o.row.outboxId), eq(outbox.state, "pending"))),
          ]
        : settle(db, o),
    ) as unknown as Parameters<Db["batch"]>[0],
  );
}

/** The statements that log one attempt and settle its row. */
function settle(db: Db, o: AttemptOutcome<AttemptedRow>) {
  // A work order's dispatch (a delivery row) names its department; a mail or push none.
  const department = "departmentCode" in o.row ? String(o.row.departmentCode) : null;
  return [
    // Only while its row is there: a message dropped while it was being sent (its reporter's
    // contact erased meanwhile) has nothing left to log against, and the batch must not fail.
    db.run(sql`INSERT INTO delivery_attempts
        (id, outbox_id, work_order_id, department_code, at, http_status, latency_ms, error)
      SELECT ${newId()}, ${o.row.outboxId}, ${o.row.workOrderId}, ${department}, ${o.at}, ${o.httpStatus},
        ${o.latencyMs}, ${o.error}
      WHERE EXISTS (SELECT 1 FROM outbox WHERE id = ${o.row.outboxId})`),
    db
      .update(outbox)
      .set({
        state: o.state,
        // Counted in the row, not from the claim: two dispatchers holding it (a lease that lapsed
        // during a slow attempt) made two attempts.
        attempts: sql`${outbox.attempts} + 1`,
        nextAttemptAt: o.nextAttemptAt,
        inFlightUntil: null,
        lastError: o.error,
        deliveredAt: o.state === "delivered" ? o.at : null,
        // Settled, the row stays with the department it went to, even if a reroute readdressed it
        // while this attempt was in flight; pending again, it goes to whom it is addressed to now.
        ...(department && o.state !== "pending" ? { departmentCode: department } : {}),
      })
      .where(and(eq(outbox.id, o.row.outboxId), eq(outbox.state, "pending"))),
    // Only a work order's dispatch (a delivery row, with its department) has a remote request.
    ...(o.remote && o.row.workOrderId && department
      ? [
          recordRemoteRequest(db, {
            workOrderId: o.row.workOrderId,
            departmentCode: department,
            ...o.remote,
            now: o.at,
          }),
        ]
      : []),
  ];
}

/**
 * Dead letters, oldest first: every one for the admin, or those of one work order (and, for a
 * department, only those addressed to it: a work order moved on keeps the earlier department's).
 * Those an admin dismissed are left out.
 */
export async function listDeadLetters(
  db: Db,
  {
    limit = 500,
    workOrderId,
    department,
  }: { limit?: number; workOrderId?: string; department?: string | null } = {},
) {
  const rows = await db
    .select({
      o: outbox,
      type: events.type,
      eventDepartmentCode: events.departmentCode,
      clusterId: events.clusterId,
      heldBy: workOrders.departmentCode,
      sendable: sql<number>`${retrySendable}`,
    })
    .from(outbox)
    .innerJoin(events, eq(events.id, outbox.eventId))
    .leftJoin(workOrders, eq(workOrders.id, outbox.workOrderId))
    .where(
      and(
        eq(outbox.state, "dead"),
        eq(outbox.kind, "webhook"),
        isNull(outbox.dismissedAt),
        workOrderId === undefined ? undefined : eq(outbox.workOrderId, workOrderId),
        department ? eq(outbox.departmentCode, department) : undefined,
      ),
    )
    .orderBy(asc(outbox.createdAt))
    .limit(limit);
  return rows.map(({ o, type, eventDepartmentCode, clusterId, heldBy, sendable }) => ({
    id: o.id,
    eventId: o.eventId,
    // As its webhook names it: a reroute's word to the department left is `rerouted_away`.
    eventType: takenAway({ eventType: type, eventDepartmentCode, departmentCode: o.departmentCode ?? "" })
      ? "rerouted_away"
      : type,
    workOrderId: o.workOrderId,
    clusterId,
    department: o.departmentCode,
    heldBy,
    retryable: sendable === 1,
    attempts: o.attempts,
    lastError: o.lastError,
    lastErrorClass: classifyDeliveryError(o.lastError),
    createdAt: iso(o.createdAt),
    lastAttemptAt: iso(o.nextAttemptAt),
  }));
}

/**
 * A follow-up sent again goes to whoever holds its work order now (residents' words follow the
 * work order, as a pending one's do on a reroute); any other row to the department it was for.
 */
const retriedDepartment = sql`CASE WHEN EXISTS (SELECT 1 FROM events e WHERE e.id = outbox.event_id
    AND e.type IN ${oneOf(FOLLOW_UP_EVENTS)})
  THEN coalesce((SELECT w.department_code FROM work_orders w WHERE w.id = outbox.work_order_id), outbox.department_code)
  ELSE outbox.department_code END`;

/**
 * Whether a dead letter sent again would be sent: it goes to the department holding its work order
 * now, or is a reroute's word to the department it was taken from (`takenAway`) while that
 * department still does not hold it. Else (a work order rerouted since, for any row but a
 * follow-up; one taken away and come back) `deliverDue` would only settle it unsent.
 */
const retrySendable = sql`(SELECT CASE WHEN EXISTS (SELECT 1 FROM events e WHERE e.id = outbox.event_id
      AND e.type = ${eventType("rerouted")} AND e.department_code IS NOT outbox.department_code)
    THEN w.department_code IS NOT outbox.department_code
    ELSE coalesce(w.department_code = ${retriedDepartment}, 0) END
  FROM work_orders w WHERE w.id = outbox.work_order_id)`;

/**
 * Sends a dead letter again from now, with a fresh count of attempts before it is given up, and
 * the admin's audit entry in the same batch. `claims` stays: an Open311 dispatch still knows an
 * earlier POST may have reached the city.
 */
export async function retryDeadLetter(db: Db, id: string, now: number, audit?: AuditEntry) {
  const [rows] = await db.batch([
    db
      .update(outbox)
      .set({
        state: "pending",
        attempts: 0,
        nextAttemptAt: now,
        lastError: null,
        departmentCode: retriedDepartment,
        dismissedAt: null,
      })
      .where(and(eq(outbox.id, id), eq(outbox.state, "dead"), sql`${retrySendable}`))
      .returning({ id: outbox.id }),
    ...auditAfter(db, audit, now),
  ]);
  if (rows.length > 0) return;
  const [letter] = await listDeadLetterById(db, id);
  if (!letter) {
    // Asked twice at once (a double click, two admins): the other ask made it pending again, with
    // no attempt yet. One pending with attempts never died: it is being tried, as it would be.
    const [row] = await db
      .select({ state: outbox.state, attempts: outbox.attempts })
      .from(outbox)
      .where(eq(outbox.id, id));
    if (row?.state === "pending" && row.attempts === 0) return;
    if (row?.state === "pending")
      throw conflict(
        "not_dead_letter",
        `not a dead letter: still being tried (${row.attempts} attempts so far), as it will be until it is delivered or given up`,
      );
    throw notFound("dead letter");
  }
  // Held by the department it was for, it is the word that the work order was taken away.
  if (letter.department !== null && letter.heldBy === letter.department)
    throw conflict(
      "work_order_moved",
      `the work order has come back to ${letter.department}: the word that it was taken away would not be sent`,
      { department: letter.department, heldBy: letter.heldBy },
    );
  throw conflict(
    "work_order_moved",
    `the work order is no longer ${letter.department}'s (${letter.heldBy ? `${letter.heldBy} holds it now` : "no department holds it now"}): sent again, this dead letter would not be sent`,
    { department: letter.department, heldBy: letter.heldBy },
  );
}

/**
 * Sets a dead letter aside: out of the admin's and the department's lists, kept as history (and
 * still retryable by id). Dismissing one again changes nothing; false when there is no such dead
 * letter.
 */
export async function dismissDeadLetter(
  db: Db,
  id: string,
  now: number,
  audit?: AuditEntry,
): Promise<boolean> {
  const deadLetter = and(eq(outbox.id, id), eq(outbox.state, "dead"), eq(outbox.kind, "webhook"));
  const [dismissed, [known]] = await db.batch([
    db
      .update(outbox)
      .set({ dismissedAt: now })
      .where(and(deadLetter, isNull(outbox.dismissedAt)))
      .returning({ id: outbox.id }),
    // Read before the audit entry, which follows the update's changes() (a read leaves those be).
    db.select({ id: outbox.id }).from(outbox).where(deadLetter),
    ...auditAfter(db, audit, now),
  ]);
  return dismissed.length > 0 || known !== undefined;
}

/** A dead letter's department and its work order's holder now, for the refusal of a retry. */
const listDeadLetterById = (db: Db, id: string) =>
  db
    .select({ department: outbox.departmentCode, heldBy: workOrders.departmentCode })
    .from(outbox)
    .leftJoin(workOrders, eq(workOrders.id, outbox.workOrderId))
    .where(and(eq(outbox.id, id), eq(outbox.state, "dead"), eq(outbox.kind, "webhook")));
