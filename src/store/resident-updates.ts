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
import { linkPhotosToEvent } from "./photos";
import { actor, eventType } from "./status-sql";
import { eventWritten, queueFollowUp } from "./writes";

/**
 * The event id of the note, or null when the request does not exist (or has no cluster). With
 * `clientKey` (the app and its own `update_id`), an update sent again (its answer was lost) writes
 * nothing and gives the first one's event id: the key is kept in `idempotency_keys` in the batch
 * that writes the note.
 */
export async function appendResidentUpdate(
  db: Db,
  u: {
    id: string;
    reportId: string;
    note: string;
    /** The picture's link: the client's `media_url`, else the first photo it uploaded. */
    mediaUrl?: string | null;
    /** Photos uploaded with the update, linked to its note (shown with it, moderated as any photo). */
    photoIds?: string[];
    at: number;
    clientKey?: string | null;
  },
): Promise<string | null> {
  const key = u.clientKey ?? null;
  const fresh =
    key === null ? sql`` : sql`AND NOT EXISTS (SELECT 1 FROM idempotency_keys k WHERE k.key = ${key})`;
  const statements = [
    db.run(sql`INSERT INTO events (id, cluster_id, work_order_id, type, actor, note, media_url, at)
      SELECT ${u.id}, r.cluster_id, (SELECT w.id FROM work_orders w WHERE w.cluster_id = r.cluster_id),
        ${eventType("update_posted")}, ${actor("resident")}, ${u.note}, ${u.mediaUrl ?? null}, ${u.at}
      FROM reports r WHERE r.id = ${u.reportId} AND r.cluster_id IS NOT NULL ${fresh}`),
    queueFollowUp(db, { eventId: u.id, reportId: null, now: u.at }),
  ];
  if (u.photoIds?.length) statements.push(linkPhotosToEvent(db, u.photoIds, u.id, eventWritten(u.id)));
  if (key !== null)
    statements.push(
      // No request hash to compare: a client's update id names one update of one request.
      db.run(sql`INSERT INTO idempotency_keys (key, request_hash, report_id, response, created_at)
        SELECT ${key}, '', ${u.reportId}, json_object('eventId', ${u.id}), ${u.at}
        WHERE EXISTS (SELECT 1 FROM events WHERE id = ${u.id})`),
    );
  await db.batch(statements as unknown as Parameters<Db["batch"]>[0]);
  // This update's note, or the one its key wrote first.
  const [row] = await db.all<{ id: string | null }>(sql`SELECT coalesce(
      (SELECT id FROM events WHERE id = ${u.id}),
      (SELECT json_extract(response, '$.eventId') FROM idempotency_keys WHERE key = ${key})) AS id`);
  return row?.id ?? null;
}
