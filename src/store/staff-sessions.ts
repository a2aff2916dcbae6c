/** Staff sessions: a bearer token shown once, kept as its SHA-256, with an expiry; revocable. */
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { staff, staffSessions } from "../db/schema";
import { sha256Hex } from "../domain/crypto";
import { newId, newSecret } from "../domain/ids";
import { SESSION_MS } from "../domain/staff";
import type { StaffRow } from "./staff";
import { type ActionBy, auditAfter, recordStaffAction } from "./writes";

/** Every session token starts so: the guards tell it from a department token without a lookup. */
export const SESSION_PREFIX = "stf";

/**
 * Opens a session for a staff member, with its `signed_in` audit entry in the same batch, about
 * the client's network by its tag (as failed sign-ins are: one from an unusual network stands
 * out); the token is returned this once.
 */
export async function openSession(
  db: Db,
  by: ActionBy & { staffId: string },
  networkTag: string,
  now: number,
) {
  const token = newSecret(SESSION_PREFIX);
  const expiresAt = now + SESSION_MS;
  await db.batch([
    db.insert(staffSessions).values({
      id: newId(),
      staffId: by.staffId,
      tokenHash: await sha256Hex(token),
      createdAt: now,
      expiresAt,
    }),
    recordStaffAction(db, {
      by,
      action: "signed_in",
      subject: { type: "network", id: networkTag },
      at: now,
    }),
  ]);
  return { token, expiresAt };
}

/** The staff member a live session token belongs to: not expired, not revoked, account enabled. */
export async function staffForSession(db: Db, token: string, now: number): Promise<StaffRow | null> {
  const row = await db
    .select({ s: staff })
    .from(staffSessions)
    .innerJoin(staff, eq(staff.id, staffSessions.staffId))
    .where(
      and(
        eq(staffSessions.tokenHash, await sha256Hex(token)),
        isNull(staffSessions.revokedAt),
        gt(staffSessions.expiresAt, now),
        eq(staff.disabled, false),
      ),
    )
    .get();
  return row?.s ?? null;
}

/**
 * Ends the session of `token` (again: nothing changes); `by` (a staff member's own session) gets
 * its `signed_out` audit entry in the same batch, only if the session was live.
 */
export async function revokeSession(db: Db, token: string, now: number, by?: ActionBy) {
  await db.batch([
    db.run(sql`UPDATE staff_sessions SET revoked_at = ${now}
      WHERE token_hash = ${await sha256Hex(token)} AND revoked_at IS NULL`),
    ...auditAfter(db, by && { by, action: "signed_out", subject: null }, now),
  ]);
}
