import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { openContact } from "../domain/contact-seal";

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
