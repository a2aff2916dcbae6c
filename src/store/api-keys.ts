/**
 * Keys for client apps that post through Open311. Only a hash is kept: the key itself is shown
 * to the admin once, when it is made.
 */
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/client";
import { apiKeys } from "../db/schema";
import { sha256Hex } from "../domain/crypto";
import { notFound } from "../domain/errors";
import { newId, newSecret } from "../domain/ids";
import { type AuditEntry, auditAfter } from "./writes";

/**
 * Makes a key; the returned `key` is the only copy there will ever be. A `trusted` app vouches
 * for its residents: each one it names counts on their own toward thresholds.
 */
export async function createApiKey(
  db: Db,
  app: { name: string; trusted?: boolean | undefined; origins?: string[] | undefined },
  now: number,
  audit?: AuditEntry,
) {
  const key = newSecret("civ");
  const id = newId();
  const { name } = app;
  const trusted = app.trusted ?? false;
  const origins = [...new Set(app.origins ?? [])];
  await db.batch([
    db.insert(apiKeys).values({
      id,
      name,
      keyHash: await sha256Hex(key),
      trusted,
      origins: origins.length ? origins : null,
      createdAt: now,
    }),
    ...auditAfter(db, audit && { ...audit, subject: { type: "api-keys", id } }, now),
  ]);
  return { id, name, key, trusted, origins, createdAt: now };
}

/** The live key matching what a client sent, or null (unknown or revoked). */
export async function findLiveApiKey(db: Db, key: string) {
  if (!key) return null;
  const row = await db
    .select({ id: apiKeys.id, name: apiKeys.name, trusted: apiKeys.trusted, origins: apiKeys.origins })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, await sha256Hex(key)), isNull(apiKeys.revokedAt)))
    .get();
  return row ? { ...row, origins: row.origins ?? [] } : null;
}

/** Keys for the admin's list: names and dates, never a hash. */
export async function listApiKeys(db: Db) {
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      trusted: apiKeys.trusted,
      origins: apiKeys.origins,
      createdAt: apiKeys.createdAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .orderBy(apiKeys.createdAt)
    .then((rows) => rows.map((k) => ({ ...k, origins: k.origins ?? [] })));
}

/** Lists the sites whose pages may send a key, in place of those it listed; false when there is no such key. */
export async function setApiKeyOrigins(
  db: Db,
  id: string,
  origins: string[],
  now: number,
  audit?: AuditEntry,
) {
  const sites = [...new Set(origins)];
  const [[row]] = await db.batch([
    db
      .update(apiKeys)
      .set({ origins: sites.length ? sites : null })
      .where(eq(apiKeys.id, id))
      .returning({ id: apiKeys.id }),
    ...auditAfter(db, audit, now),
  ]);
  return row !== undefined;
}

/** Revokes a key; revoking twice keeps the first date. */
export async function revokeApiKey(db: Db, id: string, now: number, audit?: AuditEntry) {
  const row = await db.select({ revokedAt: apiKeys.revokedAt }).from(apiKeys).where(eq(apiKeys.id, id)).get();
  if (!row) throw notFound(`api key ${id}`);
  await db.batch([
    db
      .update(apiKeys)
      .set({ revokedAt: now })
      .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt))),
    ...auditAfter(db, audit, now),
  ]);
}
