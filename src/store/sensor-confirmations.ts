/**
 * A confirmed road spot files ONE report with `source: sensor` through the core intake, so it
 * joins the residents' cluster at that place or opens one, and counts as reaching the threshold
 * on its own. Run after every upload and by the dispatch run, so a filing lost to a crash is
 * made later. Exactly once, whoever races: the report is claimed through the intake's own
 * idempotency key (one per spot, a keyed hash a client cannot guess), and the spot is linked
 * to whichever report holds that key, in the same batch.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { hmacSha256Hex, sha256Hex } from "../domain/crypto";
import { newId } from "../domain/ids";
import { countKey, reporterKey } from "../domain/reporter";
import { areasHolding, routeDepartment } from "../domain/routing";
import type { SensorSettings } from "../domain/sensor";
import { activeServices, serviceForIntake } from "./catalog-cache";
import { intakeStatements } from "./intake";
import { networkHitPassesOf, passesOf, vehiclesOf } from "./sensor-batches";
import { spotState } from "./status-sql";
import type { Statement } from "./writes";

/** The service each kind feeds: the first (by code) whose sensor settings name it. */
export async function sensorFeeds(db: Db): Promise<Map<string, SensorSettings & { service: string }>> {
  const feeds = new Map<string, SensorSettings & { service: string }>();
  for (const s of await activeServices(db)) {
    for (const kind of s.sensor?.kinds ?? []) {
      if (s.sensor && !feeds.has(kind)) feeds.set(kind, { ...s.sensor, service: s.code });
    }
  }
  return feeds;
}

interface Unfiled {
  id: string;
  kind: string;
  lat: number;
  lon: number;
  vehicles: number;
  hit_passes: number;
  passes: number;
}

/**
 * Confirmed spots without their report yet, oldest first, through the partial index of exactly
 * those: named, because with statistics of a million candidates SQLite preferred to skip-scan
 * `road_spots_state_report` over every spot (70–116 ms per upload at 1M spots).
 */
export const unfiledSpots = (
  limit: number,
) => sql`SELECT id, kind, lat, lon, ${vehiclesOf("road_spots")} AS vehicles,
      ${networkHitPassesOf("road_spots")} AS hit_passes, ${passesOf("road_spots")} AS passes
    FROM road_spots INDEXED BY road_spots_unfiled WHERE state = ${spotState("confirmed")} AND report_id IS NULL
    ORDER BY confirmed_at LIMIT ${limit}`;

/** Files the reports of confirmed spots that have none yet; returns how many it filed. */
export async function fileConfirmations(db: Db, opts: { now: number; secret: string; limit?: number }) {
  const spots = await db.all<Unfiled>(unfiledSpots(opts.limit ?? 50));
  if (spots.length === 0) return 0;
  const feeds = await sensorFeeds(db);
  const statements: Statement[] = [];
  let filed = 0;
  for (const spot of spots) {
    const feed = feeds.get(spot.kind);
    const catalog = feed ? await serviceForIntake(db, feed.service) : null;
    if (!catalog) continue;
    const key = `sensor-spot:${(await hmacSha256Hex(opts.secret, `sensor-spot:${spot.id}`)).slice(0, 40)}`;
    const ids = {
      report: newId(),
      cluster: newId(),
      workOrder: newId(),
      outbox: newId(),
      openedEvent: newId(),
      addedEvent: newId(),
      workOrderEvent: newId(),
    };
    const passes = Math.max(spot.passes, spot.hit_passes);
    const spotIdentity = { appResident: `sensor-spot:${spot.id}`, network: "sensor" };
    const linkedReport = sql`(SELECT report_id FROM idempotency_keys WHERE key = ${key})`;
    statements.push(
      ...(intakeStatements(db, {
        ids,
        service: catalog.service,
        departmentCode: routeDepartment(catalog.candidates, spot),
        areas: areasHolding(catalog.areas, spot),
        areaVersion: catalog.areaVersion,
        lat: spot.lat,
        lon: spot.lon,
        description: `Road spot sensed by phones: confirmed by ${spot.vehicles} vehicles, hit in ${spot.hit_passes} of ${passes} passes.`,
        attributes: {},
        source: "sensor",
        deviceId: null,
        contact: null,
        // The spot stands for its vehicles as one reporter of its own; nobody holds a receipt for it.
        reporterKey: await reporterKey(opts.secret, spotIdentity),
        countKey: await countKey(opts.secret, spotIdentity),
        receiptHash: await sha256Hex(newId()),
        now: opts.now,
        idempotency: { key, requestHash: "sensor" },
        meetsThreshold: true,
      }) as unknown as Statement[]),
      db.run(sql`UPDATE road_spots SET report_id = ${linkedReport},
          cluster_id = (SELECT cluster_id FROM reports WHERE id = ${linkedReport}), updated_at = ${opts.now}
        WHERE id = ${spot.id} AND report_id IS NULL`),
    );
    filed++;
  }
  // All of them in one batch: one transaction and one round trip, however many confirmed.
  if (statements.length > 0) await db.batch(statements as unknown as Parameters<Db["batch"]>[0]);
  return filed;
}
