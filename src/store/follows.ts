/**
 * Follows of a cluster (no account): stored pending with sealed contact and tokens, confirmed by
 * the mailed link's token, deleted by the unsubscribe token. Tokens are looked up by hash only.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { openContact, sealContact } from "../domain/contact-seal";
import { sha256Hex } from "../domain/crypto";
import { newId, newSecret } from "../domain/ids";
import type { FollowInput } from "../schemas/follow";

const seal = (key: string, id: string, field: string, value: string) =>
  sealContact(key, id, `follow_${field}`, value);

/**
 * Stores a pending follow of an existing cluster: its id, or null when there is no such cluster. Its tokens
 * are sealed for the mailer (`followMail`); the caller is never given them.
 */
export async function addFollow(db: Db, key: string, clusterId: string, input: FollowInput, now: number) {
  const id = newId();
  const tokens = { confirm: newSecret("fc"), unsubscribe: newSecret("fu") };
  const [email, push, sealedTokens, confirmHash, unsubscribeHash] = await Promise.all([
    input.email === undefined ? null : seal(key, id, "email", input.email),
    input.push === undefined ? null : seal(key, id, "push", JSON.stringify(input.push)),
    seal(key, id, "tokens", JSON.stringify(tokens)),
    sha256Hex(tokens.confirm),
    sha256Hex(tokens.unsubscribe),
  ]);
  // One statement: the cluster's existence is checked by the insert itself (RETURNING says the
  // same on libSQL and D1, whose counts of changed rows differ).
  const written = await db.all<{ id: string }>(sql`
    INSERT INTO follows (id, cluster_id, email, push, lang, confirm_hash, unsubscribe_hash, tokens, created_at)
    SELECT ${id}, id, ${email}, ${push}, ${input.lang}, ${confirmHash}, ${unsubscribeHash}, ${sealedTokens}, ${now}
    FROM clusters WHERE id = ${clusterId} RETURNING id`);
  return written.length === 1 ? id : null;
}

/** Confirms the follow whose confirmation token this is (again: no change); its cluster, or null. */
export async function confirmFollow(db: Db, token: string, now: number) {
  const hash = await sha256Hex(token);
  const [row] = await db.all<{ clusterId: string }>(sql`
    UPDATE follows SET confirmed_at = coalesce(confirmed_at, ${now})
    WHERE confirm_hash = ${hash} RETURNING cluster_id AS clusterId`);
  return row?.clusterId ?? null;
}

/** Ends the follow whose unsubscribe token this is, deleting its contact; false if none. */
export async function endFollow(db: Db, token: string) {
  const hash = await sha256Hex(token);
  const ended = await db.all<{ id: string }>(
    sql`DELETE FROM follows WHERE unsubscribe_hash = ${hash} RETURNING id`,
  );
  return ended.length > 0;
}

/**
 * What the mailer needs for one follow: the opened address, push subscription, language and both
 * links (never for a public answer). Null when the follow has ended.
 */
export async function followMail(db: Db, key: string, id: string, publicUrl: string) {
  const [row] = await db.all<{
    email: string | null;
    push: string | null;
    lang: string;
    tokens: string;
    confirmedAt: number | null;
  }>(sql`SELECT email, push, lang, tokens, confirmed_at AS confirmedAt FROM follows WHERE id = ${id}`);
  if (!row) return null;
  const open = (field: string, v: string) => openContact(key, id, `follow_${field}`, v);
  const tokens = JSON.parse(await open("tokens", row.tokens)) as { confirm: string; unsubscribe: string };
  const base = `${publicUrl.replace(/\/+$/, "")}/api/follows`;
  return {
    email: row.email === null ? null : await open("email", row.email),
    push: row.push === null ? null : JSON.parse(await open("push", row.push)),
    lang: row.lang,
    confirmed: row.confirmedAt !== null,
    confirmUrl: `${base}/confirm?token=${tokens.confirm}`,
    unsubscribeUrl: `${base}/unsubscribe?token=${tokens.unsubscribe}`,
  };
}
