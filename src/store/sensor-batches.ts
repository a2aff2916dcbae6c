/**
 * The sensor intake: one upload (events and road cells of one phone) as ONE atomic batch of
 * set-based statements. The upload's events arrive already gathered into groups (see
 * `groupEvents`); the groups are written to a scratch table (`sensor_groups`, or on a local
 * database a temporary one), matched to stored spots by an
 * indexed box search each, new spots are opened for the rest, and the counts, passes, states
 * and the answer are all decided by statements reading what the earlier ones wrote. The cost
 * depends on the upload's size, not on how many spots are stored, and it is one round trip.
 *
 * The groups and the cells each travel as ONE bound parameter, JSON text read with `json_each`:
 * a batch of 2000 events would pass D1's limit on bound parameters as values, and as literals
 * its SQL text would differ every time (a local database could not reuse the prepared statement).
 */
import { is, Placeholder, type SQL, sql } from "drizzle-orm";
import { BoundStatement, type Db } from "../db/client";
import { METRES_PER_DEGREE } from "../domain/geo";
import { ROAD_CELL_DEG } from "../domain/road-cells";
import { areasHolding, type PlacedArea } from "../domain/routing";
import {
  type EventGroup,
  KEY_CELL_DEG,
  type KeyReach,
  type SensorSettings,
  SPOT_GRID_DEG,
  spotRadiusM,
} from "../domain/sensor";
import { oneOf, resolvedAt, spotState, workOrderStatus } from "./status-sql";
import { REOPEN_WINDOW_DAYS } from "./transitions";
import type { Statement } from "./writes";

/**
 * An upload's group with the keys its hit may be stored under: for each square a spot it joins
 * may have been born in (`keyCellsAround`, row by row; its own square among them, for the spot
 * it would open), the device's key and the network's. The keys need the secret, which the SQL
 * never sees.
 */
export interface KeyedGroup extends EventGroup {
  newSpotId: string;
  /** Per square of `keyCellsAround(group, keyReach)`, row by row: the device's key, then the network's. */
  keys: number[];
}

/**
 * An upload's groups and cells as its batch binds them: JSON text (see GROUP_FIELDS), made where
 * the upload is prepared (on Node, in a worker thread), so the thread running the batches only binds it.
 */
export interface UploadRows {
  groups: string;
  /** Cells driven through as [latIndex, lonIndex, passKey] (the daily key, 52 bits). */
  cells: string;
  /** Events taken in. */
  accepted: number;
  /** Cells driven through, each with its pass key (the rows `cells` holds). */
  cellCount: number;
  /** `lonScale` of the groups. */
  scale: number;
}

export interface SensorBatchCommand {
  key: string;
  requestHash: string;
  claim: string;
  rows: UploadRows;
  keyReach: KeyReach;
  /** Settings of the services fed by each kind (the first service by code). */
  feeds: Map<string, SensorSettings>;
  now: number;
  day: number;
  /**
   * The upload's cells as [latIndex, lonIndex, areas] (the areas' codes as JSON text, as
   * `areasSql` writes them), decided from the areas at `areaVersion` (`roadCellAreas`).
   */
  cellAreas: string;
  areaVersion: number | null;
}

export interface SensorAnswer {
  accepted: number;
  spots: { id: string; state: string }[];
}

const DAY_MS = 86_400_000;

/** The prefix of the batch key an upload without an Idempotency-Key gets. */
export const ANONYMOUS = "anon:";

/** A constant of the code as SQL text, so the statement's text stays the same. */
const num = (n: number): SQL => sql.raw(String(n));

/** floor() without SQLite's optional math functions (D1 lacks them). */
export const floorSql = (x: SQL): SQL => sql`(CAST(${x} AS INTEGER) - (${x} < CAST(${x} AS INTEGER)))`;

/**
 * Passes over a spot (its cell and the eight around, as a car over it may have been recorded in
 * a neighbour): per day the busiest of those cells' distinct devices, summed over days, from the
 * day the spot opened (a road driven for months before a hole formed in it is no evidence against
 * the hole; counted, a busy street's potholes never reached their share). `fromDay` counts only
 * days after a repair.
 */
export const passesOf = (
  spot: string,
  fromDay: SQL = sql`CAST(${sql.raw(spot)}.created_at / ${num(DAY_MS)} AS INTEGER) - 1`,
): SQL => {
  const li = floorSql(sql`${sql.raw(spot)}.lat / ${num(ROAD_CELL_DEG)}`);
  const lj = floorSql(sql`${sql.raw(spot)}.lon / ${num(ROAD_CELL_DEG)}`);
  return sql`(SELECT coalesce(sum(m), 0) FROM (SELECT max(n) AS m FROM (
      SELECT p.day, count(*) AS n FROM cell_passes p
      WHERE p.lat_index IN (${li} - 1, ${li}, ${li} + 1) AND p.lon_index BETWEEN ${lj} - 1 AND ${lj} + 1
        AND p.day > ${fromDay}
      GROUP BY p.day, p.lat_index, p.lon_index) GROUP BY day))`;
};

/**
 * Passes that hit a spot, counted as its passes are: each network once a day (`fromDay`: only the
 * days after a repair). The spot's `hit_passes` counts (device, day) pairs, and device ids are made
 * up at no cost: one network's 20 ids at a spot most cars drive over unfelt read as 20 passes
 * that hit, and its hit share as high as it liked. A hit kept before networks were counts as a
 * network of its own (as in `vehiclesOf`). One range of the hits' key.
 */
export const networkHitPassesOf = (spot: string, fromDay: SQL = sql`-1`): SQL =>
  sql`(SELECT count(*) FROM (SELECT DISTINCT coalesce(h.network_key, -h.device_key), h.day
    FROM road_spot_hits h WHERE h.spot_id = ${sql.raw(spot)}.id AND h.day > ${fromDay}))`;

/**
 * How many vehicles hit a spot (`after`: since that repair): its devices, each counted by the
 * network of its first hit there, and each network once. Device ids are made up at no cost, so
 * five ids from one network are one vehicle; a phone whose carrier hands it a new network every
 * drive is one too (each device brings one network, a lower bound of how many distinct
 * (device, network) pairs could stand apart). A hit kept before networks were (migration 0038)
 * counts as a network of its own. One range of the hits' key, read only for a spot whose devices
 * are already enough.
 */
export const vehiclesOf = (spot: string, after?: SQL): SQL =>
  sql`(SELECT count(DISTINCT network) FROM (SELECT coalesce(h.network_key, -h.device_key) AS network, min(h.day)
    FROM road_spot_hits h WHERE h.spot_id = ${sql.raw(spot)}.id${after ? sql` AND h.repair_at >= ${after}` : sql``}
    GROUP BY h.device_key))`;

/** A group's JSON row, in order: [column, is a real]. JSON's 8 is an integer, and 8 / 111195 in
 *  SQL would be 0, so the reals are cast. One json_extract per field is most of the read's cost
 *  (more than computing in SQL what a field could bring: the grid rows a group searches, sent
 *  as five more fields, made the match ~10% slower). */
const GROUP_FIELDS: [string, boolean][] = [
  ["new_spot_id", false],
  ["family", false],
  ["lat", true],
  ["lon", true],
  ["weight", true],
  ["radius_m", true],
  ["hits", false],
  ["pothole_hits", false],
  ["bump_hits", false],
  ["first_at", false],
  ["last_at", false],
  // Last: a field's json_extract reads the row's text up to it, and this one is the longest.
  ["keys", false],
];
const groupColumns = sql.raw(
  GROUP_FIELDS.map(([name, real], i) => {
    const field = `json_extract(value, '$[${i}]')`;
    return `${real ? `CAST(${field} AS REAL)` : field} AS ${name}`;
  }).join(", "),
);

/** A value bound per upload, named as in `valuesOf`. */
const v = (name: (typeof NAMES)[number]): SQL => sql`${sql.placeholder(name)}`;

/** The names of the values an upload binds, in the order `valuesOf` lists them. */
const NAMES = [
  "key",
  "requestHash",
  "claim",
  "now",
  "day",
  "groups",
  "keyLat",
  "keyLon",
  "cells",
  "scale",
  "dLon",
  "accepted",
  "cellAreas",
  "areaVersion",
] as const;

/** Where an upload's cells lie: [latIndex, lonIndex, areas as JSON text] for each (`SensorBatchCommand.cellAreas`). */
export function roadCellAreas(cells: string, areas: readonly PlacedArea[]): string {
  return JSON.stringify(
    (JSON.parse(cells) as [number, number, number][]).map(([latIndex, lonIndex]) => [
      latIndex,
      lonIndex,
      JSON.stringify(
        areasHolding(areas, {
          lat: (latIndex + 0.5) * ROAD_CELL_DEG,
          lon: (lonIndex + 0.5) * ROAD_CELL_DEG,
        }),
      ),
    ]),
  );
}

/** An upload's groups and cells as its batch binds them. */
export function uploadRows(groups: KeyedGroup[], cells: [number, number, number][]): UploadRows {
  return {
    // Each group as one JSON row (see GROUP_FIELDS).
    groups: JSON.stringify(
      groups.map((g) => [
        g.newSpotId,
        g.family,
        g.lat,
        g.lon,
        g.weight,
        g.radiusM,
        g.hits,
        g.potholeHits,
        g.bumpHits,
        g.firstAt,
        g.lastAt,
        g.keys,
      ]),
    ),
    // Cells in key order: the inserts then walk the index instead of jumping about it.
    cells: JSON.stringify([...cells].sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2])),
    accepted: groups.reduce((n, g) => n + g.hits, 0),
    cellCount: cells.length,
    scale: lonScale(groups),
  };
}

/** The values of one upload, in the order of `NAMES`. */
function valuesOf(cmd: SensorBatchCommand): unknown[] {
  const { rows } = cmd;
  return [
    cmd.key,
    cmd.requestHash,
    cmd.claim,
    cmd.now,
    cmd.day,
    rows.groups,
    cmd.keyReach.lat,
    cmd.keyReach.lon,
    rows.cells,
    rows.scale,
    maxReachDeg(cmd.feeds) / rows.scale,
    rows.accepted,
    cmd.cellAreas,
    cmd.areaVersion,
  ];
}

/** The widest radius any spot may have, in metres and in degrees of latitude. */
export const maxReachM = (feeds: Map<string, SensorSettings>) =>
  Math.max(spotRadiusM(1e9), ...[...feeds.values()].map((f) => f.radiusM));
const maxReachDeg = (feeds: Map<string, SensorSettings>) => maxReachM(feeds) / METRES_PER_DEGREE;

/** An upload's statement's SQL text, built once per set of feeds, and where its values come from. */
interface Template {
  sql: string;
  slots: ({ index: number } | { value: unknown })[];
}
const templates = new Map<string, Template[]>();

/**
 * The statements of one upload, in order; the last reads its answer back (`SensorBatchOutcome`).
 * Their SQL text is built once per set of feeds and kept (the rows travel as JSON text), so each
 * upload only binds its values and a local database prepares each text once: building the text
 * with drizzle for every upload was ~5% of its CPU, and more garbage to collect.
 */
export function sensorBatchStatements(db: Db, cmd: SensorBatchCommand): BoundStatement[] {
  const local = isLocal(db);
  const shape = JSON.stringify([local, ...cmd.feeds.entries()]);
  let built = templates.get(shape);
  if (!built) {
    built = buildStatements(db, cmd.feeds, local).map((s) => {
      const { sql: text, params } = s.getQuery();
      return {
        sql: text,
        slots: params.map((p) =>
          is(p, Placeholder) ? { index: NAMES.indexOf(p.name as never) } : { value: p },
        ),
      };
    });
    // Feeds change when an admin edits a service: a handful of shapes in a process's life.
    if (templates.size >= 16) templates.clear();
    templates.set(shape, built);
  }
  const values = valuesOf(cmd);
  return built.map(
    (t) =>
      new BoundStatement(
        t.sql,
        t.slots.map((s) => ("index" in s ? values[s.index] : s.value)),
      ),
  );
}

/** Whether the database is a local file (one connection of this process) rather than D1 or a server. */
const isLocal = (db: Db): boolean =>
  (db as unknown as { $client?: { protocol?: string } }).$client?.protocol === "file";

/**
 * Where an upload's groups wait while its batch runs. On a local database, a table of the
 * connection's own temporary database: its pages never reach the WAL (nor its commit, ~20 of an
 * upload's ~600 pages) and no other process sees or locks it; its rows still come and go with
 * the batch's transaction. D1 and a libSQL server get the shared `sensor_groups` (a temporary
 * table there would not outlive the statement's connection, or is not offered). Keyed by spot,
 * so the statements that group the groups by spot read them in that order instead of sorting
 * them, and visit the spots and write their hits in key order.
 */
const LOCAL_GROUPS = "temp.upload_groups";
const createLocalGroups = sql.raw(`CREATE TEMP TABLE IF NOT EXISTS upload_groups (batch_key TEXT NOT NULL,
  idx INTEGER NOT NULL, new_spot_id TEXT NOT NULL, spot_id TEXT, family TEXT NOT NULL, lat REAL NOT NULL,
  lon REAL NOT NULL, weight REAL NOT NULL, radius_m REAL NOT NULL, hits INTEGER NOT NULL,
  pothole_hits INTEGER NOT NULL, bump_hits INTEGER NOT NULL, first_at INTEGER NOT NULL,
  last_at INTEGER NOT NULL, keys TEXT NOT NULL, key_lat_from INTEGER NOT NULL, key_lon_from INTEGER NOT NULL,
  key_width INTEGER NOT NULL, merge_to TEXT, PRIMARY KEY (batch_key, spot_id, idx))`);

/** Squared flat-earth distance of two rows' centres, in degrees of latitude. */
const dist2 = (a: string, b: string, scale: SQL) =>
  sql`((${sql.raw(a)}.lat - ${sql.raw(b)}.lat) * (${sql.raw(a)}.lat - ${sql.raw(b)}.lat)
    + (${sql.raw(a)}.lon - ${sql.raw(b)}.lon) * ${scale} * (${sql.raw(a)}.lon - ${sql.raw(b)}.lon) * ${scale})`;
/** The square of a radius in metres, in degrees of latitude. */
const reach = (metres: SQL) =>
  sql`((${metres} / ${num(METRES_PER_DEGREE)}) * (${metres} / ${num(METRES_PER_DEGREE)}))`;
/** The device's key at group `g`'s spot `s`: the one of the keys it brought for the spot's square. */
const hitKey = (g: string, s: string): SQL => sql.raw(`${g}.keys ->> (2 * ${squareAt(g, s)})`);
/** The network's key at group `g`'s spot `s`, as `hitKey`. */
const networkKey = (g: string, s: string): SQL => sql.raw(`${g}.keys ->> (2 * ${squareAt(g, s)} + 1)`);
/** Which of the squares group `g` brought keys for spot `s` was born in. */
const squareAt = (g: string, s: string) =>
  `((${s}.key_lat - ${g}.key_lat_from) * ${g}.key_width + ${s}.key_lon - ${g}.key_lon_from)`;
const grid = (degrees: SQL) => floorSql(sql`(${degrees}) / ${num(SPOT_GRID_DEG)}`);
/** A square of KEY_CELL_DEG, as `keyCellsAround` finds them: the JSON number the upload sent
 *  divides to the same double as in JS. */
const keyCell = (degrees: SQL) => floorSql(sql`(${degrees}) / ${num(KEY_CELL_DEG)}`);

/**
 * The order spots fold by (see the fold in `buildStatements`): one no longer a candidate first,
 * then the one with more devices, then by centre weight (capped below a device); ties by id.
 */
const rank = (s: string): SQL => {
  const spot = sql.raw(s);
  return sql`((${spot}.state <> ${spotState("candidate")}) * 1e12 + ${spot}.devices * 1e6
    + min(${spot}.weight * 1e4, 999999))`;
};

/** Spot `found` may lie within twice the widest radius of `around`: a search of the grid's index. */
const nearSpot =
  (dLat: number, dLon: SQL) =>
  (found: string, around: string): SQL => {
    const [f, a] = [sql.raw(found), sql.raw(around)];
    return sql`${f}.family = ${a}.family AND ${f}.grid_lat IN ${gridRows(sql`${a}.lat`, 2 * dLat)}
      AND ${f}.grid_lon BETWEEN ${grid(sql`${a}.lon - 2 * ${dLon}`)} AND ${grid(sql`${a}.lon + 2 * ${dLon}`)}`;
  };

/**
 * The grid rows within `dLat` degrees of a latitude, as a list: the index then seeks each row's
 * range of columns, where a range of rows would be read whole.
 */
const gridRows = (lat: SQL, dLat: number): SQL => {
  const n = Math.ceil(dLat / SPOT_GRID_DEG);
  const rows = Array.from({ length: 2 * n + 1 }, (_, i) => sql`${grid(lat)} + ${num(i - n)}`);
  return sql`(${sql.join(rows, sql`, `)})`;
};

/** A group's or a spot's kind from its hits, as `spotKind` decides it. */
const kindOf = (row: string): SQL => {
  const r = sql.raw(row);
  return sql`CASE WHEN ${r}.family = 'rough' THEN 'rough' WHEN ${r}.bump_hits > ${r}.pothole_hits THEN 'bump' ELSE 'pothole' END`;
};

/**
 * How far spot `s` reaches spot or group `t`: a known feature only its own radius (a pothole
 * beside a manhole is not taken for it: a wider fix's radius had let it); else both their radii
 * when they agree on the kind (the first hit of a pothole a few metres off had opened a spot of
 * its own beside it, the cars' hits split between the two, and neither reached the devices or the
 * share to dispatch), else the larger radius.
 */
const joinReach = (s: string, t: string): SQL => {
  const [a, b] = [sql.raw(s), sql.raw(t)];
  return sql`CASE WHEN ${a}.state = ${spotState("known_feature")} THEN ${a}.radius_m
    WHEN ${kindOf(s)} = ${kindOf(t)} THEN ${a}.radius_m + ${b}.radius_m ELSE max(${a}.radius_m, ${b}.radius_m) END`;
};

/**
 * Whether spot `s` folds into spot `t`: `s` a candidate, `t` a greater live spot that reaches it
 * (`joinReach`), born in its square (so the two keyed each device alike, and a device's hits
 * stay counted once), and no known feature (one hit pulling a manhole's spot towards a pothole
 * beside it had folded the pothole into it, never to dispatch). `live` is the statements' test of
 * a spot that still takes hits. A spot with hits not yet keyed again (`legacy_spot_hits`) stays.
 */
const foldRule =
  (live: (spot: string) => SQL, scale: SQL) =>
  (s: string, t: string): SQL => {
    const [a, b] = [sql.raw(s), sql.raw(t)];
    return sql`${a}.state = ${spotState("candidate")} AND ${b}.state <> ${spotState("known_feature")}
      AND ${b}.key_lat = ${a}.key_lat AND ${b}.key_lon = ${a}.key_lon AND ${b}.id <> ${a}.id AND ${live(t)}
      AND ${dist2(s, t, scale)} <= ${reach(joinReach(t, s))}
      AND (${rank(t)} > ${rank(s)} OR (${rank(t)} = ${rank(s)} AND ${b}.id < ${a}.id))
      AND NOT EXISTS (SELECT 1 FROM legacy_spot_hits l WHERE l.spot_id = ${a}.id)`;
  };

/** The scale of a degree of longitude for a whole upload: a drive spans a city, not a continent. */
export const lonScale = (groups: EventGroup[]) => Math.cos(((groups[0]?.lat ?? 0) * Math.PI) / 180);

/** The statements with a placeholder for every value of an upload (see `NAMES`). */
function buildStatements(db: Db, feeds: Map<string, SensorSettings>, local: boolean): Statement[] {
  const G = sql.raw(local ? LOCAL_GROUPS : "sensor_groups");
  const K = v("key");
  const claimed = sql`(SELECT claim FROM sensor_batches WHERE key = ${K}) = ${v("claim")}`;
  const mine = sql`batch_key = ${K}`;
  const scale = v("scale");
  const dLat = maxReachDeg(feeds);
  const dLon = v("dLon");
  const newSpot = sql`spot_id = new_spot_id`;
  // The squares group g's spot may have been born in (`keyCellsAround`).
  const keyLatFrom = keyCell(sql`g.lat - ${v("keyLat")}`);
  const keyLonFrom = keyCell(sql`g.lon - ${v("keyLon")}`);
  const keyLonTo = keyCell(sql`g.lon + ${v("keyLon")}`);
  const fed = [...feeds.entries()];
  const now = v("now");
  const day = v("day");
  // Whether this device hit a spot before (1) and whether on this day (2), in one probe of the
  // hits' key (spot, device, day): read before this upload's are written. The groups of one spot
  // carry one key (the device's at that spot), which the bare column gives.
  // Whether a known feature lies within a spot's reach of its centre (as a new spot's group is checked).
  const atKnownFeature = sql`EXISTS (SELECT 1 FROM known_features k
    WHERE k.lat BETWEEN road_spots.lat - ${dLat} AND road_spots.lat + ${dLat}
      AND k.lon BETWEEN road_spots.lon - ${dLon} AND road_spots.lon + ${dLon}
      AND ${dist2("k", "road_spots", scale)} <= ${reach(sql`road_spots.radius_m`)})`;
  // A spot whose repair is settled (verified, or resolved longer ago than a hit could reopen it)
  // takes no more hits: a hole that comes back is a new spot, confirmed and dispatched anew.
  const live = (spot: string) => sql`(${sql.raw(spot)}.state IN ${oneOf(["candidate", "known_feature"])}
    OR (${sql.raw(spot)}.state = ${spotState("confirmed")} AND NOT EXISTS (SELECT 1 FROM work_orders w
      WHERE w.cluster_id = ${sql.raw(spot)}.cluster_id AND w.status IN ${oneOf(["resolved", "closed"])}
        AND ${resolvedAt("w")} <= ${now} - ${num(REOPEN_WINDOW_DAYS * DAY_MS)})))`;
  const seenBefore = sql`(SELECT (count(*) > 0) + 2 * coalesce(max(h.day = ${day}), 0) FROM road_spot_hits h
    WHERE h.spot_id = sg.spot_id AND h.device_key = ${hitKey("sg", "rs")})`;
  // Whether another device of this network looked at the spot today: device ids cost nothing, so
  // a network's looks count once a day (its made-up devices had each voted a pothole a bump, and
  // kept it from dispatch). One probe of the hits' network index.
  const networkSeen = sql`EXISTS (SELECT 1 FROM road_spot_hits h INDEXED BY road_spot_hits_network
    WHERE h.spot_id = sg.spot_id AND h.network_key = ${networkKey("sg", "rs")} AND h.day = ${day})`;
  /** Whether the upload's look at spot g counts: the device's first today, and its network's. */
  const looks = sql`(g.seen < 2 AND NOT g.net)`;
  const near = nearSpot(dLat, dLon);
  const foldsInto = foldRule(live, scale);

  return [
    ...(local ? [db.run(createLocalGroups)] : []),
    db.run(sql`INSERT INTO sensor_batches (key, request_hash, claim, created_at)
      VALUES (${K}, ${v("requestHash")}, ${v("claim")}, ${now}) ON CONFLICT (key) DO NOTHING`),
    // Each group joins the nearest spot of its family that reaches it (one indexed search each),
    // born in a square it brought a key for, or opens the spot it brought an id for. The nearest
    // by min(), whose bare columns take the row of the minimum (SQLite refuses an outer column in
    // ORDER BY here).
    db.run(sql`WITH g AS MATERIALIZED (SELECT key AS idx, ${groupColumns} FROM json_each(${v("groups")}))
      INSERT INTO ${G} (batch_key, idx, new_spot_id, spot_id, keys, key_lat_from, key_lon_from, key_width,
          family, lat, lon, weight, radius_m, hits, pothole_hits, bump_hits, first_at, last_at)
      SELECT ${K}, idx, new_spot_id,
        coalesce((SELECT id FROM (SELECT s.id AS id, min(${dist2("s", "g", scale)}) FROM road_spots s
          WHERE ${near("s", "g")} AND ${dist2("s", "g", scale)} <= ${reach(joinReach("s", "g"))}
            AND s.key_lat BETWEEN ${keyLatFrom} AND ${keyCell(sql`g.lat + ${v("keyLat")}`)}
            AND s.key_lon BETWEEN ${keyLonFrom} AND ${keyLonTo} AND ${live("s")})),
          new_spot_id),
        keys, ${keyLatFrom}, ${keyLonFrom}, ${keyLonTo} - ${keyLonFrom} + 1,
        family, lat, lon, weight, radius_m, hits, pothole_hits, bump_hits, first_at, last_at
      FROM g WHERE ${claimed}`),
    // The rest open spots, whole; at a known feature they are born known, never to dispatch. Only
    // new spots look for a feature: most groups join a spot, and a probe per group cost ~2 ms.
    db.run(sql`INSERT INTO road_spots (id, family, kind, state, lat, lon, grid_lat, grid_lon, key_lat, key_lon, weight, radius_m, hits,
        pothole_hits, bump_hits, devices, hit_passes, first_hit_at, last_hit_at, created_at, updated_at)
      SELECT new_spot_id, family, ${kindOf("g")}, CASE WHEN EXISTS (SELECT 1 FROM known_features k
          WHERE k.lat BETWEEN g.lat - ${dLat} AND g.lat + ${dLat} AND k.lon BETWEEN g.lon - ${dLon} AND g.lon + ${dLon}
            AND ${dist2("k", "g", scale)} <= ${reach(sql`g.radius_m`)})
        THEN ${spotState("known_feature")} ELSE ${spotState("candidate")} END,
        lat, lon, ${grid(sql`lat`)}, ${grid(sql`lon`)}, ${keyCell(sql`lat`)}, ${keyCell(sql`lon`)}, weight, radius_m,
        hits, pothole_hits > bump_hits, bump_hits > pothole_hits, 1, 1,
        first_at, last_at, ${now}, ${now}
      FROM ${G} g WHERE ${mine} AND ${newSpot}`),
    // Spots that were there take the groups in: the upload's groups at a spot as one look (their
    // centre, the best fix's weight), once a day per device and per network. Their devices and passes grow by this device if
    // it is new to them (one index probe each, not a count of every hit): the upload is one
    // device's, and the batch is one transaction, so the counts stay exact under concurrency.
    // The grid columns are left alone, so their index is not rewritten for every hit.
    db.run(sql`UPDATE road_spots SET
        lat = (road_spots.lat * road_spots.weight + g.lat * g.w * ${looks}) / (road_spots.weight + g.w * ${looks}),
        lon = (road_spots.lon * road_spots.weight + g.lon * g.w * ${looks}) / (road_spots.weight + g.w * ${looks}),
        weight = road_spots.weight + g.w * ${looks},
        radius_m = min(road_spots.radius_m, g.r),
        hits = road_spots.hits + g.h,
        pothole_hits = road_spots.pothole_hits + (g.ph > g.bh) * ${looks},
        bump_hits = road_spots.bump_hits + (g.bh > g.ph) * ${looks},
        kind = CASE WHEN road_spots.family = 'rough' THEN 'rough'
          WHEN road_spots.bump_hits + (g.bh > g.ph) * ${looks} > road_spots.pothole_hits + (g.ph > g.bh) * ${looks}
          THEN 'bump' ELSE 'pothole' END,
        devices = road_spots.devices + (g.seen = 0),
        hit_passes = road_spots.hit_passes + (g.seen < 2),
        first_hit_at = min(road_spots.first_hit_at, g.f),
        last_hit_at = max(road_spots.last_hit_at, g.l),
        updated_at = ${now}
      FROM (SELECT sg.spot_id, max(sg.weight) AS w, sum(sg.lat * sg.weight) / sum(sg.weight) AS lat,
          sum(sg.lon * sg.weight) / sum(sg.weight) AS lon,
          min(sg.radius_m) AS r, sum(sg.hits) AS h, sum(sg.pothole_hits) AS ph, sum(sg.bump_hits) AS bh,
          min(sg.first_at) AS f, max(sg.last_at) AS l,
          ${seenBefore} AS seen, ${networkSeen} AS net
        FROM ${G} AS sg JOIN road_spots rs ON rs.id = sg.spot_id WHERE sg.${mine} AND NOT sg.${newSpot} GROUP BY sg.spot_id) AS g
      WHERE road_spots.id = g.spot_id`),
    // The day's hit, and on a spot whose work order was resolved (within the reopen window), the
    // resolution it came after, if it did (what `checkRepairs` counts): the hit's time is not kept.
    db.run(sql`INSERT INTO road_spot_hits (spot_id, device_key, day, network_key, repair_at)
      SELECT g.spot_id, ${hitKey("g", "s")}, ${day}, ${networkKey("g", "s")}, CASE WHEN max(g.last_at) > ${resolvedAt("w")} THEN ${resolvedAt("w")} END
      FROM ${G} g JOIN road_spots s ON s.id = g.spot_id
        LEFT JOIN work_orders w ON w.cluster_id = s.cluster_id AND w.status = ${workOrderStatus("resolved")}
          AND ${resolvedAt("w")} > ${now} - ${num(REOPEN_WINDOW_DAYS * DAY_MS)}
      WHERE g.batch_key = ${K} GROUP BY g.spot_id
      ON CONFLICT DO UPDATE SET repair_at = excluded.repair_at
        WHERE excluded.repair_at > coalesce(road_spot_hits.repair_at, 0)`),
    // A spot opened beside another of the same place (GPS error put the first hit of a pothole
    // a few metres off, and the nearest spot took the hits on its side) folds into it: split,
    // neither half reached the devices or the share to dispatch. Each spot this upload looked at
    // folds into the greatest spot it may fold into, or if none, takes in the lesser ones around
    // it that may fold (listed as groups of their own, with no hits). A spot folded into does not
    // fold itself this time: its next upload will.
    db.run(sql`UPDATE ${G} SET merge_to = (SELECT id FROM (SELECT t.id AS id, max(${rank("t")})
        FROM road_spots s JOIN road_spots t ON ${near("t", "s")}
        WHERE s.id = ${G}.spot_id AND ${foldsInto("s", "t")}))
      WHERE ${mine}`),
    db.run(sql`UPDATE ${G} SET merge_to = NULL WHERE ${mine} AND merge_to IS NOT NULL
      AND spot_id IN (SELECT merge_to FROM ${G} WHERE ${mine} AND merge_to IS NOT NULL)`),
    db.run(sql`INSERT INTO ${G} (batch_key, idx, new_spot_id, spot_id, keys, key_lat_from, key_lon_from, key_width,
        family, lat, lon, weight, radius_m, hits, pothole_hits, bump_hits, first_at, last_at, merge_to)
      SELECT ${K}, -row_number() OVER (ORDER BY id), id, id, '[]', 0, 0, 0,
        family, lat, lon, weight, radius_m, 0, 0, 0, first_hit_at, last_hit_at, into_id
      FROM (SELECT s.id AS id, s.family AS family, s.lat AS lat, s.lon AS lon, s.weight AS weight,
          s.radius_m AS radius_m, s.first_hit_at AS first_hit_at, s.last_hit_at AS last_hit_at,
          t.id AS into_id, max(${rank("t")})
        FROM (SELECT DISTINCT spot_id FROM ${G} WHERE ${mine} AND merge_to IS NULL) looked
          JOIN road_spots t ON t.id = looked.spot_id JOIN road_spots s ON ${near("s", "t")}
        WHERE ${foldsInto("s", "t")} AND s.id NOT IN (SELECT spot_id FROM ${G} WHERE ${mine})
          AND s.id NOT IN (SELECT merge_to FROM ${G} WHERE ${mine} AND merge_to IS NOT NULL)
        GROUP BY s.id)`),
    // The spot taking them in: the devices and passes that hit only the folded spots (read before
    // their hits move) added, and the folded looks in its centre and its kind only as far as they
    // were new to it (a device or a network it had that day looked already: one phone's hits a
    // few metres further on each upload had walked a spot away from where the cars felt it). It
    // dates from the older of the two: its hit share counts the passes since, and a folded spot's
    // old hits against the passes of the newer one's days alone had dispatched a spot most cars
    // drove over unfelt. Each folded spot's share of new looks (`k`) read once.
    db.run(sql`WITH folded AS MATERIALIZED (SELECT f.merge_to AS id, s.weight, s.lat, s.lon, s.radius_m, s.hits,
          s.pothole_hits, s.bump_hits, s.first_hit_at, s.last_hit_at, s.created_at,
          (SELECT count(*) FROM road_spot_hits h WHERE h.spot_id = s.id
            AND NOT EXISTS (SELECT 1 FROM road_spot_hits x
              WHERE x.spot_id = f.merge_to AND x.device_key = h.device_key AND x.day = h.day)
            AND NOT EXISTS (SELECT 1 FROM road_spot_hits x INDEXED BY road_spot_hits_network
              WHERE x.spot_id = f.merge_to AND x.network_key = h.network_key AND x.day = h.day))
            * 1.0 / max(s.hit_passes, 1) AS k
        FROM (SELECT DISTINCT spot_id, merge_to FROM ${G} WHERE ${mine} AND merge_to IS NOT NULL) f
          JOIN road_spots s ON s.id = f.spot_id)
      UPDATE road_spots SET
        lat = (road_spots.lat * road_spots.weight + m.lw) / (road_spots.weight + m.w),
        lon = (road_spots.lon * road_spots.weight + m.lonw) / (road_spots.weight + m.w),
        weight = road_spots.weight + m.w,
        radius_m = min(road_spots.radius_m, m.r),
        hits = road_spots.hits + m.h,
        pothole_hits = road_spots.pothole_hits + m.ph,
        bump_hits = road_spots.bump_hits + m.bh,
        kind = CASE WHEN road_spots.family = 'rough' THEN 'rough'
          WHEN road_spots.bump_hits + m.bh > road_spots.pothole_hits + m.ph THEN 'bump' ELSE 'pothole' END,
        devices = road_spots.devices + (SELECT count(DISTINCT h.device_key) FROM road_spot_hits h
          WHERE h.spot_id IN (SELECT spot_id FROM ${G} WHERE ${mine} AND merge_to = m.id)
            AND NOT EXISTS (SELECT 1 FROM road_spot_hits x WHERE x.spot_id = m.id AND x.device_key = h.device_key)),
        hit_passes = road_spots.hit_passes + (SELECT count(*) FROM (SELECT DISTINCT h.device_key, h.day
          FROM road_spot_hits h WHERE h.spot_id IN (SELECT spot_id FROM ${G} WHERE ${mine} AND merge_to = m.id)
            AND NOT EXISTS (SELECT 1 FROM road_spot_hits x
              WHERE x.spot_id = m.id AND x.device_key = h.device_key AND x.day = h.day))),
        first_hit_at = min(road_spots.first_hit_at, m.f),
        last_hit_at = max(road_spots.last_hit_at, m.l),
        created_at = min(road_spots.created_at, m.c),
        updated_at = ${now}
      FROM (SELECT id, sum(weight * k) AS w, sum(lat * weight * k) AS lw, sum(lon * weight * k) AS lonw,
          min(radius_m) AS r, sum(hits) AS h, CAST(round(sum(pothole_hits * k)) AS INTEGER) AS ph,
          CAST(round(sum(bump_hits * k)) AS INTEGER) AS bh, min(first_hit_at) AS f, max(last_hit_at) AS l,
          min(created_at) AS c
        FROM folded GROUP BY id) AS m
      WHERE road_spots.id = m.id`),
    // A hit moved onto a spot whose work order was resolved (within the reopen window) is marked
    // with that resolution if it came after it, as a hit there is (what `checkRepairs` counts): on
    // a later day, or on its day when all the folded spot's hits followed it (a hit keeps no time).
    db.run(sql`INSERT INTO road_spot_hits (spot_id, device_key, day, network_key, repair_at)
      SELECT f.merge_to, h.device_key, h.day, h.network_key,
        CASE WHEN h.day > CAST(${resolvedAt("w")} / ${num(DAY_MS)} AS INTEGER)
          OR (h.day = CAST(${resolvedAt("w")} / ${num(DAY_MS)} AS INTEGER) AND s.first_hit_at > ${resolvedAt("w")})
        THEN ${resolvedAt("w")} END
      FROM (SELECT DISTINCT spot_id, merge_to FROM ${G} WHERE ${mine} AND merge_to IS NOT NULL) f
        JOIN road_spots s ON s.id = f.spot_id JOIN road_spots t ON t.id = f.merge_to
        JOIN road_spot_hits h ON h.spot_id = f.spot_id
        LEFT JOIN work_orders w ON w.cluster_id = t.cluster_id AND w.status = ${workOrderStatus("resolved")}
          AND ${resolvedAt("w")} > ${now} - ${num(REOPEN_WINDOW_DAYS * DAY_MS)}
      WHERE true ON CONFLICT DO UPDATE SET repair_at = excluded.repair_at
        WHERE excluded.repair_at > coalesce(road_spot_hits.repair_at, 0)`),
    db.run(sql`DELETE FROM road_spot_hits
      WHERE spot_id IN (SELECT spot_id FROM ${G} WHERE ${mine} AND merge_to IS NOT NULL)`),
    db.run(
      sql`DELETE FROM road_spots WHERE id IN (SELECT spot_id FROM ${G} WHERE ${mine} AND merge_to IS NOT NULL)`,
    ),
    // Where a folded spot's id leads now, and where the ids folded into it before do.
    db.run(sql`UPDATE road_spot_folds SET into_id = f.merge_to
      FROM (SELECT DISTINCT spot_id, merge_to FROM ${G} WHERE ${mine} AND merge_to IS NOT NULL) f
      WHERE road_spot_folds.into_id = f.spot_id`),
    db.run(sql`INSERT INTO road_spot_folds (id, into_id, folded_at)
      SELECT DISTINCT spot_id, merge_to, ${now} FROM ${G} WHERE ${mine} AND merge_to IS NOT NULL`),
    db.run(sql`UPDATE ${G} SET spot_id = merge_to WHERE ${mine} AND merge_to IS NOT NULL`),
    // The spots whose centre crossed into another grid cell (by this upload's look, or a fold)
    // are filed anew; the rest are left alone, so their index is not rewritten for every hit.
    db.run(sql`UPDATE road_spots SET grid_lat = ${grid(sql`lat`)}, grid_lon = ${grid(sql`lon`)}
      WHERE id IN (SELECT spot_id FROM ${G} WHERE ${mine})
        AND (grid_lat <> ${grid(sql`lat`)} OR grid_lon <> ${grid(sql`lon`)})`),
    // A cell driven for the first time is placed in its areas as decided in JavaScript, as a
    // report's are; the pass trigger decides them in SQL only where an area changed since (its
    // ray casting over JSON costs ~6 ms a cell in an area of 2,500 corners, ~22 before migration
    // 0051: a batch of 5,000 new cells held the server for two minutes).
    db.run(sql`INSERT INTO road_cells (lat_index, lon_index, last_day, areas)
      SELECT value ->> 0, value ->> 1, ${day}, value ->> 2 FROM json_each(${v("cellAreas")})
      WHERE ${claimed} AND (SELECT version FROM area_version WHERE id = 1) IS ${v("areaVersion")}
      ON CONFLICT DO NOTHING`),
    db.run(sql`INSERT INTO cell_passes (lat_index, lon_index, pass_key, day)
      SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]'), json_extract(value, '$[2]'), ${day}
        FROM json_each(${v("cells")})
      WHERE ${claimed}
      ON CONFLICT DO NOTHING`),
    ...(fed.length
      ? [
          // A spot the rule confirms within its reach of a known feature is that feature: a spot
          // only looks for one when it opens, and one opened just beyond a manhole's reach may
          // have drifted onto it since. Probed only for the spots the rule confirms.
          db.run(sql`UPDATE road_spots SET updated_at = ${now},
              state = CASE WHEN ${atKnownFeature} THEN ${spotState("known_feature")} ELSE ${spotState("confirmed")} END,
              confirmed_at = CASE WHEN ${atKnownFeature} THEN NULL ELSE ${now} END
            WHERE id IN (SELECT spot_id FROM ${G} WHERE ${mine}) AND +state = ${spotState("candidate")}
              AND (${sql.join(
                fed.map(
                  ([kind, f]) =>
                    // The hit share by networks, as passes count them (never above 1: hits are
                    // passes too when phones send no cells, so ≥ share × passes is ≥ share × max).
                    sql`(kind = ${kind} AND devices >= ${f.minDevices}
                      AND ${vehiclesOf("road_spots")} >= ${f.minDevices}
                      AND ${networkHitPassesOf("road_spots")} >= ${f.minHitShare} * ${passesOf("road_spots")})`,
                ),
                sql` OR `,
              )})`),
        ]
      : []),
    db.run(sql`UPDATE sensor_batches SET response = json_object('accepted', ${v("accepted")},
        'spots', json((SELECT json_group_array(json_object('id', s.id, 'state', s.state)) FROM road_spots s
          WHERE s.id IN (SELECT spot_id FROM ${G} WHERE ${mine}))))
      WHERE key = ${K} AND ${claimed}`),
    db.run(sql`DELETE FROM ${G} WHERE ${mine}`),
    // The answer, read in the batch rather than by a query after it, and whether any confirmed
    // spot (this upload's, or one whose filing a crash lost) waits for its report: one probe of
    // the partial index of exactly those, so most uploads skip the filing's query.
    db.run(sql`SELECT request_hash, response, EXISTS (SELECT 1 FROM road_spots INDEXED BY road_spots_unfiled
        WHERE state = ${spotState("confirmed")} AND report_id IS NULL) AS unfiled
      FROM sensor_batches WHERE key = ${K}`),
    // An upload without an Idempotency-Key cannot be retried: its answer (the spots one device
    // hit) is not kept. Keyed answers are swept after a day (`sweepSensorBatches`).
    db.run(sql`DELETE FROM sensor_batches WHERE key = ${K} AND ${K} LIKE ${`${ANONYMOUS}%`}`),
  ];
}

/** What an upload's batch read last: its key's answer (this request's, or a racing winner's). */
export interface SensorBatchOutcome {
  request_hash: string;
  response: string;
  /** Whether a confirmed spot waits for its report. */
  unfiled: number;
}

/** Runs one upload, one batch. */
export async function ingestSensorBatch(db: Db, cmd: SensorBatchCommand): Promise<SensorBatchOutcome> {
  const results = (await db.batch(
    sensorBatchStatements(db, cmd) as unknown as Parameters<Db["batch"]>[0],
  )) as unknown as SensorBatchOutcome[][];
  // The answer is the read before the last statement (which forgets an answer no retry can ask for).
  return results[results.length - 2]?.[0] as SensorBatchOutcome;
}
