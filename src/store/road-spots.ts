/** Road spots as the public sees them: counts and states, never which device hit what. */
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import type { BBox } from "../domain/geo";
import { to7 } from "../domain/geo";
import { iso } from "../domain/iso-time";
import {
  type AnomalyKind,
  dayOf,
  hitShare,
  SPOT_FAMILIES,
  SPOT_GRID_DEG,
  type SpotState,
} from "../domain/sensor";
import { passesOf, vehiclesOf } from "./sensor-batches";
import { spotState } from "./status-sql";

interface SpotRow {
  id: string;
  kind: AnomalyKind;
  state: SpotState;
  lat: number;
  lon: number;
  radius_m: number;
  devices: number;
  hits: number;
  hit_passes: number;
  passes: number;
  bump_hits: number;
  cluster_id: string | null;
  first_hit_at: number;
  last_hit_at: number;
  confirmed_at: number | null;
}

/** A hit's time shown to the day: to the millisecond, two spots' times could tie one phone to both. */
const isoDay = (ms: number) => iso(dayOf(ms) * 86_400_000);

const present = (r: SpotRow) => {
  const passes = Math.max(r.passes, r.hit_passes);
  return {
    id: r.id,
    kind: r.kind,
    state: r.state,
    lat: to7(r.lat),
    lon: to7(r.lon),
    radiusM: r.radius_m,
    devices: r.devices,
    hits: r.hits,
    hitPasses: r.hit_passes,
    passes,
    hitShare: hitShare({ devices: r.devices, hitPasses: r.hit_passes, passes }),
    clusterId: r.cluster_id,
    firstHitAt: isoDay(r.first_hit_at),
    lastHitAt: isoDay(r.last_hit_at),
    // The day too: to the millisecond, two spots one upload confirmed told that one phone hit both.
    confirmedAt: r.confirmed_at === null ? null : isoDay(r.confirmed_at),
  };
};
export type RoadSpot = ReturnType<typeof present>;

const select = (
  where: SQL,
  limit: number,
  order = sql`last_hit_at DESC`,
) => sql`SELECT id, kind, state, lat, lon,
    radius_m, devices, hits, hit_passes, ${passesOf("road_spots")} AS passes, bump_hits, cluster_id, first_hit_at,
    last_hit_at, confirmed_at
  FROM road_spots WHERE ${where} ORDER BY ${order} LIMIT ${limit}`;

const gridOf = (degrees: number) => Math.floor(degrees / SPOT_GRID_DEG);

/**
 * Spots in a box, found through the grid index (the intake's): a spot's grid cell is the floor
 * of its centre, so the cells' rows and columns bound it exactly. The centre itself has no index,
 * so moving it on every hit rewrites no index entry.
 */
export const spotsInBox = (box: BBox) =>
  sql`family IN (${sql.join(
    SPOT_FAMILIES.map((f) => sql`${f}`),
    sql`, `,
  )}) AND grid_lat BETWEEN ${gridOf(box.minLat)} AND ${gridOf(box.maxLat)}
    AND grid_lon BETWEEN ${gridOf(box.minLon)} AND ${gridOf(box.maxLon)}
    AND lat BETWEEN ${box.minLat} AND ${box.maxLat} AND lon BETWEEN ${box.minLon} AND ${box.maxLon}`;

/**
 * The public's spots in a box: those at least two vehicles hit (one car's alone trace its drive,
 * and one network's uploads could fill the list), the days of their latest hits newest first, and
 * within a day by place (south to north, then west to east): by time, one phone's spots came out
 * together, in the order it drove them. One more than `limit` is read to tell truncation.
 */
export async function findSpotsInBox(db: Db, box: BBox, state: SpotState | undefined, limit = 2000) {
  const seen = sql`${spotsInBox(box)} AND devices >= 2 AND ${vehiclesOf("road_spots")} >= 2`;
  const where = state ? sql`${seen} AND state = ${spotState(state)}` : seen;
  const rows = await db.all<SpotRow>(select(where, limit + 1, sql`last_hit_at / 86400000 DESC, lat, lon`));
  return { spots: rows.slice(0, limit).map(present), truncated: rows.length > limit };
}

export async function findSpot(db: Db, id: string): Promise<RoadSpot | null> {
  const [row] = await db.all<SpotRow>(select(sql`id = ${id}`, 1));
  return row ? present(row) : null;
}

/** The spot a folded spot's id leads to now (see `road_spot_folds`), if it was folded. */
export async function foldedInto(db: Db, id: string): Promise<string | null> {
  const [row] = await db.all<{ into_id: string }>(sql`SELECT into_id FROM road_spot_folds WHERE id = ${id}`);
  return row?.into_id ?? null;
}

/** Candidate spots for the admin, and those most of whose events felt like bumps (fixtures?). */
export async function listSpotsForReview(db: Db, limit = 500) {
  // The spots more vehicles felt first: one phone's upload of a thousand made-up spots, newest of
  // all, would otherwise fill the list and hide those several vehicles are confirming; and by
  // vehicles, not device ids, which one network makes up at no cost (five ids on each of 485 spots
  // had pushed a spot two vehicles felt off the list). Vehicles are counted where ids are several.
  const candidates = await db.all<SpotRow>(
    select(
      sql`state = ${spotState("candidate")}`,
      limit,
      sql`CASE WHEN devices >= 2 THEN ${vehiclesOf("road_spots")} ELSE devices END DESC, devices DESC, last_hit_at DESC`,
    ),
  );
  const suggested = await db.all<SpotRow>(
    select(
      // Two vehicles, as confirmation counts them: two device ids made up on one network are one.
      sql`state IN (${spotState("candidate")}, ${spotState("confirmed")}) AND devices >= 2 AND bump_hits > pothole_hits
        AND ${vehiclesOf("road_spots")} >= 2`,
      limit,
    ),
  );
  return { candidates: candidates.map(present), suggestedFeatures: suggested.map(present) };
}

type SummaryRow = { vehicles: number; hit_passes: number; passes: number };

/** The spots linked to a cluster, for its sensor summary (one statement of the cluster's batch). */
export const clusterSpotsQuery = (db: Db, clusterId: string) =>
  db.all<SummaryRow>(sql`SELECT ${vehiclesOf("road_spots")} AS vehicles, hit_passes, ${passesOf("road_spots")} AS passes
    FROM road_spots WHERE cluster_id = ${clusterId}`);

/**
 * "Confirmed by N vehicles, hit in X of Y passes" for a cluster fed by road spots; null for others.
 * The figures are its strongest spot's (most vehicles, then most hits, then most passes): two spots of one problem lie
 * over the same stretch of road, so added up, each pass over it was counted twice ("12 of 16" for
 * spots hit in 8 of 8 and 4 of 8).
 */
export function sensorSummary(rows: SummaryRow[]) {
  const [strongest] = [...rows].sort(
    (a, b) => b.vehicles - a.vehicles || b.hit_passes - a.hit_passes || b.passes - a.passes,
  );
  if (!strongest) return null;
  return {
    spots: rows.length,
    vehicles: strongest.vehicles,
    hitPasses: strongest.hit_passes,
    passes: Math.max(strongest.passes, strongest.hit_passes),
  };
}
