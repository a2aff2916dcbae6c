/**
 * Verified repairs: after a sensor-fed work order is resolved, phones keep passing. Passes with
 * no hit from enough vehicles mark the spot verified fixed (an event on the cluster's public
 * timeline); hits from enough distinct devices reopen the work order through the residents'
 * reopen rule. Passes are counted from the day after the repair (passes carry days, not times).
 */
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { rowsChanged } from "../db/rows-changed";
import { newId } from "../domain/ids";
import { afterRepair } from "../domain/sensor";
import { networkHitPassesOf, passesOf, vehiclesOf } from "./sensor-batches";
import { sensorFeeds } from "./sensor-confirmations";
import { resolvedAt, spotState, workOrderStatus } from "./status-sql";
import { REOPEN_WINDOW_DAYS, reopenCluster } from "./transitions";

const DAY_MS = 86_400_000;

import { appendWorkOrderEvent, eventWritten } from "./writes";

/** Who a sensor reopening counts as: the phones together, once per resolution like any reporter. */
const SENSOR_REOPENER = "sensor:vehicles";

interface Waiting {
  id: string;
  kind: string;
  cluster_id: string;
  work_order_id: string;
  resolved_at: number;
  vehicles_hit: number;
  passes_after: number;
  hit_passes_after: number;
}

/** Decides every confirmed spot whose work order was resolved within the reopen window. */
export async function checkRepairs(db: Db, opts: { now: number }) {
  const resolved = resolvedAt("w");
  const resolvedDay = sql`CAST(${resolved} / ${DAY_MS} AS INTEGER)`;
  // Vehicles that hit after the repair: the devices the intake marked with this resolution, each by
  // its network (`vehiclesOf`). Hit passes after it: the hits of the days after it, by network and
  // day as passes are counted.
  const rows = await db.all<Waiting>(sql`SELECT s.id, s.kind, s.cluster_id, w.id AS work_order_id,
      ${resolved} AS resolved_at,
      ${vehiclesOf("s", resolved)} AS vehicles_hit,
      ${passesOf("s", resolvedDay)} AS passes_after,
      ${networkHitPassesOf("s", resolvedDay)} AS hit_passes_after
    FROM work_orders w JOIN road_spots s ON s.cluster_id = w.cluster_id
    WHERE w.status = ${workOrderStatus("resolved")} AND s.state = ${spotState("confirmed")}
      AND ${resolved} > ${opts.now - REOPEN_WINDOW_DAYS * DAY_MS}`);
  if (rows.length === 0) return { verified: 0, reopened: 0 };
  const feeds = await sensorFeeds(db);
  let verified = 0;
  let reopened = 0;
  for (const r of rows) {
    const feed = feeds.get(r.kind);
    if (!feed) continue;
    const decision = afterRepair(
      {
        passesWithoutHit: Math.max(0, r.passes_after - r.hit_passes_after),
        hitPasses: r.hit_passes_after,
        devicesHit: r.vehicles_hit,
      },
      feed,
    );
    if (decision === "reopen") {
      // Another process may have reopened it first, or the window passed: then nothing to do.
      const done = await reopenCluster(
        db,
        r.cluster_id,
        SENSOR_REOPENER,
        `still felt by ${r.vehicles_hit} vehicles after the repair`,
        opts.now,
        { actor: "sensor" },
      ).catch(() => null);
      if (done) reopened++;
    } else if (decision === "verified_fixed") {
      const eventId = newId();
      const n = r.passes_after - r.hit_passes_after;
      const [written] = await db.batch([
        appendWorkOrderEvent(db, {
          id: eventId,
          workOrderId: r.work_order_id,
          type: "status_changed",
          from: "resolved",
          to: "resolved",
          actor: "system",
          // Passes, not vehicles: a pass is a network on a day, and one car driving by on three
          // days is three (an audit read "3 vehicles" where one phone had passed).
          note: `verified fixed by ${n} passes without a bump`,
          at: opts.now,
          // The resolution read: one reopened and resolved again since is judged on its own passes.
          where: sql`status = ${workOrderStatus("resolved")} AND ${resolvedAt("work_orders")} = ${r.resolved_at}
            AND EXISTS (SELECT 1 FROM road_spots WHERE id = ${r.id} AND state = ${spotState("confirmed")})`,
        }),
        db.run(sql`UPDATE road_spots SET state = ${spotState("verified_fixed")}, verified_by = ${n}, updated_at = ${opts.now}
          WHERE id = ${r.id} AND ${eventWritten(eventId)}`),
      ]);
      if (rowsChanged(written) > 0) verified++;
    }
  }
  return { verified, reopened };
}
