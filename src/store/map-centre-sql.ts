/**
 * Migration 0032: the map's aggregates (`map_cells`, `map_time_cells`, `map_department_cells`)
 * sum each cluster's centre quantised to the centre of its cell of `CENTRE_LEVEL` (~9.5 m), not
 * the centre itself (1e-7 degree).
 *
 * Why: a report joining a cluster moves its centre by a few metres. Summed to the centimetre,
 * every such move was written into up to 64 rows over time, 17 over space (and 17 per
 * department's work order). Quantised, the summed centre only changes when the cluster's centre
 * crosses into another ~9.5 m cell, so a report that leaves it in its cell (and in its hour)
 * writes no row over time nor per department, and over space only bumps the versions the tiles'
 * ETags read (the pin's counts change). A grouped cell's centroid is then the mean of its clusters'
 * quantised centres: at most half a quantum (~4.8 m, two pixels at zoom 16) from the exact mean,
 * and always inside the cell, as the quantum's cell lies inside every coarser one. A pin of one
 * cluster is read from the cluster row (`pinsByRowids`), exact as before.
 *
 * The triggers are those of migrations 0010–0027 with every summed coordinate replaced
 * (`quantised`), so they cannot drift from the generators that made those; the two whose writes
 * a join now leaves unchanged get a `WHEN` that skips them outright.
 * `npx tsx scripts/map-cell-triggers.ts --0032` prints what the migration holds.
 */
import { HOUR_MS } from "../domain/hour-blocks";
import { ZKEY_LEVEL } from "../domain/zkey";
import {
  AGG_MAX_LEVEL,
  AGG_MIN_LEVEL,
  centre7Sql,
  mapCellTriggers,
  mapCellTriggersOf0026,
  publicStatusSql,
  quantised,
} from "./map-cells-sql";
import { mapDepartmentBackfill, mapDepartmentTriggers } from "./map-department-sql";
import { mapTimeBackfill, mapTimeClusterUpdateTriggers, mapTimeTriggers } from "./map-time-sql";
import { reportUpdateTriggerOf0032 } from "./rollup-sql";

const nameOf = (trigger: string) => /^CREATE TRIGGER (\w+)/.exec(trigger)?.[1] ?? "";
/** The triggers this migration adds; every other one replaces a trigger of the same name. */
const ADDED = new Set(["map_cells_cluster_touch"]);
const replace = (trigger: string) =>
  ADDED.has(nameOf(trigger)) ? [trigger] : [`DROP TRIGGER ${nameOf(trigger)};`, trigger];
/** Adds a condition to a trigger's `WHEN` (or gives it one). */
const when = (trigger: string, condition: string) =>
  (trigger.split(" BEGIN\n")[0] ?? "").includes(" WHEN ")
    ? trigger.replace(" BEGIN\n", ` AND (${condition}) BEGIN\n`)
    : trigger.replace(" FOR EACH ROW BEGIN\n", ` FOR EACH ROW WHEN ${condition} BEGIN\n`);

const centreMoved = `${centre7Sql("OLD", "lat")} <> ${centre7Sql("NEW", "lat")} OR ${centre7Sql("OLD", "lon")} <> ${centre7Sql("NEW", "lon")}`;
const finest = 2 * (ZKEY_LEVEL - AGG_MAX_LEVEL);

/**
 * A join that leaves the cluster's cells, status, service and quantum: no sum changes, but the pin
 * shows new counts, so the tiles' versions move, at the even levels only (the tiles of an odd
 * level read the versions of the level above, `boxVersion`): 9 rows where every level was 17.
 */
function touch(stay: string): string {
  const header = (stay.split(" BEGIN\n")[0] ?? "").replace(
    "map_cells_cluster_stay",
    "map_cells_cluster_touch",
  );
  const levels = Array.from(
    { length: (AGG_MAX_LEVEL - AGG_MIN_LEVEL) / 2 + 1 },
    (_, i) => `(${AGG_MIN_LEVEL + 2 * i})`,
  );
  const status = publicStatusSql("NEW.state", "(SELECT status FROM work_orders WHERE cluster_id = NEW.id)");
  return `${header} AND NOT (${centreMoved}) BEGIN
  INSERT INTO map_cells (level, cell, service_code, status, n, sum_lat, sum_lon, sum_rowid, version)
  SELECT l.column1, NEW.zkey >> (2 * (${ZKEY_LEVEL} - l.column1)), NEW.service_code, ${status}, 0, 0, 0, 0, 1
  FROM (VALUES ${levels.join(", ")}) l WHERE true
  ON CONFLICT (level, cell, service_code, status) DO UPDATE SET version = version + 1;
END;`;
}

/** `map_cells` at the finest level from the clusters, then each coarser level from the finer. */
function mapCellsSums(): string[] {
  const set = `UPDATE map_cells SET sum_lat = f.sum_lat, sum_lon = f.sum_lon, version = version + 1 FROM`;
  const match = (level: number) => `WHERE map_cells.level = ${level} AND map_cells.cell = f.cell
    AND map_cells.service_code = f.service_code AND map_cells.status = f.status;`;
  const statements = [
    `${set} (SELECT c.zkey >> ${finest} AS cell, c.service_code, ${publicStatusSql("c.state", "w.status")} AS status,
      sum(${centre7Sql("c", "lat")}) AS sum_lat, sum(${centre7Sql("c", "lon")}) AS sum_lon
    FROM clusters c LEFT JOIN work_orders w ON w.cluster_id = c.id GROUP BY 1, 2, 3) f ${match(AGG_MAX_LEVEL)}`,
  ];
  for (let level = AGG_MAX_LEVEL - 1; level >= AGG_MIN_LEVEL; level--)
    statements.push(`${set} (SELECT cell >> 2 AS cell, service_code, status, sum(sum_lat) AS sum_lat,
      sum(sum_lon) AS sum_lon FROM map_cells WHERE level = ${level + 1} GROUP BY 1, 2, 3) f ${match(level)}`);
  return statements;
}

/**
 * Migration 0032: every trigger summing coordinates replaced by its quantised text, then the sums
 * recomputed; and the league's report trigger skipped when it would change nothing (`rollup-sql.ts`).
 */
export function quantisedCentresOf0032(): string[] {
  const [cellInsert, cellDelete, , cellWoInsert, cellWoDelete] = mapCellTriggers();
  const [, cellWoUpdate, , cellGeneral, cellStay] = mapCellTriggersOf0026();
  const [timeInsert, timeDelete, , timeWoInsert, timeWoDelete, timeWoUpdate] = mapTimeTriggers([
    "due",
    "yellow",
  ]);
  const [, timeGeneral, timeStay] = mapTimeClusterUpdateTriggers(["due", "yellow"]);
  const [depDelete, depUpdate, depWoInsert, depWoDelete, depWoUpdate] = mapDepartmentTriggers();
  const hourMoved = `CAST(OLD.last_report_at AS INTEGER) / ${HOUR_MS} IS NOT CAST(NEW.last_report_at AS INTEGER) / ${HOUR_MS}`;
  const triggers = [
    cellInsert,
    cellDelete,
    cellWoInsert,
    cellWoDelete,
    cellWoUpdate,
    cellGeneral,
    // A join whose centre moves to another quantum: the move into every level's row.
    when(cellStay as string, centreMoved),
    touch(cellStay as string),
    timeInsert,
    timeDelete,
    timeGeneral,
    // A join in the same hour whose centre stays in its quantum changes no row over time.
    when(timeStay as string, `${centreMoved} OR ${hourMoved}`),
    timeWoInsert,
    timeWoDelete,
    timeWoUpdate,
    depDelete,
    // Nor a department's rows while its cell, status, service and quantum stay.
    when(
      depUpdate as string,
      `NOT (OLD.state IS NEW.state AND OLD.service_code IS NEW.service_code AND OLD.rowid IS NEW.rowid
    AND (OLD.zkey >> ${finest}) IS (NEW.zkey >> ${finest})) OR ${centreMoved}`,
    ),
    depWoInsert,
    depWoDelete,
    depWoUpdate,
  ].map((t) => quantised(t as string));
  return [
    ...triggers.flatMap(replace),
    ...mapCellsSums(),
    "DELETE FROM map_time_cells;",
    ...[...mapTimeBackfill(), ...mapTimeBackfill("yellow")].map(quantised),
    "DELETE FROM map_department_cells;",
    ...mapDepartmentBackfill().map(quantised),
    ...reportUpdateTriggerOf0032(),
  ];
}
