/**
 * `npm run sample -- --clusters N`: fills N synthetic clusters quickly, for benchmarks and for
 * trying the map at scale. Half lie in a city of about 44 × 44 km around the demo city's centre,
 * half in the region around it (about 330 km across); one in ten has a work order in some status,
 * with the district department whose rough box holds it (streetlights: the streetlight office) and
 * deadlines that started 0–19 days ago (at any minute of the day), so some are overdue, some nearly due (the map's `deadline`
 * and `department` filters have something to find).
 * Each cluster has one report (its areas decided by `areasSql`, the intake's test in SQL, its words
 * one of the sample's five phrases for the service, which the cluster's pin says); each
 * work order has the events its status implies (created, acknowledged, resolved, reopened,
 * rejected, a missed acknowledgement) and a third of the fixed ones a rating.
 * Rows go in as set-based INSERTs of `BATCH` clusters, each batch one atomic `db.batch`, and every
 * aggregate (the map's, the league table's, the areas') is kept by the same triggers as every
 * other write, so they stay exact.
 *
 * With `departments` (`--departments N`, for the performance page at the issue's 100 departments)
 * N more departments are made first through the store, a grid of areas with populations over the
 * city, and each work order goes to the grid square holding its cluster.
 */
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { WORK_ORDER_STATUSES } from "../domain/states";
import type { DepartmentInput } from "../schemas/department";
import { areasSql } from "../store/area-rollup-sql";
import { createDepartment } from "../store/departments";
import { box, DEMO_CENTRE, DEMO_SERVICES, district } from "./demo-city";
import { SAMPLE_WORDS } from "./sample-words";

const BATCH = 2_000;
const DAY = 86_400_000;

/** A whole number as an SQL literal (a bound JS number arrives as a real, `0.0`, in JSON paths). */
const int = (n: number) => sql.raw(String(Math.trunc(n)));
const inList = (xs: readonly string[]) => sql.raw(`json('${JSON.stringify(xs)}')`);

/** The demo city's department for a cluster row, by the districts' rough boxes (see demo-city.ts). */
const DISTRICT_OF = sql.raw(`CASE WHEN service_code = 'streetlight' THEN 'streetlights'
  WHEN lon < 112.8 OR lon > 113.1 OR lat < 28.05 OR lat > 28.35 THEN 'city_urban_management'
  WHEN lon < 112.96 THEN 'yuelu' WHEN lat >= 28.215 THEN 'kaifu' WHEN lat >= 28.17 THEN 'furong'
  WHEN lon < 113.0 THEN 'tianxin' ELSE 'yuhua' END`);

/**
 * A row's minute of the day, in milliseconds, from its number `n`: times go back whole days from
 * `now` and then this much more, so a day's reports, deadlines and their passing spread over its
 * 24 hours as a city's do, not all at the minute of the fill (which once put ~5,000 deadlines in
 * the hour after it, and none nearly due).
 */
const minuteSql = (n: string) => `((${n} * 6007) % 1440) * 60000`;
const minuteOf = (n: string) => sql.raw(minuteSql(n));

/** Where the clusters lie, the city and the region (half of them each): half-heights and half-widths around the centre (degrees). */
const CITY = { lat: 0.2, lon: 0.225 };
const REGION = { lat: 1.5, lon: 1.7 };

/**
 * A grid of `count` square-ish areas over the city (where the clusters with work orders lie), row
 * by row from the south-west corner.
 */
export function gridDepartments(count: number) {
  const columns = Math.ceil(Math.sqrt(count));
  const rows = Math.ceil(count / columns);
  const [south, west] = [DEMO_CENTRE.lat - CITY.lat, DEMO_CENTRE.lon - CITY.lon];
  const [height, width] = [(2 * CITY.lat) / rows, (2 * CITY.lon) / columns];
  const digits = String(count - 1).length;
  const code = (i: number) => `grid-${String(i).padStart(digits, "0")}`;
  const departments: DepartmentInput[] = Array.from({ length: count }, (_, i) => {
    const [s, w] = [south + Math.floor(i / columns) * height, west + (i % columns) * width];
    return district(
      code(i),
      `Grid square ${i}`,
      `网格 ${i}`,
      box(w, s, w + width, s + height),
      50_000 + 1_000 * i,
    );
  });
  // The square holding a cluster row, by arithmetic (a point on a shared edge goes north-east).
  const row = `CAST((lat - ${south}) / ${height} AS INTEGER)`;
  const column = `CAST((lon - ${west}) / ${width} AS INTEGER)`;
  const departmentOf =
    sql.raw(`CASE WHEN lat >= ${south} AND lon >= ${west} AND ${row} < ${rows} AND ${column} < ${columns}
      AND ${row} * ${columns} + ${column} < ${count}
    THEN 'grid-' || printf('%0${digits}d', ${row} * ${columns} + ${column}) ELSE 'city_urban_management' END`);
  return { departments, departmentOf };
}

/** A work order's step: the status it reached, and the statuses that pass through it. */
const passing = (statuses: readonly string[]) =>
  sql.raw(`status IN (${statuses.map((x) => `'${x}'`).join(", ")})`);
const ACKNOWLEDGED = passing(["acknowledged", "scheduled", "in_progress", "resolved", "closed", "reopened"]);
const RESOLVED = passing(["resolved", "closed", "reopened"]);

/** Adds `count` clusters (ids `prefix` + number); calls `progress` after each batch. */
export async function addSampleClusters(
  db: Db,
  count: number,
  now: number,
  progress: (done: number) => void = () => {},
  /** How many grid departments to make first (see the header); none: the demo city's districts. */
  departments = 0,
): Promise<void> {
  const grid = departments > 0 ? gridDepartments(departments) : null;
  for (const d of grid?.departments ?? []) await createDepartment(db, d, now);
  const departmentOf = grid?.departmentOf ?? DISTRICT_OF;
  const prefix = `s${now.toString(36)}-`;
  const services = inList(DEMO_SERVICES.map((s) => s.code));
  // Every sampled work order has a department and no merge is sampled: none is unrouted or a duplicate.
  const statuses = inList(WORK_ORDER_STATUSES.filter((s) => s !== "unrouted" && s !== "duplicate"));
  // A work order's status from its cluster's number, as the work orders' INSERT draws it below.
  // When a cluster's one report came: an hour before its work order, which starts 0-19 days back
  // as the work orders' INSERT below draws it; without one, 0-89 days back.
  const reported = sql.raw(`CASE WHEN i % 10 = 0
    THEN ${now} - ((i / 10) / 10 * 7919 % 20) * ${DAY} - ${minuteSql("(i / 10)")} - 3600000
    ELSE ${now} - (i % 90) * ${DAY} - ${minuteSql("i")} END`);
  const statusOf = (n: string) =>
    sql`json_extract(${statuses}, '$[' || (${sql.raw(n)} * 104729 % json_array_length(${statuses})) || ']')`;
  // Five phrases a service (the replayed sample's), so pins and answers carry words as real ones do.
  const words = JSON.stringify(
    Object.fromEntries(DEMO_SERVICES.map((s) => [s.code, (SAMPLE_WORDS[s.code] ?? ["Problem"]).slice(0, 5)])),
  );
  for (let start = 0; start < count; start += BATCH) {
    const end = Math.min(count, start + BATCH);
    // A spread of uniform 0..1 values from SQLite's random(), so no parameter per row is needed.
    const u = sql.raw("((abs(random()) % 1000000000) / 1e9)");
    const ids = sql`SELECT ${prefix} || i FROM k`;
    const batchOf = (step: number) =>
      sql`WITH RECURSIVE k(i) AS (SELECT ${int(start)} UNION ALL SELECT i + ${int(step)} FROM k WHERE i + ${int(step)} < ${int(end)})`;
    const event = (id: string, type: string, from: string, to: string, at: string, where: SQL) =>
      db.run(sql`${batchOf(10)} INSERT INTO events (id, cluster_id, work_order_id, type, from_status, to_status,
          department_code, actor, at)
        SELECT ${sql.raw(`'${id}'`)} || id, cluster_id, id, ${sql.raw(`'${type}'`)}, ${sql.raw(from)}, ${sql.raw(to)},
          department_code, ${sql.raw(type === "work_order_created" ? "'system'" : "'department'")}, ${sql.raw(at)}
        FROM work_orders WHERE cluster_id IN (${ids}) AND ${where}`);
    await db.batch([
      // Each cluster's areas decided as the intake decides a report's (the same test, in SQL), in
      // the INSERT: set by a later UPDATE, each row paid the clusters' update triggers once more.
      // Materialized, so each random() is drawn once for the stored point and the test alike.
      db.run(sql`${batchOf(1)}, p AS MATERIALIZED (SELECT ${prefix} || i,
          json_extract(${services}, '$[' || (i % json_array_length(${services})) || ']') AS service,
          ${DEMO_CENTRE.lat} + (${u} - 0.5) * CASE WHEN i % 2 = 0 THEN ${2 * CITY.lat} ELSE ${2 * REGION.lat} END AS lat,
          ${DEMO_CENTRE.lon} + (${u} - 0.5) * CASE WHEN i % 2 = 0 THEN ${2 * CITY.lon} ELSE ${2 * REGION.lon} END AS lon,
          CASE WHEN i % 10 != 0 THEN 'open' WHEN ${statusOf("(i / 10)")} IN ('resolved', 'closed') THEN 'resolved'
            ELSE 'dispatched' END, 1, 1,
          ${reported}, ${reported}, ${reported}, ${now} FROM k)
        INSERT INTO clusters (id, service_code, lat, lon, state, report_count, reporter_count, first_report_at,
          last_report_at, created_at, updated_at, areas, said)
        SELECT *, ${sql.raw(areasSql("p.lat", "p.lon"))},
          json_extract(${words}, '$.' || p.service || '[' || (abs(random()) % 5) || ']') FROM p`),
      // One report per cluster, at its centre, with its areas (the rollups count it as the
      // intake's) and the words its cluster says, as the intake writes both.
      db.run(sql`${batchOf(1)} INSERT INTO reports (id, service_code, cluster_id, lat, lon, description, source,
          reporter_key, count_key, areas, created_at)
        SELECT 'r' || id, service_code, id, lat, lon, coalesce(said, ''), 'web', 'sample-' || id, 'sample-' || id,
          areas, first_report_at
        FROM clusters WHERE id IN (${ids})`),
      // Deadlines and status from the cluster's number (random() could be drawn anew per use): the
      // status from its last digit, the day its deadlines started from the others, so that every
      // status has deadlines of every age (with both from the last digit, no work order owing an
      // acknowledgement was ever still within its deadline, and none was nearly due).
      db.run(sql`${batchOf(10)} INSERT INTO work_orders (id, cluster_id, service_code, department_code, status, ack_due_at,
          resolve_due_at, deadlines_from, overdue_notified_for, created_at, updated_at)
        SELECT 'w' || id, id, service_code, ${departmentOf}, status, since + ${DAY}, since + 7 * ${DAY}, since,
          CASE WHEN status = 'dispatched' AND d > 1 THEN 'acknowledge' END, since, ${now}
        FROM (SELECT *, ${now} - d * ${DAY} - ${minuteOf("n")} AS since FROM (SELECT *, n / 10 * 7919 % 20 AS d,
            ${statusOf("n")} AS status
          FROM (SELECT *, CAST(substr(id, ${int(prefix.length + 1)}) AS INTEGER) / 10 AS n FROM clusters WHERE id IN (${ids}))))`),
      // The events the departments' moves would have appended, in order, before now: the rollups
      // of the league table count them as they count live ones.
      event("c", "work_order_created", "NULL", "'dispatched'", "created_at", sql`true`),
      event(
        "a",
        "status_changed",
        "'dispatched'",
        "'acknowledged'",
        `min(${now - 3}, created_at + (abs(random()) % 40) * 3600000)`,
        sql`${ACKNOWLEDGED}`,
      ),
      event(
        "s",
        "status_changed",
        "'acknowledged'",
        "'resolved'",
        `min(${now - 2}, created_at + (40 + abs(random()) % 160) * 3600000)`,
        sql`${RESOLVED}`,
      ),
      event(
        "k",
        "status_changed",
        "'resolved'",
        "'closed'",
        `min(${now - 1}, created_at + 200 * 3600000)`,
        sql`status = 'closed'`,
      ),
      event("o", "status_changed", "'resolved'", "'reopened'", `${now - 1}`, sql`status = 'reopened'`),
      event(
        "x",
        "status_changed",
        "'dispatched'",
        "'rejected'",
        `min(${now - 1}, created_at + 3600000)`,
        sql`status = 'rejected'`,
      ),
      event(
        "m",
        "deadline_missed",
        "'dispatched'",
        "'dispatched'",
        "ack_due_at",
        sql`status = 'dispatched' AND ack_due_at < ${now}`,
      ),
      // Residents rate a third of the fixed problems.
      db.run(sql`${batchOf(30)} INSERT INTO ratings (report_id, cluster_id, stars, reporter_key, created_at)
        SELECT 'r' || w.cluster_id, w.cluster_id, 1 + abs(random()) % 5, 'sample-' || w.cluster_id, e.at + 3600000
        FROM work_orders w JOIN events e ON e.id = 's' || w.id WHERE w.cluster_id IN (${ids}) AND e.at + 3600000 < ${now}`),
    ]);
    progress(end);
  }
}
