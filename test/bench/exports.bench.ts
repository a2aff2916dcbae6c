/**
 * Open data exports: rows per second when streaming clusters as CSV and GeoJSON, and the heap
 * while doing it, at two sizes of city. Streaming is working when the heap does not grow with
 * the number of clusters.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { createApp } from "../../src/app";
import type { Db } from "../../src/db/client";
import { parseLimits } from "../../src/domain/rate-limit";
import { openDatabase } from "../../src/node/database";
import { memoryRateLimiter } from "../../src/node/memory-rate-limiter";

export const title = "Open data exports (streamed)";

const SIZES = [50_000, 200_000];

async function fillClusters(db: Db, from: number, to: number) {
  const now = Date.UTC(2026, 2, 1);
  await db.run(sql`INSERT INTO services (code, name_en, name_zh, radius_m, window_days, threshold, ack_hours,
      resolve_hours, created_at, updated_at)
    VALUES ('pothole', 'Pothole', '坑洼', 25, 30, 3, 24, 168, ${now}, ${now}) ON CONFLICT DO NOTHING`);
  for (let start = from; start < to; start += 1000) {
    const values = [];
    for (let i = start; i < Math.min(to, start + 1000); i++) {
      const id = `c${String(i).padStart(9, "0")}`;
      values.push(sql`(${id}, 'pothole', ${28 + (i % 1000) / 5000}, ${112.9 + Math.floor(i / 1000) / 5000}, 'open',
        ${1 + (i % 7)}, ${1 + (i % 5)}, ${now}, ${now + i}, ${now}, ${now})`);
    }
    await db.run(sql`INSERT INTO clusters (id, service_code, lat, lon, state, report_count, reporter_count,
      first_report_at, last_report_at, created_at, updated_at) VALUES ${sql.join(values, sql`, `)}`);
  }
}

async function measure(app: ReturnType<typeof createApp>, path: string) {
  const globalGc = (globalThis as { gc?: () => void }).gc;
  globalGc?.();
  const heapBefore = process.memoryUsage().heapUsed;
  let peak = heapBefore;
  const t0 = performance.now();
  const res = await app.request(path);
  const reader = (res.body as ReadableStream<Uint8Array>).getReader();
  let bytes = 0;
  let lines = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    bytes += value.length;
    for (const b of value) if (b === 10) lines++;
    peak = Math.max(peak, process.memoryUsage().heapUsed);
  }
  const seconds = (performance.now() - t0) / 1000;
  return { seconds, bytes, lines, heapGrowthMb: (peak - heapBefore) / 1048576 };
}

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), "civicloop-bench-exports-"));
  const { db, client } = await openDatabase(`file:${join(dir, "exports.db")}`);
  const app = createApp({
    db,
    config: {
      adminToken: null,
      reporterSecret: "bench",
      publicUrl: "http://localhost",
      allowPrivateWebhooks: false,
      maxBodyBytes: 65536,
      trustedProxies: [],
      rateLimits: parseLimits(undefined),
    },
    clock: () => Date.now(),
    clientAddress: () => undefined,
    limiter: memoryRateLimiter(),
  });
  let filled = 0;
  for (const size of SIZES) {
    await fillClusters(db, filled, size);
    filled = size;
    for (const path of ["/api/exports/clusters.csv", "/api/exports/clusters.geojson"]) {
      const m = await measure(app, path);
      console.log(
        `${String(size).padStart(7)} clusters  ${path.padEnd(30)} ${(m.bytes / 1048576).toFixed(1).padStart(6)} MB  ` +
          `${(size / m.seconds).toFixed(0).padStart(7)} rows/s  ${m.seconds.toFixed(2)} s  ` +
          `heap growth at most ${m.heapGrowthMb.toFixed(1)} MB`,
      );
    }
  }
  if (!(globalThis as { gc?: () => void }).gc) {
    console.log("(run node with --expose-gc for steadier heap figures)");
  }
  client.close();
}
