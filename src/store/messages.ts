/**
 * The outbox's mail and push rows: queued once each (a unique `dedupe_key` settles every race),
 * claimed with a lease as webhooks are, and read back with the facts their text needs. The
 * address is never copied into the outbox: it is opened from the follow (or the report) at send.
 */
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { rowsChanged } from "../db/rows-changed";
import { HOUR_MS } from "../domain/deadlines";
import { FOLLOW_UP_HOLD_MS } from "../domain/follow-up";
import { NOTICE_EVENTS, NOTICE_STATUSES, SENT_BACK_STATUS, STATUS_EVENTS } from "../domain/notices";
import { routeDepartment } from "../domain/routing";
import type { OutboxKind } from "../domain/states";
import { findDepartment, routingCandidates } from "./departments";
import { publicNote, residentNote } from "./moderation";
import { leaseRows, notInFlight } from "./outbox";
import { eventType, oneOf, outboxKind, outboxState, workOrderStatus } from "./status-sql";

const DAY_MS = 24 * HOUR_MS;
const PARK_MS = HOUR_MS;
/** Events older than this when first seen are not announced any more (stale news). */
const NOTICE_WINDOW_MS = 7 * DAY_MS;
/** Each round looks again this far behind the last one: events written with a slightly older clock. */
const NOTICE_SLACK_MS = 10 * 60_000;
const CURSOR = "notices_seen_until";
/** Reporters are asked within this many days after the delay, then no more. */
const ASK_WINDOW_DAYS = 14;

/** A random row id made inside a statement (one per row of an `INSERT … SELECT`). */
const rowId = sql`lower(hex(randomblob(12)))`;

const insertInto = sql`INSERT INTO outbox (id, kind, event_id, follow_id, report_id, message, dedupe_key,
  state, attempts, next_attempt_at, created_at)`;

/**
 * Confirmation mails one address gets in a day, whatever problems they are for and whichever
 * networks asked: follows are limited per network only, so without this a few networks could
 * have a stranger's mailbox sent a confirmation for every problem on the map. A follow past it
 * stays pending, unmailed; asking again on a later day mails it then. Counted by mailbox, however
 * its address is written (`me+1@`, `m.e@gmail.com`: one mailbox), and by address for follows made
 * before the mailbox was kept (migration 0070).
 */
export const CONFIRMATIONS_PER_ADDRESS_PER_DAY = 5;

/**
 * The double opt-in message of the follows `where` picks, by e-mail when one has an address,
 * else by push: the only message a follow gets before it is confirmed. Asked again for a follow
 * still pending, it is sent again, at most once a day.
 */
export const queueConfirmation = (db: Db, where: SQL, now: number) =>
  db.run(sql`${insertInto}
    SELECT ${rowId}, CASE WHEN email IS NOT NULL THEN ${outboxKind("mail")} ELSE ${outboxKind("push")} END,
      NULL, id, NULL, 'confirm', 'confirm:' || id || ':' || ${Math.floor(now / DAY_MS)},
      ${outboxState("pending")}, 0, ${now}, ${now}
    FROM follows WHERE confirmed_at IS NULL AND ${where}
      AND (email_hash IS NULL OR (SELECT count(*) FROM follows x JOIN outbox o ON o.follow_id = x.id
        WHERE (x.mailbox_hash = follows.mailbox_hash OR x.email_hash = follows.email_hash)
          AND o.message = 'confirm' AND o.created_at > ${now - DAY_MS})
        < ${CONFIRMATIONS_PER_ADDRESS_PER_DAY})
    ON CONFLICT DO NOTHING`);

/**
 * When a notice of event `e` may go: at once, unless it carries a resident's words (a "still
 * there" note, a client app's update): those wait out the moderation hold first, as the same words
 * to the department do (`FOLLOW_UP_HOLD_MS`), and are left out if hidden meanwhile (read with
 * `publicNote` as it is sent). Mailed at once, a moderator's hide could not take them back.
 */
const noticeDue = (now: number) =>
  sql`CASE WHEN ${residentNote("e")} THEN max(${now}, e.at + ${FOLLOW_UP_HOLD_MS}) ELSE ${now} END`;

/** One kind's notices: one row per address (or push follow) per event, whatever races. */
const noticesOf = (kind: OutboxKind, column: SQL, who: SQL, since: number, now: number) =>
  sql`${insertInto}
    SELECT ${rowId}, ${outboxKind(kind)}, e.id, f.id, NULL, 'event',
      'event:' || e.id || ':' || ${who} || ':' || ${outboxKind(kind)}, ${outboxState("pending")}, 0, ${noticeDue(now)}, ${now}
    FROM follows f JOIN events e ON e.cluster_id = f.cluster_id AND e.at >= f.confirmed_at
    WHERE f.confirmed_at IS NOT NULL AND ${column} IS NOT NULL AND e.at > ${since} AND e.at <= ${now}
      AND (e.type IN ${oneOf(NOTICE_EVENTS)}
        OR (e.type IN ${oneOf(STATUS_EVENTS)} AND e.to_status IN ${oneOf(NOTICE_STATUSES)})
        OR (e.type = ${eventType("status_changed")} AND e.to_status = ${workOrderStatus(SENT_BACK_STATUS)}
          AND NOT EXISTS (SELECT 1 FROM events x WHERE x.cluster_id = e.cluster_id AND x.at = e.at
            AND x.id <> e.id AND (x.type = ${eventType("rerouted")} OR x.to_status = ${workOrderStatus("closed")}))))
    ORDER BY e.at, f.confirmed_at
    ON CONFLICT DO NOTHING`;

/**
 * Queues a message per confirmed follower for each change worth telling (`domain/notices.ts`)
 * since they confirmed, by the address's hash. Run every round, it looks at the events since
 * the last round (a little before, and never older than a week); a change already queued is
 * skipped by its key, so overlapping rounds send nothing twice.
 */
export async function queueNotices(db: Db, now: number): Promise<number> {
  const [seen] = await db.all<{ until: number }>(
    sql`SELECT CAST(value AS INTEGER) AS until FROM settings WHERE key = ${CURSOR}`,
  );
  const since = Math.max(now - NOTICE_WINDOW_MS, (seen?.until ?? 0) - NOTICE_SLACK_MS);
  const results = await db.batch([
    db.run(noticesOf("mail", sql`f.email`, sql`coalesce(f.email_hash, f.id)`, since, now)),
    db.run(noticesOf("push", sql`f.push`, sql`f.id`, since, now)),
    // Forward only: a round with an older clock does not move it back.
    db.run(sql`INSERT INTO settings (key, value) VALUES (${CURSOR}, ${String(now)})
      ON CONFLICT (key) DO UPDATE SET value = excluded.value
      WHERE CAST(settings.value AS INTEGER) < CAST(excluded.value AS INTEGER)`),
  ]);
  return results[0].rowsAffected + results[1].rowsAffected;
}

/**
 * "Is it fixed?" mails one mailbox gets in a day, whatever problems they are for and whoever
 * reported them (a device, an app, the address alone): an address a stranger typed on reports of
 * many problems would otherwise be asked once for each of them as they are resolved. Those past it
 * wait for a later round (within the ask's window), unsent.
 */
export const QUESTIONNAIRES_PER_MAILBOX_PER_DAY = 5;

/**
 * The statement `queueQuestionnaires` runs. Its last two bounds are every service's window at
 * once: the index of resolution times (`work_orders_resolved_at`) narrows the walk to it,
 * whatever has been resolved before (`test/query-plan.test.ts` holds the plan to it). Per
 * resolution and reporter the latest report with an address is the one asked about; per mailbox
 * (`reports.contact_mailbox`; the reporter for a report written before it was kept), the newest
 * first, as many as the day's cap leaves: the asks of the last 24 hours, found through the
 * mailbox's reports (`reports_contact_mailbox`) and their asks (`outbox_asks`).
 */
export const questionnairesQuery = (now: number) =>
  sql`${insertInto}
    SELECT ${rowId}, ${outboxKind("mail")}, NULL, NULL, b.report_id, 'ask', b.dedupe_key,
      ${outboxState("pending")}, 0, ${now}, ${now}
    FROM (SELECT a.*, row_number() OVER (PARTITION BY a.inbox ORDER BY a.created_at DESC) AS nth
      FROM (SELECT r.id AS report_id, r.reporter_key, r.contact_mailbox, r.created_at,
          coalesce(r.contact_mailbox, r.reporter_key) AS inbox,
          'ask:' || w.id || ':' || w.resolved_at || ':' || r.reporter_key AS dedupe_key,
          row_number() OVER (PARTITION BY w.id, r.reporter_key ORDER BY r.created_at DESC) AS latest
        FROM work_orders w JOIN services s ON s.code = w.service_code
          JOIN reports r ON r.cluster_id = w.cluster_id
        WHERE w.status IN (${workOrderStatus("resolved")}, ${workOrderStatus("closed")})
          AND w.resolved_at IS NOT NULL
          AND w.resolved_at <= ${now} - s.ask_after_days * ${DAY_MS}
          AND w.resolved_at > ${now} - (s.ask_after_days + ${ASK_WINDOW_DAYS}) * ${DAY_MS}
          AND w.resolved_at > ${now} - ((SELECT max(ask_after_days) FROM services) + ${ASK_WINDOW_DAYS}) * ${DAY_MS}
          AND w.resolved_at <= ${now} - (SELECT min(ask_after_days) FROM services) * ${DAY_MS}
          AND r.contact_email IS NOT NULL AND r.hidden_at IS NULL) a
      WHERE a.latest = 1 AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.dedupe_key = a.dedupe_key)) b
    WHERE b.nth + CASE WHEN b.contact_mailbox IS NOT NULL
        THEN (SELECT count(*) FROM reports mine INDEXED BY reports_contact_mailbox JOIN outbox o INDEXED BY outbox_asks
          ON o.report_id = mine.id AND o.message = 'ask' AND o.created_at > ${now - DAY_MS}
          WHERE mine.contact_mailbox = b.contact_mailbox)
        ELSE (SELECT count(*) FROM reports mine JOIN outbox o INDEXED BY outbox_asks
          ON o.report_id = mine.id AND o.message = 'ask' AND o.created_at > ${now - DAY_MS}
          WHERE mine.reporter_key = b.reporter_key) END <= ${QUESTIONNAIRES_PER_MAILBOX_PER_DAY}
    ON CONFLICT DO NOTHING`;

/**
 * Queues "is it fixed?" for each reporter who left an e-mail, once per reporter and resolution,
 * once the service's delay has passed (`services.ask_after_days`): the reporter's latest report
 * with an address is the one asked about, and a mailbox is asked at most
 * `QUESTIONNAIRES_PER_MAILBOX_PER_DAY` times a day.
 */
export async function queueQuestionnaires(db: Db, now: number): Promise<number> {
  return rowsChanged(await db.run(questionnairesQuery(now)));
}

/**
 * Rows of kinds nobody can send yet (no SMTP configured: no `mail` sender) are parked an hour
 * ahead, kept, not dropped; `wakeParkedMessages` makes them due as soon as a sender exists.
 */
export const parkMessages = (db: Db, kinds: OutboxKind[], now: number) =>
  kinds.length === 0
    ? Promise.resolve()
    : db.run(sql`UPDATE outbox SET next_attempt_at = ${now + PARK_MS}
        WHERE state = ${outboxState("pending")} AND next_attempt_at <= ${now}
          AND kind IN (${sql.join(
            kinds.map((k) => outboxKind(k)),
            sql`, `,
          )})`);

/**
 * Makes parked messages of a kind due now (its sender was just configured). A row another process
 * holds (claimed, its attempt not yet recorded) is left to it: made due, it would be sent twice.
 */
export const wakeParkedMessages = (db: Db, kind: OutboxKind, now: number) =>
  db.run(sql`UPDATE outbox SET next_attempt_at = ${now}
    WHERE kind = ${outboxKind(kind)} AND state = ${outboxState("pending")} AND next_attempt_at > ${now}
      AND attempts = 0 AND ${notInFlight(now)}
      -- A notice holding a resident's words waits out its hold whatever wakes the others (a restart).
      AND NOT EXISTS (SELECT 1 FROM events e WHERE e.id = outbox.event_id AND ${residentNote("e")}
        AND e.at + ${FOLLOW_UP_HOLD_MS} > ${now})`);

/** What sending one message needs: the sealed contact and the facts of its text. */
export interface MessageRow {
  outboxId: string;
  attempts: number;
  createdAt: number;
  workOrderId: null;
  kind: "mail" | "push";
  message: "confirm" | "event" | "ask" | "password_reset";
  followId: string | null;
  reportId: string | null;
  lang: string | null;
  email: string | null;
  push: string | null;
  tokens: string | null;
  confirmedAt: number | null;
  reportEmail: string | null;
  /** The mailbox key of `reportEmail`, which the unsubscribe link's proof is made from. */
  reportMailbox: string | null;
  reporterKey: string | null;
  clusterId: string | null;
  serviceEn: string | null;
  serviceZh: string | null;
  /** Where the cluster stands, for a confirmation's "what happens next". */
  serviceCode: string | null;
  lat: number | null;
  lon: number | null;
  reporters: number | null;
  threshold: number | null;
  /** Still gathering reports (`open`), its latest report and its service's window: it may have lapsed. */
  clusterState: string | null;
  lastReportAt: number | null;
  windowDays: number | null;
  ackHours: number | null;
  resolveHours: number | null;
  workOrderStatus: string | null;
  eventType: string | null;
  /** When the change a notice tells of happened: one recipient's notices go out in this order. */
  eventAt: number | null;
  toStatus: string | null;
  note: string | null;
  /** Who the event's note is by: a resident's is masked before it reaches other residents. */
  eventActor: string | null;
  departmentEn: string | null;
  departmentZh: string | null;
  ackDueAt: number | null;
  resolveDueAt: number | null;
  scheduledFor: number | null;
  resolvedAt: number | null;
  photoId: string | null;
  /** A password reset's: the sealed token (null once used), expiry, and the staff member. */
  resetId: string | null;
  resetToken: string | null;
  resetExpiresAt: number | null;
  staffEmail: string | null;
  staffName: string | null;
}

/**
 * A message row's place in its recipient's order: its change's time and, for changes of one
 * moment, the order they were written in; then when it was queued.
 */
const sentOrder = (row: "o" | "p") =>
  sql.raw(
    `coalesce((SELECT e.at FROM events e WHERE e.id = ${row}.event_id), ${row}.created_at),
      coalesce((SELECT e.rowid FROM events e WHERE e.id = ${row}.event_id), 0), ${row}.created_at, ${row}.id`,
  );

/** The due messages of some kinds, at most `limit`: each the next its recipient is owed. */
export function dueMessagesQuery(kinds: OutboxKind[], now: number, limit: number): SQL {
  // A recipient's messages go one at a time, in the order their changes happened: a row waits
  // while an earlier one to the same follow or reporter is pending, wherever it is being sent
  // (another process's claim included), so "scheduled" never overtakes "acknowledged".
  const pending = outboxState("pending");
  return sql`SELECT o.id, o.next_attempt_at AS next FROM outbox o
    WHERE o.state = ${pending} AND o.next_attempt_at <= ${now}
      AND o.kind IN (${sql.join(
        kinds.map((k) => outboxKind(k)),
        sql`, `,
      )})
      AND NOT EXISTS (SELECT 1 FROM outbox p INDEXED BY outbox_follow WHERE p.follow_id = o.follow_id
        AND p.state = ${pending} AND p.kind = o.kind AND (${sentOrder("p")}) < (${sentOrder("o")}))
      AND NOT EXISTS (SELECT 1 FROM outbox p INDEXED BY outbox_report_pending WHERE o.follow_id IS NULL
        AND p.report_id = o.report_id AND p.state = ${pending} AND p.follow_id IS NULL AND p.kind = o.kind
        AND (${sentOrder("p")}) < (${sentOrder("o")}))
    ORDER BY o.next_attempt_at LIMIT ${limit}`;
}

/** Claims up to `limit` due messages of the given kinds (those a sender exists for). */
export async function claimMessages(
  db: Db,
  kinds: OutboxKind[],
  now: number,
  leaseUntil: number,
  limit: number,
): Promise<MessageRow[]> {
  if (kinds.length === 0) return [];
  const due = await db.all<{ id: string; next: number }>(dueMessagesQuery(kinds, now, limit));
  const claimed = await leaseRows(
    db,
    due.map((r) => [r]),
    leaseUntil,
  );
  if (claimed.length === 0) return [];
  return db.all<MessageRow>(sql`SELECT o.id AS outboxId, o.attempts, o.created_at AS createdAt,
      NULL AS workOrderId, o.kind, o.message, o.follow_id AS followId, o.report_id AS reportId,
      f.lang, f.email, f.push, f.tokens, f.confirmed_at AS confirmedAt,
      r.contact_email AS reportEmail, r.contact_mailbox AS reportMailbox, r.reporter_key AS reporterKey,
      c.id AS clusterId, s.name_en AS serviceEn, s.name_zh AS serviceZh,
      c.service_code AS serviceCode, c.lat, c.lon, c.reporter_count AS reporters, s.threshold,
      c.state AS clusterState, c.last_report_at AS lastReportAt, s.window_days AS windowDays,
      s.ack_hours AS ackHours, s.resolve_hours AS resolveHours, w.status AS workOrderStatus,
      e.type AS eventType, e.at AS eventAt, e.to_status AS toStatus, ${publicNote("e")} AS note,
      e.actor AS eventActor, d.name_en AS departmentEn, d.name_zh AS departmentZh,
      w.ack_due_at AS ackDueAt, w.resolve_due_at AS resolveDueAt, w.scheduled_for AS scheduledFor,
      w.resolved_at AS resolvedAt,
      (SELECT p.id FROM photos p WHERE p.event_id = e.id AND p.hidden_at IS NULL AND e.hidden_at IS NULL
        ORDER BY p.created_at LIMIT 1) AS photoId,
      pw.id AS resetId, pw.sealed_token AS resetToken, pw.expires_at AS resetExpiresAt,
      st.email AS staffEmail, st.name AS staffName
    FROM outbox o LEFT JOIN follows f ON f.id = o.follow_id
      LEFT JOIN password_resets pw ON pw.id = o.password_reset_id
      LEFT JOIN staff st ON st.id = pw.staff_id AND st.disabled = 0
      LEFT JOIN reports r ON r.id = o.report_id
      LEFT JOIN events e ON e.id = o.event_id
      LEFT JOIN clusters c ON c.id = coalesce(f.cluster_id, r.cluster_id, e.cluster_id)
      LEFT JOIN services s ON s.code = c.service_code
      LEFT JOIN work_orders w ON w.cluster_id = c.id
      LEFT JOIN departments d ON d.code = coalesce(e.department_code, w.department_code)
    WHERE o.id IN (${sql.join(
      claimed.map((id) => sql`${id}`),
      sql`, `,
    )})`);
}

/** The department a waiting cluster will go to once enough residents report it (as the page says), or null. */
export async function waitingDepartment(db: Db, serviceCode: string, point: { lat: number; lon: number }) {
  const code = routeDepartment(await routingCandidates(db, serviceCode), point);
  return code ? ((await findDepartment(db, code))?.name ?? null) : null;
}
