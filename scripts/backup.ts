/**
 * `npm run backup -- DIR`: a consistent copy of the database and the photos into DIR, taken while
 * the service runs (see `src/node/backup.ts`). Reads DATABASE_URL and PHOTOS_DIR as the server does.
 */
import { existsSync } from "node:fs";
import { parseEnv } from "../src/env";
import { BackupError, backup } from "../src/node/backup";
import { besideDatabase, photosDirOf } from "../src/node/paths";
import { userPath } from "./user-path";

const given = process.argv[2];
if (!given) {
  console.error("usage: npm run backup -- DIR");
  process.exit(2);
}
const dir = userPath(given);
const env = parseEnv(process.env);
const done = await backup({ databaseUrl: env.DATABASE_URL, photosDir: photosDirOf(env), dir }).catch(
  (e: unknown) => {
    // A refusal is said in its words alone; anything else keeps its stack, for a bug report.
    if (!(e instanceof BackupError)) throw e;
    console.error(`backup refused: ${e.message}`);
    process.exit(1);
  },
);
console.log(JSON.stringify({ dir, ...done }));
// The key stays out of the folder on purpose (a stolen backup must not open the contacts): said
// at each backup, so it is kept somewhere, since a restore without it loses them.
if (!env.CONTACT_KEY)
  console.error(
    `Not in the backup: ${besideDatabase(env, "contact.key")}, which opens residents' contacts. Keep a copy of it apart from the backups.`,
  );
if (!env.REPORTER_KEY_SECRET && existsSync(besideDatabase(env, "reporter.key")))
  console.error(
    `Not in the backup: ${besideDatabase(env, "reporter.key")}, which tells reporters apart and makes their receipts. Keep a copy of it apart from the backups: a restore needs it.`,
  );
