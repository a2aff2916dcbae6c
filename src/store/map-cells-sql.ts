/**
 * The SQL text behind the map's aggregates, generated from the domain so it cannot drift from it:
 * the spatial key (`zkeySql`, the formula of `domain/zkey.ts`), the public status
 * (`publicStatusSql`, read off `publicStatus` itself) and the triggers that keep `map_cells`
 * equal to a fresh GROUP BY of the clusters. The triggers are written into the migration
 * (`npx tsx scripts/map-cell-triggers.ts` prints them); test/map-cells.test.ts checks that the
 * migration holds exactly this text and that the aggregates stay exact under random writes.
 *
 * Why triggers: a cluster's place, state, service and (through its work order) public status
 * change in a dozen write paths (intake, merges, moves, reroutes, reopenings, ratings, sensors).
 * A trigger runs inside the statement that changed the row, so the aggregate is written in the
 * same transaction — the same atomic batch — on libSQL and D1 alike, and no write path, present
 * or future, can forget it.
 */
import { publicStatus } from "../domain/public-status";
import { CLUSTER_STATES, WORK_ORDER_STATUSES } from "../domain/states";
import { rowColOfKey, ZKEY_LEVEL } from "../domain/zkey";

/** The levels `map_cells` keeps: the cells of zooms 0 to 16 (zoom z draws level z + 2). */
export const AGG_MIN_LEVEL = 2;
export const AGG_MAX_LEVEL = 18;

/** Coordinates are summed as integers of 1e-7 degree (about 1 cm), so sums never drift. */
export const COORD_SCALE = 1e7;

/** Since migration 0032 (`map-centre-sql.ts`), the level whose cell centres the aggregates sum: 360 / 2^22 degree, ~9.5 m of latitude. */
export const CENTRE_LEVEL = 22;

/**
 * A coordinate of `row` as the aggregates sum it, in 1e-7 degree: the centre of its cell of
 * `CENTRE_LEVEL`, with the row and column of `domain/zkey.ts` (the last cell holds the pole and
 * the antimeridian). The side in 1e-7 degree is a binary fraction, so the product is exact.
 */
export function centre7Sql(row: string, axis: "lat" | "lon"): string {
  const side = 360 / 2 ** CENTRE_LEVEL;
  const [offset, count] = axis === "lat" ? [90, 2 ** (CENTRE_LEVEL - 1)] : [180, 2 ** CENTRE_LEVEL];
  const index = `min(${count - 1}, CAST((${row}.${axis} + ${offset}) / ${side} AS INTEGER))`;
  return `CAST(round((${index} + 0.5) * ${side * COORD_SCALE} - ${offset * COORD_SCALE}) AS INTEGER)`;
}

/** What `centre7Sql` gives for both axes, from a key of `CENTRE_LEVEL` (a cluster's `zkey` shifted). */
export function centre7OfKey(key: number): { lat7: number; lon7: number } {
  const side = (360 / 2 ** CENTRE_LEVEL) * COORD_SCALE;
  const { row, col } = rowColOfKey(key, CENTRE_LEVEL);
  // The products are exact (side is a binary fraction) and never halfway, so both roundings agree.
  return {
    lat7: Math.round((row + 0.5) * side - 90 * COORD_SCALE),
    lon7: Math.round((col + 0.5) * side - 180 * COORD_SCALE),
  };
}

/** Every summed coordinate of the earlier generators' text (`CAST(round(X.lat * 1e7) AS INTEGER)`) made quantised. */
export function quantised(text: string): string {
  const exact = new RegExp(`CAST\\(round\\((\\w+)\\.(lat|lon) \\* ${COORD_SCALE}\\) AS INTEGER\\)`, "g");
  return text.replace(exact, (_, row: string, axis: "lat" | "lon") => centre7Sql(row, axis));
}

const axis = (value: string, offset: number, count: number) =>
  `min(${count - 1}, CAST((${value} + ${offset}) / ${360 / 2 ** ZKEY_LEVEL} AS INTEGER))`;

/**
 * The key of `domain/zkey.ts` as an SQL expression of two columns (no subquery: a generated column).
 * Every term is parenthesised: SQLite gives `&`, `|`, `<<` and `>>` one precedence, left to right.
 */
export function zkeySql(lat: string, lon: string): string {
  const row = axis(lat, 90, 2 ** (ZKEY_LEVEL - 1));
  const col = axis(lon, 180, 2 ** ZKEY_LEVEL);
  const bits: string[] = [];
  for (let bit = 0; bit < ZKEY_LEVEL; bit++) {
    bits.push(`(((${col} >> ${bit}) & 1) << ${2 * bit})`);
    if (bit < ZKEY_LEVEL - 1) bits.push(`(((${row} >> ${bit}) & 1) << ${2 * bit + 1})`);
  }
  return bits.join(" | ");
}

/** The public status of a cluster state and a work-order status (or NULL), as an SQL CASE. */
export function publicStatusSql(state: string, workOrder: string): string {
  const arms: string[] = [];
  for (const s of CLUSTER_STATES) {
    for (const w of [null, ...WORK_ORDER_STATUSES]) {
      arms.push(`WHEN ${w === null ? `'${s}/'` : `'${s}/${w}'`} THEN '${publicStatus(s, w)}'`);
    }
  }
  return `CASE ${state} || '/' || coalesce(${workOrder}, '') ${arms.join(" ")} END`;
}

const LEVELS = Array.from({ length: AGG_MAX_LEVEL - AGG_MIN_LEVEL + 1 }, (_, i) => `(${AGG_MIN_LEVEL + i})`);

/** What one cluster row adds (`sign` 1) or takes away (-1), with its work order's status. */
const contribution = (row: string, workOrder: string, sign: 1 | -1) =>
  `SELECT ${row}.zkey AS zkey, ${row}.service_code AS service_code,
      ${publicStatusSql(`${row}.state`, workOrder)} AS status, ${sign} AS n,
      ${sign} * CAST(round(${row}.lat * ${COORD_SCALE}) AS INTEGER) AS lat7,
      ${sign} * CAST(round(${row}.lon * ${COORD_SCALE}) AS INTEGER) AS lon7, ${sign} * ${row}.rowid AS rid`;

/** Adds the rows of `changes` (contributions) to every level's cell, bumping each cell's version. */
const apply = (
  changes: string,
) => `INSERT INTO map_cells (level, cell, service_code, status, n, sum_lat, sum_lon, sum_rowid, version)
  SELECT l.column1, d.zkey >> (2 * (${ZKEY_LEVEL} - l.column1)), d.service_code, d.status, d.n, d.lat7, d.lon7, d.rid, 1
  FROM (VALUES ${LEVELS.join(", ")}) l, (${changes}) d WHERE true
  ON CONFLICT (level, cell, service_code, status) DO UPDATE SET n = n + excluded.n,
    sum_lat = sum_lat + excluded.sum_lat, sum_lon = sum_lon + excluded.sum_lon,
    sum_rowid = sum_rowid + excluded.sum_rowid, version = version + 1;`;

const woOf = (row: "NEW" | "OLD" | "c") => `(SELECT status FROM work_orders WHERE cluster_id = ${row}.id)`;
/** The cluster of a work order, as NEW/OLD would name it inside a trigger on `work_orders`. */
const clusterOfWo = (row: "NEW" | "OLD", workOrder: string, sign: 1 | -1) =>
  `${contribution("c", workOrder, sign)} FROM clusters c WHERE c.id = ${row}.cluster_id`;

/** The triggers that keep `map_cells`, in the order the migration creates them. */
export function mapCellTriggers(): string[] {
  const trigger = (name: string, when: string, body: string) =>
    `CREATE TRIGGER ${name} AFTER ${when} FOR EACH ROW BEGIN\n  ${body}\nEND;`;
  return [
    trigger("map_cells_cluster_insert", "INSERT ON clusters", apply(contribution("NEW", woOf("NEW"), 1))),
    trigger("map_cells_cluster_delete", "DELETE ON clusters", apply(contribution("OLD", woOf("OLD"), -1))),
    // Counts and the last report time change what a pin shows: they bump the version too.
    trigger(
      "map_cells_cluster_update",
      "UPDATE OF lat, lon, state, service_code, report_count, reporter_count, last_report_at ON clusters",
      apply(`${contribution("OLD", woOf("OLD"), -1)} UNION ALL ${contribution("NEW", woOf("NEW"), 1)}`),
    ),
    trigger(
      "map_cells_work_order_insert",
      "INSERT ON work_orders",
      apply(`${clusterOfWo("NEW", "NULL", -1)} UNION ALL ${clusterOfWo("NEW", "NEW.status", 1)}`),
    ),
    trigger(
      "map_cells_work_order_delete",
      "DELETE ON work_orders",
      apply(`${clusterOfWo("OLD", "OLD.status", -1)} UNION ALL ${clusterOfWo("OLD", "NULL", 1)}`),
    ),
    // The department and the deadlines are on the pin (its flag): they bump the version too.
    trigger(
      "map_cells_work_order_update",
      "UPDATE OF status, cluster_id, department_code, ack_due_at, resolve_due_at, deadlines_from ON work_orders",
      apply(`${clusterOfWo("OLD", "OLD.status", -1)} UNION ALL ${clusterOfWo("NEW", "NEW.status", 1)}`),
    ),
  ];
}

/**
 * Migration 0026. The cluster update split in two: a report joining a cluster nearly always leaves it in its finest cell with its state and service, so its status and every level's row are the
 * same before and after: one row per level gets the centre's move added (and its version
 * bumped), where the general trigger wrote the old contribution out and the new one in (34 rows).
 * Any other update (a move to another cell, a state or service change) takes the general trigger.
 * And a work order moved to another cluster (no write path does today) took its old status out
 * of the old cluster and put its new one into the new cluster, leaving the old cluster counted
 * nowhere and the new one twice: now the old cluster is put back without a work order and the
 * new one taken out as it stood without one (one work order per cluster).
 */
export function mapCellTriggersOf0026(): string[] {
  const shift = 2 * (ZKEY_LEVEL - AGG_MAX_LEVEL);
  const stays = `OLD.state IS NEW.state AND OLD.service_code IS NEW.service_code AND OLD.rowid IS NEW.rowid
    AND (OLD.zkey >> ${shift}) IS (NEW.zkey >> ${shift})`;
  const delta = (axis: "lat" | "lon") =>
    `CAST(round(NEW.${axis} * ${COORD_SCALE}) AS INTEGER) - CAST(round(OLD.${axis} * ${COORD_SCALE}) AS INTEGER)`;
  const move = `SELECT NEW.zkey AS zkey, NEW.service_code AS service_code,
      ${publicStatusSql("NEW.state", woOf("NEW"))} AS status, 0 AS n, ${delta("lat")} AS lat7, ${delta("lon")} AS lon7, 0 AS rid`;
  const [, , general, , , workOrderUpdate] = mapCellTriggers();
  const moved = "AND OLD.cluster_id IS NOT NEW.cluster_id";
  const workOrderMove = [
    `${clusterOfWo("OLD", "OLD.status", -1)} UNION ALL ${clusterOfWo("NEW", "NEW.status", 1)}`,
    `${clusterOfWo("OLD", "NULL", 1)} ${moved} UNION ALL ${clusterOfWo("NEW", "NULL", -1)} ${moved}`,
  ].join(" UNION ALL ");
  return [
    "DROP TRIGGER map_cells_work_order_update;",
    `${(workOrderUpdate as string).split(" BEGIN\n")[0]} BEGIN\n  ${apply(workOrderMove)}\nEND;`,
    "DROP TRIGGER map_cells_cluster_update;",
    (general as string).replace(" FOR EACH ROW BEGIN", ` FOR EACH ROW WHEN NOT (${stays}) BEGIN`),
    `CREATE TRIGGER map_cells_cluster_stay AFTER UPDATE OF lat, lon, state, service_code, report_count, reporter_count, last_report_at ON clusters FOR EACH ROW WHEN ${stays} BEGIN\n  ${apply(move)}\nEND;`,
  ];
}

/**
 * Hiding or restoring a report changes its cluster's pin (`said`, the latest visible words) but
 * no count: this trigger adds nothing to the cluster's cells and only bumps their versions, so
 * the tiles holding the pin get a new ETag. Created by migration 0015 (after those above).
 */
export function mapCellReportTrigger(): string {
  const touch = `SELECT c.zkey AS zkey, c.service_code AS service_code,
      ${publicStatusSql("c.state", woOf("c"))} AS status, 0 AS n, 0 AS lat7, 0 AS lon7, 0 AS rid
    FROM clusters c WHERE c.id = NEW.cluster_id`;
  return `CREATE TRIGGER map_cells_report_visibility AFTER UPDATE OF hidden_at, description ON reports FOR EACH ROW BEGIN\n  ${apply(touch)}\nEND;`;
}

/**
 * `work_orders.zkey` kept equal to its cluster's key (migration 0015): set when a work order is
 * written or moves to another cluster, and when a cluster moves. Like the aggregates, in the
 * statement that changes the row, so no write path can leave it stale.
 */
export function workOrderZkeyTriggers(): string[] {
  const copy = `UPDATE work_orders SET zkey = (SELECT zkey FROM clusters WHERE id = NEW.cluster_id) WHERE id = NEW.id;`;
  return [
    `CREATE TRIGGER work_orders_zkey_insert AFTER INSERT ON work_orders FOR EACH ROW BEGIN\n  ${copy}\nEND;`,
    `CREATE TRIGGER work_orders_zkey_move AFTER UPDATE OF cluster_id ON work_orders FOR EACH ROW BEGIN\n  ${copy}\nEND;`,
    `CREATE TRIGGER clusters_zkey_to_work_orders AFTER UPDATE OF lat, lon ON clusters FOR EACH ROW BEGIN\n  UPDATE work_orders SET zkey = NEW.zkey WHERE cluster_id = NEW.id;\nEND;`,
  ];
}

/** The aggregates recomputed from scratch: what `map_cells` must equal (rows with n > 0), quantised centres (0032). */
export const freshMapCellsSql = `SELECT l.column1 AS level, c.zkey >> (2 * (${ZKEY_LEVEL} - l.column1)) AS cell,
    c.service_code, ${publicStatusSql("c.state", "w.status")} AS status, count(*) AS n,
    sum(${centre7Sql("c", "lat")}) AS sum_lat, sum(${centre7Sql("c", "lon")}) AS sum_lon, sum(c.rowid) AS sum_rowid
  FROM (VALUES ${LEVELS.join(", ")}) l, clusters c LEFT JOIN work_orders w ON w.cluster_id = c.id
  GROUP BY 1, 2, 3, 4`;
