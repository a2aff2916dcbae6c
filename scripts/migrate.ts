/**
 * `npm run migrate`: brings the database at DATABASE_URL (with DATABASE_AUTH_TOKEN for Turso) up
 * to this release's schema with the app's own migrator, as a Node server does when it starts, and
 * says what it did. A Worker never migrates: run this before deploying a release that adds one.
 */

import { parseEnv } from "../src/env";
import { databaseName, openDatabase } from "../src/node/database";

const env = parseEnv(process.env);
// Where, without its token (in `?authToken=`) or any password in the URL.
const where = databaseName(env.DATABASE_URL).replace(/\/\/[^@/]*@/, "//");
try {
  const { client, migrations } = await openDatabase(env.DATABASE_URL, env.DATABASE_AUTH_TOKEN);
  client.close();
  console.log(
    `${where}: ${migrations.applied} migration${migrations.applied === 1 ? "" : "s"} applied now, ${migrations.total} in all`,
  );
  if (migrations.newerThanThisBuild)
    console.warn(
      "the database holds migrations newer than this release: deploy the newer release, not this one",
    );
} catch (e) {
  const cause = (e as { cause?: unknown }).cause;
  console.error(`${where}: ${(e as Error).message}${cause instanceof Error ? ` (${cause.message})` : ""}`);
  process.exitCode = 1;
}
