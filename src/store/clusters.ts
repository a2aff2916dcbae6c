import { and, desc, eq, not, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { clusters, events, services, workOrders } from "../db/schema";
import { maskContacts, publicNoteWords } from "../domain/contact-mask";
import { deadlineFlag, nextDeadline } from "../domain/deadlines";
import type { BBox } from "../domain/geo";
import { to7 } from "../domain/geo";
import { iso } from "../domain/iso-time";
import { publicStatus } from "../domain/public-status";
import type { ClusterState, WorkOrderStatus } from "../domain/states";
import { clusterIdsInBox, clustersInRanges, insideBox, viewRanges } from "./map-cells";
import { publicNote } from "./moderation";
import { clusterRaterMeans, ratingSummary } from "./ratings";
import { clusterSpotsQuery, sensorSummary } from "./road-spots";
import { eventType } from "./status-sql";
import { foldedIntoOpening } from "./timeline-fold";

const summaryColumns = {
  id: clusters.id,
  service: clusters.serviceCode,
  lat: clusters.lat,
  lon: clusters.lon,
  state: clusters.state,
  reports: clusters.reportCount,
  reporters: clusters.reporterCount,
  firstReportAt: clusters.firstReportAt,
  lastReportAt: clusters.lastReportAt,
  threshold: services.threshold,
  workOrderId: workOrders.id,
  workOrderStatus: workOrders.status,
  department: workOrders.departmentCode,
};

type SummaryRow = {
  [K in keyof typeof summaryColumns]: (typeof summaryColumns)[K]["_"]["data"] | null;
};

/** A cluster as the public sees it on the map and in lists. */
export function presentCluster(r: SummaryRow) {
  const state = r.state as ClusterState;
  const wo = r.workOrderStatus as WorkOrderStatus | null;
  return {
    id: r.id as string,
    service: r.service as string,
    // A centre is a running mean: written to 7 decimals (~1 cm) as every answer writes it, not float noise.
    lat: to7(r.lat as number),
    lon: to7(r.lon as number),
    state,
    status: publicStatus(state, wo),
    reports: r.reports as number,
    reporters: r.reporters as number,
    threshold: r.threshold as number,
    department: r.department,
    workOrderStatus: wo,
    firstReportAt: iso(r.firstReportAt),
    lastReportAt: iso(r.lastReportAt),
  };
}

export interface ClusterFilter {
  service?: string | undefined;
  state?: ClusterState | undefined;
}

/**
 * A box holding at least this many clusters (of the service asked for) is listed from the newest
 * activity down rather than from its keys: reading every id in a province's box to sort them held
 * the server 5-22 s at 1M clusters.
 */
export const DENSE_BOX = 20_000;
/** How many of the newest clusters (of the service asked for) a dense box's list looks through, at most. */
export const NEWEST_WALK = 20_000;

/** The clusters of `service`, if given, as a filter on the index the walk reads (`+`). */
const ofService = (service: string | undefined) => (service ? sql`WHERE +service_code = ${service}` : sql``);

/**
 * The query behind `findClustersInBox`, exposed so tests can check its plan: the clusters of the
 * box's key ranges, or (given `walk`) those in the box among the `walk` last reported. The
 * service is a filter (`+`), never the index that orders them.
 */
export const clustersInBoxQuery = (
  db: Db,
  box: BBox,
  filter: ClusterFilter,
  limit: number,
  /** The newest clusters looked through, if the box is dense. */
  walk?: number,
) =>
  db
    .select(summaryColumns)
    .from(clusters)
    .innerJoin(services, eq(services.code, clusters.serviceCode))
    .leftJoin(workOrders, eq(workOrders.clusterId, clusters.id))
    .where(
      and(
        walk !== undefined
          ? sql`${clusters}.rowid IN (SELECT rowid FROM clusters ${ofService(filter.service)}
              ORDER BY last_report_at DESC LIMIT ${walk})
            AND +${clusters.lat} BETWEEN ${box.minLat} AND ${box.maxLat} AND +${clusters.lon} BETWEEN ${box.minLon} AND ${box.maxLon}`
          : sql`${clusters.id} IN ${clusterIdsInBox(box, filter.service)}`,
        filter.service ? sql`+${clusters.serviceCode} = ${filter.service}` : undefined,
        filter.state ? eq(clusters.state, filter.state) : undefined,
      ),
    )
    .orderBy(desc(clusters.lastReportAt))
    .limit(limit);

/** Whether the box holds `dense` clusters (of `service`) or more: counted up to that many from their key. */
export async function isDenseBox(db: Db, box: BBox, service: string | undefined, dense = DENSE_BOX) {
  const [counted] = await db.all<{ n: number }>(
    sql`SELECT count(*) AS n FROM (SELECT 1 FROM ${clustersInRanges(viewRanges(box), service)}
      WHERE ${insideBox(box)} LIMIT ${dense})`,
  );
  return (counted?.n ?? 0) >= dense;
}

/**
 * Clusters whose centre is in the box, newest activity first, at most `limit`, and whether the box
 * holds more. A box of fewer than `DENSE_BOX` clusters is read through their spatial key; a denser
 * one among the newest `NEWEST_WALK` clusters (of the service), so that what a list reads is
 * bounded: where those hold fewer than `limit` of the box's, the list is that many, newest first.
 */
export async function findClustersInBox(
  db: Db,
  box: BBox,
  filter: ClusterFilter,
  limit: number,
  bounds = { dense: DENSE_BOX, walk: NEWEST_WALK },
) {
  const dense = await isDenseBox(db, box, filter.service, bounds.dense);
  const found = await clustersInBoxQuery(db, box, filter, limit + 1, dense ? bounds.walk : undefined);
  // Where the walk stopped at its bound, older clusters of the box may be left.
  const [walked] = dense
    ? await db.all<{ n: number }>(
        sql`SELECT count(*) AS n FROM (SELECT 1 FROM clusters ${ofService(filter.service)} LIMIT ${bounds.walk})`,
      )
    : [];
  return {
    clusters: found.slice(0, limit).map(presentCluster),
    truncated: found.length > limit || (walked?.n ?? 0) >= bounds.walk,
  };
}

/** Timeline events a cluster's detail carries: the latest ones (a big cluster has one per report). */
export const TIMELINE_LIMIT = 100;
/** How many residents' descriptions a cluster's page gets (the latest). */
export const DESCRIPTION_LIMIT = 20;

/**
 * One cluster with its work order and the latest `TIMELINE_LIMIT` events of its public timeline
 * (oldest of them first, with `timelineTotal` saying how many there are), or null. `now` decides the
 * work order's deadline flag (pass the app's clock; the default is for callers without one).
 */
export async function findClusterDetail(db: Db, id: string, now: number = Date.now()) {
  const [rows, latest, rated, [counted], spots, said] = await db.batch([
    db
      .select({
        ...summaryColumns,
        predecessorId: clusters.predecessorId,
        mergedIntoId: clusters.mergedIntoId,
        ackDueAt: workOrders.ackDueAt,
        resolveDueAt: workOrders.resolveDueAt,
        scheduledFor: workOrders.scheduledFor,
        acknowledgedAt: workOrders.acknowledgedAt,
        resolvedAt: workOrders.resolvedAt,
        workOrderCreatedAt: workOrders.createdAt,
        // The department holding it was sent it at its creation or at its latest reroute.
        sentAt: sql<
          number | null
        >`coalesce((SELECT max(e.at) FROM events e WHERE e.cluster_id = ${clusters.id}
          AND e.work_order_id = ${workOrders.id} AND e.type = ${eventType("rerouted")}), ${workOrders.createdAt})`,
        deadlinesFrom: workOrders.deadlinesFrom,
      })
      .from(clusters)
      .innerJoin(services, eq(services.code, clusters.serviceCode))
      .leftJoin(workOrders, eq(workOrders.clusterId, clusters.id))
      .where(eq(clusters.id, id)),
    db
      .select({
        id: events.id,
        type: events.type,
        from: events.fromStatus,
        to: events.toStatus,
        department: events.departmentCode,
        actor: events.actor,
        note: sql<string | null>`${publicNote("events")}`,
        noteHidden: sql<number>`${events.hiddenAt} IS NOT NULL`,
        scheduledFor: events.scheduledFor,
        at: events.at,
      })
      .from(events)
      // The first report is the opening itself, as in Open311's notes and the feeds.
      .where(and(eq(events.clusterId, id), not(foldedIntoOpening("events"))))
      .orderBy(desc(events.at), desc(sql`${events}.rowid`))
      .limit(TIMELINE_LIMIT),
    clusterRaterMeans(db, id),
    db.all<{ n: number }>(
      sql`SELECT count(*) AS n FROM events e WHERE e.cluster_id = ${id} AND NOT ${foldedIntoOpening("e")}`,
    ),
    clusterSpotsQuery(db, id),
    // What residents wrote (public, as in Open311), the latest first; never who wrote it. The
    // phones' report is no one's words: its figures, live, are the spot's (`sensor`), where that
    // report's had stood under "what residents wrote", stale, with a link to report it to moderators.
    db.all<{ id: string; text: string; at: number }>(
      sql`SELECT id, description AS text, created_at AS at FROM reports WHERE cluster_id = ${id} AND hidden_at IS NULL
        AND source <> ${"sensor"} ORDER BY created_at DESC LIMIT ${DESCRIPTION_LIMIT}`,
    ),
  ]);
  const row = rows[0];
  if (!row) return null;
  const deadlines =
    // Null columns mean no work order (the left join found none).
    row.workOrderStatus && row.ackDueAt !== null && row.resolveDueAt !== null && row.deadlinesFrom !== null
      ? {
          status: row.workOrderStatus as WorkOrderStatus,
          ackDueAt: row.ackDueAt,
          resolveDueAt: row.resolveDueAt,
          deadlinesFrom: row.deadlinesFrom,
        }
      : null;
  const next = deadlines && nextDeadline(deadlines);
  return {
    ...presentCluster(row),
    predecessorId: row.predecessorId,
    mergedIntoId: row.mergedIntoId,
    workOrder: row.workOrderId
      ? {
          id: row.workOrderId,
          status: row.workOrderStatus,
          department: row.department,
          ackDueAt: iso(row.ackDueAt),
          resolveDueAt: iso(row.resolveDueAt),
          scheduledFor: iso(row.scheduledFor),
          createdAt: iso(row.workOrderCreatedAt),
          sentAt: iso(row.sentAt),
          acknowledgedAt: iso(row.acknowledgedAt),
          resolvedAt: iso(row.resolvedAt),
          flag: deadlines ? deadlineFlag(deadlines, now) : "none",
          nextDeadline: next ? { kind: next.kind, at: iso(next.at) } : null,
        }
      : null,
    timeline: latest.reverse().map((e) => ({
      ...e,
      note: publicNoteWords(e.actor, e.note),
      noteHidden: e.noteHidden === 1,
      scheduledFor: e.scheduledFor === null ? null : iso(e.scheduledFor),
      at: iso(e.at),
    })),
    /** How many events the whole timeline holds; `timeline` has the latest of them. */
    timelineTotal: counted?.n ?? 0,
    /** Residents' ratings of the outcome: how many, their mean stars and the satisfied share; null before the first. */
    rating: ratingSummary(rated),
    /** For a cluster fed by road spots: "confirmed by N vehicles, hit in X of Y passes". */
    sensor: sensorSummary(spots),
    /** The latest residents' descriptions, newest first. */
    descriptions: said.map((d) => ({
      id: d.id,
      text: maskContacts(d.text),
      at: new Date(d.at).toISOString(),
    })),
  };
}
