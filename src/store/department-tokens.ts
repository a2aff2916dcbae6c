/** Department access tokens: shown once at creation, kept only as a SHA-256 hash, revocable. */
import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/client";
import { departments, departmentTokens } from "../db/schema";
import { auditDetail } from "../domain/audit-detail";
import { sha256Hex } from "../domain/crypto";
import { notFound } from "../domain/errors";
import { newId, newSecret } from "../domain/ids";
import { iso } from "../domain/iso-time";
import { type AuditEntry, auditAfter } from "./writes";

/** Makes a token for a department; the token itself is returned this once and never stored. */
export async function createDepartmentToken(
  db: Db,
  code: string,
  label: string | null,
  now: number,
  audit?: AuditEntry,
) {
  const dept = await db
    .select({ code: departments.code })
    .from(departments)
    .where(eq(departments.code, code))
    .get();
  if (!dept) throw notFound(`department ${code}`);
  const token = newSecret("dept");
  const id = newId();
  await db.batch([
    db.insert(departmentTokens).values({
      id,
      departmentCode: code,
      tokenHash: await sha256Hex(token),
      label,
      createdAt: now,
    }),
    // Which token, as the list shows it: a department may have several.
    ...auditAfter(db, audit && { ...audit, detail: auditDetail({ id, label }) }, now),
  ]);
  return { id, token, label, createdAt: iso(now) };
}

/** A department's tokens, newest first, without any secret. */
export async function listDepartmentTokens(db: Db, code: string) {
  const rows = await db
    .select()
    .from(departmentTokens)
    .where(eq(departmentTokens.departmentCode, code))
    .orderBy(desc(departmentTokens.createdAt));
  return rows.map((t) => ({
    id: t.id,
    label: t.label,
    createdAt: iso(t.createdAt),
    revokedAt: iso(t.revokedAt),
  }));
}

/** Revokes a token; revoking one already revoked keeps the first time. */
export async function revokeDepartmentToken(
  db: Db,
  code: string,
  id: string,
  now: number,
  audit?: AuditEntry,
) {
  const [[row]] = await db.batch([
    db
      .update(departmentTokens)
      .set({ revokedAt: now })
      .where(
        and(
          eq(departmentTokens.id, id),
          eq(departmentTokens.departmentCode, code),
          isNull(departmentTokens.revokedAt),
        ),
      )
      .returning({ id: departmentTokens.id }),
    ...auditAfter(db, audit, now),
  ]);
  if (row) return;
  const exists = await db
    .select({ id: departmentTokens.id })
    .from(departmentTokens)
    .where(and(eq(departmentTokens.id, id), eq(departmentTokens.departmentCode, code)))
    .get();
  if (!exists) throw notFound("token");
}

/** The department a live token belongs to, or null for an unknown or revoked token. */
export async function departmentForToken(db: Db, token: string) {
  const row = await db
    .select({ code: departments.code, nameEn: departments.nameEn, nameZh: departments.nameZh })
    .from(departmentTokens)
    .innerJoin(departments, eq(departments.code, departmentTokens.departmentCode))
    .where(and(eq(departmentTokens.tokenHash, await sha256Hex(token)), isNull(departmentTokens.revokedAt)))
    .get();
  return row ? { code: row.code, name: { en: row.nameEn, zh: row.nameZh } } : null;
}
