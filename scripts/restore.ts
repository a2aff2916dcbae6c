/**
 * `npm run restore -- DIR`: puts a backup made by `npm run backup` back as DATABASE_URL's file and
 * PHOTOS_DIR (the service stopped; an existing database file is never overwritten).
 */
import { existsSync } from "node:fs";
import { parseEnv } from "../src/env";
import { BackupError, restore } from "../src/node/backup";
import { besideDatabase, photosDirOf } from "../src/node/paths";
import { userPath } from "./user-path";

const given = process.argv[2];
if (!given) {
  console.error("usage: npm run restore -- DIR");
  process.exit(2);
}
const dir = userPath(given);
const env = parseEnv(process.env);
try {
  const { missingPhotos } = await restore({
    dir,
    databaseUrl: env.DATABASE_URL,
    photosDir: photosDirOf(env),
  });
  if (missingPhotos.length > 0)
    console.error(
      `WARNING: ${missingPhotos.length === 1 ? "1 photo" : `${missingPhotos.length} photos`} the restored reports and status changes show are not in ${dir}/photos (the first: ${missingPhotos[0]}); they will not be served. Was the backup folder copied whole?`,
    );
} catch (e) {
  // A refusal is said in its words alone; anything else keeps its stack, for a bug report.
  if (!(e instanceof BackupError)) throw e;
  console.error(`restore refused: ${e.message}`);
  process.exit(1);
}
console.log(JSON.stringify({ restored: dir, database: env.DATABASE_URL }));
// Said only where the key is not in place yet: a restore onto the same machine finds it there.
if (!env.CONTACT_KEY && !existsSync(besideDatabase(env, "contact.key")))
  console.error(
    `Put the contact.key kept with this database at ${besideDatabase(env, "contact.key")} (or set CONTACT_KEY) before starting: the server will not start without it on sealed contacts.`,
  );
if (
  !env.REPORTER_KEY_SECRET &&
  env.DATABASE_URL.startsWith("file:") &&
  !existsSync(besideDatabase(env, "reporter.key"))
)
  console.error(
    `Put the reporter.key kept with this database at ${besideDatabase(env, "reporter.key")} (or set REPORTER_KEY_SECRET) before starting: the server will not start without it on a database that kept it there (a backup made before 2026-12-06 holds it in the database, and needs none).`,
  );
