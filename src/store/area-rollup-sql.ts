/**
 * The SQL text behind reports per area (`GET /api/stats/areas`), generated like `rollup-sql.ts`:
 *
 * - Which areas a point lies in is decided once, when the row is written: a report's and a
 *   cluster's `areas` (the departments whose areas hold the report's point, the point the cluster
 *   was opened at) are set by the intake from the areas it routes with (`domain/geo.ts`), a road
 *   cell's by `areasSql` when it is first driven. `areasSql` is the same ray casting in SQL over
 *   the areas' edges (`area_edges`; test/area-rollups.test.ts holds them equal), for the rows
 *   already there and for the rows an administrator's change of an area moves (a trigger recounts
 *   the rows in the old and new box).
 * - `area_blocks`: per block of days (`domain/rollup.ts`) and department, visible reports filed in
 *   its area, work orders created for clusters opened there, and road cells there whose last
 *   driven day falls in the block (so the cells driven since a day are the sum from that day on).
 *
 * Triggers keep them in the statement that wrote the row, so no write path can forget them.
 * `npx tsx scripts/rollup-triggers.ts` prints what the migration holds.
 */
import { ROAD_CELL_DEG } from "../domain/road-cells";
import { MAX_LEVEL } from "../domain/rollup";
import { daySql } from "./rollup-sql";

const LEVELS = Array.from({ length: MAX_LEVEL + 1 }, (_, i) => `(${i})`).join(", ");
const COUNTS = ["reports", "confirmed", "cells"] as const;
type Count = (typeof COUNTS)[number];

/**
 * How a point is tested against an area in SQL. "edges" (migration 0052): the crossings counted
 * from `area_edges`, the area's edges kept per band of its box's width, so a point reads the few
 * edges of its band through the primary key (~2,500 corners: tens of rows, not the whole JSON).
 * "json": the test as migration 0051 left it, every ring read from the department's JSON.
 */
export type AreaTest = "edges" | "json";

/**
 * How many edges of the ring at JSON `path` of `area` a ray up from the point crosses (`geo.ts`
 * inRing), in one pass over the ring: each corner's predecessor by `lag()`, the first corner's
 * being the last (the row -1). Migration 0051; before it each predecessor was looked up by its
 * index, a walk of the ring each: n² for n corners, ~22 ms a point at 2,500 corners (~6 then).
 */
const crossingsSql = (area: string, path: string, lat: string, lon: string) =>
  `(SELECT count(*) FROM (SELECT k, xi, yi, lag(xi) OVER (ORDER BY k) AS xj, lag(yi) OVER (ORDER BY k) AS yj
      FROM (SELECT v.key AS k, v.value ->> 0 AS xi, v.value ->> 1 AS yi FROM json_each(${area}, ${path}) v
        UNION ALL SELECT -1, ${area} ->> (${path} || '[#-1][0]'), ${area} ->> (${path} || '[#-1][1]')))
    WHERE k >= 0 AND ((xi <= ${lon} AND ${lon} < xj) OR (xj <= ${lon} AND ${lon} < xi))
      AND ${lat} < (yj - yi) * (${lon} - xi) / (xj - xi) + yi)`;

/** `areaContains` of `domain/geo.ts` in SQL, from the JSON: inside an outer ring and in none of its holes. */
const inAreaSql = (area: string, lat: string, lon: string) =>
  `EXISTS (SELECT 1 FROM (SELECT '$.coordinates' AS p WHERE ${area} ->> '$.type' = 'Polygon'
      UNION ALL SELECT '$.coordinates[' || m.key || ']' FROM json_each(${area}, '$.coordinates') m
        WHERE ${area} ->> '$.type' = 'MultiPolygon') poly
    WHERE ${crossingsSql(area, "poly.p || '[0]'", lat, lon)} % 2 = 1
      AND NOT EXISTS (SELECT 1 FROM json_each(${area}, poly.p) h
        WHERE h.key > 0 AND ${crossingsSql(area, "poly.p || '[' || h.key || ']'", lat, lon)} % 2 = 1))`;

/**
 * Bands across an area's box: an edge is kept in every band its longitudes span, and a point
 * reads only its own band's. More bands, fewer edges a point reads and more rows an edge spanning
 * the box takes (a rectangle's two long edges: 2 × 256 rows).
 */
const AREA_BANDS = 256;

/**
 * The band of longitude `x` in box `b` (an `area_boxes` row). Monotone in `x`, so an edge from
 * x1 to x2 lies in every band from `bandOf(x1)` to `bandOf(x2)` and a point between them in one of
 * those: the ray's every crossing is in the point's band.
 */
const bandOf = (b: string, x: string) =>
  `CASE WHEN ${b}.max_lon > ${b}.min_lon THEN min(${AREA_BANDS - 1}, CAST((${x} - ${b}.min_lon) * ${AREA_BANDS} / (${b}.max_lon - ${b}.min_lon) AS INTEGER)) ELSE 0 END`;

/**
 * `areaContains` from `area_edges` (`b`: the area's `area_boxes` row): per part, the outer ring
 * (ring 0) crossed an odd number of times and no hole; a ring no crossing reached has no row.
 */
const inAreaEdgesSql = (b: string, lat: string, lon: string) =>
  `EXISTS (SELECT 1 FROM (SELECT e.part, e.ring, count(*) % 2 AS odd FROM area_edges e
      WHERE e.department_code = ${b}.department_code AND e.band = ${bandOf(b, lon)}
        AND ((e.xi <= ${lon} AND ${lon} < e.xj) OR (e.xj <= ${lon} AND ${lon} < e.xi))
        AND ${lat} < (e.yj - e.yi) * (${lon} - e.xi) / (e.xj - e.xi) + e.yi
      GROUP BY e.part, e.ring)
    GROUP BY part HAVING max(ring = 0 AND odd = 1) = 1 AND max(ring > 0 AND odd = 1) = 0)`;

/**
 * The codes of the departments whose areas hold the point, sorted, as a JSON array (`[]`: none).
 * The box is tested first (a CASE, so the planner cannot put the costly test before it).
 */
export const areasSql = (lat: string, lon: string, test: AreaTest = "edges") =>
  test === "edges"
    ? `(SELECT json_group_array(code) FROM (SELECT b.department_code AS code FROM area_boxes b
    WHERE CASE WHEN ${lat} BETWEEN b.min_lat AND b.max_lat AND ${lon} BETWEEN b.min_lon AND b.max_lon
      THEN ${inAreaEdgesSql("b", lat, lon)} ELSE 0 END ORDER BY b.department_code))`
    : `(SELECT json_group_array(code) FROM (SELECT d.code FROM area_boxes b JOIN departments d ON d.code = b.department_code
    WHERE CASE WHEN ${lat} BETWEEN b.min_lat AND b.max_lat AND ${lon} BETWEEN b.min_lon AND b.max_lon
      THEN ${inAreaSql("d.area", lat, lon)} ELSE 0 END ORDER BY d.code))`;

/** The parts of `area` as a JSON array (a Polygon is one part), each an array of rings. */
const partsOf = (area: string) =>
  `CASE ${area} ->> '$.type' WHEN 'MultiPolygon' THEN ${area} -> '$.coordinates'
    WHEN 'Polygon' THEN json_array(${area} -> '$.coordinates') END`;

/** The bands of an edge `e` of box `b`: from its west end's to its east end's. */
const WEST = bandOf("b", "min(e.xi, e.xj)");
const EAST = bandOf("b", "max(e.xi, e.xj)");
/** As many zeros in a JSON array as the edge spans bands (most edges: one), their keys counting up. */
const bandsSpanned = `'[' || substr('${"0,".repeat(AREA_BANDS)}', 1, 2 * (${EAST} - ${WEST}) + 1) || ']'`;

/**
 * The edges of the area of department `code` into `area_edges`, each in every band it spans, from
 * `source` (rows with `code` and `area`, `b` its box). An edge is a corner and its predecessor in
 * the ring (the first corner's: the last), as `inRing` walks them; a north-south edge, which no
 * ray crosses, is left out.
 */
const edgesInsert = (source: string) =>
  `INSERT INTO area_edges (department_code, band, part, ring, corner, xi, yi, xj, yj)
  SELECT e.code, ${WEST} + n.key, e.part, e.ring, e.corner, e.xi, e.yi, e.xj, e.yj
  FROM (SELECT code, part, ring, corner, xi, yi,
        lag(xi) OVER (PARTITION BY code, part, ring ORDER BY corner) AS xj,
        lag(yi) OVER (PARTITION BY code, part, ring ORDER BY corner) AS yj
      FROM (SELECT s.code, q.key AS part, r.key AS ring, v.key AS corner, v.value ->> 0 AS xi, v.value ->> 1 AS yi
          FROM (${source}) s, json_each(${partsOf("s.area")}) q, json_each(q.value) r, json_each(r.value) v
        UNION ALL SELECT s.code, q.key, r.key, -1, r.value ->> '$[#-1][0]', r.value ->> '$[#-1][1]'
          FROM (${source}) s, json_each(${partsOf("s.area")}) q, json_each(q.value) r)) e
    JOIN area_boxes b ON b.department_code = e.code, json_each(${bandsSpanned}) n
  WHERE e.corner >= 0 AND e.xi <> e.xj;`;

/** A department's edges deleted (with its box), where the test reads them. */
const dropEdges = (test: AreaTest, code: string) =>
  test === "edges" ? [`DELETE FROM area_edges WHERE department_code = ${code};`] : [];

/** An area's box from its `json_tree` rows `t`: every number under `coordinates` is a lon (key 0) or a lat (key 1). */
const boxColumns = (t: string) =>
  `min(iif(${t}.key = 1, ${t}.value, NULL)) AS min_lat, max(iif(${t}.key = 1, ${t}.value, NULL)) AS max_lat,
      min(iif(${t}.key = 0, ${t}.value, NULL)) AS min_lon, max(iif(${t}.key = 0, ${t}.value, NULL)) AS max_lon`;
const NUMBER = "type IN ('integer', 'real')";
const boxOf = (area: string) =>
  `SELECT ${boxColumns("t")} FROM json_tree(${area}, '$.coordinates') t WHERE t.${NUMBER}`;

/** A row's point in the box of `area` (no area: false); the box's subqueries are constant, so worked out once. */
const inBoxOf = (area: string, lat: string, lon: string) => {
  const edge = (f: "min" | "max", key: 0 | 1) =>
    `(SELECT ${f}(t.value) FROM json_tree(${area}, '$.coordinates') t WHERE t.${NUMBER} AND t.key = ${key})`;
  return `(${lat} BETWEEN ${edge("min", 1)} AND ${edge("max", 1)} AND ${lon} BETWEEN ${edge("min", 0)} AND ${edge("max", 0)})`;
};

const CELL_LAT = `(lat_index + 0.5) * ${ROAD_CELL_DEG}`;
const CELL_LON = `(lon_index + 0.5) * ${ROAD_CELL_DEG}`;

/**
 * Where a cluster counts: the areas of its first report, the point the intake opened it at (a
 * cluster without reports, its centre's).
 */
export const openedAreas = (c: string, test: AreaTest = "edges") =>
  `coalesce((SELECT r.areas FROM reports r WHERE r.cluster_id = ${c}.id ORDER BY r.created_at, r.rowid LIMIT 1),
    ${areasSql(`${c}.lat`, `${c}.lon`, test)})`;

/**
 * The rows whose areas are decided again when an area changes: those in its old box or its new
 * one (an unchanged row moves no count: the triggers below skip it or add nothing).
 */
const recount = (inBox: (lat: string, lon: string) => string, test: AreaTest) =>
  test === "edges"
    ? [
        // Only the rows whose areas change are written (and their counts moved): a redrawn area
        // leaves most rows in its boxes where they were. `LIMIT -1` (no limit) keeps each row's
        // areas worked out once: a subquery with a limit is not merged into the update, which
        // would test the point again to compare.
        `UPDATE reports SET areas = n.areas FROM (SELECT rowid AS r, ${areasSql("lat", "lon")} AS areas
      FROM reports WHERE ${inBox("lat", "lon")} LIMIT -1) n
    WHERE reports.rowid = n.r AND reports.areas IS NOT n.areas;`,
        `UPDATE clusters SET areas = n.areas FROM (SELECT c.id AS i, ${openedAreas("c")} AS areas
      FROM (SELECT cluster_id AS i FROM reports WHERE ${inBox("lat", "lon")}
        UNION SELECT id FROM clusters WHERE ${inBox("lat", "lon")}) u CROSS JOIN clusters c ON c.id = u.i LIMIT -1) n
    WHERE clusters.id = n.i AND clusters.areas IS NOT n.areas;`,
        `UPDATE road_cells SET areas = n.areas FROM (SELECT lat_index AS y, lon_index AS x,
        ${areasSql(CELL_LAT, CELL_LON)} AS areas FROM road_cells WHERE ${inBox(CELL_LAT, CELL_LON)} LIMIT -1) n
    WHERE road_cells.lat_index = n.y AND road_cells.lon_index = n.x AND road_cells.areas IS NOT n.areas;`,
      ]
    : [
        `UPDATE reports SET areas = ${areasSql("lat", "lon", test)} WHERE ${inBox("lat", "lon")};`,
        `UPDATE clusters SET areas = ${openedAreas("clusters", test)}
    WHERE id IN (SELECT cluster_id FROM reports WHERE ${inBox("lat", "lon")}) OR ${inBox("lat", "lon")};`,
        `UPDATE road_cells SET areas = ${areasSql(CELL_LAT, CELL_LON, test)} WHERE ${inBox(CELL_LAT, CELL_LON)};`,
      ];

/** Adds `source`'s rows (`department_code`, `day` and counts) to every level's block of that day. */
function addToBlocks(source: string, counts: Count[]): string {
  return `INSERT INTO area_blocks (level, block, department_code, ${counts.join(", ")})
  SELECT l.column1, d.day >> l.column1, d.department_code, ${counts.map((c) => `d.${c}`).join(", ")}
  FROM (VALUES ${LEVELS}) l, (${source}) d WHERE true
  ON CONFLICT (level, block, department_code) DO UPDATE SET ${counts.map((c) => `${c} = ${c} + excluded.${c}`).join(", ")};`;
}

const trigger = (name: string, when: string, body: string[], condition?: string) =>
  `CREATE TRIGGER ${name} AFTER ${when} FOR EACH ROW${condition ? ` WHEN ${condition}` : ""} BEGIN\n  ${body.join("\n  ")}\nEND;`;

const reportOf = (r: "NEW" | "OLD", sign: 1 | -1) =>
  `SELECT a.value AS department_code, ${daySql(`${r}.created_at`)} AS day, ${sign} AS reports
    FROM json_each(${r}.areas) a WHERE ${r}.hidden_at IS NULL`;
const workOrderOf = (w: "NEW" | "OLD", sign: 1 | -1) =>
  `SELECT a.value AS department_code, ${daySql(`${w}.created_at`)} AS day, ${sign} AS confirmed
    FROM clusters c, json_each(c.areas) a WHERE c.id = ${w}.cluster_id`;
const clusterOf = (c: "NEW" | "OLD", sign: 1 | -1) =>
  `SELECT a.value AS department_code, ${daySql("w.created_at")} AS day, ${sign} AS confirmed
    FROM work_orders w, json_each(${c}.areas) a WHERE w.cluster_id = ${c}.id`;
const cellOf = (c: "NEW" | "OLD", sign: 1 | -1) =>
  `SELECT a.value AS department_code, ${c}.last_day AS day, ${sign} AS cells FROM json_each(${c}.areas) a`;

const cellPass = (test: AreaTest) => [
  `UPDATE road_cells SET last_day = NEW.day
    WHERE lat_index = NEW.lat_index AND lon_index = NEW.lon_index AND last_day < NEW.day;`,
  `INSERT INTO road_cells (lat_index, lon_index, last_day, areas)
    SELECT NEW.lat_index, NEW.lon_index, NEW.day, ${areasSql(
      `(NEW.lat_index + 0.5) * ${ROAD_CELL_DEG}`,
      `(NEW.lon_index + 0.5) * ${ROAD_CELL_DEG}`,
      test,
    )}
    WHERE NOT EXISTS (SELECT 1 FROM road_cells WHERE lat_index = NEW.lat_index AND lon_index = NEW.lon_index);`,
];

/** The triggers that keep the area aggregates, in the order the migration creates them. */
export function areaTriggers(test: AreaTest = "edges"): string[] {
  const box = (a: string) =>
    `INSERT INTO area_boxes (department_code, min_lat, max_lat, min_lon, max_lon)
    SELECT NEW.code, min_lat, max_lat, min_lon, max_lon FROM (${boxOf(a)}) WHERE min_lat IS NOT NULL;`;
  // The edges follow the box they are banded in, before any row is placed again.
  const edges = test === "edges" ? [edgesInsert("SELECT NEW.code AS code, NEW.area AS area")] : [];
  return [
    trigger(
      "area_department_insert",
      "INSERT ON departments",
      [box("NEW.area"), ...edges, ...recount((lat, lon) => inBoxOf("NEW.area", lat, lon), test)],
      "NEW.area IS NOT NULL",
    ),
    trigger(
      "area_department_update",
      "UPDATE OF area ON departments",
      [
        "DELETE FROM area_boxes WHERE department_code = NEW.code;",
        ...dropEdges(test, "NEW.code"),
        box("NEW.area"),
        ...edges,
        ...recount(
          (lat, lon) => `(${inBoxOf("OLD.area", lat, lon)} OR ${inBoxOf("NEW.area", lat, lon)})`,
          test,
        ),
      ],
      "OLD.area IS NOT NEW.area",
    ),
    trigger("area_report_insert", "INSERT ON reports", [addToBlocks(reportOf("NEW", 1), ["reports"])]),
    trigger(
      "area_report_update",
      "UPDATE OF hidden_at, created_at, areas ON reports",
      [addToBlocks(`${reportOf("OLD", -1)} UNION ALL ${reportOf("NEW", 1)}`, ["reports"])],
      "OLD.hidden_at IS NOT NEW.hidden_at OR OLD.created_at IS NOT NEW.created_at OR OLD.areas IS NOT NEW.areas",
    ),
    trigger("area_report_delete", "DELETE ON reports", [addToBlocks(reportOf("OLD", -1), ["reports"])]),
    trigger("area_work_order_insert", "INSERT ON work_orders", [
      addToBlocks(workOrderOf("NEW", 1), ["confirmed"]),
    ]),
    trigger(
      "area_work_order_update",
      "UPDATE OF cluster_id, created_at ON work_orders",
      [addToBlocks(`${workOrderOf("OLD", -1)} UNION ALL ${workOrderOf("NEW", 1)}`, ["confirmed"])],
      "OLD.cluster_id IS NOT NEW.cluster_id OR OLD.created_at IS NOT NEW.created_at",
    ),
    trigger("area_work_order_delete", "DELETE ON work_orders", [
      addToBlocks(workOrderOf("OLD", -1), ["confirmed"]),
    ]),
    trigger(
      "area_cluster_update",
      "UPDATE OF areas ON clusters",
      [addToBlocks(`${clusterOf("OLD", -1)} UNION ALL ${clusterOf("NEW", 1)}`, ["confirmed"])],
      "OLD.areas IS NOT NEW.areas",
    ),
    // A pass moves its cell's last day forward; a cell never driven before is placed in its areas once.
    trigger("area_cell_pass", "INSERT ON cell_passes", cellPass(test)),
    trigger("area_cell_insert", "INSERT ON road_cells", [addToBlocks(cellOf("NEW", 1), ["cells"])]),
    trigger(
      "area_cell_update",
      "UPDATE OF last_day, areas ON road_cells",
      [addToBlocks(`${cellOf("OLD", -1)} UNION ALL ${cellOf("NEW", 1)}`, ["cells"])],
      "OLD.last_day IS NOT NEW.last_day OR OLD.areas IS NOT NEW.areas",
    ),
  ];
}

/**
 * Deleting a department (no route does; an operator's SQL may) takes its area with it: its box
 * goes first, so the rows in that box are placed again without it (moving their counts as an
 * area's change does), then its blocks, all zero by then. Migration 0025, after `areaTriggers`.
 */
export const areaDeleteTrigger = (test: AreaTest = "edges") =>
  trigger("area_department_delete", "DELETE ON departments", [
    "DELETE FROM area_boxes WHERE department_code = OLD.code;",
    ...dropEdges(test, "OLD.code"),
    ...recount((lat, lon) => inBoxOf("OLD.area", lat, lon), test),
    "DELETE FROM area_blocks WHERE department_code = OLD.code;",
  ]);

/**
 * Migration 0028: `area_cell_pass` runs its body only for a pass that moves its cell's last day
 * forward or drives it first. Nearly every pass of a batch is of a cell some phone already drove
 * that day (a body that changes nothing): one index probe now skips it, where the body made two
 * statements and two probes for every pass row.
 */
export const cellPassTriggerOf0028 = (test: AreaTest = "edges") => [
  "DROP TRIGGER area_cell_pass;",
  trigger(
    "area_cell_pass",
    "INSERT ON cell_passes",
    cellPass(test),
    "NOT EXISTS (SELECT 1 FROM road_cells WHERE lat_index = NEW.lat_index AND lon_index = NEW.lon_index AND last_day >= NEW.day)",
  ),
];

/** The name of a generated trigger. */
const nameOf = (trigger: string) => trigger.match(/^CREATE TRIGGER (\w+)/)?.[1] as string;

/** The triggers that test points against areas in SQL, as they stand (`cellPassTriggerOf0028`'s pass trigger). */
export const areaTestTriggers = (test: AreaTest = "edges") => {
  const [insert, update] = areaTriggers(test);
  return [
    insert as string,
    update as string,
    areaDeleteTrigger(test),
    cellPassTriggerOf0028(test)[1] as string,
  ];
};

/** Migration 0051: those triggers again, with the point-in-area test in one pass over each ring. */
export const areaTestTriggersOf0051 = () =>
  areaTestTriggers("json").flatMap((t) => [`DROP TRIGGER ${nameOf(t)};`, t]);

/**
 * Migration 0052: `area_edges` filled for the areas there, then those triggers again, testing
 * points against the edges and keeping them (`areaTestTriggers`). The table is created before,
 * by hand (drizzle has no WITHOUT ROWID).
 */
export const areaEdgesOf0052 = () => [
  edgesInsert("SELECT code, area FROM departments WHERE area IS NOT NULL"),
  ...areaTestTriggers().flatMap((t) => [`DROP TRIGGER ${nameOf(t)};`, t]),
];

/** `road_cells` recomputed from the passes (areas decided as a new cell's are). */
export const freshRoadCellsSql = `SELECT lat_index, lon_index, max(day) AS last_day,
    ${areasSql(CELL_LAT, CELL_LON)} AS areas FROM cell_passes GROUP BY lat_index, lon_index`;

/** Each row's contribution per department and day, grouped per day, from the rows' `areas`. */
const contributions = `SELECT department_code, day, sum(reports) AS reports, sum(confirmed) AS confirmed, sum(cells) AS cells
  FROM (SELECT a.value AS department_code, ${daySql("r.created_at")} AS day, 1 AS reports, 0 AS confirmed, 0 AS cells
      FROM reports r, json_each(r.areas) a WHERE r.hidden_at IS NULL
    UNION ALL SELECT a.value, ${daySql("w.created_at")}, 0, 1, 0
      FROM work_orders w JOIN clusters c ON c.id = w.cluster_id, json_each(c.areas) a
    UNION ALL SELECT a.value, c.last_day, 0, 0, 1 FROM road_cells c, json_each(c.areas) a)
  GROUP BY 1, 2`;

/** `area_blocks` recomputed from the rows: what the triggers must keep it equal to. */
export const freshAreaBlocksSql = `SELECT l.column1 AS level, d.day >> l.column1 AS block, d.department_code,
    sum(d.reports) AS reports, sum(d.confirmed) AS confirmed, sum(d.cells) AS cells
  FROM (VALUES ${LEVELS}) l, (${contributions}) d GROUP BY 1, 2, 3`;

/**
 * What the migration runs once for the rows already there, before the triggers: the boxes and
 * edges, every report's, cluster's and driven cell's areas, then the blocks (0021's, with the
 * edges 0052 added).
 */
export function areaBackfill(): string[] {
  return [
    `INSERT INTO area_boxes (department_code, min_lat, max_lat, min_lon, max_lon)
  SELECT d.code, ${boxColumns("t")} FROM departments d, json_tree(d.area, '$.coordinates') t
  WHERE d.area IS NOT NULL AND t.${NUMBER} GROUP BY d.code;`,
    edgesInsert("SELECT code, area FROM departments WHERE area IS NOT NULL"),
    `UPDATE reports SET areas = ${areasSql("lat", "lon")};`,
    `UPDATE clusters SET areas = ${openedAreas("clusters")};`,
    `INSERT INTO road_cells (lat_index, lon_index, last_day, areas) ${freshRoadCellsSql};`,
    `INSERT INTO area_blocks (level, block, department_code, reports, confirmed, cells) ${freshAreaBlocksSql};`,
  ];
}
