/**
 * `ADMIN_TOKEN`'s past values, so that a script still sending one after the operator replaced it
 * is told it has ended rather than counted as a guess (twenty such calls had locked everyone on
 * the script's network out of signing in, the new token included). Kept as digests keyed with the
 * reporter secret, which is not in the database: an operator chose the token, and a plain digest
 * in a stolen copy of the database could be guessed offline.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";

const CURRENT = "admin_token_current";
const RETIRED = "admin_token_retired";
/** Past tokens remembered: enough for a city's rotations over years. */
const KEEP = 10;

/** Records the token in use; the one it replaces becomes retired. */
export async function noteAdminToken(db: Db, digest: string): Promise<void> {
  const rows = await db.all<{ key: string; value: string }>(
    sql`SELECT key, value FROM settings WHERE key IN (${CURRENT}, ${RETIRED})`,
  );
  const current = rows.find((r) => r.key === CURRENT)?.value;
  if (current === digest) return;
  const retired = JSON.parse(rows.find((r) => r.key === RETIRED)?.value ?? "[]") as string[];
  // A token used again after others is current, no longer retired.
  const kept = [...(current ? [current] : []), ...retired.filter((d) => d !== digest && d !== current)];
  await db.batch([
    db.run(sql`INSERT INTO settings (key, value) VALUES (${CURRENT}, ${digest})
      ON CONFLICT (key) DO UPDATE SET value = excluded.value`),
    db.run(sql`INSERT INTO settings (key, value) VALUES (${RETIRED}, ${JSON.stringify(kept.slice(0, KEEP))})
      ON CONFLICT (key) DO UPDATE SET value = excluded.value`),
  ]);
}

/**
 * Whether a token's digest is one of `ADMIN_TOKEN`'s values, for a token other than the one in
 * use: the one recorded as current too, until the new one's first use records that.
 */
export async function wasAdminToken(db: Db, digest: string): Promise<boolean> {
  const rows = await db.all(sql`SELECT 1 FROM settings WHERE key = ${CURRENT} AND value = ${digest}
    UNION ALL SELECT 1 FROM settings, json_each(settings.value) AS past
      WHERE settings.key = ${RETIRED} AND past.value = ${digest}
    LIMIT 1`);
  return rows.length > 0;
}
