/**
 * Follows of a cluster (no account): stored pending with sealed contact and tokens, confirmed by
 * the mailed link's token, deleted by the unsubscribe token. Tokens are looked up by hash only.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { openContact, sealContact } from "../domain/contact-seal";
import { hmacSha256Hex, sha256Hex } from "../domain/crypto";
import { newId, newSecret } from "../domain/ids";
import { siteOf } from "../domain/links";
import { mailboxForm } from "../domain/mailbox";
import { publicStatus } from "../domain/public-status";
import { normalEmail } from "../domain/reporter";
import type { ClusterState, WorkOrderStatus } from "../domain/states";
import type { FollowInput, PushSubscriptionJson } from "../schemas/follow";
import { queueConfirmation } from "./messages";
import { nameThePoint } from "./places";
import { dropUnsentMessages } from "./writes";

const seal = (key: string, id: string, field: string, value: string) =>
  sealContact(key, id, `follow_${field}`, value);

/** The keyed hash finding one address's follows: one spelling, so `A@x.org` and `a@x.org` are one. */
const emailHash = (key: string, email: string) => hmacSha256Hex(key, `follow-email/${mailboxForm(email)}`);

/** The keyed hash of the mailbox an address reaches: its tags and (Gmail's) dots are one mailbox's. */
const mailboxHash = (key: string, email: string) =>
  hmacSha256Hex(key, `follow-mailbox/${normalEmail(email)}`);

/**
 * Stores a pending follow of an existing cluster and queues its confirmation: its id, the id of
 * the address's follow of that cluster when there is one already (whose confirmation is sent
 * again if still pending), or null when there is no such cluster. Its tokens are sealed for the
 * mailer (`followMail`); the caller is never given them.
 */
export async function addFollow(db: Db, key: string, clusterId: string, input: FollowInput, now: number) {
  const id = newId();
  const tokens = { confirm: newSecret("fc"), unsubscribe: newSecret("fu") };
  const [email, push, sealedTokens, confirmHash, unsubscribeHash, hash, mailbox] = await Promise.all([
    input.email === undefined ? null : seal(key, id, "email", input.email),
    input.push === undefined ? null : seal(key, id, "push", JSON.stringify(input.push)),
    seal(key, id, "tokens", JSON.stringify(tokens)),
    sha256Hex(tokens.confirm),
    sha256Hex(tokens.unsubscribe),
    input.email === undefined ? null : emailHash(key, input.email),
    input.email === undefined ? null : mailboxHash(key, input.email),
  ]);
  // One batch: the cluster's existence is checked by the insert itself, the address's follow
  // of the cluster found by the unique index, and the confirmation queued with the follow, so
  // neither is ever kept without the other.
  const same = hash === null ? sql`id = ${id}` : sql`cluster_id = ${clusterId} AND email_hash = ${hash}`;
  const [, , found] = await db.batch([
    db.run(sql`
      INSERT INTO follows (id, cluster_id, email, push, email_hash, mailbox_hash, lang, confirm_hash, unsubscribe_hash, tokens, created_at)
      SELECT ${id}, id, ${email}, ${push}, ${hash}, ${mailbox}, ${input.lang}, ${confirmHash}, ${unsubscribeHash}, ${sealedTokens}, ${now}
      FROM clusters WHERE id = ${clusterId}
      ON CONFLICT DO NOTHING`),
    queueConfirmation(db, same, now),
    db.all<{ id: string }>(sql`SELECT id FROM follows WHERE ${same}`),
  ]);
  return (found as unknown as { id: string }[])[0]?.id ?? null;
}

/** Confirms the follow whose confirmation token this is (again: no change); its cluster, or null. */
export async function confirmFollow(db: Db, token: string, now: number) {
  const hash = await sha256Hex(token);
  const [row] = await db.all<{ clusterId: string }>(sql`
    UPDATE follows SET confirmed_at = coalesce(confirmed_at, ${now})
    WHERE confirm_hash = ${hash} RETURNING cluster_id AS clusterId`);
  return row?.clusterId ?? null;
}

/**
 * The follow a mailed link's token names, as it is: its cluster, language and whether it is
 * confirmed; null when no follow has it. Reads only: opening a link (GET) changes nothing.
 */
export async function followOfToken(db: Db, link: "confirm" | "unsubscribe", token: string) {
  const hash = await sha256Hex(token);
  const column = link === "confirm" ? sql`confirm_hash` : sql`unsubscribe_hash`;
  const [row] = await db.all<{ cluster: string; lang: string; confirmedAt: number | null }>(sql`
    SELECT cluster_id AS cluster, lang, confirmed_at AS confirmedAt FROM follows WHERE ${column} = ${hash}`);
  if (!row) return null;
  return {
    cluster: row.cluster,
    lang: row.lang === "zh" ? ("zh" as const) : ("en" as const),
    status: row.confirmedAt === null ? ("pending" as const) : ("confirmed" as const),
  };
}

/** Ends the follow whose unsubscribe token this is, deleting its contact and unsent messages; false if none. */
export async function endFollow(db: Db, token: string) {
  const hash = await sha256Hex(token);
  const [, , ended] = await db.batch([
    ...dropUnsentMessages(db, sql`follow_id IN (SELECT id FROM follows WHERE unsubscribe_hash = ${hash})`),
    db.all<{ id: string }>(sql`DELETE FROM follows WHERE unsubscribe_hash = ${hash} RETURNING id`),
  ]);
  return (ended as unknown as unknown[]).length > 0;
}

/** The address's follows (its hash is the one of the follow whose unsubscribe token this is). */
const sameAddress = (hash: string, column = sql`email_hash`) => sql`${column} = (SELECT x.email_hash
  FROM follows x WHERE x.unsubscribe_hash = ${hash} AND x.email_hash IS NOT NULL)`;

interface AddressFollowRow {
  cluster: string;
  confirmedAt: number | null;
  lang: string;
  own: number;
  service: string;
  serviceEn: string;
  serviceZh: string;
  lat: number;
  lon: number;
  state: ClusterState;
  workOrderStatus: WorkOrderStatus | null;
}

/**
 * Every follow of the address that received this unsubscribe token (any of its mails' links),
 * oldest first: the cluster, its service, the nearest named place, the problem's public status and
 * whether the follow is confirmed; with the language of the token's own follow. Null when the
 * token is unknown. Never the address itself.
 */
export async function followsOfAddress(db: Db, token: string) {
  const hash = await sha256Hex(token);
  const rows = await db.all<AddressFollowRow>(sql`
    SELECT f.cluster_id AS cluster, f.confirmed_at AS confirmedAt, f.lang, f.unsubscribe_hash = ${hash} AS own,
      c.service_code AS service, s.name_en AS serviceEn, s.name_zh AS serviceZh, c.lat, c.lon, c.state,
      w.status AS workOrderStatus
    FROM follows f JOIN clusters c ON c.id = f.cluster_id JOIN services s ON s.code = c.service_code
    LEFT JOIN work_orders w ON w.cluster_id = c.id
    WHERE f.unsubscribe_hash = ${hash} OR ${sameAddress(hash, sql`f.email_hash`)} ORDER BY f.created_at, f.rowid`);
  const own = rows.find((r) => r.own);
  if (!own) return null;
  const follows = await Promise.all(
    rows.map(async (r) => {
      const { label } = await nameThePoint(db, r);
      return {
        cluster: r.cluster,
        status: r.confirmedAt === null ? ("pending" as const) : ("confirmed" as const),
        service: { code: r.service, en: r.serviceEn, zh: r.serviceZh },
        place: label.en && label.zh ? { en: label.en, zh: label.zh } : null,
        problem: publicStatus(r.state, r.workOrderStatus),
      };
    }),
  );
  return { lang: own.lang === "zh" ? ("zh" as const) : ("en" as const), follows };
}

/**
 * Ends the address's follow of one cluster (the token's own or another of the address's), deleting
 * it and its unsent messages. Null when the token is unknown; else whether a follow ended and the
 * token that still manages what is left: the same one, or (its own follow gone) the unsubscribe
 * token of a remaining follow of the address, opened with the contact key; null when none is left.
 */
export async function endFollowOfAddress(db: Db, key: string, token: string, clusterId: string) {
  const hash = await sha256Hex(token);
  const [own] = await db.all<{ emailHash: string | null }>(
    sql`SELECT email_hash AS emailHash FROM follows WHERE unsubscribe_hash = ${hash}`,
  );
  if (!own) return null;
  // The address's hash read first: the statements below may delete the token's own follow.
  const mine = own.emailHash === null ? sql`unsubscribe_hash = ${hash}` : sql`email_hash = ${own.emailHash}`;
  const ids = sql`SELECT id FROM follows WHERE cluster_id = ${clusterId} AND ${mine}`;
  const [, , ended, [left]] = await db.batch([
    ...dropUnsentMessages(db, sql`follow_id IN (${ids})`),
    db.all<{ id: string }>(sql`DELETE FROM follows WHERE id IN (${ids}) RETURNING id`),
    db.all<{ id: string; email: string | null; push: string | null; tokens: string; own: number }>(
      sql`SELECT id, email, push, tokens, unsubscribe_hash = ${hash} AS own FROM follows WHERE ${mine}
        ORDER BY unsubscribe_hash = ${hash} DESC, created_at LIMIT 1`,
    ),
  ]);
  const next = !left ? null : left.own ? token : (await openFollow(key, left.id, left)).tokens.unsubscribe;
  return { ended: (ended as unknown as unknown[]).length > 0, next };
}

/** Days a follow waits to be confirmed before it and the address someone typed are deleted. */
export const UNCONFIRMED_FOLLOW_DAYS = 30;

/**
 * Deletes the follows nobody confirmed within `UNCONFIRMED_FOLLOW_DAYS` of their last asking
 * (asked again, a follow's days start over), with their unsent messages and those messages' logged
 * attempts: an address typed but never confirmed (often a stranger's) is not kept for ever. Found
 * through their own index (`follows_unconfirmed`): a round with none to sweep costs that probe.
 */
export async function sweepUnconfirmedFollows(db: Db, now: number): Promise<number> {
  const since = now - UNCONFIRMED_FOLLOW_DAYS * 86_400_000;
  const old = await db.all<{ id: string }>(sql`SELECT id FROM follows f WHERE confirmed_at IS NULL
      AND created_at < ${since}
      AND NOT EXISTS (SELECT 1 FROM outbox o WHERE o.follow_id = f.id AND o.message = 'confirm'
        AND o.created_at >= ${since})
    LIMIT 500`);
  if (old.length === 0) return 0;
  // Still unconfirmed as the batch runs: one confirmed since it was read is kept, with its messages.
  const ids = sql`SELECT id FROM follows WHERE confirmed_at IS NULL
    AND id IN (SELECT value FROM json_each(${JSON.stringify(old.map((r) => r.id))}))`;
  const [, , swept] = await db.batch([
    ...dropUnsentMessages(db, sql`follow_id IN (${ids})`),
    db.all<{ id: string }>(sql`DELETE FROM follows WHERE id IN (${ids}) RETURNING id`),
  ]);
  return (swept as unknown as unknown[]).length;
}

/**
 * The statements ending the follows of a problem (the one report `reportId` is on) asked for with
 * any of these addresses, with their unsent messages: a reporter deleting how to reach them ends
 * the "tell me what happens" their report asked for too.
 */
export async function endFollowsOfAddresses(db: Db, key: string, reportId: string, emails: string[]) {
  if (emails.length === 0) return [];
  const hashes = JSON.stringify(await Promise.all(emails.map((e) => emailHash(key, e))));
  const ids = sql`SELECT id FROM follows WHERE cluster_id = (SELECT cluster_id FROM reports WHERE id = ${reportId})
    AND email_hash IN (SELECT value FROM json_each(${hashes}))`;
  return [
    ...dropUnsentMessages(db, sql`follow_id IN (${ids})`),
    db.run(sql`DELETE FROM follows WHERE id IN (${ids})`),
  ];
}

/** Ends every follow of that address (and the token's own), deleting them; how many ended. */
export async function endAllFollows(db: Db, token: string) {
  const hash = await sha256Hex(token);
  const ids = sql`SELECT id FROM follows WHERE unsubscribe_hash = ${hash} OR ${sameAddress(hash)}`;
  const [, , ended] = await db.batch([
    ...dropUnsentMessages(db, sql`follow_id IN (${ids})`),
    db.all<{ id: string }>(sql`DELETE FROM follows WHERE id IN (${ids}) RETURNING id`),
  ]);
  return (ended as unknown as unknown[]).length;
}

/** The links of a follow's messages, from its opened tokens. */
export function followLinks(
  publicUrl: string,
  clusterId: string,
  tokens: { confirm: string; unsubscribe: string },
) {
  const site = siteOf(publicUrl);
  const base = `${site}/api/follows`;
  return {
    page: `${site}/c/${clusterId}`,
    confirm: `${base}/confirm?token=${tokens.confirm}`,
    unsubscribe: `${base}/unsubscribe?token=${tokens.unsubscribe}`,
    manage: `${base}/manage?token=${tokens.unsubscribe}`,
  };
}

/** A follow's sealed fields opened (for the mailer only): its address, subscription and tokens. */
export async function openFollow(
  key: string,
  id: string,
  row: { email: string | null; push: string | null; tokens: string },
) {
  const open = (field: string, v: string) => openContact(key, id, `follow_${field}`, v);
  return {
    email: row.email === null ? null : await open("email", row.email),
    push: row.push === null ? null : (JSON.parse(await open("push", row.push)) as PushSubscriptionJson),
    tokens: JSON.parse(await open("tokens", row.tokens)) as { confirm: string; unsubscribe: string },
  };
}

/**
 * What the mailer needs for one follow: the opened address, push subscription, language and both
 * links (never for a public answer). Null when the follow has ended.
 */
export async function followMail(db: Db, key: string, id: string, publicUrl: string) {
  const [row] = await db.all<{
    clusterId: string;
    email: string | null;
    push: string | null;
    lang: string;
    tokens: string;
    confirmedAt: number | null;
  }>(sql`SELECT cluster_id AS clusterId, email, push, lang, tokens, confirmed_at AS confirmedAt
    FROM follows WHERE id = ${id}`);
  if (!row) return null;
  const opened = await openFollow(key, id, row);
  const links = followLinks(publicUrl, row.clusterId, opened.tokens);
  return {
    email: opened.email,
    push: opened.push,
    lang: row.lang,
    confirmed: row.confirmedAt !== null,
    confirmUrl: links.confirm,
    unsubscribeUrl: links.unsubscribe,
    manageUrl: links.manage,
  };
}
