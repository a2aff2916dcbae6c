/**
 * `npm run sample`: adds a realistic spread of sample reports to the database named by
 * DATABASE_URL (default: the one `npm start` uses); `-- --clusters N [--departments N]` fills N
 * synthetic clusters instead, fast, for the map at scale. Safe to run while the service runs.
 */
import { parseEnv } from "../src/env";
import { openDatabase } from "../src/node/database";
import { loadDemoCity } from "../src/seed/demo-city";
import { addSampleClusters } from "../src/seed/sample-clusters";
import { addSampleReports, flagPassedDeadlines } from "../src/seed/sample-reports";

const env = parseEnv(process.env);
const flag = process.argv.indexOf("--clusters");
if (flag > 0) {
  // `npm run sample -- --clusters N`: N synthetic clusters, fast, for the map at scale.
  const count = Number(process.argv[flag + 1]);
  if (!Number.isInteger(count) || count < 1)
    throw new Error("--clusters needs a whole number, e.g. --clusters 1000000");
  // `--departments N`: N more departments, a grid of areas over the region, given the work orders.
  const grid = process.argv.indexOf("--departments");
  const departments = grid > 0 ? Number(process.argv[grid + 1]) : 0;
  if (!Number.isInteger(departments) || departments < 0 || departments > 10_000)
    throw new Error("--departments needs a whole number up to 10000, e.g. --departments 100");
  const { client, db } = await openDatabase(env.DATABASE_URL, env.DATABASE_AUTH_TOKEN);
  // A million clusters make a database of about 1 GB whose indexes each batch writes all over:
  // a page cache far above the server's 64 MB keeps them in memory (not measured apart).
  if (env.DATABASE_URL.startsWith("file:")) await client.execute("PRAGMA cache_size = -1048576");
  await loadDemoCity(db, Date.now());
  const started = performance.now();
  await addSampleClusters(
    db,
    count,
    Date.now(),
    (done) => process.stdout.write(`\r${done} clusters`),
    departments,
  );
  console.log(
    `\nAdded ${count} clusters to ${env.DATABASE_URL} in ${((performance.now() - started) / 1000).toFixed(1)} s.`,
  );
  const flagged = await flagPassedDeadlines(db);
  console.log(`Flagged ${flagged} deadlines already passed, as a running server would have.`);
  client.close();
} else {
  const n = await addSampleReports(env);
  console.log(`Added ${n} sample reports to ${env.DATABASE_URL}.`);
}
