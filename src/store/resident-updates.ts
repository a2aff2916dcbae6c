/**
 * A resident's update on a service request from a client app (Open311's `POST
 * servicerequestupdates`): appended to the request's cluster timeline as a public note, with the
 * cluster's work order if it has one, and queued for that work order's department (a follow-up,
 * `domain/follow-up.ts`). It moves nothing: a status the app sends is recorded in
 * the note's words, since the app cannot show that its resident reported this problem (the rule
 * a "still there" reopening keeps, `routes/reopen.ts`).
 */
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { actor, eventType } from "./status-sql";
import { queueFollowUp } from "./writes";

/** The event id of the note, or null when the request does not exist (or has no cluster). */
export async function appendResidentUpdate(
  db: Db,
  u: { id: string; reportId: string; note: string; at: number },
): Promise<string | null> {
  const [, , rows] = await db.batch([
    db.run(sql`INSERT INTO events (id, cluster_id, work_order_id, type, actor, note, at)
      SELECT ${u.id}, r.cluster_id, (SELECT w.id FROM work_orders w WHERE w.cluster_id = r.cluster_id),
        ${eventType("update_posted")}, ${actor("resident")}, ${u.note}, ${u.at}
      FROM reports r WHERE r.id = ${u.reportId} AND r.cluster_id IS NOT NULL`),
    queueFollowUp(db, { eventId: u.id, reportId: null, now: u.at }),
    db.all<{ id: string }>(sql`SELECT id FROM events WHERE id = ${u.id}`),
  ]);
  return rows.length ? u.id : null;
}
