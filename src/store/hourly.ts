import { sql } from "drizzle-orm";
import type { Db } from "../db/client";

const HOUR_MS = 3_600_000;

/**
 * Whether this round takes the hour's housekeeping: true for one round an hour across every
 * process and isolate sharing the database (the one whose write claims `key` in `settings`).
 * Work that reads past rows it keeps (contacts of problems still worked on) runs so, not every
 * round.
 *
 * A claim stamped more than an hour ahead was made by a clock running fast: it is taken over, or
 * one such process would stop the housekeeping everywhere until real time caught up. Processes
 * whose clocks differ by an hour or more then each claim every round (once a minute): the
 * housekeeping only deletes what is due, so it runs sooner, never wrongly.
 */
export async function claimHour(db: Db, key: string, now: number): Promise<boolean> {
  const [last] = await db.all<{ value: string }>(sql`SELECT value FROM settings WHERE key = ${key}`);
  if (last && Math.abs(Number(last.value) - now) < HOUR_MS) return false;
  const claimed = await db.all(sql`INSERT INTO settings (key, value) VALUES (${key}, ${String(now)})
    ON CONFLICT (key) DO UPDATE SET value = excluded.value
      WHERE CAST(settings.value AS INTEGER) NOT BETWEEN ${now - HOUR_MS + 1} AND ${now + HOUR_MS - 1}
    RETURNING key`);
  return claimed.length > 0;
}
