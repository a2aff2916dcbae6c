import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { keyOpens, openContact, sealContact, sealedValue } from "../domain/contact-seal";
import { hmacSha256Hex, timingSafeEqual } from "../domain/crypto";
import { endFollowsOfAddresses } from "./follows";
import { type AuditEntry, auditAlong, dropUnsentMessages } from "./writes";

/**
 * A report's contact details, opened with the contact key (for staff follow-up; never for a
 * public answer): `reporterContact` without the app's device id. Null when there is no such report.
 */
export async function contactOf(db: Db, key: string, reportId: string) {
  const kept = await reporterContact(db, key, reportId);
  return kept && { name: kept.name, email: kept.email, phone: kept.phone };
}

/** The "is it fixed?" questions not yet sent to these reports. */
const dropUnsentQuestions = (db: Db, reports: SQL) =>
  dropUnsentMessages(db, sql`report_id IN (${reports}) AND message = 'ask'`);

/**
 * The one report a receipt opens. Not the other reports its reporter key filed on the problem:
 * that key may be a network's (neighbours behind one carrier's NAT) or an e-mail or phone typed
 * without proof, so it would have let one resident's receipt rewrite or erase another's contact.
 */
const onlyReport = (reportId: string) => sql`SELECT id FROM reports WHERE id = ${reportId}`;

/**
 * The proof, in an "is it fixed?" mail's unsubscribe link, that its reader holds the address the
 * mail went to: a keyed hash of the report and that address's mailbox key. The receipt alone does
 * not prove it: a reporter may type someone else's address on their own report.
 */
export async function mailboxProof(secret: string, reportId: string, mailbox: string): Promise<string> {
  return `mbx_${(await hmacSha256Hex(secret, `mailbox:${reportId}:${mailbox}`)).slice(0, 48)}`;
}

/**
 * The reports an unsubscribe reaches. With the mail's proof (`mailboxProof`) of the address the
 * report keeps, every report of the problem that keeps that address (a second report with it would
 * otherwise be asked next time); without it, or with a proof of an address since corrected, only
 * the receipt's own report.
 */
async function unsubscribed(db: Db, secret: string, reportId: string, proof: string | undefined) {
  const [row] = proof
    ? await db.all<{ mailbox: string | null }>(
        sql`SELECT contact_mailbox AS mailbox FROM reports WHERE id = ${reportId}`,
      )
    : [];
  const mailbox = row?.mailbox;
  if (!mailbox || !proof || !timingSafeEqual(proof, await mailboxProof(secret, reportId, mailbox)))
    return onlyReport(reportId);
  return sql`SELECT id FROM reports WHERE cluster_id = (SELECT cluster_id FROM reports WHERE id = ${reportId})
    AND (id = ${reportId} OR contact_mailbox = ${mailbox})`;
}

/**
 * Whether `forgetReportEmail` would delete an address: a report it reaches still keeps one. Reads
 * only (the unsubscribe link opened with GET).
 */
export async function reportEmailKept(
  db: Db,
  secret: string,
  reportId: string,
  proof: string | undefined,
): Promise<boolean> {
  const [row] = await db.all(sql`SELECT 1 FROM reports
    WHERE id IN (${await unsubscribed(db, secret, reportId, proof)}) AND contact_email IS NOT NULL LIMIT 1`);
  return row !== undefined;
}

/**
 * A reporter's "no more questions" (the unsubscribe link of the "is it fixed?" mail): the e-mail
 * address is deleted from the reports `unsubscribed` reaches, and with it the questionnaires not
 * yet sent, in one batch. True when there was an address to delete (false: the link opened again).
 */
export async function forgetReportEmail(
  db: Db,
  secret: string,
  reportId: string,
  proof: string | undefined,
): Promise<boolean> {
  const reached = await unsubscribed(db, secret, reportId, proof);
  const [, , deleted] = await db.batch([
    ...dropUnsentQuestions(db, reached),
    db.run(sql`UPDATE reports SET contact_email = NULL, contact_mailbox = NULL
      WHERE id IN (${reached}) AND contact_email IS NOT NULL`),
  ]);
  return deleted.rowsAffected > 0;
}

/**
 * A reporter's "forget how to reach me" (their right to have it deleted): the name, e-mail,
 * phone and app's device id kept with the receipt's report, its questionnaires not yet sent, and
 * the follows of the problem its address asked for (opened with `key`, the contact key: "tell me
 * what happens" with a report is a follow), in one batch. The report itself stays (a problem's
 * count and its timeline are the city's record); who they were stays only as the keyed hash that
 * counts them once. Another report of theirs is erased with its own receipt. True when there was
 * something to delete.
 */
export async function eraseReporterContact(db: Db, reportId: string, key?: string | null): Promise<boolean> {
  const [erased] = await db.batch((await erasure(db, onlyReport(reportId), key)) as unknown as Updates);
  return erased.rowsAffected > 0;
}

/**
 * A hotline caller's "forget how to reach me", asked on the phone: as `eraseReporterContact`,
 * over every report filed under their number (`reporterKeys`, the number's keyed forms; by the
 * desk, or by an app with the number as the reporter's strongest detail), with the staff member's
 * entry in the trail, in one batch. Returns how many reports kept something.
 */
export async function eraseCallerContacts(
  db: Db,
  reporterKeys: string[],
  key: string | null | undefined,
  now: number,
  audit: AuditEntry,
): Promise<number> {
  const reports = sql`SELECT id FROM reports
    WHERE reporter_key IN (SELECT value FROM json_each(${JSON.stringify(reporterKeys)}))`;
  const [erased] = await db.batch([
    ...(await erasure(db, reports, key)),
    ...auditAlong(db, audit, now),
  ] as unknown as Updates);
  return erased.rowsAffected;
}

/**
 * The statements deleting what `reports` (a query of report ids) keep to reach their reporters,
 * the questions not yet sent to them, and the follows of their problems their addresses asked
 * for (opened with `key`, the contact key: "tell me what happens" with a report is a follow).
 * The first statement's count is the reports that kept something.
 */
async function erasure(db: Db, reports: SQL, key: string | null | undefined) {
  const emails = key
    ? await db.all<{ id: string; email: string }>(
        sql`SELECT id, contact_email AS email FROM reports WHERE id IN (${reports}) AND contact_email IS NOT NULL`,
      )
    : [];
  const follows = [];
  for (const r of emails) {
    const opened = await openContact(key as string, r.id, "contact_email", r.email);
    follows.push(...(await endFollowsOfAddresses(db, key as string, r.id, [opened])));
  }
  return [
    db.run(sql`UPDATE reports SET contact_name = NULL, contact_email = NULL, contact_phone = NULL, device_id = NULL,
        contact_mailbox = NULL
      WHERE id IN (${reports}) AND coalesce(contact_name, contact_email, contact_phone, device_id) IS NOT NULL`),
    ...dropUnsentQuestions(db, reports),
    ...follows,
  ];
}

/** The columns a report keeps its reporter's private details in, as `reporterContact` names them. */
const CONTACT_COLUMNS = {
  name: "contact_name",
  email: "contact_email",
  phone: "contact_phone",
  deviceId: "device_id",
} as const;
type ContactField = keyof typeof CONTACT_COLUMNS;

/**
 * What a report keeps to reach its reporter (name, e-mail, phone, the app's device id), opened:
 * for the reporter's own eyes (their right to see what is held). `key`: the contact key (null
 * where none is kept, as on a Worker without one: then nothing is). Null when there is no report.
 */
export async function reporterContact(db: Db, key: string | null | undefined, reportId: string) {
  const [row] = await db.all<Record<(typeof CONTACT_COLUMNS)[ContactField], string | null>>(
    sql`SELECT contact_name, contact_email, contact_phone, device_id FROM reports WHERE id = ${reportId}`,
  );
  if (!row) return null;
  const open = async (field: ContactField) => {
    const sealed = row[CONTACT_COLUMNS[field]];
    if (sealed === null || key === null) return null;
    return key === undefined ? sealed : openContact(key, reportId, CONTACT_COLUMNS[field], sealed);
  };
  return {
    name: await open("name"),
    email: await open("email"),
    phone: await open("phone"),
    deviceId: await open("deviceId"),
  };
}

/** A correction: each field given replaces what is kept, null deletes it. */
export type ContactCorrection = Partial<Record<"name" | "email" | "phone", string | null>>;

/**
 * A reporter's correction of how to reach them (their right to have it put right), on the
 * receipt's report, as their deletion is, in one batch: each value sealed for the report, the
 * e-mail's mailbox key (`mailbox`, made from the new address; null to delete it) kept
 * with it, and the "is it fixed?" questions not yet sent dropped when the address goes. Who
 * they are, their reporter key, stays as it was.
 */
export async function correctReporterContact(
  db: Db,
  key: string | undefined,
  reportId: string,
  correction: ContactCorrection,
  mailbox: string | null | undefined,
) {
  const fields = (["name", "email", "phone"] as const).filter((f) => correction[f] !== undefined);
  if (fields.length === 0) return;
  const sealed = await Promise.all(
    fields.map((f) => sealedValue(key, reportId, CONTACT_COLUMNS[f], correction[f])),
  );
  const set = fields.map((f, j) => sql`${sql.raw(CONTACT_COLUMNS[f])} = ${sealed[j] ?? null}`);
  if (mailbox !== undefined) set.push(sql`contact_mailbox = ${mailbox}`);
  await db.batch([
    db.run(sql`UPDATE reports SET ${sql.join(set, sql`, `)} WHERE id = ${reportId}`),
    ...(correction.email === null ? dropUnsentQuestions(db, onlyReport(reportId)) : []),
  ] as unknown as Updates);
}

/**
 * One value sealed with the contact key (the latest report's e-mail, else name or phone), to check
 * at start that the key opens what is stored; null when nothing is sealed yet.
 */
export async function sealedContactSample(db: Db) {
  // One walk from the newest report back, ending at the first sealed value (found at once in a
  // city whose residents leave contacts).
  const [row] = await db.all<{
    id: string;
    field: string;
    sealed: string;
  }>(sql`SELECT id,
      CASE WHEN contact_email LIKE 'v1.%' THEN 'contact_email'
        WHEN contact_name LIKE 'v1.%' THEN 'contact_name' ELSE 'contact_phone' END AS field,
      CASE WHEN contact_email LIKE 'v1.%' THEN contact_email
        WHEN contact_name LIKE 'v1.%' THEN contact_name ELSE contact_phone END AS sealed
    FROM reports
    WHERE contact_email LIKE 'v1.%' OR contact_name LIKE 'v1.%' OR contact_phone LIKE 'v1.%'
    ORDER BY rowid DESC LIMIT 1`);
  return row ?? null;
}

/** Rows sealed per batch by `sealStoredContacts`. */
const SEAL_PAGE = 500;
const SEALED_SETTING = "contacts_sealed_at_rest";
const REPORT_FIELDS = ["device_id", "contact_name", "contact_email", "contact_phone"] as const;
const unsealed = (column: string) => `(${column} IS NOT NULL AND ${column} NOT LIKE 'v1.%')`;

/** Rows changed by a batch of updates. */
const written = (results: readonly unknown[]) =>
  results.reduce<number>((n, r) => n + ((r as { rowsAffected?: number }).rowsAffected ?? 0), 0);

type Updates = Parameters<Db["batch"]>[0];

/**
 * Seals what was stored in the clear before contacts were sealed at rest (a database upgraded
 * from a release without it): reporters' contacts, device ids and rating comments, which would
 * otherwise stay readable in the database and every backup of it for good. Once, then noted in
 * `settings`; not with a key that does not open what is sealed already (a mistyped key would
 * lock them away for good); in rowid order, a page at a time; each row written only if it still
 * holds what was read. Returns the rows sealed.
 */
export async function sealStoredContacts(db: Db, key: string): Promise<number> {
  const [done] = await db.all(sql`SELECT 1 FROM settings WHERE key = ${SEALED_SETTING}`);
  if (done) return 0;
  const sample = await sealedContactSample(db);
  if (sample && !(await keyOpens(key, sample.id, sample.field, sample.sealed))) return 0;
  const seal = (id: string, field: string, v: string | null) =>
    v === null || v.startsWith("v1.") ? v : sealContact(key, id, field, v);
  let count = 0;
  for (let after = 0; ; ) {
    const rows = await db.all<Record<(typeof REPORT_FIELDS)[number] | "id", string | null> & { rid: number }>(
      sql.raw(`SELECT rowid AS rid, id, ${REPORT_FIELDS.join(", ")} FROM reports
        WHERE rowid > ${after} AND (${REPORT_FIELDS.map(unsealed).join(" OR ")}) ORDER BY rowid LIMIT ${SEAL_PAGE}`),
    );
    if (rows.length === 0) break;
    after = (rows.at(-1) as { rid: number }).rid;
    // Sealed first, then written in one batch (a query returned from an async function would run
    // on its own as the promise adopted it).
    const sealed = await Promise.all(
      rows.map((r) => Promise.all(REPORT_FIELDS.map((f) => seal(r.id as string, f, r[f])))),
    );
    const updates = rows.map((r, i) => {
      const [deviceId, name, email, phone] = sealed[i] as (string | null)[];
      return db.run(sql`UPDATE reports SET device_id = ${deviceId}, contact_name = ${name},
        contact_email = ${email}, contact_phone = ${phone}
        WHERE id = ${r.id} AND device_id IS ${r.device_id} AND contact_name IS ${r.contact_name}
          AND contact_email IS ${r.contact_email} AND contact_phone IS ${r.contact_phone}`);
    });
    count += written(await db.batch(updates as unknown as Updates));
  }
  for (let after = 0; ; ) {
    const ratings = await db.all<{ rid: number; report_id: string; comment: string }>(
      sql.raw(`SELECT rowid AS rid, report_id, comment FROM ratings
        WHERE rowid > ${after} AND ${unsealed("comment")} ORDER BY rowid LIMIT ${SEAL_PAGE}`),
    );
    if (ratings.length === 0) break;
    after = (ratings.at(-1) as { rid: number }).rid;
    const sealed = await Promise.all(ratings.map((r) => seal(r.report_id, "rating_comment", r.comment)));
    const updates = ratings.map((r, i) =>
      db.run(sql`UPDATE ratings SET comment = ${sealed[i] ?? null}
        WHERE report_id = ${r.report_id} AND comment = ${r.comment}`),
    );
    count += written(await db.batch(updates as unknown as Updates));
  }
  await db.run(sql`INSERT INTO settings (key, value) VALUES (${SEALED_SETTING}, ${String(Date.now())})
    ON CONFLICT (key) DO NOTHING`);
  return count;
}
