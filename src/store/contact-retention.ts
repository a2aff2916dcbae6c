import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { clusterState } from "./status-sql";
import { dropUnsentMessages } from "./writes";

const DAY_MS = 86_400_000;
const SWEEP_EVERY_MS = 3_600_000;
const BATCH = 500;

/**
 * The reports whose problem has been over for `days` and that still keep a name, e-mail, phone or
 * app's device id: resolved or closed (its work order's last move), merged into another, or never
 * sent to a department and no longer gathering (its last report). A problem still being worked on
 * keeps them, however old. A report younger than `days` cannot qualify, so the index is read from
 * its oldest up to there.
 */
function overReports(before: number) {
  return sql`SELECT r.id FROM reports r INDEXED BY reports_contact_kept
      JOIN clusters c ON c.id = r.cluster_id
      WHERE coalesce(r.contact_name, r.contact_email, r.contact_phone, r.device_id) IS NOT NULL
        AND r.created_at < ${before}
        AND CASE c.state
          WHEN ${clusterState("open")} THEN c.last_report_at < ${before}
          WHEN ${clusterState("merged")} THEN c.updated_at < ${before}
          WHEN ${clusterState("resolved")} THEN coalesce(
            (SELECT max(w.updated_at) FROM work_orders w WHERE w.cluster_id = c.id), c.updated_at) < ${before}
          ELSE 0 END
      ORDER BY r.created_at LIMIT ${BATCH}`;
}

/**
 * Deletes how to reach the reporters of problems over for `days` (PIPL art. 19: kept no longer
 * than its purpose needs; the "is it fixed?" question and "still there" are done by then): the
 * same columns as the reporter's own erasure, with any question to them not yet sent. The reports
 * stay, counted by their keyed hash. Returns how many reports it cleared.
 */
export async function sweepOldContacts(db: Db, now: number, days: number): Promise<number> {
  const before = now - days * DAY_MS;
  let cleared = 0;
  for (let round = 0; round < 20; round++) {
    const ids = (await db.all<{ id: string }>(overReports(before))).map((r) => r.id);
    if (ids.length === 0) break;
    const these = sql`SELECT value FROM json_each(${JSON.stringify(ids)})`;
    const [, , done] = await db.batch([
      ...dropUnsentMessages(db, sql`report_id IN (${these})`),
      db.run(sql`UPDATE reports SET contact_name = NULL, contact_email = NULL, contact_phone = NULL,
          device_id = NULL, contact_mailbox = NULL
        WHERE id IN (${these})`),
    ]);
    cleared += done.rowsAffected;
    if (ids.length < BATCH) break;
  }
  return cleared;
}

/**
 * `sweepOldContacts` at most once an hour across every process and isolate sharing the database
 * (the round that claims the hour in `settings` runs it): a problem being worked on for months
 * keeps its reports' contacts, and reading past them every round would cost each round that.
 */
export async function sweepOldContactsHourly(db: Db, now: number, days: number): Promise<number> {
  const [last] = await db.all<{ value: string }>(
    sql`SELECT value FROM settings WHERE key = 'contacts_swept_at'`,
  );
  if (last && Number(last.value) > now - SWEEP_EVERY_MS) return 0;
  const claimed =
    await db.all(sql`INSERT INTO settings (key, value) VALUES ('contacts_swept_at', ${String(now)})
    ON CONFLICT (key) DO UPDATE SET value = excluded.value
      WHERE CAST(settings.value AS INTEGER) <= ${now - SWEEP_EVERY_MS}
    RETURNING key`);
  return claimed.length === 0 ? 0 : sweepOldContacts(db, now, days);
}
