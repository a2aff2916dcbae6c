/**
 * Work orders held as requests on a department's Open311 server: recording the id a POST
 * answered, claiming the requests due for a poll, and applying what a poll read, each remote
 * answer once (`remote_updates`), with the lifecycle's guarded moves.
 */
import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { remoteRequests, remoteUpdates, workOrders } from "../db/schema";
import { movesFor, type RemoteState } from "../domain/open311-client";
import type { WorkOrderStatus } from "../domain/states";
import { applyMove } from "./transitions";

/**
 * The row a successful POST leaves: polled from now on. A reopening's new request takes the
 * place of the old one (which the city closed): the work order is followed there from now on.
 */
export const recordRemoteRequest = (
  db: Db,
  r: {
    workOrderId: string;
    departmentCode: string;
    remoteId: string | null;
    token: string | null;
    now: number;
  },
) =>
  db
    .insert(remoteRequests)
    .values({ ...r, nextPollAt: r.now, createdAt: r.now })
    .onConflictDoUpdate({
      target: [remoteRequests.workOrderId, remoteRequests.departmentCode],
      set: { remoteId: r.remoteId, token: r.token, remoteStatus: null, nextPollAt: r.now, finishedAt: null },
    });

export interface PollRow {
  workOrderId: string;
  departmentCode: string;
  remoteId: string | null;
  token: string | null;
  endpoint: string | null;
  apiKey: string | null;
  jurisdictionId: string | null;
}

/** Claims up to `limit` requests due for a poll by moving their next poll to `leaseUntil`. */
export async function claimDuePolls(
  db: Db,
  now: number,
  leaseUntil: number,
  limit: number,
): Promise<PollRow[]> {
  const due = await db.all<{ wo: string; d: string; next: number }>(sql`SELECT work_order_id AS wo,
      department_code AS d, next_poll_at AS next FROM remote_requests
    WHERE finished_at IS NULL AND next_poll_at <= ${now} ORDER BY next_poll_at LIMIT ${limit}`);
  const claimed: { wo: string; d: string }[] = [];
  // One guarded update per row: a row another worker claimed since the read is left to it.
  for (const r of due) {
    const won = await db
      .update(remoteRequests)
      .set({ nextPollAt: leaseUntil })
      .where(
        and(
          eq(remoteRequests.workOrderId, r.wo),
          eq(remoteRequests.departmentCode, r.d),
          eq(remoteRequests.nextPollAt, r.next),
        ),
      )
      .returning({ wo: remoteRequests.workOrderId });
    if (won.length) claimed.push(r);
  }
  if (claimed.length === 0) return [];
  return db.all<PollRow>(sql`SELECT q.work_order_id AS workOrderId, q.department_code AS departmentCode,
      q.remote_id AS remoteId, q.token, d.open311_endpoint AS endpoint, d.open311_api_key AS apiKey,
      d.open311_jurisdiction AS jurisdictionId
    FROM remote_requests q JOIN departments d ON d.code = q.department_code
    WHERE ${sql.join(
      claimed.map((r) => sql`(q.work_order_id = ${r.wo} AND q.department_code = ${r.d})`),
      sql` OR `,
    )}`);
}

const where = (r: PollRow) =>
  and(eq(remoteRequests.workOrderId, r.workOrderId), eq(remoteRequests.departmentCode, r.departmentCode));

/** The request id a token turned into. */
export const setRemoteId = (db: Db, r: PollRow, remoteId: string) =>
  db.update(remoteRequests).set({ remoteId }).where(where(r));

/** Polls this request again at `at`. */
export const pollAgainAt = (db: Db, r: PollRow, at: number) =>
  db.update(remoteRequests).set({ nextPollAt: at }).where(where(r));

const DONE: readonly WorkOrderStatus[] = ["resolved", "closed", "duplicate"];

/**
 * Applies a remote status to the work order, once per distinct answer: the moves it calls for
 * (each a guarded move, as the department; a move someone else made first is skipped), then the
 * answer's key. A crash between the two re-reads the answer next time, finds the moves made,
 * and only records the key. Returns the moves made.
 */
export async function applyRemoteState(
  db: Db,
  r: PollRow,
  state: RemoteState,
  opts: { now: number; nextPollAt: number },
): Promise<WorkOrderStatus[]> {
  const seen = await db
    .select()
    .from(remoteUpdates)
    .where(and(eq(remoteUpdates.workOrderId, r.workOrderId), eq(remoteUpdates.updateKey, state.key)))
    .get();
  const made: WorkOrderStatus[] = [];
  let wo = await db.select().from(workOrders).where(eq(workOrders.id, r.workOrderId)).get();
  if (!seen && wo && wo.departmentCode === r.departmentCode) {
    for (const to of movesFor(wo.status as WorkOrderStatus, state.status)) {
      const note =
        to === "acknowledged"
          ? `received by the city's system as request ${r.remoteId}`
          : (state.notes ?? `closed in the city's system (request ${r.remoteId})`);
      const won = await applyMove(db, wo, {
        workOrderId: wo.id,
        to,
        actor: "department",
        department: r.departmentCode,
        note,
        now: opts.now,
      });
      if (!won) break;
      made.push(to);
      wo = await db.select().from(workOrders).where(eq(workOrders.id, r.workOrderId)).get();
      if (!wo) break;
    }
  }
  // Done here, or no longer this department's: nothing more to learn from its system.
  const finished =
    !wo ||
    wo.departmentCode !== r.departmentCode ||
    (DONE.includes(wo.status as WorkOrderStatus) && state.status === "closed");
  await db.batch([
    db
      .insert(remoteUpdates)
      .values({ workOrderId: r.workOrderId, updateKey: state.key, at: opts.now })
      .onConflictDoNothing(),
    db
      .update(remoteRequests)
      .set({
        remoteStatus: state.status,
        nextPollAt: opts.nextPollAt,
        finishedAt: finished ? opts.now : null,
      })
      .where(where(r)),
  ]);
  return made;
}
