/**
 * The public map's query with 100,000 clusters stored: time per `GET /api/map` for a street,
 * a district and the whole city, through the real app. What is in view decides the cost.
 */
import { sql } from "drizzle-orm";
import { DEMO_CENTRE } from "../../src/seed/demo-city";
import { makeTestApp } from "../support/app";
import { makeService } from "../support/fixtures";

export const title = "Public map with 100,000 clusters";

const CLUSTERS = 100_000;

export async function run(): Promise<void> {
  const t = await makeTestApp();
  await makeService(t);
  // Spread over about 30 x 30 km around the demo city's centre, with a work order on every tenth.
  await t.db.run(sql`WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < ${CLUSTERS})
    INSERT INTO clusters (id, service_code, lat, lon, state, report_count, reporter_count,
      first_report_at, last_report_at, created_at, updated_at)
    SELECT 'b' || i, 'pothole', ${DEMO_CENTRE.lat - 0.135} + (abs(random()) % 270000) / 1e6,
      ${DEMO_CENTRE.lon - 0.15} + (abs(random()) % 300000) / 1e6,
      CASE WHEN i % 10 = 0 THEN 'dispatched' ELSE 'open' END, 1 + i % 5, 1 + i % 3, 0, i, 0, 0 FROM k`);
  await t.db.run(sql`INSERT INTO work_orders (id, cluster_id, service_code, status, ack_due_at, resolve_due_at, created_at, updated_at)
    SELECT 'w' || id, id, 'pothole', 'dispatched', 0, 0, 0, 0 FROM clusters WHERE state = 'dispatched'`);
  await t.client.execute("ANALYZE");

  const views = [
    { name: "street (z17, ~600 m)", zoom: 17, half: 0.003 },
    { name: "district (z14, ~5 km)", zoom: 14, half: 0.025 },
    { name: "whole city (z11, ~40 km)", zoom: 11, half: 0.2 },
    { name: "whole city, status=dispatched", zoom: 11, half: 0.2, status: "dispatched" },
  ];
  for (const v of views) {
    const bbox = [
      DEMO_CENTRE.lon - v.half,
      DEMO_CENTRE.lat - v.half,
      DEMO_CENTRE.lon + v.half,
      DEMO_CENTRE.lat + v.half,
    ].join(",");
    const url = `/api/map?bbox=${bbox}&zoom=${v.zoom}${v.status ? `&status=${v.status}` : ""}`;
    let features = 0;
    let mode = "";
    const rounds = 20;
    const times: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const start = performance.now();
      const body = (await (await t.app.request(url)).json()) as { features: unknown[]; mode: string };
      times.push(performance.now() - start);
      features = body.features.length;
      mode = body.mode;
    }
    times.sort((a, b) => a - b);
    console.log(
      `  ${v.name.padEnd(32)} ${mode.padEnd(8)} ${String(features).padStart(4)} features  median ${(times[rounds / 2] ?? 0).toFixed(1)} ms  p95 ${(times[Math.floor(rounds * 0.95)] ?? 0).toFixed(1)} ms`,
    );
  }
  t.client.close();
}
