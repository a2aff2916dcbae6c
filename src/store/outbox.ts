/**
 * The outbox's webhook side: one row per event a department's webhook must receive (mail and
 * push rows, the other kinds, are claimed in `messages.ts`). The database is the queue,
 * so a restart loses nothing: a row is pending until a delivery succeeds or it is given up (dead).
 */
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { deliveryAttempts, events, outbox } from "../db/schema";
import { notFound } from "../domain/errors";
import { newId } from "../domain/ids";
import type { DispatchMethod } from "../domain/states";
import { recordRemoteRequest } from "./remote-requests";
import { dispatchMethod, outboxKind, outboxState } from "./status-sql";
import { type AuditEntry, auditAfter } from "./writes";

/**
 * A department that can be delivered to: a webhook with an address, an Open311 server, or a
 * mailbox while this runtime has a mail sender (without one its rows are parked, not failed).
 */
const receives = (mail: boolean) =>
  sql`(d.webhook_url IS NOT NULL OR d.dispatch_method = ${dispatchMethod("open311")}${
    mail ? sql` OR d.dispatch_mail_to IS NOT NULL` : sql``
  })`;

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const PARK_MS = 3_600_000;

/** Makes a department's parked rows due now: it has just been given a webhook. */
export const wakeParked = (db: Db, departmentCode: string, now: number) =>
  db.run(sql`UPDATE outbox SET next_attempt_at = ${now}
    WHERE kind = ${outboxKind("webhook")} AND state = ${outboxState("pending")} AND next_attempt_at > ${now}
      AND event_id IN (SELECT id FROM events WHERE department_code = ${departmentCode})`);

/** Makes the work orders parked for e-mail departments due now: a mail sender was just configured. */
export const wakeParkedMailDispatch = (db: Db, now: number) =>
  db.run(sql`UPDATE outbox SET next_attempt_at = ${now}
    WHERE kind = ${outboxKind("webhook")} AND state = ${outboxState("pending")} AND next_attempt_at > ${now}
      AND attempts = 0 AND event_id IN (SELECT e.id FROM events e JOIN departments d
        ON d.code = e.department_code WHERE d.dispatch_mail_to IS NOT NULL)`);

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
  departmentCode: string;
  dispatchMethod: DispatchMethod;
  /** Null for an Open311 department. */
  webhookUrl: string | null;
  webhookSecret: string | null;
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
  /** The earliest visible report's words, attributes and media link: what an Open311 request carries. */
  description: string | null;
  attributes: string | null;
  mediaUrl: string | null;
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
 * attempt read (nobody claimed it since): the ids this round won.
 */
export async function leaseRows(db: Db, due: { id: string; next: number }[], leaseUntil: number) {
  if (due.length === 0) return [];
  const claims = await db.batch(
    due.map((r) =>
      db
        .update(outbox)
        .set({ nextAttemptAt: leaseUntil, claims: sql`${outbox.claims} + 1` })
        .where(and(eq(outbox.id, r.id), eq(outbox.state, "pending"), eq(outbox.nextAttemptAt, r.next)))
        .returning({ id: outbox.id }),
    ) as unknown as Parameters<Db["batch"]>[0],
  );
  return (claims as unknown as { id: string }[][]).flat().map((r) => r.id);
}

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
    WHERE id IN (SELECT o.id FROM outbox o JOIN events e ON e.id = o.event_id
      JOIN departments d ON d.code = e.department_code
      WHERE o.kind = ${outboxKind("webhook")} AND o.state = ${outboxState("pending")} AND o.next_attempt_at <= ${now} AND NOT ${receives(mail)} LIMIT 1000)`);
  const due = await db.all<{ id: string; next: number }>(sql`SELECT o.id, o.next_attempt_at AS next
    FROM outbox o JOIN events e ON e.id = o.event_id JOIN departments d ON d.code = e.department_code
    WHERE o.kind = ${outboxKind("webhook")} AND o.state = ${outboxState("pending")} AND o.next_attempt_at <= ${now} AND ${receives(mail)}
    ORDER BY o.next_attempt_at LIMIT ${limit}`);
  const claimed = await leaseRows(db, due, leaseUntil);
  if (claimed.length === 0) return [];
  return db.all<DeliveryRow>(sql`SELECT o.id AS outboxId, o.attempts, o.claims, o.created_at AS createdAt,
      e.id AS eventId, e.type AS eventType, e.from_status AS fromStatus, e.to_status AS toStatus,
      e.note AS eventNote, e.actor AS eventActor, e.at AS eventAt,
      d.code AS departmentCode, d.webhook_url AS webhookUrl, d.webhook_secret AS webhookSecret,
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
      r.description, r.attributes, r.media_url AS mediaUrl,
      (SELECT group_concat(p.id) FROM photos p JOIN reports pr ON pr.id = p.report_id
        WHERE pr.cluster_id = c.id AND pr.hidden_at IS NULL AND p.hidden_at IS NULL) AS photoIds,
      w.id AS workOrderId, w.status, w.ack_due_at AS ackDueAt, w.resolve_due_at AS resolveDueAt,
      w.deadlines_from AS deadlinesFrom, w.scheduled_for AS scheduledFor, w.created_at AS workOrderCreatedAt,
      c.id AS clusterId, c.lat, c.lon, c.report_count AS reportCount, c.reporter_count AS reporterCount,
      c.state AS clusterState, s.code AS serviceCode, s.name_en AS serviceNameEn, s.name_zh AS serviceNameZh
    FROM outbox o JOIN events e ON e.id = o.event_id JOIN departments d ON d.code = e.department_code
      JOIN work_orders w ON w.id = o.work_order_id JOIN clusters c ON c.id = w.cluster_id
      JOIN services s ON s.code = w.service_code
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
  /** A city's Open311 server took the work order as this request (id, or a token for it). */
  remote?: { remoteId: string | null; token: string | null };
}

/** Logs every attempt and settles each row, all in one batch. */
export async function recordAttempts(db: Db, outcomes: AttemptOutcome<AttemptedRow>[]): Promise<void> {
  if (outcomes.length === 0) return;
  await db.batch(
    outcomes.flatMap((o) => [
      db.insert(deliveryAttempts).values({
        id: newId(),
        outboxId: o.row.outboxId,
        workOrderId: o.row.workOrderId,
        at: o.at,
        httpStatus: o.httpStatus,
        latencyMs: o.latencyMs,
        error: o.error,
      }),
      db
        .update(outbox)
        .set({
          state: o.state,
          attempts: o.row.attempts + 1,
          nextAttemptAt: o.nextAttemptAt,
          lastError: o.error,
          deliveredAt: o.state === "delivered" ? o.at : null,
        })
        .where(and(eq(outbox.id, o.row.outboxId), eq(outbox.state, "pending"))),
      // Only a work order's dispatch (a delivery row, with its department) has a remote request.
      ...(o.remote && o.row.workOrderId && "departmentCode" in o.row
        ? [
            recordRemoteRequest(db, {
              workOrderId: o.row.workOrderId,
              departmentCode: String(o.row.departmentCode),
              ...o.remote,
              now: o.at,
            }),
          ]
        : []),
    ]) as unknown as Parameters<Db["batch"]>[0],
  );
}

/** Dead letters for the admin, oldest first. */
export async function listDeadLetters(db: Db, limit = 500) {
  const rows = await db
    .select({ o: outbox, type: events.type, department: events.departmentCode, clusterId: events.clusterId })
    .from(outbox)
    .innerJoin(events, eq(events.id, outbox.eventId))
    .where(and(eq(outbox.state, "dead"), eq(outbox.kind, "webhook")))
    .orderBy(asc(outbox.createdAt))
    .limit(limit);
  return rows.map(({ o, type, department, clusterId }) => ({
    id: o.id,
    eventId: o.eventId,
    eventType: type,
    workOrderId: o.workOrderId,
    clusterId,
    department,
    attempts: o.attempts,
    lastError: o.lastError,
    createdAt: iso(o.createdAt),
    lastAttemptAt: iso(o.nextAttemptAt),
  }));
}

/**
 * Sends a dead letter again from now, with a fresh count of attempts before it is given up, and
 * the admin's audit entry in the same batch. `claims` stays: an Open311 dispatch still knows an
 * earlier POST may have reached the city.
 */
export async function retryDeadLetter(db: Db, id: string, now: number, audit?: AuditEntry) {
  const [rows] = await db.batch([
    db
      .update(outbox)
      .set({ state: "pending", attempts: 0, nextAttemptAt: now, lastError: null })
      .where(and(eq(outbox.id, id), eq(outbox.state, "dead")))
      .returning({ id: outbox.id }),
    ...auditAfter(db, audit, now),
  ]);
  if (rows.length === 0) throw notFound("dead letter");
}
