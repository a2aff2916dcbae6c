/**
 * Merging a duplicate cluster into the one it repeats: its reports and reporters move over and
 * both clusters' counts are recounted from the rows, in the same batch as the move to
 * `duplicate` (each statement runs only if `guard`, that move's event, exists).
 */
import { and, eq, gte, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { clusters, services, workOrders } from "../db/schema";
import { HOUR_MS } from "../domain/deadlines";
import { invalid } from "../domain/errors";
import { distanceM } from "../domain/geo";
import { newId } from "../domain/ids";
import { DAY_MS } from "../domain/performance";
import { routeDepartment } from "../domain/routing";
import type { Actor } from "../domain/states";
import { routingCandidates } from "./departments";
import { actor, clusterState, eventType } from "./status-sql";
import {
  countedReporters,
  createWorkOrder,
  moveCluster,
  queueOutbox,
  type Statement,
  workOrderCreated,
} from "./writes";

/** The `merged` event's note, naming the cluster merged in (read back by `mergedFromNote`). */
export const mergeNote = (from: string) => `merged cluster ${from} into this one`;
/** The cluster a `merged` event's note names, or null. */
export const mergedFromNote = (note: string | null) =>
  /^merged cluster (\S+) into this one$/.exec(note ?? "")?.[1] ?? null;

/**
 * Whether merging `from` into `into` moves the kept cluster's centre to the mean of all their
 * reports: only when the two lie within the service's radius of each other. Farther apart (a
 * department may merge any two of its own problems), the mean would lie between them, where
 * neither is: the crew would be sent there, and a new report at the real spot would not join it.
 */
export async function mergeRecentres(db: Db, from: string, into: string): Promise<boolean> {
  const [pair] = await db.all<{
    fromLat: number;
    fromLon: number;
    lat: number;
    lon: number;
    radius: number;
  }>(sql`
    SELECT f.lat AS fromLat, f.lon AS fromLon, k.lat, k.lon, s.radius_m AS radius
    FROM clusters k JOIN clusters f ON f.id = ${from} JOIN services s ON s.code = k.service_code
    WHERE k.id = ${into}`);
  return pair !== undefined && distanceM({ lat: pair.fromLat, lon: pair.fromLon }, pair) <= pair.radius;
}

/** Statements that merge cluster `from` into `into`: reports and reporters move, counts are recounted. */
export function mergeStatements(
  db: Db,
  from: string,
  into: string,
  guard: SQL,
  eventId: string,
  cmd: { actor: Actor; department: string | null; now: number; recentre: boolean },
) {
  return [
    db.run(sql`INSERT INTO cluster_reporters (cluster_id, reporter_key, count_key)
      SELECT ${into}, reporter_key, count_key FROM cluster_reporters WHERE cluster_id = ${from} AND ${guard}
      ON CONFLICT DO NOTHING`),
    // A key on both problems whose network the kept one does not count yet (an address typed
    // from two networks): that network counts, as at intake (`intake.ts`).
    db.run(sql`INSERT INTO cluster_reporters (cluster_id, reporter_key, count_key)
      SELECT ${into}, p.reporter_key || '@' || p.count_key, p.count_key FROM cluster_reporters p
      WHERE p.cluster_id = ${from} AND ${guard}
        AND NOT EXISTS (SELECT 1 FROM cluster_reporters q WHERE q.cluster_id = ${into} AND q.count_key = p.count_key)
      ON CONFLICT DO NOTHING`),
    db.run(sql`DELETE FROM cluster_reporters WHERE cluster_id = ${from} AND ${guard}`),
    // Where each came from, and when: its Open311 updates stay its own problem's until the merge.
    db.run(sql`UPDATE reports SET cluster_id = ${into}, moved_from = coalesce(moved_from, cluster_id),
        first_moved_at = coalesce(first_moved_at, ${cmd.now}), moved_at = ${cmd.now}
      WHERE cluster_id = ${from} AND ${guard}`),
    db.run(sql`UPDATE clusters SET
        report_count = (SELECT count(*) FROM reports r WHERE r.cluster_id = clusters.id),
        reporter_count = ${countedReporters},
        ${
          cmd.recentre
            ? // The two centres weighed by their reports (as the intake's running mean): not the mean
              // of every report, which would count one a far merge brought in without moving the centre.
              // The values on the right are the rows' before this batch's recount.
              sql`lat = (lat * report_count + (SELECT f.lat * f.report_count FROM clusters f WHERE f.id = ${from}))
          / max(report_count + (SELECT f.report_count FROM clusters f WHERE f.id = ${from}), 1),
        lon = (lon * report_count + (SELECT f.lon * f.report_count FROM clusters f WHERE f.id = ${from}))
          / max(report_count + (SELECT f.report_count FROM clusters f WHERE f.id = ${from}), 1),`
            : sql``
        }
        first_report_at = min(first_report_at, (SELECT first_report_at FROM clusters f WHERE f.id = ${from})),
        last_report_at = max(last_report_at, (SELECT last_report_at FROM clusters f WHERE f.id = ${from})),
        updated_at = ${cmd.now}
      WHERE id = ${into} AND ${guard}`),
    db.run(sql`UPDATE clusters SET state = ${clusterState("merged")}, merged_into_id = ${into}, report_count = 0,
        reporter_count = 0, updated_at = ${cmd.now}
      WHERE id = ${from} AND ${guard}`),
    // On the kept cluster's timeline, for its work order's department (if it has one).
    db.run(sql`INSERT INTO events (id, cluster_id, work_order_id, type, department_code, actor, note, at)
      SELECT ${eventId}, ${into}, w.id, ${eventType("merged")}, w.department_code, ${actor(cmd.actor)},
        ${mergeNote(from)}, ${cmd.now}
      FROM (SELECT 1) LEFT JOIN work_orders w ON w.cluster_id = ${into}
      WHERE ${guard}`),
    // Its work order grew: tell that department, unless it made the merge itself.
    queueOutbox(db, {
      eventId,
      now: cmd.now,
      ...(cmd.actor === "department" && cmd.department !== null
        ? { where: sql`department_code != ${cmd.department}` }
        : {}),
    }),
  ];
}

/**
 * A kept cluster still below its threshold may cross it with the reporters merged in: then it
 * gets its work order exactly as the intake would make it (the unique index settles any race).
 */
export async function thresholdStatements(
  db: Db,
  clusterId: string,
  serviceCode: string,
  guard: SQL,
  now: number,
) {
  const [service, cluster] = await Promise.all([
    db.select().from(services).where(eq(services.code, serviceCode)).get(),
    db.select().from(clusters).where(eq(clusters.id, clusterId)).get(),
  ]);
  if (!service || cluster?.state !== "open") return [];
  const department = routeDepartment(await routingCandidates(db, serviceCode), cluster);
  return reachedStatements(db, clusterId, service, department, guard, now);
}

/**
 * A service's threshold lowered: each of its clusters still gathering reports (open, its latest
 * report within the service's window) that reaches the new threshold gets its work order now, as
 * the report that reached it would have made it.
 */
export async function dispatchReached(db: Db, serviceCode: string, now: number): Promise<void> {
  const service = await db.select().from(services).where(eq(services.code, serviceCode)).get();
  if (!service?.active) return;
  const reached = await db
    .select({ id: clusters.id, lat: clusters.lat, lon: clusters.lon })
    .from(clusters)
    .where(
      and(
        eq(clusters.serviceCode, serviceCode),
        eq(clusters.state, "open"),
        gte(clusters.reporterCount, service.threshold),
        gte(clusters.lastReportAt, now - service.windowDays * 24 * HOUR_MS),
      ),
    );
  const candidates = await routingCandidates(db, serviceCode);
  // A hundred statements a batch: one transaction each, none holding the writer for long.
  for (let i = 0; i < reached.length; i += 25) {
    const part = reached.slice(i, i + 25);
    const statements = part.flatMap((c) =>
      reachedStatements(db, c.id, service, routeDepartment(candidates, c), sql`1`, now),
    );
    await db.batch(statements as [Statement, ...Statement[]]);
  }
}

/** The statements that give open cluster `clusterId` its work order, if it reaches `service`'s threshold and `guard` holds. */
function reachedStatements(
  db: Db,
  clusterId: string,
  service: typeof services.$inferSelect,
  department: string | null,
  guard: SQL,
  now: number,
): Statement[] {
  const [woId, eventId] = [newId(), newId()];
  return [
    createWorkOrder(db, {
      id: woId,
      cluster: clusterId,
      where: sql`c.state = ${clusterState("open")} AND c.reporter_count >= ${service.threshold} AND ${guard}`,
      department,
      service,
      now,
    }),
    moveCluster(db, {
      cluster: sql`(SELECT cluster_id FROM work_orders WHERE id = ${woId})`,
      to: "dispatched",
      where: sql`state = ${clusterState("open")}`,
      now,
    }),
    workOrderCreated(db, eventId, woId, now),
    queueOutbox(db, { eventId, now }),
  ];
}

/** How far a department may reach for a duplicate no department holds yet. */
export const UNHELD_DUPLICATE_M = 500;

/**
 * The cluster a duplicate names: by its own id, or by its work order's (the id a department's
 * console and webhooks show: a clerk pasting it met "no such cluster"). Unknown ids are returned
 * as given, for the check to refuse.
 */
export async function clusterNamedBy(db: Db, named: string): Promise<string> {
  const cluster = await db.select({ id: clusters.id }).from(clusters).where(eq(clusters.id, named)).get();
  if (cluster) return named;
  const wo = await db
    .select({ clusterId: workOrders.clusterId })
    .from(workOrders)
    .where(eq(workOrders.id, named))
    .get();
  return wo?.clusterId ?? named;
}

/**
 * Checks the cluster a work order is said to duplicate. A department (`department` not null) may
 * merge only into a cluster whose work order is its own, or into one no department holds yet
 * within `UNHELD_DUPLICATE_M` (a resident's report of the same problem, placed a little off):
 * another department's problem, or one across the city, is not its to change, and is answered as
 * if it did not exist. Nobody merges into a merged problem, nor into one already fixed or closed
 * elsewhere than at the same place.
 */
export async function checkDuplicateTarget(
  db: Db,
  wo: typeof workOrders.$inferSelect,
  target: string | null | undefined,
  department: string | null,
) {
  if (!target) throw invalid("duplicateOf", "name the problem this work order duplicates", "missing_field");
  const cluster = await db.select().from(clusters).where(eq(clusters.id, target)).get();
  if (!cluster) throw invalid("duplicateOf", "no such problem", "unknown_cluster");
  if (department !== null) {
    const held = await db.select().from(workOrders).where(eq(workOrders.clusterId, target)).get();
    const own = await db.select().from(clusters).where(eq(clusters.id, wo.clusterId)).get();
    const near = !held && own !== undefined && distanceM(own, cluster) <= UNHELD_DUPLICATE_M;
    if (held?.departmentCode !== department && !near)
      throw invalid("duplicateOf", "no such problem among your department's problems", "unknown_cluster");
  }
  if (cluster.id === wo.clusterId) throw invalid("duplicateOf", "a problem cannot duplicate itself");
  if (cluster.serviceCode !== wo.serviceCode)
    throw invalid("duplicateOf", "the cluster is of another service");
  if (cluster.state === "merged") throw invalid("duplicateOf", "that cluster was itself merged");
  // Reports made at the spot just after its fix (a successor) are its duplicates, fixed with it;
  // one elsewhere, or back long after, would read as fixed though nobody fixed it, and a
  // department could so clear late work.
  if (cluster.state === "resolved" && !(await justAfterItsFix(db, wo.clusterId, cluster.id)))
    throw invalid(
      "duplicateOf",
      "that problem is already fixed or closed, and this one is not at its place (within the service's radius) nor first reported within the service's window of days after its fix: handle this one as its own, or reopen that one",
    );
}

/** Whether cluster `from` was reported at fixed cluster `into`'s place within the service's window after its fix. */
async function justAfterItsFix(db: Db, from: string, into: string): Promise<boolean> {
  const [pair] = await db.all<{ one: number }>(sql`
    SELECT 1 AS one FROM clusters k JOIN clusters f ON f.id = ${from} JOIN services s ON s.code = k.service_code
      LEFT JOIN work_orders w ON w.cluster_id = k.id
    WHERE k.id = ${into} AND f.first_report_at - coalesce(w.resolved_at, w.updated_at) BETWEEN 0 AND s.window_days * ${DAY_MS}`);
  return pair !== undefined && (await mergeRecentres(db, from, into));
}
