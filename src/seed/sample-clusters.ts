/**
 * `npm run sample -- --clusters N`: fills N synthetic clusters quickly, for benchmarks and for
 * trying the map at scale. Half lie in a city of about 44 × 44 km around the demo city's centre,
 * half in the region around it (about 330 km across); one in ten has a work order in some status,
 * with the district department whose rough box holds it (streetlights: the streetlight office) and
 * deadlines that started 0–19 days ago, so some are overdue, some nearly due (the map's `deadline`
 * and `department` filters have something to find).
 * Rows go in as set-based INSERTs of `BATCH` clusters, each batch one atomic `db.batch`, and the
 * map's aggregates are kept by the same triggers as every other write, so they stay exact.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { WORK_ORDER_STATUSES } from "../domain/states";
import { DEMO_CENTRE, DEMO_SERVICES } from "./demo-city";

const BATCH = 20_000;
const DAY = 86_400_000;

/** A whole number as an SQL literal (a bound JS number arrives as a real, `0.0`, in JSON paths). */
const int = (n: number) => sql.raw(String(Math.trunc(n)));
const inList = (xs: readonly string[]) => sql.raw(`json('${JSON.stringify(xs)}')`);

/** The demo city's department for a cluster row, by the districts' rough boxes (see demo-city.ts). */
const departmentOf = sql.raw(`CASE WHEN service_code = 'streetlight' THEN 'streetlights'
  WHEN lon < 112.8 OR lon > 113.1 OR lat < 28.05 OR lat > 28.35 THEN 'city_urban_management'
  WHEN lon < 112.96 THEN 'yuelu' WHEN lat >= 28.215 THEN 'kaifu' WHEN lat >= 28.17 THEN 'furong'
  WHEN lon < 113.0 THEN 'tianxin' ELSE 'yuhua' END`);

/** Adds `count` clusters (ids `prefix` + number); calls `progress` after each batch. */
export async function addSampleClusters(
  db: Db,
  count: number,
  now: number,
  progress: (done: number) => void = () => {},
): Promise<void> {
  const prefix = `s${now.toString(36)}-`;
  const services = inList(DEMO_SERVICES.map((s) => s.code));
  const statuses = inList(WORK_ORDER_STATUSES);
  for (let start = 0; start < count; start += BATCH) {
    const end = Math.min(count, start + BATCH);
    // A spread of uniform 0..1 values from SQLite's random(), so no parameter per row is needed.
    const u = sql.raw("((abs(random()) % 1000000000) / 1e9)");
    await db.batch([
      db.run(sql`WITH RECURSIVE k(i) AS (SELECT ${int(start)} UNION ALL SELECT i + 1 FROM k WHERE i < ${int(end - 1)})
        INSERT INTO clusters (id, service_code, lat, lon, state, report_count, reporter_count,
          first_report_at, last_report_at, created_at, updated_at)
        SELECT ${prefix} || i, json_extract(${services}, '$[' || (i % json_array_length(${services})) || ']'),
          ${DEMO_CENTRE.lat} + (${u} - 0.5) * CASE WHEN i % 2 = 0 THEN 0.4 ELSE 3 END,
          ${DEMO_CENTRE.lon} + (${u} - 0.5) * CASE WHEN i % 2 = 0 THEN 0.45 ELSE 3.4 END,
          CASE WHEN i % 10 = 0 THEN 'dispatched' ELSE 'open' END, 1 + i % 4, 1 + i % 3,
          ${now} - (i % 90) * ${DAY}, ${now} - (i % 60) * ${DAY}, ${now} - (i % 90) * ${DAY}, ${now} FROM k`),
      db.run(sql`WITH RECURSIVE k(i) AS (SELECT ${int(start)} UNION ALL SELECT i + 10 FROM k WHERE i + 10 < ${int(end)})
        INSERT INTO work_orders (id, cluster_id, service_code, department_code, status, ack_due_at,
          resolve_due_at, deadlines_from, created_at, updated_at)
        SELECT 'w' || id, id, service_code, ${departmentOf},
          json_extract(${statuses}, '$[' || (abs(random()) % json_array_length(${statuses})) || ']'),
          ${now} - d * ${DAY} + ${DAY}, ${now} - d * ${DAY} + 7 * ${DAY}, ${now} - d * ${DAY}, ${now}, ${now}
        FROM (SELECT *, abs(random()) % 20 AS d FROM clusters WHERE id IN (SELECT ${prefix} || i FROM k))`),
    ]);
    progress(end);
  }
}
