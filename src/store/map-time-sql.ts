/**
 * The SQL text behind `map_time_cells`, the map's aggregates over time, generated like
 * `map-cells-sql.ts`: per grid level and cell, service, and block of hours (`domain/hour-blocks.ts`)
 * of one time of each cluster, how many clusters and the sums of their coordinates and rowids.
 *
 * - kind 'last', the cluster's last report: `since` counts the blocks from the hour after it, plus
 *   the clusters reported in its partial hour (read one by one: an hour's reports).
 * - kind 'due', the deadline the cluster's work order owes now (`next_due_at`, null when none
 *   runs). Red ("overdue now") changes with the clock but the deadline itself only with writes, so
 *   "overdue now" is "due before now": the blocks before the current hour, plus the deadlines
 *   falling due within it so far (read one by one). Both stay exact at any instant without any
 *   job rewriting rows as time passes.
 *
 * The triggers add a change's rows minus the old ones in one grouped statement, so blocks a write
 * leaves where they were (a report in the same hour, a cluster moving inside its cell) cost no
 * row; a row whose count returns to 0 is deleted, so the table holds only what exists.
 * `npx tsx scripts/map-cell-triggers.ts --0023` prints what migration 0023 holds;
 * test/map-time.test.ts checks it and that the table equals `freshMapTimeCellsSql` after writes.
 */
import { HOUR_BASE_BITS, HOUR_LEVELS, HOUR_MS } from "../domain/hour-blocks";
import { ZKEY_LEVEL } from "../domain/zkey";
import { AGG_MIN_LEVEL, COORD_SCALE, quantised } from "./map-cells-sql";

/**
 * The grid levels kept over time: every other level from `AGG_MIN_LEVEL` to the cells of zoom 14.
 * Each level kept is one row per block level on every write (a report costs rows, not reads),
 * so a view between two levels is grouped at the coarser one (cells twice as wide), and finer
 * views, which hold few clusters, are listed from the finest (a cell holding several is read by
 * key, `map-view.ts`).
 */
export const TIME_MAX_LEVEL = 16;
export const TIME_LEVEL_STEP = 2;

const LEVELS = Array.from(
  { length: (TIME_MAX_LEVEL - AGG_MIN_LEVEL) / TIME_LEVEL_STEP + 1 },
  (_, i) => `(${AGG_MIN_LEVEL + TIME_LEVEL_STEP * i})`,
);
const TLEVELS = Array.from({ length: HOUR_LEVELS }, (_, i) => `(${i})`);

const hourSql = (at: string) => `CAST(${at} AS INTEGER) / ${HOUR_MS}`;
const sums = (row: string, sign: 1 | -1) =>
  `${sign} AS n, ${sign} * CAST(round(${row}.lat * ${COORD_SCALE}) AS INTEGER) AS lat7,
      ${sign} * CAST(round(${row}.lon * ${COORD_SCALE}) AS INTEGER) AS lon7, ${sign} * ${row}.rowid AS rid`;

/** A cluster row's 'last' contribution. */
const last = (row: "NEW" | "OLD", sign: 1 | -1) =>
  `SELECT 'last' AS kind, ${row}.zkey AS zkey, ${row}.service_code AS service_code,
      ${hourSql(`${row}.last_report_at`)} AS hour, ${sums(row, sign)}`;

/**
 * The work-order times kept: 'due' the deadline owed now (`next_due_at`), and (migration 0027)
 * 'yellow' the earlier of when it turns yellow and that deadline (`yellow_from`). "Nearly due now"
 * is yellow_from ≤ now ≤ due: the clusters of 'yellow' up to now minus those of 'due' before now
 * (yellow_from ≤ due, so every one of those is in the first), minus those falling due exactly now
 * that turn yellow only after their deadline (`store/map-time.ts`).
 */
export type DeadlineKind = "due" | "yellow";
const TIME_OF: Record<DeadlineKind, string> = { due: "next_due_at", yellow: "yellow_from" };
/** `work_orders.yellow_from`, a generated column (null when no deadline runs). */
export const yellowFromSql = "min(yellow_at, next_due_at)";

/** The `kind` contribution of a cluster row `c` (as `FROM` gives it) with its work order `w`. */
const due = (sign: 1 | -1, kind: DeadlineKind = "due") =>
  `SELECT '${kind}' AS kind, c.zkey AS zkey, c.service_code AS service_code, ${hourSql(`w.${TIME_OF[kind]}`)} AS hour,
      ${sums("c", sign)}`;
const dueOfCluster = (row: "NEW" | "OLD", sign: 1 | -1, kind: DeadlineKind = "due") =>
  `${due(sign, kind).replaceAll("c.", `${row}.`)} FROM work_orders w WHERE w.cluster_id = ${row}.id AND w.${TIME_OF[kind]} IS NOT NULL`;
const dueOfWorkOrder = (row: "NEW" | "OLD", sign: 1 | -1, kind: DeadlineKind = "due") =>
  `${due(sign, kind).replaceAll("w.", `${row}.`)} FROM clusters c WHERE c.id = ${row}.cluster_id AND ${row}.${TIME_OF[kind]} IS NOT NULL`;

/** Adds the rows of `changes` to every level's cell and every level's block, netted per row. */
const apply = (
  changes: string,
) => `INSERT INTO map_time_cells (kind, level, cell, tlevel, tblock, service_code,
    n, sum_lat, sum_lon, sum_rowid)
  SELECT d.kind, l.column1, d.zkey >> (2 * (${ZKEY_LEVEL} - l.column1)), t.column1,
    d.hour >> (${HOUR_BASE_BITS} * t.column1), d.service_code, sum(d.n), sum(d.lat7), sum(d.lon7), sum(d.rid)
  FROM (SELECT * FROM (${changes}) LIMIT -1) d CROSS JOIN (VALUES ${LEVELS.join(", ")}) l CROSS JOIN (VALUES ${TLEVELS.join(", ")}) t WHERE true
  GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(d.n) <> 0 OR sum(d.lat7) <> 0 OR sum(d.lon7) <> 0 OR sum(d.rid) <> 0
  ON CONFLICT (kind, level, cell, tlevel, tblock, service_code) DO UPDATE SET n = n + excluded.n,
    sum_lat = sum_lat + excluded.sum_lat, sum_lon = sum_lon + excluded.sum_lon,
    sum_rowid = sum_rowid + excluded.sum_rowid;`;

/**
 * The triggers that keep `map_time_cells`, in the order migration 0023 creates them; with
 * `kinds` ["due", "yellow"], those of migration 0027 (the yellow time depends on `deadlines_from`).
 */
export function mapTimeTriggers(kinds: DeadlineKind[] = ["due"]): string[] {
  const trigger = (name: string, when: string, body: string) =>
    `CREATE TRIGGER ${name} AFTER ${when} FOR EACH ROW BEGIN\n  ${body}\nEND;`;
  // D1 refuses a compound SELECT of more than a few terms ("too many terms in compound SELECT"),
  // so a longer union is two halves, each read as a subquery.
  const union = (...parts: string[]): string => {
    if (parts.length <= 4) return parts.join(" UNION ALL ");
    const half = Math.ceil(parts.length / 2);
    return [parts.slice(0, half), parts.slice(half)]
      .map((p) => `SELECT * FROM (${union(...p)})`)
      .join(" UNION ALL ");
  };
  const ofCluster = (row: "NEW" | "OLD", sign: 1 | -1) => kinds.map((k) => dueOfCluster(row, sign, k));
  const ofWorkOrder = (row: "NEW" | "OLD", sign: 1 | -1) => kinds.map((k) => dueOfWorkOrder(row, sign, k));
  const woColumns = kinds.includes("yellow") ? ", deadlines_from" : "";
  return [
    trigger("map_time_cluster_insert", "INSERT ON clusters", apply(last("NEW", 1))),
    trigger(
      "map_time_cluster_delete",
      "DELETE ON clusters",
      apply(union(last("OLD", -1), ...ofCluster("OLD", -1))),
    ),
    trigger(
      "map_time_cluster_update",
      "UPDATE OF lat, lon, service_code, last_report_at ON clusters",
      apply(union(last("OLD", -1), last("NEW", 1), ...ofCluster("OLD", -1), ...ofCluster("NEW", 1))),
    ),
    trigger("map_time_work_order_insert", "INSERT ON work_orders", apply(union(...ofWorkOrder("NEW", 1)))),
    trigger("map_time_work_order_delete", "DELETE ON work_orders", apply(union(...ofWorkOrder("OLD", -1)))),
    trigger(
      "map_time_work_order_update",
      `UPDATE OF status, cluster_id, ack_due_at, resolve_due_at${woColumns} ON work_orders`,
      apply(union(...ofWorkOrder("OLD", -1), ...ofWorkOrder("NEW", 1))),
    ),
    // Rows of nothing go: the table holds what exists, not every hour a cluster ever passed.
    `CREATE TRIGGER map_time_cells_empty AFTER UPDATE OF n ON map_time_cells FOR EACH ROW WHEN NEW.n = 0 BEGIN
  DELETE FROM map_time_cells WHERE kind = NEW.kind AND level = NEW.level AND cell = NEW.cell
    AND tlevel = NEW.tlevel AND tblock = NEW.tblock AND service_code = NEW.service_code;
END;`,
  ];
}

const lat7 = (row: string) => `CAST(round(${row}.lat * ${COORD_SCALE}) AS INTEGER)`;
const lon7 = (row: string) => `CAST(round(${row}.lon * ${COORD_SCALE}) AS INTEGER)`;
const blockAt = (hour: string) => `${hour} >> (${HOUR_BASE_BITS} * t.column1)`;
/** A cluster update that leaves it in its finest kept cell, its service and its rowid. */
const staysInCell = `OLD.service_code IS NEW.service_code AND OLD.rowid IS NEW.rowid
    AND (OLD.zkey >> ${2 * (ZKEY_LEVEL - TIME_MAX_LEVEL)}) IS (NEW.zkey >> ${2 * (ZKEY_LEVEL - TIME_MAX_LEVEL)})`;
const cellAt = `NEW.zkey >> (2 * (${ZKEY_LEVEL} - l.column1))`;
const grid = `(VALUES ${LEVELS.join(", ")}) l CROSS JOIN (VALUES ${TLEVELS.join(", ")}) t`;

/**
 * Migration 0026: the cluster update split in two. A report joining a cluster moves its centre a
 * little and its last report later, nearly always inside the same finest cell; the general
 * trigger then built 144 contributions (old and new, 'last' and 'due', 9 levels × 4 block
 * levels), sorted and netted them, and upserted up to 72 rows (~175 µs of a report). For an
 * update inside the cell, the rows are known without netting: the blocks the cluster stays in
 * (every 'due' block, the 'last' blocks its hour did not leave) get the centre's move added to
 * their sums, and only the 'last' blocks its hour left and entered get −1 and +1. The counts of
 * the staying blocks are not written, so `map_time_cells_empty` does not run for them.
 */
export function mapTimeClusterUpdateTriggers(kinds: DeadlineKind[] = ["due"]): string[] {
  const update = "UPDATE OF lat, lon, service_code, last_report_at ON clusters";
  const hours = `SELECT 'last' AS kind, ${hourSql("OLD.last_report_at")} AS old_hour, ${hourSql("NEW.last_report_at")} AS new_hour${kinds
    .map(
      (k) => `
      UNION ALL SELECT '${k}', ${hourSql(`w.${TIME_OF[k]}`)}, ${hourSql(`w.${TIME_OF[k]}`)}
      FROM work_orders w WHERE w.cluster_id = NEW.id AND w.${TIME_OF[k]} IS NOT NULL`,
    )
    .join("")}`;
  // An upsert, as it finds each row by its key (an UPDATE with these keys in a list scans the
  // kind); the rows exist (the cluster is in them), and the count is left alone.
  const stay = `INSERT INTO map_time_cells (kind, level, cell, tlevel, tblock, service_code, n, sum_lat, sum_lon, sum_rowid)
    SELECT h.kind, l.column1, ${cellAt}, t.column1, ${blockAt("h.new_hour")}, NEW.service_code, 0,
      ${lat7("NEW")} - ${lat7("OLD")}, ${lon7("NEW")} - ${lon7("OLD")}, 0
    FROM (${hours}) h CROSS JOIN ${grid}
    WHERE ${blockAt("h.old_hour")} = ${blockAt("h.new_hour")}
      AND (${lat7("NEW")} <> ${lat7("OLD")} OR ${lon7("NEW")} <> ${lon7("OLD")})
    ON CONFLICT (kind, level, cell, tlevel, tblock, service_code) DO UPDATE SET
      sum_lat = sum_lat + excluded.sum_lat, sum_lon = sum_lon + excluded.sum_lon;`;
  const side = (row: "OLD" | "NEW", sign: 1 | -1) =>
    `SELECT ${hourSql(`${row}.last_report_at`)} AS hour, ${sign} AS n, ${sign} * ${lat7(row)} AS lat7,
        ${sign} * ${lon7(row)} AS lon7, ${sign} * ${row}.rowid AS rid`;
  const move = `INSERT INTO map_time_cells (kind, level, cell, tlevel, tblock, service_code, n, sum_lat, sum_lon, sum_rowid)
    SELECT 'last', l.column1, ${cellAt}, t.column1, ${blockAt("d.hour")}, NEW.service_code, d.n, d.lat7, d.lon7, d.rid
    FROM (${side("OLD", -1)} UNION ALL ${side("NEW", 1)}) d CROSS JOIN ${grid}
    WHERE ${blockAt(hourSql("OLD.last_report_at"))} <> ${blockAt(hourSql("NEW.last_report_at"))}
    ON CONFLICT (kind, level, cell, tlevel, tblock, service_code) DO UPDATE SET n = n + excluded.n,
      sum_lat = sum_lat + excluded.sum_lat, sum_lon = sum_lon + excluded.sum_lon,
      sum_rowid = sum_rowid + excluded.sum_rowid;`;
  const [, , general] = mapTimeTriggers(kinds);
  return [
    "DROP TRIGGER map_time_cluster_update;",
    (general as string).replace(" FOR EACH ROW BEGIN", ` FOR EACH ROW WHEN NOT (${staysInCell}) BEGIN`),
    `CREATE TRIGGER map_time_cluster_stay AFTER ${update} FOR EACH ROW WHEN ${staysInCell} BEGIN\n  ${stay}\n  ${move}\nEND;`,
  ];
}

/** Every work order's `kind` contribution, as the triggers would have added them one by one. */
const everyDue = (kind: DeadlineKind) =>
  `${due(1, kind)} FROM work_orders w JOIN clusters c ON c.id = w.cluster_id WHERE w.${TIME_OF[kind]} IS NOT NULL`;
/** Every cluster's contributions, as the triggers would have added them one by one. */
const everyContribution = `SELECT 'last' AS kind, c.zkey AS zkey, c.service_code AS service_code,
      ${hourSql("c.last_report_at")} AS hour, ${sums("c", 1)} FROM clusters c
  UNION ALL ${everyDue("due")}`;

/** The aggregates recomputed from scratch: what `map_time_cells` must equal (quantised centres since 0032). */
export const freshMapTimeCellsSql =
  quantised(`SELECT d.kind, l.column1 AS level, d.zkey >> (2 * (${ZKEY_LEVEL} - l.column1)) AS cell,
    t.column1 AS tlevel, d.hour >> (${HOUR_BASE_BITS} * t.column1) AS tblock, d.service_code,
    sum(d.n) AS n, sum(d.lat7) AS sum_lat, sum(d.lon7) AS sum_lon, sum(d.rid) AS sum_rowid
  FROM (VALUES ${LEVELS.join(", ")}) l, (VALUES ${TLEVELS.join(", ")}) t, (${everyContribution} UNION ALL ${everyDue("yellow")}) d
  GROUP BY 1, 2, 3, 4, 5, 6`);

/**
 * Migration 0023's backfill: the finest level and block from the rows, then each coarser block
 * from the finer one and each coarser level from the finer one (each step reads the rows of the
 * step before, never all clusters times all levels).
 */
export function mapTimeBackfill(only?: "yellow"): string[] {
  const cols = "kind, level, cell, tlevel, tblock, service_code, n, sum_lat, sum_lon, sum_rowid";
  const ofKind = only ? ` AND kind = '${only}'` : "";
  const roll = (level: string, cell: string, tlevel: string, tblock: string, from: string) =>
    `INSERT INTO map_time_cells (${cols}) SELECT kind, ${level}, ${cell}, ${tlevel}, ${tblock}, service_code,
    sum(n), sum(sum_lat), sum(sum_lon), sum(sum_rowid) FROM map_time_cells WHERE ${from}${ofKind} GROUP BY 1, 2, 3, 4, 5, 6;`;
  const statements = [
    `INSERT INTO map_time_cells (${cols}) SELECT d.kind, ${TIME_MAX_LEVEL}, d.zkey >> ${2 * (ZKEY_LEVEL - TIME_MAX_LEVEL)}, 0, d.hour,
    d.service_code, sum(d.n), sum(d.lat7), sum(d.lon7), sum(d.rid) FROM (${only ? everyDue(only) : everyContribution}) d GROUP BY 1, 2, 3, 4, 5, 6;`,
  ];
  for (let t = 1; t < HOUR_LEVELS; t++)
    statements.push(
      roll(
        `${TIME_MAX_LEVEL}`,
        "cell",
        `${t}`,
        `tblock >> ${HOUR_BASE_BITS}`,
        `level = ${TIME_MAX_LEVEL} AND tlevel = ${t - 1}`,
      ),
    );
  for (let level = TIME_MAX_LEVEL - TIME_LEVEL_STEP; level >= AGG_MIN_LEVEL; level -= TIME_LEVEL_STEP)
    statements.push(
      roll(
        `${level}`,
        `cell >> ${2 * TIME_LEVEL_STEP}`,
        "tlevel",
        "tblock",
        `level = ${level + TIME_LEVEL_STEP}`,
      ),
    );
  return statements;
}

/**
 * Migration 0027: the 'yellow' kind. Every trigger writing 'due' rows is recreated to write the
 * 'yellow' rows beside them (the work order's update also on `deadlines_from`), then the yellow
 * rows of the work orders that exist are backfilled.
 */
export function mapTimeYellowOf0027(): string[] {
  const [, del, , woInsert, woDelete, woUpdate] = mapTimeTriggers(["due", "yellow"]);
  const [, generalWhen, stay] = mapTimeClusterUpdateTriggers(["due", "yellow"]);
  const drop = (name: string) => `DROP TRIGGER ${name};`;
  return [
    drop("map_time_cluster_delete"),
    del as string,
    drop("map_time_cluster_update"),
    generalWhen as string,
    drop("map_time_cluster_stay"),
    stay as string,
    drop("map_time_work_order_insert"),
    woInsert as string,
    drop("map_time_work_order_delete"),
    woDelete as string,
    drop("map_time_work_order_update"),
    woUpdate as string,
    ...mapTimeBackfill("yellow"),
  ];
}
