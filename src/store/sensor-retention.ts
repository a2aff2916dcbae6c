/**
 * What the sensor intake keeps, kept short: hits stored before migration 0036 under one key per
 * device are keyed again by their spot's square, and the answers kept for retried uploads go
 * after a day. Both run in the dispatch round, a chunk at a time, so no round holds the write
 * lock long.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { hitKeyer } from "./sensor-uploads";

const CHUNK = 2000;

/** How long a phone may retry an upload with the same Idempotency-Key and get the same answer. */
export const UPLOAD_ANSWER_KEPT_MS = 86_400_000;

interface LegacyHit {
  spot_id: string;
  device_key: string;
  day: number;
  repair_at: number | null;
  key_lat: number;
  key_lon: number;
}

/** Keys a chunk of the old hits by their spot's square (the key needs the secret); answers how many. */
export async function rekeyLegacyHits(db: Db, secret: string): Promise<number> {
  const rows =
    await db.all<LegacyHit>(sql`SELECT h.spot_id, h.device_key, h.day, h.repair_at, s.key_lat, s.key_lon
    FROM legacy_spot_hits h JOIN road_spots s ON s.id = h.spot_id LIMIT ${CHUNK}`);
  if (rows.length === 0) return 0;
  const moved = JSON.stringify(
    rows.map((r) => [
      r.spot_id,
      hitKeyer(secret, r.device_key)(r.key_lat, r.key_lon),
      r.day,
      r.repair_at,
      r.device_key,
    ]),
  );
  // Another process may move the same rows at once: the insert merges, the delete finds none.
  await db.batch([
    db.run(sql`INSERT INTO road_spot_hits (spot_id, device_key, day, repair_at)
      SELECT value ->> 0, value ->> 1, value ->> 2, value ->> 3 FROM json_each(${moved}) WHERE true
      ON CONFLICT DO UPDATE SET repair_at = excluded.repair_at
        WHERE excluded.repair_at > coalesce(road_spot_hits.repair_at, 0)`),
    db.run(sql`DELETE FROM legacy_spot_hits WHERE (spot_id, device_key, day) IN
      (SELECT value ->> 0, value ->> 4, value ->> 2 FROM json_each(${moved}))`),
  ]);
  return rows.length;
}

/** Deletes a chunk of the upload answers older than a retry may come; answers how many. */
export async function sweepSensorBatches(db: Db, now: number): Promise<number> {
  const rows = await db.all<{
    n: number;
  }>(sql`DELETE FROM sensor_batches WHERE key IN (SELECT key FROM sensor_batches
      WHERE created_at < ${now - UPLOAD_ANSWER_KEPT_MS} ORDER BY created_at LIMIT ${CHUNK}) RETURNING 1 AS n`);
  return rows.length;
}
