/**
 * The public map at scale: `GET /api/map` per zoom (street z17, district z14, city z11, country
 * z5) over a screen of 1280 × 800 pixels panned at random over the city, with and without
 * filters (those the aggregates hold: service and status in `map_cells`, `since` and
 * `deadline` in `map_time_cells`, `department` in `map_department_cells`; then the mixes walked
 * live: `since` or `deadline` with a status, a department or each other),
 * p50/p95 and bytes per answer, plus tiles. The server runs in its own process
 * (`src/server.ts`); this process only sends requests, one at a time, and times them. Each server
 * first answers MAP_BENCH_WARMUP (40) requests spread over the zooms, not timed: the figures are a
 * running server's, not those of its first requests (compiling the code, the first reads of the file).
 *
 * MAP_BENCH_ROUNDS (60) requests per line. MAP_BENCH_DB=file:… uses a database filled beforehand (`npm run sample -- --clusters 1000000`);
 * its planner statistics are dropped, as a server has none (BENCH_ANALYZE=1: gathered instead);
 * otherwise MAP_BENCH_CLUSTERS (default 200,000) are filled into a fresh file first.
 * MAP_BENCH_ONLY=regex keeps the lines whose filter label matches (e.g. `status=.*7d|7d.*status`);
 * MAP_BENCH_ZOOMS (17,14,11,5) the zooms measured, of 17, 16, 15, 14, 11 and 5.
 * MAP_BENCH_BASELINE=/path/to/checkout also serves the same database from that checkout (the code
 * before the aggregates: the live path) in a second process, measured in the same run.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { openDatabase } from "../../src/node/database";
import { DEMO_CENTRE, loadDemoCity } from "../../src/seed/demo-city";
import { addSampleClusters } from "../../src/seed/sample-clusters";
import { flagPassedDeadlines } from "../../src/seed/sample-reports";
import { startServerProcess } from "../support/server-process";
import { asServerPlans } from "./planner-statistics";

export const title = "Public map at scale (server in its own process)";

const ROUNDS = Number(process.env.MAP_BENCH_ROUNDS ?? 60);
/** The live baseline takes seconds per city view at 1M: fewer requests per line. */
const BASELINE_ROUNDS = Number(process.env.MAP_BENCH_BASELINE_ROUNDS ?? 8);
const WARMUP = Number(process.env.MAP_BENCH_WARMUP ?? 40);
const SCREEN = { width: 1280, height: 800 };

const views = [
  { name: "street z17", zoom: 17 },
  { name: "z16", zoom: 16 },
  { name: "z15", zoom: 15 },
  { name: "district z14", zoom: 14 },
  { name: "city z11", zoom: 11 },
  { name: "country z5", zoom: 5 },
].filter((v) => (process.env.MAP_BENCH_ZOOMS ?? "17,14,11,5").split(",").includes(String(v.zoom)));
/** A week back from the bench's start: the web map's "last 7 days". */
const WEEK_AGO = new Date(Date.now() - 7 * 86_400_000).toISOString();
const label = (f: string) => (f ? f.replace(WEEK_AGO, "7d") : "no filter");
/** The aggregates' filters (`map_cells`, `map_time_cells`, `map_department_cells`), then the live mixes. */
const filters = [
  "",
  "&service=pothole",
  "&status=dispatched",
  "&service=pothole&status=in_progress",
  `&since=${WEEK_AGO}`,
  `&service=pothole&since=${WEEK_AGO}`,
  "&deadline=red",
  "&service=pothole&deadline=red",
  "&deadline=yellow",
  "&service=pothole&deadline=yellow",
  "&department=furong",
  "&department=furong&service=pothole",
  "&department=furong&status=dispatched",
  "&department=furong&deadline=red",
  "&department=furong&deadline=yellow",
  `&department=furong&since=${WEEK_AGO}`,
  `&since=${WEEK_AGO}&status=reported`,
  `&since=${WEEK_AGO}&status=in_progress`,
  `&service=pothole&since=${WEEK_AGO}&status=dispatched`,
  "&deadline=red&status=in_progress",
  "&deadline=yellow&status=dispatched",
  `&since=${WEEK_AGO}&deadline=red`,
  `&service=pothole&status=in_progress&since=${WEEK_AGO}&deadline=red&department=furong`,
].filter((f) => new RegExp(process.env.MAP_BENCH_ONLY ?? "").test(label(f)));

/** A screen's box at a zoom, centred somewhere in the city (a deterministic walk). */
function screenAt(zoom: number, i: number): string {
  const degPerPx = 360 / (256 * 2 ** zoom);
  const scale = Math.cos((DEMO_CENTRE.lat * Math.PI) / 180);
  const lat = DEMO_CENTRE.lat + (((i * 37) % 100) / 100 - 0.5) * 0.3;
  const lon = DEMO_CENTRE.lon + (((i * 61) % 100) / 100 - 0.5) * 0.34;
  const w = (SCREEN.width / 2) * degPerPx;
  const h = (SCREEN.height / 2) * degPerPx * scale;
  const clamp = (v: number, m: number) => Math.max(-m, Math.min(m, v));
  return [clamp(lon - w, 180), clamp(lat - h, 90), clamp(lon + w, 180), clamp(lat + h, 90)]
    .map((v) => v.toFixed(6))
    .join(",");
}

const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) * p)] ?? 0;

async function measure(base: string, path: (i: number) => string, rounds = ROUNDS) {
  const times: number[] = [];
  const bytes: number[] = [];
  let maxFeatures = 0;
  let failures = 0;
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    const res = await fetch(`${base}${path(i)}`);
    const body = await res.text();
    times.push(performance.now() - start);
    if (res.status !== 200) failures++;
    bytes.push(Buffer.byteLength(body));
    maxFeatures = Math.max(maxFeatures, res.status === 200 ? (JSON.parse(body).features?.length ?? 0) : 0);
  }
  return `p50 ${pct(times, 0.5).toFixed(1).padStart(6)} ms  p95 ${pct(times, 0.95).toFixed(1).padStart(6)} ms  bytes p50 ${String(pct(bytes, 0.5)).padStart(6)} max ${String(Math.max(...bytes)).padStart(6)}  features ≤ ${maxFeatures}${failures ? `  FAILED ${failures}` : ""}`;
}

async function database(): Promise<string> {
  if (process.env.MAP_BENCH_DB) return process.env.MAP_BENCH_DB;
  const count = Number(process.env.MAP_BENCH_CLUSTERS ?? 200_000);
  const url = `file:${join(mkdtempSync(join(tmpdir(), "civicloop-map-bench-")), "map.db")}`;
  const { client, db } = await openDatabase(url);
  await loadDemoCity(db, Date.now());
  const started = performance.now();
  await addSampleClusters(db, count, Date.now());
  console.log(`  filled ${count} clusters in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  client.close();
  return url;
}

export async function run(): Promise<void> {
  const url = await database();
  const { client, db } = await openDatabase(url);
  const [{ n } = { n: 0 }] = await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM clusters`);
  const plans = await asServerPlans(client);
  // The map of a city whose passed deadlines were flagged: a backlog (a file filled long ago)
  // would have the server's first rounds flag thousands while the first lines are measured.
  const flagged = await flagPassedDeadlines(db);
  client.close();
  console.log(
    `  ${n} clusters in ${url} (${flagged} passed deadlines flagged first; ${plans}); ${ROUNDS} requests per line, one at a time (baseline: ${BASELINE_ROUNDS})`,
  );

  const servers = [{ label: "aggregates", root: undefined as string | undefined }];
  if (process.env.MAP_BENCH_BASELINE)
    servers.push({ label: "baseline (live)", root: process.env.MAP_BENCH_BASELINE });
  for (const s of servers) {
    const server = await startServerProcess({ DATABASE_URL: url }, s.root);
    try {
      console.log(`  -- ${s.label}`);
      // Places the lines never visit (they take positions 0 to ROUNDS - 1 of the walk's 100).
      for (let i = 0; i < WARMUP; i++) {
        const v = views[i % views.length] as (typeof views)[number];
        const place = 99 - (i % Math.max(1, 100 - ROUNDS));
        await (await fetch(`${server.url}/api/map?bbox=${screenAt(v.zoom, place)}&zoom=${v.zoom}`)).text();
      }
      for (const v of views) {
        for (const f of filters) {
          const line = await measure(
            server.url,
            (i) => `/api/map?bbox=${screenAt(v.zoom, i)}&zoom=${v.zoom}${f}`,
          );
          console.log(`  ${v.name.padEnd(13)} ${label(f).padEnd(36)} ${line}`);
        }
      }
      if (!s.root && !process.env.MAP_BENCH_ONLY) {
        // Tiles: one 256-pixel tile per request, anywhere in the city, then revalidated (304).
        for (const z of [14, 11]) {
          const n2 = 2 ** z;
          const tile = (i: number) => {
            const lon = DEMO_CENTRE.lon + (((i * 61) % 100) / 100 - 0.5) * 0.34;
            const lat = (DEMO_CENTRE.lat * Math.PI) / 180;
            const y = Math.floor(((1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2) * n2);
            return `/api/map/tiles/${z}/${Math.floor(((lon + 180) / 360) * n2)}/${y}`;
          };
          console.log(`  tile z${z}${" ".repeat(44)} ${await measure(server.url, tile)}`);
        }
      }
    } finally {
      await server.stop();
    }
  }
}
