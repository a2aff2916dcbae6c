/**
 * The SQL text behind `map_department_cells` (migration 0027): `map_cells` for the clusters whose
 * work order a department handles, per level, department, cell, service and public status, so
 * the map's `department` filter reads a few rows per cell in view, not the department's work
 * orders in view. Generated like `map-cells-sql.ts`; test/map-cells.test.ts checks that the
 * migration holds this text and that the table equals `freshMapDepartmentCellsSql` after writes.
 *
 * A cluster counts under the department of its work order (none without one, or while
 * unrouted). Its contribution changes when the cluster moves or changes state or service, and
 * when its work order is created, deleted, rerouted (department), moved or changes status: each
 * trigger adds the new contribution and takes the old one out in one grouped statement, so what
 * stays where it was (a report moving the centre within its cell) is one row per level.
 */
import { ZKEY_LEVEL } from "../domain/zkey";
import { AGG_MAX_LEVEL, AGG_MIN_LEVEL, COORD_SCALE, publicStatusSql, quantised } from "./map-cells-sql";

const LEVELS = Array.from({ length: AGG_MAX_LEVEL - AGG_MIN_LEVEL + 1 }, (_, i) => `(${AGG_MIN_LEVEL + i})`);
const COLUMNS = "level, department_code, cell, service_code, status, n, sum_lat, sum_lon, sum_rowid";

/** What cluster `c` with work order `w` adds (`sign` 1) or takes away (-1). */
const contribution = (c: string, w: string, sign: 1 | -1) =>
  `SELECT ${w}.department_code AS department_code, ${c}.zkey AS zkey, ${c}.service_code AS service_code,
      ${publicStatusSql(`${c}.state`, `${w}.status`)} AS status, ${sign} AS n,
      ${sign} * CAST(round(${c}.lat * ${COORD_SCALE}) AS INTEGER) AS lat7,
      ${sign} * CAST(round(${c}.lon * ${COORD_SCALE}) AS INTEGER) AS lon7, ${sign} * ${c}.rowid AS rid`;
/** A cluster row (NEW/OLD of `clusters`) with its work order, if a department handles it. */
const ofCluster = (row: "NEW" | "OLD", sign: 1 | -1) =>
  `${contribution(row, "w", sign)} FROM work_orders w WHERE w.cluster_id = ${row}.id AND w.department_code IS NOT NULL`;
/** A work-order row (NEW/OLD of `work_orders`) with its cluster, if a department handles it. */
const ofWorkOrder = (row: "NEW" | "OLD", sign: 1 | -1) =>
  `${contribution("c", row, sign)} FROM clusters c WHERE c.id = ${row}.cluster_id AND ${row}.department_code IS NOT NULL`;

/** Adds the rows of `changes` to every level's cell, netted per row (nothing written for a net zero). */
const apply = (changes: string) => `INSERT INTO map_department_cells (${COLUMNS})
  SELECT l.column1, d.department_code, d.zkey >> (2 * (${ZKEY_LEVEL} - l.column1)), d.service_code, d.status,
    sum(d.n), sum(d.lat7), sum(d.lon7), sum(d.rid)
  FROM (SELECT * FROM (${changes}) LIMIT -1) d CROSS JOIN (VALUES ${LEVELS.join(", ")}) l WHERE true
  GROUP BY 1, 2, 3, 4, 5 HAVING sum(d.n) <> 0 OR sum(d.lat7) <> 0 OR sum(d.lon7) <> 0 OR sum(d.rid) <> 0
  ON CONFLICT (level, department_code, cell, service_code, status) DO UPDATE SET n = n + excluded.n,
    sum_lat = sum_lat + excluded.sum_lat, sum_lon = sum_lon + excluded.sum_lon,
    sum_rowid = sum_rowid + excluded.sum_rowid;`;

/** The triggers that keep `map_department_cells`, in the order migration 0027 creates them. */
export function mapDepartmentTriggers(): string[] {
  const trigger = (name: string, when: string, body: string) =>
    `CREATE TRIGGER ${name} AFTER ${when} FOR EACH ROW BEGIN\n  ${body}\nEND;`;
  return [
    trigger("map_department_cluster_delete", "DELETE ON clusters", apply(ofCluster("OLD", -1))),
    trigger(
      "map_department_cluster_update",
      "UPDATE OF lat, lon, state, service_code ON clusters",
      apply(`${ofCluster("OLD", -1)} UNION ALL ${ofCluster("NEW", 1)}`),
    ),
    trigger("map_department_work_order_insert", "INSERT ON work_orders", apply(ofWorkOrder("NEW", 1))),
    trigger("map_department_work_order_delete", "DELETE ON work_orders", apply(ofWorkOrder("OLD", -1))),
    trigger(
      "map_department_work_order_update",
      "UPDATE OF status, cluster_id, department_code ON work_orders",
      apply(`${ofWorkOrder("OLD", -1)} UNION ALL ${ofWorkOrder("NEW", 1)}`),
    ),
  ];
}

const everyContribution = `${contribution("c", "w", 1)}
  FROM work_orders w JOIN clusters c ON c.id = w.cluster_id WHERE w.department_code IS NOT NULL`;

/** The aggregates recomputed from scratch: what `map_department_cells` must equal (rows with n > 0; quantised centres since 0032). */
export const freshMapDepartmentCellsSql = quantised(`SELECT l.column1 AS level, d.department_code,
    d.zkey >> (2 * (${ZKEY_LEVEL} - l.column1)) AS cell, d.service_code, d.status,
    sum(d.n) AS n, sum(d.lat7) AS sum_lat, sum(d.lon7) AS sum_lon, sum(d.rid) AS sum_rowid
  FROM (VALUES ${LEVELS.join(", ")}) l, (${everyContribution}) d GROUP BY 1, 2, 3, 4, 5`);

/** Migration 0027's backfill: the finest level from the rows, then each coarser from the finer. */
export function mapDepartmentBackfill(): string[] {
  const statements = [
    `INSERT INTO map_department_cells (${COLUMNS}) SELECT ${AGG_MAX_LEVEL}, d.department_code,
    d.zkey >> ${2 * (ZKEY_LEVEL - AGG_MAX_LEVEL)}, d.service_code, d.status, sum(d.n), sum(d.lat7), sum(d.lon7), sum(d.rid)
  FROM (${everyContribution}) d GROUP BY 1, 2, 3, 4, 5;`,
  ];
  for (let level = AGG_MAX_LEVEL - 1; level >= AGG_MIN_LEVEL; level--)
    statements.push(`INSERT INTO map_department_cells (${COLUMNS}) SELECT ${level}, department_code, cell >> 2,
    service_code, status, sum(n), sum(sum_lat), sum(sum_lon), sum(sum_rowid)
  FROM map_department_cells WHERE level = ${level + 1} GROUP BY 1, 2, 3, 4, 5;`);
  return statements;
}
