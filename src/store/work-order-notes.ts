/**
 * A work order's internal notes: written by its department's staff for each other, read only by
 * the department API's work-order history. Nothing public reads this table.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { sha256Hex } from "../domain/crypto";
import { newId } from "../domain/ids";
import { iso } from "../domain/iso-time";
import { type ActionBy, recordStaffAction } from "./writes";

/**
 * The id of the note a request with an Idempotency-Key adds, made from the key, its caller, the
 * work order and the words (one writer's key never answers with another's note, and the same key
 * with other words or on another work order is another note).
 */
export async function noteIdOf(
  department: string | null,
  by: ActionBy,
  key: string,
  note: { workOrderId: string; words: string },
): Promise<string> {
  const what = [department, by.via, by.staffId, by.name, key, note.workOrderId, note.words];
  return `k${(await sha256Hex(JSON.stringify(what))).slice(0, 32)}`;
}

/**
 * Adds a note to work order `workOrderId` if it is `department`'s (null: any), with its audit
 * entry in the same batch. Null when there is no such work order (for this department).
 */
export async function addInternalNote(
  db: Db,
  n: {
    workOrderId: string;
    department: string | null;
    by: ActionBy;
    note: string;
    now: number;
    /** The note's id when the request made it from an Idempotency-Key: a retry adds nothing. */
    id?: string;
  },
) {
  const id = n.id ?? newId();
  const [inserted] = await db.batch([
    db.run(sql`INSERT INTO work_order_notes (id, work_order_id, staff_id, by_name, note, at)
      SELECT ${id}, id, ${n.by.staffId}, ${n.by.name}, ${n.note}, ${n.now} FROM work_orders
      WHERE id = ${n.workOrderId} AND (${n.department} IS NULL OR department_code = ${n.department})
      ON CONFLICT (id) DO NOTHING`),
    recordStaffAction(db, {
      by: n.by,
      action: "internal_note",
      subject: { type: "work_order", id: n.workOrderId },
      at: n.now,
      afterChange: true,
    }),
  ]);
  if (inserted.rowsAffected === 0) return n.id ? noteById(db, n.id, n.workOrderId) : null;
  return { id, at: iso(n.now), note: n.note, by: { name: n.by.name } };
}

/** The note a retry of the same request made already (null: none, or on another work order). */
async function noteById(db: Db, id: string, workOrderId: string) {
  const [row] = await db.all<{ at: number; by_name: string; note: string }>(
    sql`SELECT at, by_name, note FROM work_order_notes WHERE id = ${id} AND work_order_id = ${workOrderId}`,
  );
  return row ? { id, at: iso(row.at), note: row.note, by: { name: row.by_name } } : null;
}

/** A work order's notes, oldest first, as history entries. */
export async function internalNotes(db: Db, workOrderId: string) {
  const rows = await db.all<{ at: number; by_name: string; note: string }>(
    sql`SELECT at, by_name, note FROM work_order_notes WHERE work_order_id = ${workOrderId} ORDER BY at, rowid`,
  );
  return rows.map((r) => ({ at: r.at, action: "internal_note", by: { name: r.by_name }, note: r.note }));
}
