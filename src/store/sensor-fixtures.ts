/**
 * Known features: fixtures (manholes, speed bumps, rail crossings) where a jolt is no defect.
 * Imported by the admin or learnt from a department's "a fixture, not a defect". A spot at one
 * becomes `known_feature`: it keeps counting, and never dispatches.
 */
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import type { BBox } from "../domain/geo";
import { METRES_PER_DEGREE } from "../domain/geo";
import { newId } from "../domain/ids";
import { FIXTURE_CLOSED_NOTE } from "../domain/lifecycle";
import { DEFAULT_SPOT_RADIUS_M, MAX_SPOT_RADIUS_M } from "../domain/sensor";
import { spotsInBox } from "./road-spots";
import { actor, eventType, spotState } from "./status-sql";
import { type AuditEntry, auditAfter, auditAlong } from "./writes";

/**
 * 1 when the work order's last move was the system closing it as a fixture, else 0: that closing
 * follows a rejection, not a repair, so there is nothing to reopen. Ids as values or columns.
 */
export const closedAsFixtureSql = (workOrderId: SQL | string, clusterId: SQL | string): SQL =>
  sql`coalesce((SELECT e.actor = ${actor("system")} AND e.note = ${FIXTURE_CLOSED_NOTE} FROM events e
    WHERE e.cluster_id = ${clusterId} AND e.work_order_id = ${workOrderId} AND e.type = ${eventType("status_changed")}
    ORDER BY e.at DESC, e.rowid DESC LIMIT 1), 0)`;

/** Two features of a kind this close (degrees, ~1 cm) are one. */
const SAME_POINT_DEG = 1e-7;

interface FeatureRow {
  id: string;
  kind: string;
  lat: number;
  lon: number;
  origin: "import" | "rejection";
  created_at: number;
}

/**
 * Marks the spots near a feature as known, unless one already filed its report (a department
 * decides those, by rejecting as a fixture).
 */
const markSpotsNear = (db: Db, lat: number, lon: number, now: number) => {
  const dLat = DEFAULT_SPOT_RADIUS_M / METRES_PER_DEGREE;
  const lonScale = Math.cos((lat * Math.PI) / 180);
  const dLon = dLat / lonScale;
  return db.run(sql`UPDATE road_spots SET state = ${spotState("known_feature")}, updated_at = ${now}
    WHERE ${spotsInBox({ minLat: lat - dLat, maxLat: lat + dLat, minLon: lon - dLon, maxLon: lon + dLon })}
      AND (lat - ${lat}) * (lat - ${lat}) + (lon - ${lon}) * ${lonScale} * (lon - ${lon}) * ${lonScale} <= ${dLat * dLat}
      AND state IN (${spotState("candidate")}, ${spotState("confirmed")}) AND report_id IS NULL`);
};

/**
 * Imports features in one atomic write, the admin's audit entry with them; returns how many were
 * new and how many spots became known. A feature already there (its kind, at the same point to
 * about a centimetre) is not added again: a file imported twice had doubled every feature.
 */
export async function importKnownFeatures(
  db: Db,
  features: { kind: string; lat: number; lon: number }[],
  now: number,
  audit?: AuditEntry,
) {
  const results = await db.batch([
    db.run(sql`SELECT 1`),
    ...features.flatMap((f) => [
      db.run(sql`INSERT INTO known_features (id, kind, lat, lon, origin, created_at)
        SELECT ${newId()}, ${f.kind}, ${f.lat}, ${f.lon}, 'import', ${now}
        WHERE NOT EXISTS (SELECT 1 FROM known_features WHERE kind = ${f.kind}
          AND lat BETWEEN ${f.lat - SAME_POINT_DEG} AND ${f.lat + SAME_POINT_DEG}
          AND lon BETWEEN ${f.lon - SAME_POINT_DEG} AND ${f.lon + SAME_POINT_DEG})`),
      markSpotsNear(db, f.lat, f.lon, now),
    ]),
    ...auditAlong(db, audit, now),
  ]);
  const changed = (i: number) => (results[1 + i] as { rowsAffected?: number }).rowsAffected ?? 0;
  const sum = (parity: number) => features.reduce((n, _, i) => n + changed(2 * i + parity), 0);
  return { imported: sum(0), spotsMarked: sum(1) };
}

/**
 * The statements that make a cluster's spots known features (a department rejected the work
 * order as a fixture): the spots change state and their places become features.
 */
export const learnFixtureStatements = (db: Db, clusterId: string, now: number, guard: SQL) => [
  // Of the fixture's sort nothing is known (the spot's own kind is what phones took it for).
  db.run(sql`INSERT INTO known_features (id, kind, lat, lon, origin, created_at)
    SELECT 'kf' || id, 'fixture', lat, lon, 'rejection', ${now} FROM road_spots
    WHERE cluster_id = ${clusterId} AND ${guard} ON CONFLICT DO NOTHING`),
  db.run(sql`UPDATE road_spots SET state = ${spotState("known_feature")}, updated_at = ${now}
    WHERE cluster_id = ${clusterId} AND ${guard}`),
];

/** Whether phones sensed the cluster (it has road spots): only then is "a fixture" something to learn. */
export async function hasRoadSpots(db: Db, clusterId: string): Promise<boolean> {
  const rows = await db.all(sql`SELECT 1 FROM road_spots WHERE cluster_id = ${clusterId} LIMIT 1`);
  return rows.length > 0;
}

const present = (r: FeatureRow) => ({
  id: r.id,
  kind: r.kind,
  lat: r.lat,
  lon: r.lon,
  origin: r.origin,
  createdAt: new Date(r.created_at).toISOString(),
});

/** Features in a box as GeoJSON, at most `limit`. */
export async function findKnownFeaturesInBox(db: Db, box: BBox | null, limit = 2000) {
  const where = box
    ? sql`lat BETWEEN ${box.minLat} AND ${box.maxLat} AND lon BETWEEN ${box.minLon} AND ${box.maxLon}`
    : sql`1`;
  const rows = await db.all<FeatureRow>(
    sql`SELECT id, kind, lat, lon, origin, created_at FROM known_features WHERE ${where}
      ORDER BY created_at DESC, id LIMIT ${limit + 1}`,
  );
  return {
    type: "FeatureCollection" as const,
    features: rows
      .slice(0, limit)
      .map(present)
      .map(({ lat, lon, ...properties }) => ({
        type: "Feature" as const,
        id: properties.id,
        geometry: { type: "Point" as const, coordinates: [lon, lat] as [number, number] },
        properties,
      })),
    truncated: rows.length > limit,
  };
}

/** Whether feature row `k` lies within a spot's reach of `road_spots` (its radius, at least a feature's). */
const featureReaches = (k: string, lonScale: number) =>
  sql`(${sql.raw(k)}.lat - road_spots.lat) * (${sql.raw(k)}.lat - road_spots.lat)
    + (${sql.raw(k)}.lon - road_spots.lon) * ${lonScale} * (${sql.raw(k)}.lon - road_spots.lon) * ${lonScale}
    <= (max(road_spots.radius_m, ${DEFAULT_SPOT_RADIUS_M}) / ${METRES_PER_DEGREE})
      * (max(road_spots.radius_m, ${DEFAULT_SPOT_RADIUS_M}) / ${METRES_PER_DEGREE})`;

/**
 * Deletes a feature, with the admin's audit entry in the same batch; false if there was none. The
 * spots it had made known, which no other feature reaches and which filed no report, are
 * candidates again (a manhole imported where there is none had kept a real pothole there from
 * ever dispatching): the next vehicle to hit one confirms it, as the rule says. A spot whose work
 * order was rejected as a fixture stays known: a department decided it.
 */
export async function deleteKnownFeature(
  db: Db,
  id: string,
  now: number,
  audit?: AuditEntry,
): Promise<boolean> {
  const [feature] = await db.all<{ lat: number; lon: number }>(
    sql`SELECT lat, lon FROM known_features WHERE id = ${id}`,
  );
  if (!feature) return false;
  const dLat = MAX_SPOT_RADIUS_M / METRES_PER_DEGREE;
  const lonScale = Math.cos((feature.lat * Math.PI) / 180);
  const dLon = dLat / lonScale;
  const box = (lat: number, lon: number) => ({
    minLat: lat - dLat,
    maxLat: lat + dLat,
    minLon: lon - dLon,
    maxLon: lon + dLon,
  });
  const [, result] = await db.batch([
    db.run(sql`UPDATE road_spots SET state = ${spotState("candidate")}, updated_at = ${now}
      WHERE ${spotsInBox(box(feature.lat, feature.lon))} AND state = ${spotState("known_feature")}
        AND report_id IS NULL AND cluster_id IS NULL
        AND EXISTS (SELECT 1 FROM known_features f WHERE f.id = ${id} AND ${featureReaches("f", lonScale)})
        AND NOT EXISTS (SELECT 1 FROM known_features k WHERE k.id <> ${id}
          AND k.lat BETWEEN road_spots.lat - ${dLat} AND road_spots.lat + ${dLat}
          AND k.lon BETWEEN road_spots.lon - ${dLon} AND road_spots.lon + ${dLon}
          AND ${featureReaches("k", lonScale)})`),
    db.run(sql`DELETE FROM known_features WHERE id = ${id}`),
    ...auditAfter(db, audit, now),
  ]);
  return ((result as { rowsAffected?: number }).rowsAffected ?? 0) > 0;
}
