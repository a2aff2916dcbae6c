/**
 * Turning red is an event: each work order past its next deadline gets one `deadline_missed`
 * event per deadline, appended to its public timeline and queued for the department's webhook.
 * Run by the dispatch round (`src/dispatch/run.ts`), and by every move of a work order past its
 * deadline that the round has not flagged yet (`missedBeforeMove`), whichever comes first; the
 * rules are `src/domain/deadlines.ts`.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { rowsChanged } from "../db/rows-changed";
import type { workOrders } from "../db/schema";
import { nextDeadline, OWES_ACKNOWLEDGEMENT, OWES_RESOLUTION } from "../domain/deadlines";
import { newId } from "../domain/ids";
import type { WorkOrderStatus } from "../domain/states";
import { deadlineKind, oneOf } from "./status-sql";
import { appendWorkOrderEvent, eventWritten, queueOutbox, type Statement } from "./writes";

interface Candidate {
  id: string;
  status: WorkOrderStatus;
  ack_due_at: number;
  resolve_due_at: number;
  deadlines_from: number;
  notified: string | null;
}

/**
 * The settings row under which a replay of the past (`npm run sample`) holds the live checks off
 * until a time (ms): a server running beside it would otherwise see each replayed work order
 * still dispatched weeks after its deadline and flag it at today's date, though the replay then
 * acknowledges and resolves it (missed deadlines after the fix, and false cards in the league table).
 */
const HELD_UNTIL = "deadline_checks_held_until";

/**
 * Holds the live checks off until `until` (a replay's own checks, `replay: true`, still run); the
 * hold is this caller's own row, so replays that overlap each keep theirs until they release it.
 * Returns what `releaseDeadlineChecks` takes.
 */
export async function holdDeadlineChecks(db: Db, until: number): Promise<string> {
  const hold = `${HELD_UNTIL}:${newId()}`;
  await db.run(sql`INSERT INTO settings (key, value) VALUES (${hold}, ${String(until)})`);
  return hold;
}

/** Ends one hold; the live checks run again once no other holds them. */
export async function releaseDeadlineChecks(db: Db, hold: string): Promise<void> {
  await db.run(sql`DELETE FROM settings WHERE key = ${hold}`);
}

/**
 * Appends `deadline_missed` for work orders overdue at `now` and not yet flagged for that
 * deadline, and queues each for delivery. Safe to run concurrently and repeatedly: each event is
 * written only while the row still says it was not flagged, in the same batch that flags it.
 * While a replay holds the checks (`holdDeadlineChecks`), only the replay's own (`replay`) run.
 * Returns how many work orders turned red.
 */
export async function checkDeadlines(
  db: Db,
  now: number,
  limit = 500,
  opts: { replay?: boolean } = {},
): Promise<number> {
  const held = opts.replay
    ? sql``
    : // Every hold's row (and the single row older versions kept) is one range of the key.
      sql`AND NOT EXISTS (SELECT 1 FROM settings WHERE key BETWEEN ${HELD_UNTIL} AND ${`${HELD_UNTIL};`}
        AND CAST(value AS INTEGER) > ${now})`;
  const rows = await db.all<Candidate>(sql`SELECT id, status, ack_due_at, resolve_due_at, deadlines_from,
      overdue_notified_for AS notified
    FROM work_orders
    WHERE ((status IN ${oneOf(OWES_ACKNOWLEDGEMENT)} AND ack_due_at < ${now}
        AND coalesce(overdue_notified_for, '') != ${deadlineKind("acknowledge")})
      OR (status IN ${oneOf(OWES_RESOLUTION)} AND resolve_due_at < ${now}
        AND coalesce(overdue_notified_for, '') != ${deadlineKind("resolve")}))
      ${held}
    LIMIT ${limit}`);
  let turned = 0;
  for (let start = 0; start < rows.length; start += FLAGS_PER_BATCH)
    turned += await flagMissed(db, rows.slice(start, start + FLAGS_PER_BATCH), now);
  return turned;
}

/**
 * Work orders flagged per batch. A batch runs on the server's one thread: 500 at once (1,500
 * statements) held every request behind it for 100–180 ms at 1M clusters, each round while a
 * backlog lasted (the sample's thousands of passed deadlines, or a server back from a stop).
 * Fifty take ~10 ms, and requests are answered between batches, while each commit is flushed.
 */
const FLAGS_PER_BATCH = 50;

/** Flags the candidates whose deadline has passed, in one batch; how many turned red. */
async function flagMissed(db: Db, rows: Candidate[], now: number): Promise<number> {
  const statements = rows.flatMap((r) => missedBy(db, r, now));
  if (statements.length === 0) return 0;
  const results = (await db.batch(statements as unknown as Parameters<Db["batch"]>[0])) as readonly unknown[];
  // Every third statement is an event insert; count those that wrote (libSQL and D1 report it differently).
  return results.filter((r, i) => i % 3 === 0 && changed(r)).length;
}

/**
 * The three statements that flag `r`'s next deadline as missed at `now` (none when it is not
 * past, or flagged already): the event (stamped `at`), the flag, the department's message. Each
 * writes only while the row is still as read and unflagged, so of two writers (the check, a move)
 * one wins.
 */
function missedBy(db: Db, r: Candidate, now: number, at = now): Statement[] {
  const next = nextDeadline({
    status: r.status,
    ackDueAt: r.ack_due_at,
    resolveDueAt: r.resolve_due_at,
    deadlinesFrom: r.deadlines_from,
  });
  if (!next || next.at >= now || r.notified === next.kind) return [];
  const eventId = newId();
  return [
    appendWorkOrderEvent(db, {
      id: eventId,
      workOrderId: r.id,
      type: "deadline_missed",
      actor: "system",
      note: `${next.kind} deadline missed`,
      at,
      // As read: a reroute or a reopening since restarted the deadlines (status unchanged, the flag cleared).
      where: sql`status = ${r.status} AND deadlines_from = ${r.deadlines_from} AND ack_due_at = ${r.ack_due_at}
        AND resolve_due_at = ${r.resolve_due_at} AND coalesce(overdue_notified_for, '') != ${next.kind}`,
    }),
    db.run(
      sql`UPDATE work_orders SET overdue_notified_for = ${next.kind} WHERE id = ${r.id} AND ${eventWritten(eventId)}`,
    ),
    queueOutbox(db, { eventId, now }),
  ];
}

/**
 * For a move's batch, ahead of the move: the deadline the work order (as the move read it) owed
 * and let pass, flagged as the check would have. A move made before the check ran (2 s on Node,
 * a minute on the Worker's cron, any time across a stop) had the miss escape for good. Stamped a
 * millisecond before the move (or, lifted to the instant of a move made in the same millisecond,
 * written before it: Open311's updates order an instant's events as written), so a miss listed
 * after the acknowledgement never gives the request back its "open" status. Not at the
 * deadline itself: followers' notices and Open311 pollers read on from the last time they saw.
 */
export const missedBeforeMove = (db: Db, wo: typeof workOrders.$inferSelect, now: number): Statement[] =>
  missedBy(
    db,
    {
      id: wo.id,
      status: wo.status as WorkOrderStatus,
      ack_due_at: wo.ackDueAt,
      resolve_due_at: wo.resolveDueAt,
      deadlines_from: wo.deadlinesFrom,
      notified: wo.overdueNotifiedFor,
    },
    now,
    now - 1,
  );

const changed = (r: unknown) => rowsChanged(r) > 0;
