/**
 * The reporter-key secret on Node: REPORTER_KEY_SECRET, or else `reporter.key` beside a local
 * database file. It keys the hashes that tell reporters apart (a phone number, an e-mail, a
 * network), their receipts and the device credentials. Kept in the database, as it was until
 * 2026-12-06, a copy of the database alone let anyone try every mobile number or network against
 * those hashes; the first start of this release moves it out. A remote database (`libsql://`,
 * which a Worker may share) keeps it in its `settings`, where the Worker reads it.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { newId } from "../domain/ids";
import type { Env } from "../env";
import { settingOrCreate } from "../store/settings";
import { readKeyFile, writeKeyFileOnce } from "./key-files";
import { besideDatabase } from "./paths";

const SETTING = "reporter_key_secret";
/** Says the secret went to a file: a database restored without that file is then refused. */
const IN_FILE = "reporter_key_secret_in_file";

const settingOf = async (db: Db, key: string) =>
  (await db.all<{ value: string }>(sql`SELECT value FROM settings WHERE key = ${key}`))[0]?.value ?? null;

export async function reporterSecretOf(
  env: Pick<Env, "DATABASE_URL" | "REPORTER_KEY_SECRET">,
  db: Db,
  log: (line: string) => void,
): Promise<string> {
  if (env.REPORTER_KEY_SECRET) return env.REPORTER_KEY_SECRET;
  if (!env.DATABASE_URL.startsWith("file:") || env.DATABASE_URL.includes(":memory:"))
    return settingOrCreate(db, SETTING, newId);
  const file = besideDatabase(env, "reporter.key");
  const kept = await settingOf(db, SETTING);
  let secret = await readKeyFile(file);
  if (secret === null) {
    // A new secret would count every resident afresh and end every receipt and credential.
    if (kept === null && (await settingOf(db, IN_FILE)) !== null)
      throw new Error(
        `${file} is missing, yet this database's reporters were told apart with the secret kept there: put back the reporter.key kept with it, or set REPORTER_KEY_SECRET (a new one would count every resident afresh and end every receipt)`,
      );
    secret = await writeKeyFileOnce(file, kept ?? newId(), () =>
      log(
        kept === null
          ? `REPORTER_KEY_SECRET was not set; reporters are told apart with the secret made in ${file}: keep it, apart from backups`
          : `The reporter-key secret moved out of the database into ${file}: keep it, apart from backups`,
      ),
    );
  }
  if (kept !== null && kept !== secret) {
    // Another database's file in the same folder, say: this database's own secret is never changed.
    log(
      `WARNING: ${file} holds another reporter-key secret than this database's; the database's is used and left where it is (one database per folder keeps its files apart)`,
    );
    return kept;
  }
  // Out of the database once it is on the disk (again, should a start have stopped between the two).
  await db.batch([
    db.run(sql`INSERT INTO settings (key, value) VALUES (${IN_FILE}, ${file}) ON CONFLICT DO NOTHING`),
    db.run(sql`DELETE FROM settings WHERE key = ${SETTING}`),
  ]);
  return secret;
}
