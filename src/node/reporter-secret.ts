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
import { hmacSha256Hex } from "../domain/crypto";
import { newId } from "../domain/ids";
import type { Env } from "../env";
import { settingOrCreate } from "../store/settings";
import { readKeyFile, writeKeyFileOnce } from "./key-files";
import { besideDatabase } from "./paths";

const SETTING = "reporter_key_secret";
/**
 * A keyed digest of the secret, kept in the database once the secret is out of it: tells this
 * database's own secret from another's file found beside it (a restore beside another city's), a
 * file lost from one gone empty, and an environment variable changed from the secret it replaced.
 */
const FINGERPRINT = "reporter_key_secret_fingerprint";

const fingerprintOf = (secret: string) => hmacSha256Hex(secret, "civicloop reporter-key secret fingerprint");

const settingOf = async (db: Db, key: string) =>
  (await db.all<{ value: string }>(sql`SELECT value FROM settings WHERE key = ${key}`))[0]?.value ?? null;

/** The fingerprint kept, and the secret out of the database where it was in it. */
const keepFingerprint = async (db: Db, secret: string, stray: boolean) => {
  await db.batch([
    db.run(sql`INSERT INTO settings (key, value) VALUES (${FINGERPRINT}, ${await fingerprintOf(secret)})
      ON CONFLICT DO NOTHING`),
    db.run(sql`DELETE FROM settings WHERE key = ${SETTING} AND (${stray ? 1 : 0} = 1 OR value = ${secret})`),
  ]);
};

export async function reporterSecretOf(
  env: Pick<Env, "DATABASE_URL" | "REPORTER_KEY_SECRET">,
  db: Db,
  log: (line: string) => void,
): Promise<string> {
  if (!env.DATABASE_URL.startsWith("file:") || env.DATABASE_URL.includes(":memory:"))
    return env.REPORTER_KEY_SECRET ?? settingOrCreate(db, SETTING, newId);
  const [kept, fingerprint] = await Promise.all([settingOf(db, SETTING), settingOf(db, FINGERPRINT)]);
  const own = async (secret: string) => fingerprint === null || fingerprint === (await fingerprintOf(secret));
  if (env.REPORTER_KEY_SECRET) {
    const secret = env.REPORTER_KEY_SECRET;
    // Against the fingerprint, or (a database of an older release) the secret it keeps.
    if (!(await own(secret)) || (fingerprint === null && kept !== null && kept !== secret))
      log(
        "WARNING: REPORTER_KEY_SECRET is not the secret this database's reporters were told apart with: every resident is counted afresh, and earlier receipts and device credentials are not honoured",
      );
    else await keepFingerprint(db, secret, false);
    return secret;
  }
  const file = besideDatabase(env, "reporter.key");
  const found = await readKeyFile(file);
  if (found === "") throw new Error(`${file} is empty: put back the reporter.key kept with this database`);
  if (kept !== null && found !== null && found !== kept) {
    // An older release made a secret of its own meanwhile (a rollback): this database's is the file's.
    if (fingerprint !== null && (await own(found))) {
      log(`WARNING: a secret an older release made in the database is dropped; ${file} is this database's`);
      await keepFingerprint(db, found, true);
      return found;
    }
    // Another database's file beside this one (an old backup restored beside another city's).
    log(
      `WARNING: ${file} holds another reporter-key secret than this database's; the database's is used and left where it is (one database per folder keeps their files apart)`,
    );
    return kept;
  }
  // Gone with its file: a secret in the database that is not the fingerprinted one is a stray an
  // older release made (a rollback), not this database's.
  if (found === null && fingerprint !== null && (kept === null || !(await own(kept))))
    throw new Error(
      `${file} is missing, yet this database's reporters were told apart with the secret kept there: put back the reporter.key kept with it, or set REPORTER_KEY_SECRET (a new one would count every resident afresh)`,
    );
  if (found !== null && !(await own(found)))
    throw new Error(
      `${file} is not this database's reporter-key secret (another database's?): put back the reporter.key kept with this database, or set REPORTER_KEY_SECRET`,
    );
  const secret =
    found ??
    (await writeKeyFileOnce(file, kept ?? newId(), () =>
      log(
        kept === null
          ? `REPORTER_KEY_SECRET was not set; reporters are told apart with the secret made in ${file}: keep it, apart from backups`
          : `The reporter-key secret moved out of the database into ${file}: keep it, apart from backups`,
      ),
    ));
  await keepFingerprint(db, secret, false);
  return secret;
}
