import { sql } from "drizzle-orm";
import type { Db } from "../db/client";

const HOUR_MS = 3_600_000;

/**
 * Whether this round takes the hour's housekeeping: true for one round an hour across every
 * process and isolate sharing the database (the one whose write claims `key` in `settings`).
 * Work that reads past rows it keeps (contacts of problems still worked on) runs so, not every
 * round.
 */
export async function claimHour(db: Db, key: string, now: number): Promise<boolean> {
  const [last] = await db.all<{ value: string }>(sql`SELECT value FROM settings WHERE key = ${key}`);
  if (last && Number(last.value) > now - HOUR_MS) return false;
  const claimed = await db.all(sql`INSERT INTO settings (key, value) VALUES (${key}, ${String(now)})
    ON CONFLICT (key) DO UPDATE SET value = excluded.value
      WHERE CAST(settings.value AS INTEGER) <= ${now - HOUR_MS}
    RETURNING key`);
  return claimed.length > 0;
}
