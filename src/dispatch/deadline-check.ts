/**
 * Turning red is an event: each work order past its next deadline gets one `deadline_missed`
 * event per deadline, appended to its public timeline and queued for the department's webhook.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { nextDeadline } from "../domain/deadlines";
import { newId } from "../domain/ids";
import type { WorkOrderStatus } from "../domain/states";

interface Candidate {
  id: string;
  status: WorkOrderStatus;
  ack_due_at: number;
  resolve_due_at: number;
  deadlines_from: number | null;
  created_at: number;
  notified: string | null;
}

/**
 * Appends `deadline_missed` for work orders overdue at `now` and not yet flagged for that
 * deadline, and queues each for delivery. Safe to run concurrently and repeatedly: each event is
 * written only while the row still says it was not flagged, in the same batch that flags it.
 * Returns how many work orders turned red.
 */
export async function checkDeadlines(db: Db, now: number, limit = 500): Promise<number> {
  const rows = await db.all<Candidate>(sql`SELECT id, status, ack_due_at, resolve_due_at, deadlines_from,
      created_at, overdue_notified_for AS notified
    FROM work_orders
    WHERE (status = 'dispatched' AND ack_due_at < ${now}
        AND coalesce(overdue_notified_for, '') != 'acknowledge')
      OR (status IN ('acknowledged', 'scheduled', 'in_progress', 'reopened') AND resolve_due_at < ${now}
        AND coalesce(overdue_notified_for, '') != 'resolve')
    LIMIT ${limit}`);
  const statements = [];
  for (const r of rows) {
    const next = nextDeadline({
      status: r.status,
      ackDueAt: r.ack_due_at,
      resolveDueAt: r.resolve_due_at,
      deadlinesFrom: r.deadlines_from ?? r.created_at,
    });
    if (!next || next.at >= now || r.notified === next.kind) continue;
    const eventId = newId();
    const guard = sql`EXISTS (SELECT 1 FROM events WHERE id = ${eventId})`;
    statements.push(
      db.run(sql`INSERT INTO events (id, cluster_id, work_order_id, type, from_status, to_status, department_code, actor, note, at)
        SELECT ${eventId}, cluster_id, id, 'deadline_missed', status, status, department_code, 'system',
          ${`${next.kind} deadline missed`}, ${now}
        FROM work_orders WHERE id = ${r.id} AND status = ${r.status}
          AND coalesce(overdue_notified_for, '') != ${next.kind}`),
      db.run(sql`UPDATE work_orders SET overdue_notified_for = ${next.kind} WHERE id = ${r.id} AND ${guard}`),
      db.run(sql`INSERT INTO outbox (id, event_id, work_order_id, state, attempts, next_attempt_at, created_at)
        SELECT ${newId()}, id, work_order_id, 'pending', 0, ${now}, ${now}
        FROM events WHERE id = ${eventId} AND department_code IS NOT NULL`),
    );
  }
  if (statements.length === 0) return 0;
  const results = (await db.batch(statements as unknown as Parameters<Db["batch"]>[0])) as readonly unknown[];
  // Every third statement is an event insert; count those that wrote (libSQL and D1 report it differently).
  return results.filter((r, i) => i % 3 === 0 && changed(r)).length;
}

const changed = (r: unknown) => {
  const x = r as { rowsAffected?: number; meta?: { changes?: number } };
  return (x.rowsAffected ?? x.meta?.changes ?? 0) > 0;
};
