/**
 * The sensor intake: one upload (events and road cells of one phone) as ONE atomic batch of
 * set-based statements. The upload's events arrive already gathered into groups (see
 * `groupEvents`); the groups are written to `sensor_groups`, matched to stored spots by an
 * indexed box search each, new spots are opened for the rest, and the counts, passes, states
 * and the answer are all decided by statements reading what the earlier ones wrote. The cost
 * depends on the upload's size, not on how many spots are stored, and it is one round trip.
 *
 * Numbers and generated ids go into the SQL as literals (they are validated numbers and base32
 * ids): a batch of 2000 events would otherwise pass D1's limit on bound parameters.
 */
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { METRES_PER_DEGREE } from "../domain/geo";
import { newId } from "../domain/ids";
import { ROAD_CELL_DEG } from "../domain/road-cells";
import { type EventGroup, type SensorSettings, SPOT_GRID_DEG, spotRadiusM } from "../domain/sensor";
import { spotState } from "./status-sql";
import type { Statement } from "./writes";

export interface SensorBatchCommand {
  key: string;
  requestHash: string;
  claim: string;
  /** Keyed hash of the device id (private; never shown). */
  deviceKey: string;
  groups: EventGroup[];
  /** Cells driven through as [latIndex, lonIndex, passKey]. */
  cells: [number, number, string][];
  /** Settings of the services fed by each kind (the first service by code). */
  feeds: Map<string, SensorSettings>;
  now: number;
  day: number;
}

export interface SensorAnswer {
  accepted: number;
  spots: { id: string; state: string }[];
}

const numText = (n: number): string => {
  if (!Number.isFinite(n)) throw new Error(`not a finite number: ${n}`);
  return String(n);
};
const wordText = (s: string): string => {
  // Only generated ids, hex keys and the domain's names come here; refuse anything else.
  if (!/^[0-9a-z_]+$/.test(s)) throw new Error(`not a plain word: ${s}`);
  return `'${s}'`;
};
const num = (n: number): SQL => sql.raw(numText(n));
const word = (s: string): SQL => sql.raw(wordText(s));
/** Rows of literals as ONE raw fragment: rendering a fragment per value costs more than the insert. */
const valueRows = (rows: string[][]): SQL => sql.raw(rows.map((r) => `(${r.join(", ")})`).join(", "));
const CHUNK = 400;
const chunks = <T>(xs: T[], n = CHUNK): T[][] =>
  Array.from({ length: Math.ceil(xs.length / n) }, (_, i) => xs.slice(i * n, (i + 1) * n));

/** floor() without SQLite's optional math functions (D1 lacks them). */
export const floorSql = (x: SQL): SQL => sql`(CAST(${x} AS INTEGER) - (${x} < CAST(${x} AS INTEGER)))`;

/**
 * Passes over a spot (its cell and the eight around, as a car over it may have been recorded in
 * a neighbour): per day the busiest of those cells' distinct devices, summed over days.
 * `fromDay` counts only days after a repair.
 */
export const passesOf = (spot: string, fromDay: SQL = sql`-1`): SQL => {
  const li = floorSql(sql`${sql.raw(spot)}.lat / ${num(ROAD_CELL_DEG)}`);
  const lj = floorSql(sql`${sql.raw(spot)}.lon / ${num(ROAD_CELL_DEG)}`);
  return sql`(SELECT coalesce(sum(m), 0) FROM (SELECT max(n) AS m FROM (
      SELECT p.day, count(*) AS n FROM cell_passes p
      WHERE p.lat_index IN (${li} - 1, ${li}, ${li} + 1) AND p.lon_index BETWEEN ${lj} - 1 AND ${lj} + 1
        AND p.day > ${fromDay}
      GROUP BY p.day, p.lat_index, p.lon_index) GROUP BY day))`;
};

/** The statements of one upload, in order; the last but one writes its answer into `sensor_batches`. */
export function sensorBatchStatements(db: Db, cmd: SensorBatchCommand): Statement[] {
  const K = sql`${cmd.key}`;
  const claimed = sql`(SELECT claim FROM sensor_batches WHERE key = ${K}) = ${cmd.claim}`;
  const mine = sql`batch_key = ${K}`;
  // One scale of a degree of longitude for the whole upload: a drive spans a city, not a continent.
  const scale = String(Math.cos(((cmd.groups[0]?.lat ?? 0) * Math.PI) / 180));
  const lonScale = sql.raw(scale);
  const maxR = Math.max(spotRadiusM(1e9), ...[...cmd.feeds.values()].map((f) => f.radiusM));
  const dLat = num(maxR / METRES_PER_DEGREE);
  const dLon = sql`(${dLat} / ${lonScale})`;
  const dist2 = (a: string, b: string) =>
    sql.raw(
      `((${a}.lat - ${b}.lat) * (${a}.lat - ${b}.lat) + (${a}.lon - ${b}.lon) * ${scale} * (${a}.lon - ${b}.lon) * ${scale})`,
    );
  const inBox = (a: string, b: string) =>
    sql`${sql.raw(a)}.lat BETWEEN ${sql.raw(b)}.lat - ${dLat} AND ${sql.raw(b)}.lat + ${dLat}
      AND ${sql.raw(a)}.lon BETWEEN ${sql.raw(b)}.lon - ${dLon} AND ${sql.raw(b)}.lon + ${dLon}`;
  const grid = (degrees: SQL) => floorSql(sql`(${degrees}) / ${num(SPOT_GRID_DEG)}`);
  // The square of a radius in metres, in degrees of latitude.
  const reach = (metres: string) =>
    sql.raw(`((${metres} / ${METRES_PER_DEGREE}) * (${metres} / ${METRES_PER_DEGREE}))`);
  // The key may be any text: it is bound once, and the rows read it from there.
  const groupRows = cmd.groups.map((g, i) => [
    numText(i),
    wordText(newId()),
    wordText(g.family),
    ...[g.lat, g.lon, g.weight, g.radiusM, g.hits, g.potholeHits, g.bumpHits, g.firstAt, g.lastAt].map(
      numText,
    ),
  ]);
  // Every SET of an UPDATE reads the old row, so the new centre is written out for the grid too.
  const newLat = sql`(road_spots.lat * road_spots.weight + g.lw) / (road_spots.weight + g.w)`;
  const newLon = sql`(road_spots.lon * road_spots.weight + g.ow) / (road_spots.weight + g.w)`;
  const kindOf = sql`CASE WHEN family = 'rough' THEN 'rough' WHEN bump_hits > pothole_hits THEN 'bump' ELSE 'pothole' END`;
  const fed = [...cmd.feeds.entries()];

  return [
    db.run(sql`INSERT INTO sensor_batches (key, request_hash, claim, created_at)
      VALUES (${K}, ${cmd.requestHash}, ${cmd.claim}, ${cmd.now}) ON CONFLICT (key) DO NOTHING`),
    ...chunks(groupRows).map((rows) =>
      db.run(sql`INSERT INTO sensor_groups (batch_key, idx, new_spot_id, family, lat, lon, weight, radius_m,
          hits, pothole_hits, bump_hits, first_at, last_at)
        SELECT ${K}, * FROM (VALUES ${valueRows(rows)}) WHERE ${claimed}`),
    ),
    // Each group joins the nearest spot of its family that reaches it: one indexed box search each.
    // The nearest by min(), whose bare columns take the row of the minimum (SQLite refuses an
    // outer column in ORDER BY here); no spot in reach gives one row of NULLs.
    db.run(sql`UPDATE sensor_groups SET
        spot_id = (SELECT id FROM (SELECT s.id AS id, min(${dist2("s", "sensor_groups")}) FROM road_spots s
          WHERE s.family = sensor_groups.family
            AND s.grid_lat IN (${grid(sql`sensor_groups.lat - ${dLat}`)}, ${grid(sql`sensor_groups.lat`)}, ${grid(sql`sensor_groups.lat + ${dLat}`)})
            AND s.grid_lon BETWEEN ${grid(sql`sensor_groups.lon - ${dLon}`)} AND ${grid(sql`sensor_groups.lon + ${dLon}`)}
            AND ${dist2("s", "sensor_groups")} <= ${reach("max(s.radius_m, sensor_groups.radius_m)")})),
        known = EXISTS (SELECT 1 FROM known_features k WHERE ${inBox("k", "sensor_groups")}
          AND ${dist2("k", "sensor_groups")} <= ${reach("sensor_groups.radius_m")})
      WHERE ${mine}`),
    // The rest open spots; at a known feature they are born known, never to dispatch.
    db.run(sql`INSERT INTO road_spots (id, family, kind, state, lat, lon, grid_lat, grid_lon, weight, radius_m, hits,
        pothole_hits, bump_hits, devices, hit_passes, first_hit_at, last_hit_at, created_at, updated_at)
      SELECT new_spot_id, family, ${kindOf}, CASE WHEN known THEN ${spotState("known_feature")} ELSE ${spotState("candidate")} END,
        lat, lon, ${grid(sql`lat`)}, ${grid(sql`lon`)}, 0, radius_m, 0, 0, 0, 0, 0, first_at, last_at, ${cmd.now}, ${cmd.now}
      FROM sensor_groups WHERE ${mine} AND spot_id IS NULL`),
    db.run(sql`UPDATE sensor_groups SET spot_id = new_spot_id WHERE ${mine} AND spot_id IS NULL`),
    db.run(sql`INSERT INTO road_spot_hits (spot_id, device_key, day, last_at)
      SELECT spot_id, ${cmd.deviceKey}, ${cmd.day}, max(last_at) FROM sensor_groups WHERE ${mine} GROUP BY spot_id
      ON CONFLICT DO UPDATE SET last_at = max(last_at, excluded.last_at)`),
    db.run(sql`UPDATE road_spots SET
        lat = ${newLat},
        lon = ${newLon},
        grid_lat = ${grid(newLat)},
        grid_lon = ${grid(newLon)},
        weight = road_spots.weight + g.w,
        radius_m = min(road_spots.radius_m, g.r),
        hits = road_spots.hits + g.h,
        pothole_hits = road_spots.pothole_hits + g.ph,
        bump_hits = road_spots.bump_hits + g.bh,
        kind = CASE WHEN road_spots.family = 'rough' THEN 'rough'
          WHEN road_spots.bump_hits + g.bh > road_spots.pothole_hits + g.ph THEN 'bump' ELSE 'pothole' END,
        devices = (SELECT count(DISTINCT device_key) FROM road_spot_hits h WHERE h.spot_id = road_spots.id),
        hit_passes = (SELECT count(*) FROM road_spot_hits h WHERE h.spot_id = road_spots.id),
        first_hit_at = min(road_spots.first_hit_at, g.f),
        last_hit_at = max(road_spots.last_hit_at, g.l),
        updated_at = ${cmd.now}
      FROM (SELECT spot_id, sum(weight) AS w, sum(lat * weight) AS lw, sum(lon * weight) AS ow, min(radius_m) AS r,
          sum(hits) AS h, sum(pothole_hits) AS ph, sum(bump_hits) AS bh, min(first_at) AS f, max(last_at) AS l
        FROM sensor_groups WHERE ${mine} GROUP BY spot_id) AS g
      WHERE road_spots.id = g.spot_id`),
    ...chunks(cmd.cells, 1000).map((rows) =>
      db.run(sql`INSERT INTO cell_passes (lat_index, lon_index, pass_key, day)
        SELECT *, ${num(cmd.day)} FROM (VALUES ${valueRows(rows.map(([i, j, k]) => [numText(i), numText(j), wordText(k)]))})
        WHERE ${claimed}
        ON CONFLICT DO NOTHING`),
    ),
    ...(fed.length
      ? [
          db.run(sql`UPDATE road_spots SET state = ${spotState("confirmed")}, confirmed_at = ${cmd.now}, updated_at = ${cmd.now}
            WHERE id IN (SELECT spot_id FROM sensor_groups WHERE ${mine}) AND +state = ${spotState("candidate")}
              AND (${sql.join(
                fed.map(
                  ([kind, f]) =>
                    sql`(kind = ${word(kind)} AND devices >= ${num(f.minDevices)}
                      AND hit_passes >= ${num(f.minHitShare)} * max(hit_passes, ${passesOf("road_spots")}))`,
                ),
                sql` OR `,
              )})`),
        ]
      : []),
    db.run(sql`UPDATE sensor_batches SET response = json_object('accepted', ${cmd.groups.reduce((n, g) => n + g.hits, 0)},
        'spots', json((SELECT json_group_array(json_object('id', s.id, 'state', s.state)) FROM road_spots s
          WHERE s.id IN (SELECT spot_id FROM sensor_groups WHERE ${mine}))))
      WHERE key = ${K} AND ${claimed}`),
    db.run(sql`DELETE FROM sensor_groups WHERE ${mine}`),
  ];
}

/** Runs one upload; its answer is then in `sensor_batches` (this request's, or a racing winner's). */
export async function ingestSensorBatch(db: Db, cmd: SensorBatchCommand): Promise<void> {
  await db.batch(sensorBatchStatements(db, cmd) as unknown as Parameters<Db["batch"]>[0]);
}
