import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { clusterState } from "./status-sql";
import { dropUnsentMessages } from "./writes";

const DAY_MS = 86_400_000;
const BATCH = 500;

/**
 * The reports whose problem has been over for `days` and that still keep a name, e-mail, phone or
 * app's device id. A problem is over once nothing more can ask for its reporters: resolved or
 * closed, when its "is it fixed?" question falls due (its work order's last move, or a problem
 * merged into it since, plus the service's `ask_after_days`); still gathering reports without a
 * work order, when its window to join ends (its last report plus the service's `window_days`).
 * A problem with work open (waiting for a department, dispatched, reopened…) keeps them however
 * old; a report moved by a merge follows the problem it joined. A report younger than `days`
 * cannot qualify, so the index is read from its oldest up to there.
 */
function overReports(before: number) {
  return sql`SELECT r.id FROM reports r INDEXED BY reports_contact_kept
      JOIN clusters c ON c.id = r.cluster_id
      JOIN services s ON s.code = c.service_code
      WHERE coalesce(r.contact_name, r.contact_email, r.contact_phone, r.device_id) IS NOT NULL
        AND r.created_at < ${before}
        AND CASE c.state
          WHEN ${clusterState("open")} THEN c.last_report_at + s.window_days * ${DAY_MS} < ${before}
          WHEN ${clusterState("resolved")} THEN max(c.updated_at,
              coalesce((SELECT max(w.updated_at) FROM work_orders w WHERE w.cluster_id = c.id), 0))
            + s.ask_after_days * ${DAY_MS} < ${before}
          WHEN ${clusterState("merged")} THEN c.updated_at < ${before}
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
