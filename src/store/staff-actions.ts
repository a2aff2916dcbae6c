/**
 * Reading the staff audit trail. Entries are written with `recordStaffAction` in `writes.ts`,
 * always in the batch of the change they record, never on their own; the one exception is what
 * a caller without a session tried (a failed sign-in), which changes nothing and is recorded
 * here (`recordAttempt`).
 */
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import type { Attempt } from "../domain/audit-actions";
import { newId } from "../domain/ids";
import { iso } from "../domain/iso-time";
import { internalNotes } from "./work-order-notes";
import { ofWorkOrder } from "./writes";

interface ActionRow {
  id: string;
  at: number;
  action: string;
  staff_id: string | null;
  by_name: string;
  via: string;
  subject_type: string | null;
  subject_id: string | null;
  detail: string | null;
}

/**
 * A page of entries, newest first (ties in the order written), optionally about one subject:
 * at most `limit`, older than the entry `before` names. `next` names the page's last entry when
 * there may be more; `before` naming no entry is null (the caller answers 400).
 */
export async function listActions(
  db: Db,
  filter: { subjectType?: string; subjectId?: string; limit: number; before?: string },
) {
  // The cursor entry's own place, looked up first: an id gives no order of its own.
  let older = sql``;
  if (filter.before !== undefined) {
    const [cursor] = await db.all<{ at: number; rowid: number }>(
      sql`SELECT at, rowid FROM staff_actions WHERE id = ${filter.before}`,
    );
    if (!cursor) return null;
    older = sql`AND (at < ${cursor.at} OR (at = ${cursor.at} AND rowid < ${cursor.rowid}))`;
  }
  const rows = await db.all<ActionRow>(sql`SELECT * FROM staff_actions
    WHERE (${filter.subjectType ?? null} IS NULL OR subject_type = ${filter.subjectType ?? null})
      AND (${filter.subjectId ?? null} IS NULL OR subject_id = ${filter.subjectId ?? null})
      ${older}
    ORDER BY at DESC, rowid DESC LIMIT ${filter.limit + 1}`);
  const page = rows.slice(0, filter.limit);
  return {
    actions: page.map((r) => ({
      id: r.id,
      at: iso(r.at),
      action: r.action,
      by: { name: r.by_name, staffId: r.staff_id, via: r.via },
      subject: { type: r.subject_type, id: r.subject_id },
      detail: r.detail === null ? null : (JSON.parse(r.detail) as Record<string, unknown>),
    })),
    next: rows.length > filter.limit ? (page.at(-1)?.id ?? null) : null,
  };
}

/**
 * What a caller without a session tried, as the audit trail names it. The `_unknown` and `_token`
 * ones name no account: anyone can make them up, from many networks, so together they are
 * recorded at most `UNKNOWN_SIGN_IN_CAP` a clock hour.
 */
export type { Attempt };

const CAPPED: readonly Attempt[] = [
  "sign_in_failed_unknown",
  "sign_in_failed_token",
  "password_reset_requested_unknown",
];

/** Attempts naming no account recorded per clock hour (all kinds together); the rest are counted nowhere. */
export const UNKNOWN_SIGN_IN_CAP = 50;
const HOUR_MS = 3_600_000;

/**
 * Records what a caller without a session tried: `byName` as who (an e-mail tried, never a
 * password; the route a token was sent to, never the token), the network's tag as the subject.
 * `sign_in_failed` (a wrong password, or the account disabled) and `password_reset_requested`
 * always, as the account's budgets bound them (5 in 15 minutes, 3 an hour, and as many from each
 * browser it trusts, which only a holder of its password made); the kinds naming no account (`CAPPED`) at most
 * `UNKNOWN_SIGN_IN_CAP` an hour together, then one `sign_in_failures_unrecorded` saying the
 * hour's trail is incomplete. Answers what was written, if anything.
 */
export async function recordAttempt(
  db: Db,
  a: { action: Attempt; byName: string; networkTag: string; at: number },
): Promise<Attempt | "sign_in_failures_unrecorded" | null> {
  const capped = CAPPED.includes(a.action);
  const hour = Math.floor(a.at / HOUR_MS) * HOUR_MS;
  const [attempt, marker] = await db.batch([
    db.all<{
      action: string;
    }>(sql`INSERT INTO staff_actions (id, at, by_name, via, action, subject_type, subject_id)
      SELECT ${newId()}, ${a.at}, ${a.byName}, ${"unauthenticated"}, ${a.action}, ${"network"}, ${a.networkTag}
      WHERE ${capped ? 0 : 1}
        OR (SELECT count(*) FROM staff_actions WHERE at >= ${hour}
          AND action IN (${sql.join(
            CAPPED.map((c) => sql`${c}`),
            sql`, `,
          )})) < ${UNKNOWN_SIGN_IN_CAP}
      RETURNING action`),
    db.all<{ action: string }>(sql`INSERT INTO staff_actions (id, at, by_name, via, action)
      SELECT ${newId()}, ${a.at}, ${"system"}, ${"unauthenticated"}, ${"sign_in_failures_unrecorded"}
      WHERE changes() = 0 AND NOT EXISTS (SELECT 1 FROM staff_actions
        WHERE at >= ${hour} AND action = ${"sign_in_failures_unrecorded"})
      RETURNING action`),
  ]);
  if (attempt.length > 0) return a.action;
  return marker.length > 0 ? "sign_in_failures_unrecorded" : null;
}

/**
 * Whether a bearer token was ever a session or a department token (expired, revoked or live):
 * its SHA-256 is kept in either. Pages left open after a session ends keep sending theirs, which
 * say nothing about guessing.
 */
export async function tokenWasIssued(db: Db, tokenHash: string): Promise<boolean> {
  const rows = await db.all(sql`SELECT 1 FROM staff_sessions WHERE token_hash = ${tokenHash}
    UNION ALL SELECT 1 FROM department_tokens WHERE token_hash = ${tokenHash} LIMIT 1`);
  return rows.length > 0;
}

/**
 * A work order's internal history, oldest first: each of its events with who did it. A staff
 * member or machine token is named from the audit trail; what nobody on the staff did is
 * `system` or `resident` (the event's actor). The department's internal notes are in it too, in
 * their place in time (`internal_note`, with the note's words).
 */
export async function workOrderHistory(db: Db, workOrderId: string) {
  const [rows, notes] = await Promise.all([
    eventsWithActors(db, workOrderId),
    internalNotes(db, workOrderId),
  ]);
  const events: { at: number; action: string; by: { name: string }; note?: string }[] = rows.map((r) => ({
    at: r.at,
    action: r.to_status && r.type === "status_changed" ? r.to_status : r.type,
    by: { name: r.by_name ?? r.actor },
  }));
  // Both oldest first; a stable sort keeps each in order and, at one instant, the event first.
  return [...events, ...notes].sort((a, b) => a.at - b.at).map((h) => ({ ...h, at: iso(h.at) }));
}

const eventsWithActors = (db: Db, workOrderId: string) =>
  db.all<{
    at: number;
    type: string;
    to_status: string | null;
    actor: string;
    by_name: string | null;
  }>(
    sql`SELECT e.at, e.type, e.to_status, e.actor, a.by_name FROM events e
      LEFT JOIN staff_actions a ON a.event_id = e.id
      WHERE ${ofWorkOrder("e", workOrderId)} ORDER BY e.at, e.rowid`,
  );
