/**
 * The report intake: one atomic batch that inserts the report, attaches it to the nearest open
 * cluster or opens one, updates the cluster's counts, creates the work order when the threshold
 * is crossed, appends the events and queues the outbox row.
 *
 * Every statement decides from what the earlier ones wrote, inside the database, so nothing is
 * read by the application and written back later. That is what keeps it exact when several
 * processes or edge isolates write to one database: the unique index on work_orders.cluster_id
 * and the primary key of cluster_reporters settle any race, and the batch costs one round trip.
 */
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { HOUR_MS } from "../domain/deadlines";
import { searchArea } from "../domain/geo";
import { ACCEPTING_CLUSTER_STATES, type ReportSource } from "../domain/states";
import { clustersByKey, insideBox } from "./map-cells";
import type { ServiceRow } from "./services";
import { actor, clusterState, eventType, oneOf } from "./status-sql";
import { createWorkOrder, queueOutbox, workOrderCreated } from "./writes";

export interface IntakeCommand {
  ids: {
    report: string;
    cluster: string;
    workOrder: string;
    outbox: string;
    openedEvent: string;
    addedEvent: string;
    workOrderEvent: string;
  };
  service: ServiceRow;
  /** Where the work order goes if this report creates one; null leaves it unrouted. */
  departmentCode: string | null;
  /** The departments whose areas hold the point (`areasHolding`): where the report counts per area. */
  areas: string[];
  lat: number;
  lon: number;
  description: string;
  attributes: Record<string, unknown>;
  mediaUrl?: string | null | undefined;
  source: ReportSource;
  deviceId: string | null;
  contact: { name?: string | undefined; email?: string | undefined; phone?: string | undefined } | null;
  reporterKey: string;
  /** What the report weighs toward the threshold: distinct count keys reach it. */
  countKey: string;
  receiptHash: string;
  now: number;
  idempotency: { key: string; requestHash: string } | null;
  /** Uploaded photos to link to this report; ones already linked elsewhere are left alone. */
  photoIds?: string[] | undefined;
  /** The report stands for enough distinct reporters on its own (a confirmed road spot). */
  meetsThreshold?: boolean;
}

export interface IntakeOutcome {
  report: { id: string; service: string; lat: number; lon: number; createdAt: number };
  cluster: {
    id: string;
    state: string;
    reports: number;
    reporters: number;
    threshold: number;
    workOrder: null | { id: string; status: string; department: string | null };
  };
}

type Near = (states: SQL, extra: SQL) => SQL;

/**
 * The nearest cluster of the service within its radius, in a given set of states. The search
 * area (box, key ranges, distance) is worked out once per report for both searches.
 */
function nearestClusters(cmd: IntakeCommand): Near {
  const { box, lonScale, radiusDeg2 } = searchArea(cmd, cmd.service.radiusM);
  const from = clustersByKey(box, cmd.service.code);
  const dist2 = sql`((c.lat - ${cmd.lat}) * (c.lat - ${cmd.lat}) + (c.lon - ${cmd.lon}) * ${lonScale} * (c.lon - ${cmd.lon}) * ${lonScale})`;
  return (states, extra) => sql`(SELECT c.id FROM ${from}
    WHERE ${insideBox(box)}
      AND c.state IN ${states} ${extra}
      AND ${dist2} <= ${radiusDeg2}
    ORDER BY ${dist2} ASC, c.last_report_at DESC LIMIT 1)`;
}

/** The statements of one intake, in order; the last one reads back the outcome. */
export function intakeStatements(db: Db, cmd: IntakeCommand) {
  const { ids, service, now } = cmd;
  const windowStart = now - service.windowDays * 24 * HOUR_MS;
  const reportCluster = sql`(SELECT cluster_id FROM reports WHERE id = ${ids.report})`;
  const nearestCluster = nearestClusters(cmd);
  const areas = JSON.stringify(cmd.areas);
  const accepting = nearestCluster(
    oneOf(ACCEPTING_CLUSTER_STATES),
    sql`AND c.last_report_at >= ${windowStart}`,
  );
  const idem = cmd.idempotency;
  // With an idempotency key, the report is written only by the request that claimed the key.
  const claimed = idem
    ? sql`WHERE (SELECT report_id FROM idempotency_keys WHERE key = ${idem.key}) = ${ids.report}`
    : sql`WHERE true`;

  return [
    ...(idem
      ? [
          db.run(sql`INSERT INTO idempotency_keys (key, request_hash, report_id, created_at)
            VALUES (${idem.key}, ${idem.requestHash}, ${ids.report}, ${now}) ON CONFLICT (key) DO NOTHING`),
        ]
      : []),
    // The nearest cluster taking reports, evaluated once and kept on the report (NULL: none near).
    db.run(sql`INSERT INTO reports (id, service_code, cluster_id, lat, lon, description, attributes, media_url, source,
        device_id, contact_name, contact_email, contact_phone, reporter_key, count_key, receipt_hash, areas, created_at)
      SELECT ${ids.report}, ${service.code}, ${accepting},
        ${cmd.lat}, ${cmd.lon}, ${cmd.description}, ${JSON.stringify(cmd.attributes)}, ${cmd.mediaUrl ?? null}, ${cmd.source},
        ${cmd.deviceId}, ${cmd.contact?.name ?? null}, ${cmd.contact?.email ?? null},
        ${cmd.contact?.phone ?? null}, ${cmd.reporterKey}, ${cmd.countKey}, ${cmd.receiptHash}, ${areas}, ${now}
      ${claimed}`),
    // None near: open one here, remembering the resolved one at this place that it follows.
    db.run(sql`INSERT INTO clusters (id, service_code, lat, lon, state, report_count, reporter_count,
        first_report_at, last_report_at, predecessor_id, areas, created_at, updated_at)
      SELECT ${ids.cluster}, ${service.code}, ${cmd.lat}, ${cmd.lon}, ${clusterState("open")}, 0, 0, ${now}, ${now},
        ${nearestCluster(oneOf(["resolved"]), sql``)}, ${areas}, ${now}, ${now}
      WHERE EXISTS (SELECT 1 FROM reports WHERE id = ${ids.report} AND cluster_id IS NULL)`),
    db.run(
      sql`UPDATE reports SET cluster_id = ${ids.cluster} WHERE id = ${ids.report} AND cluster_id IS NULL`,
    ),
    ...(cmd.photoIds?.length
      ? [
          db.run(sql`UPDATE photos SET report_id = ${ids.report}
            WHERE id IN (${sql.join(
              cmd.photoIds.map((id) => sql`${id}`),
              sql`, `,
            )}) AND report_id IS NULL AND EXISTS (SELECT 1 FROM reports WHERE id = ${ids.report})`),
        ]
      : []),
    db.run(sql`INSERT INTO events (id, cluster_id, type, actor, at)
      SELECT ${ids.openedEvent}, id, ${eventType("opened")}, ${actor("resident")}, ${now}
        FROM clusters WHERE id = ${ids.cluster}
      UNION ALL
      SELECT ${ids.addedEvent}, cluster_id, ${eventType("report_added")}, ${actor("resident")}, ${now}
        FROM reports WHERE id = ${ids.report}`),
    // A person counts once (the primary key); people from one network, or with credentials issued
    // on one network, share a count key and weigh once together.
    db.run(sql`INSERT INTO cluster_reporters (cluster_id, reporter_key, count_key)
      SELECT cluster_id, reporter_key, count_key FROM reports WHERE id = ${ids.report} AND true
      ON CONFLICT DO NOTHING`),
    // SQLite evaluates every right-hand side on the old row: the mean uses the old count, and the
    // state turns to dispatched when the distinct count keys (counted once, in `k`) reach the threshold.
    db.run(sql`UPDATE clusters SET
        lat = (lat * report_count + ${cmd.lat}) / (report_count + 1),
        lon = (lon * report_count + ${cmd.lon}) / (report_count + 1),
        report_count = report_count + 1,
        reporter_count = k.n,
        state = CASE WHEN state = ${clusterState("open")}
          AND (k.n >= ${service.threshold} ${cmd.meetsThreshold ? sql`OR 1` : sql``})
          THEN ${clusterState("dispatched")} ELSE state END,
        last_report_at = max(last_report_at, ${now}),
        updated_at = ${now}
      FROM (SELECT count(DISTINCT p.count_key) AS n FROM cluster_reporters p WHERE p.cluster_id = ${reportCluster}) AS k
      WHERE id = ${reportCluster}`),
    // Exactly one work order per dispatched cluster: for later reports, and a racing intake, a no-op.
    createWorkOrder(db, {
      id: ids.workOrder,
      cluster: reportCluster,
      where: sql`c.state = ${clusterState("dispatched")}`,
      department: cmd.departmentCode,
      service,
      now,
    }),
    workOrderCreated(db, ids.workOrderEvent, ids.workOrder, now),
    queueOutbox(db, { id: ids.outbox, eventId: ids.workOrderEvent, now }),
    outcomeQuery(db, ids.report),
  ] as const;
}

/** Reads the intake's answer for a report: the report, its cluster and any work order. */
export const outcomeQuery = (db: Db, reportId: string) =>
  db.all<OutcomeRow>(sql`SELECT r.id AS report_id, r.service_code, r.lat AS report_lat, r.lon AS report_lon,
      r.created_at, c.id AS cluster_id, c.state, c.report_count, c.reporter_count, s.threshold,
      w.id AS work_order_id, w.status AS work_order_status, w.department_code
    FROM reports r JOIN clusters c ON c.id = r.cluster_id JOIN services s ON s.code = r.service_code
    LEFT JOIN work_orders w ON w.cluster_id = c.id
    WHERE r.id = ${reportId}`);

interface OutcomeRow {
  report_id: string;
  service_code: string;
  report_lat: number;
  report_lon: number;
  created_at: number;
  cluster_id: string;
  state: string;
  report_count: number;
  reporter_count: number;
  threshold: number;
  work_order_id: string | null;
  work_order_status: string | null;
  department_code: string | null;
}

export function outcomeFrom(row: OutcomeRow): IntakeOutcome {
  return {
    report: {
      id: row.report_id,
      service: row.service_code,
      lat: row.report_lat,
      lon: row.report_lon,
      createdAt: row.created_at,
    },
    cluster: {
      id: row.cluster_id,
      state: row.state,
      reports: row.report_count,
      reporters: row.reporter_count,
      threshold: row.threshold,
      workOrder: row.work_order_id
        ? { id: row.work_order_id, status: row.work_order_status ?? "", department: row.department_code }
        : null,
    },
  };
}

type Batch = Parameters<Db["batch"]>[0];

interface Waiting {
  cmd: IntakeCommand;
  done: (outcome: IntakeOutcome | null) => void;
  fail: (error: unknown) => void;
}

/** Intakes waiting for the next group commit, per database handle. */
const queues = new WeakMap<Db, { waiting: Waiting[]; flushing: boolean }>();
const MAX_GROUP = 200;
// setImmediate (Node) runs after this turn's I/O; setTimeout(0) would add a millisecond.
const nextTurn: (f: () => void) => void = globalThis.setImmediate ?? ((f) => setTimeout(f, 0));

/** Runs intakes one after another in one batch: one transaction, one round trip, one sync to disk. */
async function runGroup(db: Db, group: Waiting[]): Promise<void> {
  const statements = group.map((w) => intakeStatements(db, w.cmd));
  const results: readonly unknown[] = await db.batch(statements.flat() as unknown as Batch);
  let end = 0;
  group.forEach((w, i) => {
    end += statements[i]?.length ?? 0;
    const rows = results[end - 1] as OutcomeRow[];
    w.done(rows[0] ? outcomeFrom(rows[0]) : null);
  });
}

async function flush(db: Db, queue: { waiting: Waiting[]; flushing: boolean }): Promise<void> {
  queue.flushing = true;
  try {
    while (queue.waiting.length > 0) {
      const group = queue.waiting.splice(0, MAX_GROUP);
      try {
        await runGroup(db, group);
      } catch (error) {
        if (group.length === 1) group[0]?.fail(error);
        // One intake's failure must not fail the others: run each alone.
        else for (const w of group) await runGroup(db, [w]).catch(w.fail);
      }
    }
  } finally {
    queue.flushing = false;
  }
}

/**
 * Runs one intake. Intakes that arrive while another commits are grouped into the next batch
 * (group commit): each is answered only after the batch holding it has committed.
 * Returns null when the idempotency key was already claimed by another request: nothing was
 * written, and the caller answers with that request's report.
 */
export function ingestReport(db: Db, cmd: IntakeCommand): Promise<IntakeOutcome | null> {
  let queue = queues.get(db);
  if (!queue) {
    queue = { waiting: [], flushing: false };
    queues.set(db, queue);
  }
  const q = queue;
  return new Promise((done, fail) => {
    q.waiting.push({ cmd, done, fail });
    if (!q.flushing) {
      q.flushing = true;
      // Let the requests whose input arrived in this turn of the event loop join the first group.
      nextTurn(() => void flush(db, q));
    }
  });
}
