/**
 * Sensor intake: events/s through `POST /api/sensor/batches` (batches of 500 events from 200
 * simulated phones) against a plain multi-row INSERT of the same rows into libSQL, measured in
 * the same run, in alternating rounds whose median ratio is printed; and the cost of one batch with
 * 10k and with 1M road spots stored. Each round runs the server (`tsx src/server.ts`, as `npm start`)
 * and the plain INSERT each in a fresh process of its own, the load generator in a third: neither
 * side inherits the other's warm JIT or heap, and each one's CPU is its own process's.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { sql } from "drizzle-orm";
import { roadCellOf } from "../../src/domain/road-cells";
import { SPOT_GRID_DEG } from "../../src/domain/sensor";
import { openDatabase } from "../../src/node/database";
import type { SensorBatchInput } from "../../src/schemas/sensor";
import { DEMO_CENTRE, loadDemoCity } from "../../src/seed/demo-city";
import { submitSensorBatch } from "../../src/store/sensor-uploads";
import { LOCAL_PROXIES } from "../support/app";
import { residentAddress } from "../support/residents";
import { cpuSeconds, startServerProcess } from "../support/server-process";
import { childAnswer, type LoadRequest, load, withCpu } from "./load-process";
import { asServerPlans } from "./planner-statistics";

export const title = "Sensor intake";

const here = import.meta.dirname;
const ROOT = resolve(here, "../..");

const DEVICES = 200;
const BATCHES = 400;
const EVENTS_PER_BATCH = 500;
const CONCURRENCY = 8;

/** Deterministic pseudo-random numbers, so every run sends the same city. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * Seconds between a batch's events: its places are drawn anywhere in ~10 km, and an upload refuses
 * events no car could have driven between (`outpacedEvent`).
 */
const EVENT_SPACING_MS = 150_000;
/** When the batches' first events were felt: their last is before the run. */
const firstEventAt = () => Date.now() - (EVENTS_PER_BATCH + 1) * EVENT_SPACING_MS;

/** A phone's batch: events near 2000 potholes spread over ~10 km, with GPS noise, and its cells. */
export function sampleBatch(i: number, startMs: number): SensorBatchInput {
  const rnd = random(i + 1);
  const events = Array.from({ length: EVENTS_PER_BATCH }, (_, j) => {
    const spot = Math.floor(rnd() * 2000);
    const lat = DEMO_CENTRE.lat - 0.05 + ((spot * 37) % 1000) * 1e-4 + (rnd() - 0.5) * 6e-5;
    const lon = DEMO_CENTRE.lon - 0.05 + ((spot * 91) % 1000) * 1e-4 + (rnd() - 0.5) * 6e-5;
    const kind = rnd() < 0.8 ? "pothole" : rnd() < 0.5 ? "bump" : "rough";
    return {
      at: new Date(startMs + j * EVENT_SPACING_MS).toISOString(),
      lat,
      lon,
      accuracyM: 3 + rnd() * 8,
      speedMps: 8 + rnd() * 10,
      headingDeg: rnd() * 360,
      kind: kind as "pothole",
      score: 0.6 + rnd() * 0.4,
    };
  });
  const cells = [...new Set(events.map((e) => roadCellOf(e)))];
  return { deviceId: `bench-phone-${i % DEVICES}`, events, cells };
}

/**
 * The ceiling: the same rows as one plain multi-row INSERT per batch, in a fresh Node process of
 * its own (`sensor-plain.ts`), as the intake server runs in its own.
 */
function plainInsert(file: string): Promise<{ seconds: number; cpuMs: number }> {
  return childAnswer(["--import", "tsx", join(here, "sensor-plain.ts"), file], "plain INSERT");
}

/** The middle value (the mean of the two middle ones for an even count). */
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/**
 * One round of the intake: a fresh server process as `npm start` runs it (BENCH_SENSOR_ROOT: the
 * checkout to run, e.g. an older build to compare) with a new database, warmed up, then every batch
 * sent once; its CPU (the process and its children, from /proc) over the timed part.
 */
async function intakeRound(bodies: LoadRequest[], round: number) {
  const dir = mkdtempSync(join(tmpdir(), "civicloop-bench-"));
  const server = await startServerProcess(
    {
      DATABASE_URL: `file:${join(dir, "bench.db")}`,
      DEMO_DATA: "true",
      TRUSTED_PROXIES: LOCAL_PROXIES,
      MAX_BODY_BYTES: "65536",
      ADMIN_TOKEN: "bench-admin-token-000000",
    },
    process.env.BENCH_SENSOR_ROOT ?? ROOT,
  );
  const url = `${server.url}/api/sensor/batches`;
  try {
    // A batch takes far longer than a report: a generous timeout, so slowness is measured, not failed.
    const warm = bodies.slice(0, 20).map((b) => ({
      ...b,
      headers: { "idempotency-key": `warm-${round}-${b.headers?.["idempotency-key"]}` },
    }));
    await load(url, warm, CONCURRENCY, 120); // warm up (and the first spots)
    const cpu0 = cpuSeconds(server.pid) ?? Number.NaN;
    const run = await load(url, bodies, CONCURRENCY, 120);
    const cpuMs = ((cpuSeconds(server.pid) ?? Number.NaN) - cpu0) * 1000;
    return { ...run, cpuMs };
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function throughput() {
  const start = firstEventAt();
  const batches = Array.from({ length: BATCHES }, (_, i) => sampleBatch(i, start));
  // Each batch with its own Idempotency-Key and from its phone's own network (X-Forwarded-For
  // through the trusted local proxy): 200 phones on one address would be rate-limited, as they should be.
  const tag = `bench-${Date.now()}-`;
  const bodies: LoadRequest[] = batches.map((b, i) => ({
    body: JSON.stringify(b),
    from: residentAddress(`phone-${i % DEVICES}`),
    headers: { "idempotency-key": `${tag}${i}` },
  }));
  const events = BATCHES * EVENTS_PER_BATCH;
  console.log(
    `  ${BATCHES} batches of ${EVENTS_PER_BATCH} events from ${DEVICES} phones, ${CONCURRENCY} at a time, autocannon in a separate process; the server and the plain INSERT each in a fresh process per round${process.env.BENCH_SENSOR_ROOT ? `; server from ${process.env.BENCH_SENSOR_ROOT}` : ""}`,
  );
  // Rounds alternate which side runs first, and each ratio pairs the two runs nearest in time: the
  // load of a shared machine swings the rates several times over between runs a minute apart.
  const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
  const batchesDir = mkdtempSync(join(tmpdir(), "civicloop-bench-"));
  const file = join(batchesDir, "batches.json");
  writeFileSync(file, JSON.stringify(batches));
  const rateRatios: number[] = [];
  const cpuRatios: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const plainFirst = r % 2 === 0;
    const plain0 = plainFirst ? await plainInsert(file) : null;
    const run = await intakeRound(bodies, r);
    const plain = plain0 ?? (await plainInsert(file));
    const plainRate = events / plain.seconds;
    const rate = events / run.seconds;
    // CPU of each side's own process per event (the load generator runs in a third): steadier under shared load.
    const plainCpu = (plain.cpuMs * 1000) / events;
    const cpu = (run.cpuMs * 1000) / events;
    rateRatios.push(rate / plainRate);
    cpuRatios.push(plainCpu / cpu);
    console.log(
      `  round ${r + 1}/${rounds} (${plainFirst ? "plain first" : "intake first"}): plain INSERT ${plainRate.toFixed(0)} events/s, ${plainCpu.toFixed(1)} µs CPU per event; POST /api/sensor/batches ${rate.toFixed(0)} events/s, ${cpu.toFixed(1)} µs (failures: ${run.failures}${run.failures ? ` ${JSON.stringify(run.why)}` : ""}); ratios: rate ${(rate / plainRate).toFixed(3)}, CPU ${(plainCpu / cpu).toFixed(3)}`,
    );
  }
  rmSync(batchesDir, { recursive: true, force: true });
  console.log(
    `  median ratio intake / plain INSERT over ${rounds} rounds: rate ${median(rateRatios).toFixed(3)}, CPU ${median(cpuRatios).toFixed(3)} (aim: 0.25)`,
  );
}

async function perBatchCost(spotCount: number) {
  const dir = mkdtempSync(join(tmpdir(), "civicloop-bench-"));
  const { client, db } = await openDatabase(`file:${join(dir, "scale.db")}`);
  await client.execute("PRAGMA journal_mode = WAL");
  await loadDemoCity(db, Date.now());
  // Spots spread over a 60 km square north of the area the batches drive in (so each batch does
  // the same work at either size, and only the index it searches is larger), written by SQL.
  const t0 = performance.now();
  const step = 5000;
  for (let done = 0; done < spotCount; done += step) {
    await db.run(sql`WITH RECURSIVE n(i) AS (SELECT ${done} UNION ALL SELECT i + 1 FROM n WHERE i < ${done + step - 1})
      , p(i, lat, lon) AS (SELECT i, ${DEMO_CENTRE.lat + 0.06} + abs(random() % 540000) / 1e6,
        ${DEMO_CENTRE.lon - 0.3} + abs(random() % 600000) / 1e6 FROM n)
      INSERT INTO road_spots (id, family, kind, state, lat, lon, grid_lat, grid_lon, weight, radius_m, hits,
        pothole_hits, bump_hits, devices, hit_passes, first_hit_at, last_hit_at, created_at, updated_at)
      SELECT 'seed' || i, 'impact', 'pothole', 'candidate', lat, lon, CAST(lat / ${SPOT_GRID_DEG} AS INTEGER),
        CAST(lon / ${SPOT_GRID_DEG} AS INTEGER), 0.05, 10, 1, 1, 0, 1, 1, 0, 0, 0, 0 FROM p`);
  }
  console.log(`  planner: ${await asServerPlans(client)}`);
  // The fill's pages reach the file and the disk now: otherwise the first checkpoint during the
  // timed batches flushes hundreds of MB of the fill (seconds on a busy disk) and is timed as theirs.
  await client.execute("PRAGMA wal_checkpoint(TRUNCATE)");
  const fillSeconds = (performance.now() - t0) / 1000;

  const N = 40;
  const start = firstEventAt();
  const batches = Array.from({ length: N }, (_, i) => sampleBatch(i, start));
  const t1 = performance.now();
  const { cpuMs } = await withCpu(async () => {
    for (const [i, b] of batches.entries()) {
      await submitSensorBatch(db, b, {
        now: Date.now(),
        secret: "bench",
        network: `10.${i}.0.0/24`,
        idempotency: { key: `scale-${i}`, requestHash: "x" },
      });
    }
    return {};
  });
  const msPerBatch = (performance.now() - t1) / N;
  client.close();
  console.log(
    `  ${spotCount.toLocaleString("en").padStart(9)} spots stored (filled in ${fillSeconds.toFixed(1)} s): ${msPerBatch.toFixed(1)} ms per batch of ${EVENTS_PER_BATCH} events (CPU ${(cpuMs / N).toFixed(1)} ms), sequential, ${N} batches`,
  );
  return { msPerBatch, cpuMsPerBatch: cpuMs / N };
}

export async function run() {
  await throughput();
  // BENCH_SPOTS=0 measures the throughput only.
  if (process.env.BENCH_SPOTS === "0") return;
  const small = await perBatchCost(10_000);
  const large = await perBatchCost(Number(process.env.BENCH_SPOTS ?? 1_000_000));
  console.log(
    `  ratio 1M / 10k spots:         ${(large.msPerBatch / small.msPerBatch).toFixed(2)} (CPU ${(large.cpuMsPerBatch / small.cpuMsPerBatch).toFixed(2)})`,
  );
}
