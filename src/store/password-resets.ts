/**
 * Password resets: a request makes a reset and queues its mail (the outbox, `mail` kind) in one
 * batch; a confirmation uses it once, sets the password, ends the account's sessions and records
 * the action, in one batch. The token is looked up by its hash; the mailer opens the sealed copy.
 */
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { passwordResets, staff } from "../db/schema";
import { sha256Hex } from "../domain/crypto";
import { newId } from "../domain/ids";
import { RESET_MS } from "../domain/password-reset";
import { outboxKind, outboxState } from "./status-sql";
import { recordStaffAction } from "./writes";

/**
 * Makes a reset of `staffId`'s password with the token hashed as `tokenHash` (and `sealedToken`
 * for the mailer) and queues its mail. Earlier links of the account stop working: the newest wins.
 * The account is checked enabled inside the batch: disabled between the request's lookup and this
 * batch, it gets no link and no mail (a disabling spends links, and one made after it would
 * outlive it and work again if the account were enabled within the hour).
 */
export async function requestReset(
  db: Db,
  r: { id: string; staffId: string; tokenHash: string; sealedToken: string; now: number },
) {
  await db.batch([
    db.run(sql`UPDATE password_resets SET used_at = ${r.now}, sealed_token = NULL
      WHERE staff_id = ${r.staffId} AND used_at IS NULL`),
    db.run(sql`INSERT INTO password_resets (id, staff_id, token_hash, sealed_token, created_at, expires_at)
      SELECT ${r.id}, id, ${r.tokenHash}, ${r.sealedToken}, ${r.now}, ${r.now + RESET_MS}
      FROM staff WHERE id = ${r.staffId} AND disabled = 0`),
    db.run(sql`INSERT INTO outbox (id, kind, password_reset_id, message, dedupe_key, state, attempts,
        next_attempt_at, created_at)
      SELECT ${newId()}, ${outboxKind("mail")}, id, 'password_reset', ${`reset:${r.id}`},
        ${outboxState("pending")}, 0, ${r.now}, ${r.now}
      FROM password_resets WHERE id = ${r.id}`),
  ]);
}

/** The reset `token` opens, if it is unused and unexpired and its account enabled; else null. */
export async function usableReset(db: Db, token: string, now: number) {
  const tokenHash = await sha256Hex(token);
  return db
    .select({ id: passwordResets.id, staffId: staff.id, name: staff.name })
    .from(passwordResets)
    .innerJoin(staff, eq(staff.id, passwordResets.staffId))
    .where(
      and(
        eq(passwordResets.tokenHash, tokenHash),
        isNull(passwordResets.usedAt),
        gt(passwordResets.expiresAt, now),
        eq(staff.disabled, false),
      ),
    )
    .get();
}

/**
 * Uses the reset whose token is `token`, if it is unused and unexpired and its account enabled:
 * sets `passwordHash`, revokes every session of the account and the trust in its browsers (its
 * device epoch grows) and records the action. Two confirmations racing on one token: the first
 * wins, the other changes nothing. Null: no such usable reset (unknown, used, expired), nothing
 * changed.
 */
export async function useReset(db: Db, token: string, passwordHash: string, now: number) {
  const found = await usableReset(db, token, now);
  if (!found) return null;
  // Each statement after the first runs only if the one before it changed a row (`changes()`):
  // a reset used meanwhile changes nothing at all.
  const [used] = await db.batch([
    db
      .update(passwordResets)
      .set({ usedAt: now, sealedToken: null })
      .where(and(eq(passwordResets.id, found.id), isNull(passwordResets.usedAt)))
      .returning({ id: passwordResets.id }),
    db.run(sql`UPDATE staff SET password_hash = ${passwordHash}, device_epoch = device_epoch + 1, updated_at = ${now}
      WHERE id = ${found.staffId} AND changes() > 0`),
    recordStaffAction(db, {
      by: { staffId: found.staffId, name: found.name, via: "staff" },
      action: "password_reset",
      subject: { type: "staff", id: found.staffId },
      at: now,
      afterChange: true,
    }),
    db.run(sql`UPDATE staff_sessions SET revoked_at = ${now}
      WHERE staff_id = ${found.staffId} AND revoked_at IS NULL
        AND EXISTS (SELECT 1 FROM password_resets WHERE id = ${found.id} AND used_at = ${now})`),
  ]);
  return used.length > 0 ? { staffId: found.staffId } : null;
}
