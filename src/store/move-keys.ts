/**
 * A work order's move sent with an `Idempotency-Key`: its retry (the answer lost on a weak
 * connection, a second tap) is answered with the work order as it stands, moving nothing again. Without one a
 * retried `scheduled` wrote a second timeline entry, and any other retry read as a 409.
 */
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { sha256Hex } from "../domain/crypto";
import { HOUR_MS } from "../domain/deadlines";
import { keyReused } from "../domain/errors";
import type { ActionBy, Statement } from "./writes";

/** How long a move's key is kept: a console's retry comes within minutes, a syncing system's within days. */
export const MOVE_KEY_DAYS = 7;

export interface MoveKey {
  /** A digest of the caller and their key: one caller's key never answers another's move. */
  key: string;
  /** A digest of the work order and the move asked: the same key with another move is refused. */
  requestHash: string;
}

/**
 * `caller` is who sends it: the staff member (any of their sessions), else the token itself, so
 * two integrations holding two tokens of one department never answer each other's moves.
 */
export async function moveKeyOf(
  department: string | null,
  caller: { via: ActionBy["via"]; id: string },
  key: string,
  move: { workOrderId: string; body: unknown },
): Promise<MoveKey> {
  const [digest, request] = await Promise.all([
    sha256Hex(JSON.stringify(["move", department, caller.via, caller.id, key])),
    sha256Hex(JSON.stringify([move.workOrderId, move.body])),
  ]);
  return { key: digest, requestHash: request };
}

/** Keys older than this are no one's any more: swept, and never answered from. */
const keptSince = (now: number) => now - MOVE_KEY_DAYS * 24 * HOUR_MS;

/**
 * Whether this key made its move already (in the last `MOVE_KEY_DAYS`): true when it did (the
 * retry is answered with the work order as it stands), a 422 `idempotency_key_reused` when the
 * key came with another move.
 */
export async function movedWithKey(db: Db, k: MoveKey, now: number): Promise<boolean> {
  const [row] = await db.all<{ request_hash: string }>(
    sql`SELECT request_hash FROM work_order_move_keys WHERE key = ${k.key} AND created_at >= ${keptSince(now)}`,
  );
  if (!row) return false;
  if (row.request_hash !== k.requestHash) {
    throw keyReused("another move (another work order, status, note or date)");
  }
  return true;
}

/**
 * The keys past their days, swept first in a keyed move's batch: before it, so a key used again
 * after them is free for its new move.
 */
export const sweepMoveKeys = (db: Db, now: number): Statement =>
  db.run(sql`DELETE FROM work_order_move_keys WHERE created_at < ${keptSince(now)}`);

/** The move's own condition: no move of this key written yet (a retry racing its first try). */
export const keyUnused = (k: MoveKey): SQL =>
  sql`NOT EXISTS (SELECT 1 FROM work_order_move_keys WHERE key = ${k.key})`;

/** The statement that keeps the key with the move's event, written only if the event is. */
export const keepMoveKey = (
  db: Db,
  k: MoveKey,
  move: { workOrderId: string; eventId: string; now: number },
  written: SQL,
): Statement =>
  db.run(sql`INSERT INTO work_order_move_keys (key, request_hash, work_order_id, event_id, created_at)
    SELECT ${k.key}, ${k.requestHash}, ${move.workOrderId}, ${move.eventId}, ${move.now} WHERE ${written}`);
