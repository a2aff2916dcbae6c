/**
 * Report intake: throughput over HTTP against a bare Hono endpoint measured in the same run,
 * and the cost of one report with 10k and with 1M clusters already stored
 * (`report-phases.bench.ts` splits one report's CPU by phase).
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { sql } from "drizzle-orm";
import { Hono } from "hono";
import { openDatabase } from "../../src/node/database";
import { startServer } from "../../src/node/start-server";
import { DEMO_CENTRE } from "../../src/seed/demo-city";
import { submitReport } from "../../src/store/reports";
import { LOCAL_PROXIES } from "../support/app";
import { residentAddress } from "../support/residents";
import { freePort } from "../support/server-process";
import { type LoadRequest, load, withCpu } from "./load-process";

export const title = "Report intake";

const REQUESTS = 6000;
const CONCURRENCY = 64;

/** A plausible report: most near a few hundred hot spots (joining clusters), the rest anywhere. */
function sampleReport(i: number) {
  const spot = i % 300;
  const hot = i % 10 < 7;
  const jitter = () => (Math.random() - 0.5) * (hot ? 0.0002 : 0.1);
  return {
    service: ["pothole", "streetlight", "illegal_dumping", "noise"][spot % 4],
    lat: DEMO_CENTRE.lat + (hot ? ((spot * 37) % 100) * 0.001 - 0.05 : 0) + jitter(),
    lon: DEMO_CENTRE.lon + (hot ? ((spot * 53) % 100) * 0.001 - 0.05 : 0) + jitter(),
    description: `Sample report ${i}`,
    deviceId: `bench-device-${i % 2000}`,
  };
}

async function httpThroughput() {
  // Each request from its device's own network through the local "proxy" (X-Forwarded-For), as
  // 2,000 residents would, within their rate limits.
  const bodies: LoadRequest[] = Array.from({ length: REQUESTS }, (_, i) => ({
    body: JSON.stringify(sampleReport(i)),
    from: residentAddress(i % 2000),
  }));

  const barePort = await freePort();
  const bare = new Hono().post("/api/reports", async (c) => c.json({ received: await c.req.json() }, 201));
  const bareServer = serve({ fetch: bare.fetch, port: barePort });
  await load(`http://127.0.0.1:${barePort}/api/reports`, bodies.slice(0, 500), CONCURRENCY); // warm up
  const bareRun = await withCpu(() => load(`http://127.0.0.1:${barePort}/api/reports`, bodies, CONCURRENCY));
  bareServer.close();

  const bareRps = REQUESTS / bareRun.seconds;
  const bareCpu = (bareRun.cpuMs * 1000) / REQUESTS;
  console.log(`  ${REQUESTS} POSTs, ${CONCURRENCY} at a time, autocannon in a separate process`);
  console.log(
    `  bare Hono endpoint:       ${bareRps.toFixed(0).padStart(7)} req/s, server CPU ${bareCpu.toFixed(0)} µs per request`,
  );
  // Both ways of reaching the disk (DATABASE_FLUSH), each on a fresh database, in this same run.
  for (const flush of ["commit", "background"] as const) {
    const run = await intakeRun(bodies, flush);
    const rps = REQUESTS / run.seconds;
    // The server's CPU per request (its process runs nothing else meanwhile): steadier under shared load.
    const cpu = (run.cpuMs * 1000) / REQUESTS;
    const failed = run.failures ? ` ${JSON.stringify(run.why)}` : "";
    console.log(
      `  /api/reports, flush ${flush.padEnd(10)} ${rps.toFixed(0).padStart(7)} req/s, server CPU ${cpu.toFixed(0)} µs per request (failures: ${run.failures}${failed})`,
    );
    console.log(
      `    ratio intake / bare:    rate ${(rps / bareRps).toFixed(3)}, CPU ${(bareCpu / cpu).toFixed(3)}`,
    );
  }
}

async function intakeRun(bodies: LoadRequest[], flush: "commit" | "background") {
  const dir = mkdtempSync(join(tmpdir(), "civicloop-bench-"));
  const port = await freePort();
  const server = await startServer({
    env: {
      PORT: port,
      DATABASE_URL: `file:${join(dir, "bench.db")}`,
      DATABASE_FLUSH: flush,
      DEMO_DATA: true,
      MAX_BODY_BYTES: 65536,
      ADMIN_TOKEN: "bench-admin-token-000000",
      TRUSTED_PROXIES: LOCAL_PROXIES,
    },
    log: () => {},
  });
  // BENCH_DROP_TRIGGERS=1: without the aggregate triggers (map cells over space and time, rollups, areas), to see their share.
  if (process.env.BENCH_DROP_TRIGGERS) {
    const Database = (await import("libsql")).default;
    const other = new Database(join(dir, "bench.db"));
    const names = other
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'trigger' AND (name LIKE 'map_cells_%' OR name LIKE 'map_time_%' OR name LIKE 'rollup_%' OR name LIKE 'area_%')",
      )
      .all() as { name: string }[];
    for (const { name } of names) other.exec(`DROP TRIGGER ${name}`);
    other.close();
  }
  await load(`http://127.0.0.1:${port}/api/reports`, bodies.slice(0, 500), CONCURRENCY);
  const run = await withCpu(() => load(`http://127.0.0.1:${port}/api/reports`, bodies, CONCURRENCY));
  await server.stop();
  return run;
}

async function perReportCost(clusterCount: number) {
  const dir = mkdtempSync(join(tmpdir(), "civicloop-bench-"));
  const { client, db } = await openDatabase(`file:${join(dir, "scale.db")}`);
  await client.execute("PRAGMA journal_mode = WAL");
  const { loadDemoCity } = await import("../../src/seed/demo-city");
  await loadDemoCity(db, Date.now());
  // Clusters spread over a 60 km square around the city, written as multi-row inserts.
  const t0 = performance.now();
  const batch = 5000;
  for (let done = 0; done < clusterCount; done += batch) {
    await db.run(sql`WITH RECURSIVE n(i) AS (SELECT ${done} UNION ALL SELECT i + 1 FROM n WHERE i < ${done + batch - 1})
      INSERT INTO clusters (id, service_code, lat, lon, state, report_count, reporter_count, first_report_at, last_report_at, created_at, updated_at)
      SELECT 'seed' || i, CASE i % 4 WHEN 0 THEN 'pothole' WHEN 1 THEN 'streetlight' WHEN 2 THEN 'illegal_dumping' ELSE 'noise' END,
        ${DEMO_CENTRE.lat - 0.27} + abs(random() % 540000) / 1e6, ${DEMO_CENTRE.lon - 0.3} + abs(random() % 600000) / 1e6,
        'open', 1, 1, ${Date.now()}, ${Date.now()}, 0, 0 FROM n`);
  }
  await client.execute("ANALYZE");
  const fillSeconds = (performance.now() - t0) / 1000;

  const N = 2000;
  const start = performance.now();
  for (let i = 0; i < N; i++) {
    await submitReport(db, sampleReport(i) as never, {
      now: Date.now(),
      source: "api",
      reporter: { key: `bench-reporter-${i}`, countKey: `bench-reporter-${i}` },
      receiptSecret: "bench",
      idempotency: null,
    });
  }
  const usPerReport = ((performance.now() - start) * 1000) / N;
  client.close();
  console.log(
    `  ${clusterCount.toLocaleString("en").padStart(9)} clusters stored (filled in ${fillSeconds.toFixed(1)} s): ${usPerReport.toFixed(0)} µs per report, sequential, ${N} reports`,
  );
  return usPerReport;
}

export async function run() {
  await httpThroughput();
  // BENCH_CLUSTERS=0 measures the throughput only.
  if (process.env.BENCH_CLUSTERS === "0") return;
  const small = await perReportCost(10_000);
  const large = await perReportCost(Number(process.env.BENCH_CLUSTERS ?? 1_000_000));
  console.log(`  ratio 1M / 10k clusters:  ${(large / small).toFixed(2)}`);
}
