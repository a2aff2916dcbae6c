/**
 * Report intake: throughput over HTTP against a bare Hono endpoint measured in the same run,
 * and the cost of one report with 10k and with 1M clusters already stored
 * (`report-phases.bench.ts` splits one report's CPU by phase).
 */
import { mkdtempSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { openDatabase } from "../../src/node/database";
import { DEMO_CENTRE } from "../../src/seed/demo-city";
import { submitReport } from "../../src/store/reports";
import { LOCAL_PROXIES } from "../support/app";
import { residentAddress } from "../support/residents";
import { cpuSeconds, type ServerProcess, startServerProcess } from "../support/server-process";
import { type LoadRequest, load } from "./load-process";
import { asServerPlans } from "./planner-statistics";

export const title = "Report intake";

const REQUESTS = 6000;
const CONCURRENCY = 64;
/** Rounds of every server in turn (BENCH_ROUNDS); the medians of their ratios are printed. */
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const BARE_SERVER = "test/bench/bare-server.ts";

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

/** One server under test: a fresh process (as `npm start` runs it), warmed, then loaded once. */
interface Side {
  label: string;
  start: () => Promise<ServerProcess>;
}

function intakeSide(label: string, flush: "commit" | "background", root?: string): Side {
  return {
    label: `${label}, flush ${flush}`,
    start: () => {
      const dir = mkdtempSync(join(tmpdir(), "civicloop-bench-"));
      const env = {
        DATABASE_URL: `file:${join(dir, "bench.db")}`,
        DATABASE_FLUSH: flush,
        DEMO_DATA: "true",
        MAX_BODY_BYTES: "65536",
        ADMIN_TOKEN: "bench-admin-token-000000",
        TRUSTED_PROXIES: LOCAL_PROXIES,
      };
      return startServerProcess(env, root).then(async (server) => {
        if (process.env.BENCH_DROP_TRIGGERS) await dropAggregateTriggers(join(dir, "bench.db"));
        return server;
      });
    },
  };
}

/**
 * BENCH_DROP_TRIGGERS=1: without the aggregate triggers (the map's cells over space, time and departments, rollups,
 * areas), to see their share. Dropped from another connection once the server has migrated.
 */
async function dropAggregateTriggers(file: string) {
  const Database = (await import("libsql")).default;
  const other = new Database(file);
  const names = other
    .prepare(
      "SELECT name FROM sqlite_master WHERE type = 'trigger' AND (name LIKE 'map_%' OR name LIKE 'rollup_%' OR name LIKE 'area_%')",
    )
    .all() as { name: string }[];
  for (const { name } of names) other.exec(`DROP TRIGGER ${name}`);
  other.close();
}

/** Warms a fresh server with 500 reports, then sends every body; rate and server CPU per request. */
async function measure(side: Side, bodies: LoadRequest[]) {
  const server = await side.start();
  try {
    const url = `${server.url}/api/reports`;
    await load(url, bodies.slice(0, 500), CONCURRENCY);
    const before = cpuSeconds(server.pid);
    const run = await load(url, bodies, CONCURRENCY);
    const after = cpuSeconds(server.pid);
    const cpuUs = before === null || after === null ? Number.NaN : ((after - before) * 1e6) / bodies.length;
    return {
      rps: bodies.length / run.seconds,
      cpuUs,
      failures: run.failures,
      why: run.why,
      generator: run.cores,
    };
  } finally {
    await server.stop();
  }
}

/**
 * Cores the server kept busy (CPU per request × rate). Near 1 the one thread that runs Node's
 * event loop and SQLite is the limit, not the disk or the group commit's waits.
 */
const cores = (r: { rps: number; cpuUs: number }) => ((r.rps * r.cpuUs) / 1e6).toFixed(2);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2
    ? (s[(s.length - 1) / 2] as number)
    : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};

async function httpThroughput() {
  // Each request from its device's own network through the local "proxy" (X-Forwarded-For), as
  // 2,000 residents would, within their rate limits.
  const bodies: LoadRequest[] = Array.from({ length: REQUESTS }, (_, i) => ({
    body: JSON.stringify(sampleReport(i)),
    from: residentAddress(i % 2000),
  }));
  // Every server in its own fresh process, as production runs; the load generator in another.
  const bare: Side = {
    label: "bare Hono endpoint",
    start: () => startServerProcess({}, undefined, BARE_SERVER),
  };
  // BENCH_FLUSH: one way of reaching the disk (DATABASE_FLUSH) instead of both.
  const flushes = process.env.BENCH_FLUSH
    ? [process.env.BENCH_FLUSH as "commit"]
    : (["commit", "background"] as const);
  // BENCH_BASELINE=/path/to/checkout: that checkout's server measured in the same rounds (old vs new).
  const baseline = process.env.BENCH_BASELINE;
  const intakes = [
    ...flushes.map((f) => intakeSide("/api/reports", f)),
    ...(baseline ? flushes.map((f) => intakeSide(`baseline ${baseline}`, f, baseline)) : []),
  ];
  console.log(
    `  ${REQUESTS} POSTs, ${CONCURRENCY} at a time, autocannon in a separate process; every server a fresh process (tsx, as npm start); ${ROUNDS} rounds, the order reversed every other round`,
  );
  const ratios = new Map(
    intakes.map((s) => [s.label, { rate: [] as number[], cpu: [] as number[], us: [] as number[] }]),
  );
  const bareUs: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const order = round % 2 ? [bare, ...intakes] : [...intakes].reverse().concat(bare);
    const results = new Map<Side, Awaited<ReturnType<typeof measure>>>();
    for (const side of order) results.set(side, await measure(side, bodies));
    const b = results.get(bare) as Awaited<ReturnType<typeof measure>>;
    bareUs.push(b.cpuUs);
    console.log(`  round ${round} (load ${loadavg()[0]?.toFixed(1)})`);
    console.log(
      `    ${bare.label.padEnd(44)} ${b.rps.toFixed(0).padStart(6)} req/s, server CPU ${b.cpuUs.toFixed(0).padStart(5)} µs per request, ${cores(b)} cores (load generator ${b.generator.toFixed(2)})`,
    );
    for (const side of intakes) {
      const r = results.get(side) as Awaited<ReturnType<typeof measure>>;
      const kept = ratios.get(side.label) as { rate: number[]; cpu: number[]; us: number[] };
      kept.rate.push(r.rps / b.rps);
      kept.cpu.push(b.cpuUs / r.cpuUs);
      kept.us.push(r.cpuUs);
      const failed = r.failures ? ` ${JSON.stringify(r.why)}` : "";
      console.log(
        `    ${side.label.padEnd(44)} ${r.rps.toFixed(0).padStart(6)} req/s, server CPU ${r.cpuUs.toFixed(0).padStart(5)} µs per request, ${cores(r)} cores (load generator ${r.generator.toFixed(2)}); ratio rate ${(r.rps / b.rps).toFixed(3)}, CPU ${(b.cpuUs / r.cpuUs).toFixed(3)} (failures: ${r.failures}${failed})`,
      );
    }
  }
  console.log(`  medians of ${ROUNDS} rounds (bare: server CPU ${median(bareUs).toFixed(0)} µs per request)`);
  for (const [label, r] of ratios)
    console.log(
      `    ${label.padEnd(44)} server CPU ${median(r.us).toFixed(0).padStart(5)} µs per request; ratio intake / bare: rate ${median(r.rate).toFixed(3)}, CPU ${median(r.cpu).toFixed(3)}`,
    );
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
  console.log(`  planner: ${await asServerPlans(client)}`);
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
