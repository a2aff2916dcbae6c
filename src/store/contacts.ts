import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { openContact } from "../domain/contact-seal";
import { outboxState } from "./status-sql";

type Field = "name" | "email" | "phone";

/**
 * A report's contact details, opened with the contact key (for staff follow-up; never for a
 * public answer). Null when there is no such report.
 */
export async function contactOf(db: Db, key: string, reportId: string) {
  const [row] = await db.all<Record<`contact_${Field}`, string | null>>(
    sql`SELECT contact_name, contact_email, contact_phone FROM reports WHERE id = ${reportId}`,
  );
  if (!row) return null;
  const open = (field: Field) => {
    const sealed = row[`contact_${field}`];
    return sealed === null ? null : openContact(key, reportId, `contact_${field}`, sealed);
  };
  return { name: await open("name"), email: await open("email"), phone: await open("phone") };
}

/** The reports the reporter of `reportId` filed on the same problem (itself included). */
const reportsOfSameReporter = (reportId: string) => sql`SELECT r.id FROM reports r JOIN reports o
    ON o.id = ${reportId} AND r.cluster_id = o.cluster_id AND r.reporter_key = o.reporter_key`;

/**
 * Whether `forgetReportEmail` would delete an address: one of the reporter's reports of the
 * problem still keeps one. Reads only (the unsubscribe link opened with GET).
 */
export async function reportEmailKept(db: Db, reportId: string): Promise<boolean> {
  const [row] = await db.all(sql`SELECT 1 FROM reports
    WHERE id IN (${reportsOfSameReporter(reportId)}) AND contact_email IS NOT NULL LIMIT 1`);
  return row !== undefined;
}

/**
 * A reporter's "no more questions" (the unsubscribe link of the "is it fixed?" mail): the e-mail
 * address is deleted from every report this reporter filed on the problem (a second report with
 * the same address would otherwise be asked next time), and with it the questionnaires not yet
 * sent, in one batch. True when there was an address to delete (false: the link opened again).
 */
export async function forgetReportEmail(db: Db, reportId: string): Promise<boolean> {
  const sameReporter = reportsOfSameReporter(reportId);
  const [deleted] = await db.batch([
    db.run(sql`UPDATE reports SET contact_email = NULL
      WHERE id IN (${sameReporter}) AND contact_email IS NOT NULL`),
    db.run(sql`DELETE FROM outbox WHERE report_id IN (${sameReporter}) AND message = 'ask'
      AND state = ${outboxState("pending")}`),
  ]);
  return deleted.rowsAffected > 0;
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
