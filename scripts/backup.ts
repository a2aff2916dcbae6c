/**
 * `npm run backup -- DIR`: a consistent copy of the database and the photos into DIR, taken while
 * the service runs (see `src/node/backup.ts`). Reads DATABASE_URL and PHOTOS_DIR as the server does.
 */
import { parseEnv } from "../src/env";
import { backup } from "../src/node/backup";
import { photosDirOf } from "../src/node/paths";

const dir = process.argv[2];
if (!dir) {
  console.error("usage: npm run backup -- DIR");
  process.exit(2);
}
const env = parseEnv(process.env);
const done = await backup({ databaseUrl: env.DATABASE_URL, photosDir: photosDirOf(env), dir });
console.log(JSON.stringify({ dir, ...done }));
