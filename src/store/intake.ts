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
import { is, Placeholder, type SQL, sql } from "drizzle-orm";
import { BoundStatement, type Db } from "../db/client";
import { HOUR_MS } from "../domain/deadlines";
import { type BBox, searchArea } from "../domain/geo";
import { ACCEPTING_CLUSTER_STATES, type ReportSource, reporterActor } from "../domain/states";
import { zkeyRanges } from "../domain/zkey";
import { areasSql } from "./area-rollup-sql";
import { SAID_CHARS } from "./map";
import { insideBox } from "./map-cells";
import { blockHolds } from "./moderation";
import { nextTurn } from "./next-turn";
import type { ServiceRow } from "./services";
import { clusterState, eventType, oneOf } from "./status-sql";
import {
  type ActionBy,
  createWorkOrder,
  queueFollowUp,
  queueOutbox,
  recordStaffAction,
  type Statement,
  workOrderCreated,
} from "./writes";

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
  /** The `area_version` the areas were decided at (the catalog's); another one, or none, decides them again in SQL. */
  areaVersion?: number | null | undefined;
  lat: number;
  lon: number;
  description: string;
  attributes: Record<string, unknown>;
  mediaUrl?: string | null | undefined;
  /** Where it is in the reporter's words (Open311's `address_string`). */
  address?: string | null | undefined;
  source: ReportSource;
  deviceId: string | null;
  contact: { name?: string | undefined; email?: string | undefined; phone?: string | undefined } | null;
  /** The mailbox the contact's address reaches, as a keyed hash (`domain/reporter.ts` `mailboxKey`). */
  contactMailbox?: string | null | undefined;
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
  /** The staff member who filed it for a caller (the desk): audited in the intake's own batch. */
  filedBy?: ActionBy | undefined;
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

/** Whether a value of a built statement is bound per report (its placeholder's name) or fixed. */
type Slot = { index: number } | { value: unknown };

/** An intake statement's SQL text, built once for a shape of report, and where its values come from. */
interface Template {
  sql: string;
  slots: Slot[];
}

/** What changes the intake's SQL text: everything else is a bound value. */
interface Shape {
  idempotency: boolean;
  photos: number;
  meetsThreshold: boolean;
}

/** A value bound per report, named as in `valuesOf`. */
const v = (name: string): SQL => sql`${sql.placeholder(name)}`;

/**
 * How many key cells the nearest-cluster search may cover. The search box is a service's radius
 * (tens of metres), so a handful of ranges covers it with little overhang; the map's 64 cut
 * the overhang further but cost a seek per range (47 µs a search against 21 µs with 9).
 */
const SEARCH_CELLS = 9;

/**
 * The nearest cluster of the service within its radius, in a given set of states. The search
 * area (box, key ranges, distance) is worked out once per report (`valuesOf`) for both searches.
 */
function nearestCluster(states: SQL, extra: SQL): SQL {
  const box = { minLat: v("minLat"), maxLat: v("maxLat"), minLon: v("minLon"), maxLon: v("maxLon") };
  const dist2 = sql`((c.lat - ${v("lat")}) * (c.lat - ${v("lat")}) + (c.lon - ${v("lon")}) * ${v("lonScale")} * (c.lon - ${v("lon")}) * ${v("lonScale")})`;
  // The join of `clustersInRanges` (map-cells.ts), with the ranges bound rather than written in.
  return sql`(SELECT c.id FROM json_each(${v("ranges")}) zr CROSS JOIN clusters c ON c.service_code = ${v("service")}
      AND c.zkey BETWEEN json_extract(zr.value, '$[0]') AND json_extract(zr.value, '$[1]')
    WHERE ${insideBox(box as unknown as BBox)}
      AND c.state IN ${states} ${extra}
      AND ${dist2} <= ${v("radiusDeg2")}
    ORDER BY ${dist2} ASC, c.last_report_at DESC LIMIT 1)`;
}

/**
 * `routeDepartment` in SQL, for a point whose areas (`areasHolding`, a JSON array) are `areas`:
 * among the service's departments whose areas hold it the smallest area, else the service's
 * first fallback, else NULL.
 */
export const routedInSql = (service: SQL, areas: SQL): SQL =>
  sql`coalesce(
    (SELECT s.department_code FROM department_services s JOIN departments d ON d.code = s.department_code
      WHERE s.service_code = ${service} AND s.department_code IN (SELECT value FROM json_each(${areas}))
      ORDER BY coalesce(d.area_m2, 1e308), d.code LIMIT 1),
    (SELECT department_code FROM department_services
      WHERE service_code = ${service} AND fallback ORDER BY department_code LIMIT 1))`;

/** The intake's statements for a shape of report, with placeholders for every value. */
function buildStatements(db: Db, shape: Shape) {
  const report = v("report");
  const now = v("now");
  const reportCluster = sql`(SELECT cluster_id FROM reports WHERE id = ${report})`;
  // The window ages out a cluster still gathering reports; one whose work order is being handled
  // takes every report at its place, however old its last one (else a second work order).
  const accepting = nearestCluster(
    oneOf(ACCEPTING_CLUSTER_STATES),
    sql`AND (c.state <> ${clusterState("open")} OR c.last_report_at >= ${v("windowStart")})`,
  );
  // A blocked reporter's report is not written, nor its idempotency key claimed (checked in the
  // batch, so a block lands between requests, never inside one).
  const notBlocked = sql`NOT EXISTS (SELECT 1 FROM blocked_reporters b WHERE b.reporter_key = ${v("reporterKey")}
    AND ${blockHolds(sql`b`, now)})`;
  // With an idempotency key, the report is written only by the request that claimed the key.
  const claimed = shape.idempotency
    ? sql`AND (SELECT report_id FROM idempotency_keys WHERE key = ${v("idemKey")}) = ${report}`
    : sql``;
  const meets = shape.meetsThreshold ? sql`OR 1` : sql``;
  // Read in the batch, not bound from the catalogue's cached copy: a threshold lowered in another
  // process seconds ago already counts (its own check of the clusters reached ran before this report).
  const threshold = sql`(SELECT threshold FROM services WHERE code = ${v("service")})`;
  const hours = (column: "ack_hours" | "resolve_hours") =>
    sql`(SELECT ${sql.raw(column)} FROM services WHERE code = ${v("service")})`;
  // The department the cached catalogue routed to, unless an area or who takes which service
  // changed since (in another process): then routed again here from the report's areas (decided
  // again above). NULL leaves the work order unrouted.
  const department = sql`CASE WHEN (SELECT version FROM area_version WHERE id = 1) IS ${v("areaVersion")}
    THEN ${v("department")}
    ELSE ${routedInSql(v("service"), sql`(SELECT areas FROM reports WHERE id = ${report})`)} END`;
  const photoSlots = sql.join(
    Array.from({ length: shape.photos }, (_, i) => v(`photo${i}`)),
    sql`, `,
  );
  // Its photos were free when the request was checked; one that another report or a move took
  // since stops the report (and its key's claim): it is then refused, never taken without them.
  const photosFree =
    shape.photos > 0
      ? sql`AND (SELECT count(*) FROM photos WHERE id IN (${photoSlots}) AND report_id IS NULL
          AND event_id IS NULL) = ${sql.raw(String(shape.photos))}`
      : sql``;

  return [
    ...(shape.idempotency
      ? [
          db.run(sql`INSERT INTO idempotency_keys (key, request_hash, report_id, created_at)
            SELECT ${v("idemKey")}, ${v("idemHash")}, ${report}, ${now} WHERE ${notBlocked} ${photosFree}
            ON CONFLICT (key) DO NOTHING`),
        ]
      : []),
    // The nearest cluster taking reports, evaluated once and kept on the report (NULL: none near).
    // The areas came from a cached copy: if an area changed since, they are decided again here
    // (after the change, in this batch), so a report never counts for good where an area was.
    db.run(sql`INSERT INTO reports (id, service_code, cluster_id, lat, lon, description, attributes, media_url, address,
        source, device_id, contact_name, contact_email, contact_phone, contact_mailbox, reporter_key, count_key,
        receipt_hash, areas, created_at)
      SELECT ${report}, ${v("service")}, ${accepting}, p.lat, p.lon, ${v("description")}, ${v("attributes")},
        ${v("mediaUrl")}, ${v("address")}, ${v("source")}, ${v("deviceId")}, ${v("contactName")}, ${v("contactEmail")},
        ${v("contactPhone")}, ${v("contactMailbox")}, ${v("reporterKey")}, ${v("countKey")}, ${v("receiptHash")},
        CASE WHEN (SELECT version FROM area_version WHERE id = 1) IS ${v("areaVersion")} THEN ${v("areas")}
          ELSE ${sql.raw(areasSql("p.lat", "p.lon"))} END, ${now}
      FROM (SELECT ${v("lat")} AS lat, ${v("lon")} AS lon) p
      WHERE ${notBlocked} ${claimed} ${photosFree}`),
    // None near: open one here as it stands with this one report (so the update below, and the
    // 34 map-aggregate rows its trigger writes, are skipped), remembering the resolved one at this
    // place that it follows. One reporter reaches a threshold of 1.
    // With its words, so the report's move into it (`clusters_said_report_update`) rewrites nothing.
    db.run(sql`INSERT INTO clusters (id, service_code, lat, lon, state, report_count, reporter_count,
        first_report_at, last_report_at, predecessor_id, areas, said, created_at, updated_at)
      SELECT ${v("cluster")}, ${v("service")}, ${v("lat")}, ${v("lon")},
        CASE WHEN 1 >= ${threshold} ${meets} THEN ${clusterState("dispatched")} ELSE ${clusterState("open")} END,
        1, 1, ${now}, ${now}, ${nearestCluster(oneOf(["resolved"]), sql``)},
        (SELECT areas FROM reports WHERE id = ${report}), substr(${v("description")}, 1, ${SAID_CHARS}), ${now}, ${now}
      WHERE EXISTS (SELECT 1 FROM reports WHERE id = ${report} AND cluster_id IS NULL)`),
    db.run(sql`UPDATE reports SET cluster_id = ${v("cluster")} WHERE id = ${report} AND cluster_id IS NULL`),
    ...(shape.photos > 0
      ? [
          db.run(sql`UPDATE photos SET report_id = ${report}
            WHERE id IN (${photoSlots}) AND report_id IS NULL AND event_id IS NULL
              AND EXISTS (SELECT 1 FROM reports WHERE id = ${report})`),
        ]
      : []),
    db.run(sql`INSERT INTO events (id, cluster_id, type, actor, at)
      SELECT ${v("openedEvent")}, id, ${eventType("opened")}, ${v("actor")}, ${now}
        FROM clusters WHERE id = ${v("cluster")}
      UNION ALL
      SELECT ${v("addedEvent")}, cluster_id, ${eventType("report_added")}, ${v("actor")}, ${now}
        FROM reports WHERE id = ${report}`),
    // Before this batch may create the work order: the one it creates carries these words itself.
    // A follow-up needs a work order that already exists, the work order's outbox row one this batch
    // creates, so at most one of the two is written and they share an id.
    queueFollowUp(db, { id: v("outbox"), eventId: v("addedEvent"), reportId: report, now }),
    // A person counts once (the primary key); people from one network, or with credentials issued
    // on one network, share a count key and weigh once together.
    db.run(sql`INSERT INTO cluster_reporters (cluster_id, reporter_key, count_key)
      SELECT cluster_id, reporter_key, count_key FROM reports WHERE id = ${report} AND true
      ON CONFLICT DO NOTHING`),
    // A key already here may be an address or a phone typed without proof: its report from a
    // network not yet counted counts that network all the same, as one without them would. Else
    // the count told anyone who typed a neighbour's number whether the neighbour had reported.
    db.run(sql`INSERT INTO cluster_reporters (cluster_id, reporter_key, count_key)
      SELECT cluster_id, reporter_key || '@' || count_key, count_key FROM reports r WHERE id = ${report}
        AND NOT EXISTS (SELECT 1 FROM cluster_reporters p WHERE p.cluster_id = r.cluster_id AND p.count_key = r.count_key)
      ON CONFLICT DO NOTHING`),
    // Joining a cluster (one opened above already stands as it should). SQLite evaluates every
    // right-hand side on the old row: the mean uses the old count, and the state turns to
    // dispatched when the distinct count keys (counted once, in `k`) reach the threshold. The
    // newest report's words become the pin's (`clusters.said`; other changes: migration 0047).
    db.run(sql`UPDATE clusters SET
        lat = (lat * report_count + ${v("lat")}) / (report_count + 1),
        lon = (lon * report_count + ${v("lon")}) / (report_count + 1),
        report_count = report_count + 1,
        reporter_count = k.n,
        state = CASE WHEN state = ${clusterState("open")} AND (k.n >= ${threshold} ${meets})
          THEN ${clusterState("dispatched")} ELSE state END,
        last_report_at = max(last_report_at, ${now}),
        said = CASE WHEN ${now} >= last_report_at THEN substr(${v("description")}, 1, ${SAID_CHARS}) ELSE said END,
        updated_at = ${now}
      FROM (SELECT count(DISTINCT p.count_key) AS n FROM cluster_reporters p WHERE p.cluster_id = ${reportCluster}) AS k
      WHERE id = ${reportCluster} AND id <> ${v("cluster")}`),
    // Exactly one work order per dispatched cluster: for later reports, and a racing intake, a no-op.
    createWorkOrder(db, {
      id: v("workOrder"),
      cluster: reportCluster,
      where: sql`c.state = ${clusterState("dispatched")}`,
      department,
      service: { ackHours: hours("ack_hours"), resolveHours: hours("resolve_hours") },
      now,
    }),
    workOrderCreated(db, v("workOrderEvent"), v("workOrder"), now),
    queueOutbox(db, { id: v("outbox"), eventId: v("workOrderEvent"), now }),
    outcomeQuery(db, report),
  ];
}

/** Built templates by shape; SQLite's text is the same for libSQL and D1, so one set serves every handle. */
const templates = new Map<string, Template[]>();

function templatesFor(db: Db, shape: Shape): Template[] {
  const key = `${shape.idempotency}/${shape.photos}/${shape.meetsThreshold}`;
  let built = templates.get(key);
  if (!built) {
    built = buildStatements(db, shape).map((s) => {
      const { sql: text, params } = s.getQuery();
      return { sql: text, slots: params.map((p) => (is(p, Placeholder) ? slotOf(p.name) : { value: p })) };
    });
    templates.set(key, built);
  }
  return built;
}

/** The names of the values a report binds, in the order `valuesOf` lists them; photos follow. */
const NAMES = [
  "report",
  "cluster",
  "workOrder",
  "outbox",
  "openedEvent",
  "addedEvent",
  "workOrderEvent",
  "service",
  "department",
  "lat",
  "lon",
  "description",
  "attributes",
  "mediaUrl",
  "address",
  "source",
  "actor",
  "deviceId",
  "contactName",
  "contactEmail",
  "contactPhone",
  "contactMailbox",
  "reporterKey",
  "countKey",
  "receiptHash",
  "now",
  "windowStart",
  "minLat",
  "maxLat",
  "minLon",
  "maxLon",
  "ranges",
  "lonScale",
  "radiusDeg2",
  "idemKey",
  "idemHash",
  "areas",
  "areaVersion",
] as const;

function slotOf(name: string): Slot {
  const photo = /^photo(\d+)$/.exec(name);
  const index = photo ? NAMES.length + Number(photo[1]) : NAMES.indexOf(name as (typeof NAMES)[number]);
  if (index < 0) throw new Error(`intake: no value named ${name}`);
  return { index };
}

/** The values a report binds into the templates, in the order of `NAMES`. */
function valuesOf(cmd: IntakeCommand, photoIds: readonly string[]): unknown[] {
  const { ids, service } = cmd;
  const { box, lonScale, radiusDeg2 } = searchArea(cmd, service.radiusM);
  return [
    ids.report,
    ids.cluster,
    ids.workOrder,
    ids.outbox,
    ids.openedEvent,
    ids.addedEvent,
    ids.workOrderEvent,
    service.code,
    cmd.departmentCode,
    cmd.lat,
    cmd.lon,
    cmd.description,
    JSON.stringify(cmd.attributes),
    cmd.mediaUrl ?? null,
    cmd.address ?? null,
    cmd.source,
    reporterActor(cmd.source),
    cmd.deviceId,
    cmd.contact?.name ?? null,
    cmd.contact?.email ?? null,
    cmd.contact?.phone ?? null,
    cmd.contactMailbox ?? null,
    cmd.reporterKey,
    cmd.countKey,
    cmd.receiptHash,
    cmd.now,
    cmd.now - service.windowDays * 24 * HOUR_MS,
    box.minLat,
    box.maxLat,
    box.minLon,
    box.maxLon,
    JSON.stringify(zkeyRanges(box, SEARCH_CELLS)),
    lonScale,
    radiusDeg2,
    cmd.idempotency?.key ?? null,
    cmd.idempotency?.requestHash ?? null,
    JSON.stringify(cmd.areas),
    cmd.areaVersion ?? null,
    ...photoIds,
  ];
}

/**
 * The statements of one intake, in order; the last one reads back the outcome. Their SQL text is
 * built once per shape of report (with or without an idempotency key, photos, the threshold met by its source) and
 * kept; each report only binds its values.
 */
export function intakeStatements(db: Db, cmd: IntakeCommand): (BoundStatement | Statement)[] {
  // A photo named twice is one photo (the check in the batch counts the photos found).
  const photoIds = [...new Set(cmd.photoIds ?? [])];
  const shape = {
    idempotency: cmd.idempotency !== null,
    photos: photoIds.length,
    meetsThreshold: cmd.meetsThreshold === true,
  };
  const values = valuesOf(cmd, photoIds);
  const statements: (BoundStatement | Statement)[] = templatesFor(db, shape).map(
    (t) =>
      new BoundStatement(
        t.sql,
        t.slots.map((s) => ("index" in s ? values[s.index] : s.value)),
      ),
  );
  if (cmd.filedBy) {
    // Before the outcome read; written only if the report was (its `report_added` event).
    const audit = recordStaffAction(db, {
      by: cmd.filedBy,
      action: "desk_report",
      subject: { type: "report", id: cmd.ids.report },
      at: cmd.now,
      eventId: cmd.ids.addedEvent,
    });
    statements.splice(statements.length - 1, 0, audit);
  }
  return statements;
}

/** Reads the intake's answer for a report: the report, its cluster and any work order. */
export const outcomeQuery = (db: Db, reportId: string | SQL) =>
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
