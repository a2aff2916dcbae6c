/**
 * A server never gathers planner statistics (nothing runs ANALYZE), so a benchmark's database has
 * none either, or its figures would be of plans the server does not run. `BENCH_ANALYZE=1`
 * gathers them instead, to compare. Returns what was done, for the benchmark's header.
 */
import type { Client } from "@libsql/client";

export async function asServerPlans(client: Client): Promise<string> {
  if (process.env.BENCH_ANALYZE === "1") {
    await client.execute("ANALYZE");
    return "ANALYZEd (BENCH_ANALYZE=1)";
  }
  await client.execute("DROP TABLE IF EXISTS sqlite_stat1");
  return "no planner statistics, as a server runs";
}
