/**
 * What GeoReport v2 reads from the database: service requests (reports, with their cluster's
 * standing) and timeline updates. Only public columns are ever selected: no contact, device id
 * or reporter key leaves these queries.
 */
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { searchArea } from "../domain/geo";
import type { ClusterState, WorkOrderStatus } from "../domain/states";
import { publicNote } from "../store/moderation";
import { afterOtherWork } from "../store/next-turn";
import { actor, workOrderStatus } from "../store/status-sql";
import { foldedIntoOpening } from "../store/timeline-fold";
import { type Open311Status, statusPairs } from "./status";

export interface RequestRow {
  id: string;
  service_code: string;
  service_name: string;
  service_name_zh: string;
  description: string;
  media_url: string | null;
  /** Where it is in the reporter's words (`address_string`); null when none was sent or the report is hidden. */
  address: string | null;
  /** The report's first visible uploaded photo: its media_url when the client gave none. */
  photo_id: string | null;
  lat: number;
  lon: number;
  created_at: number;
  updated_at: number;
  /** When the status last changed (null before any change): a closed request's time of closing. */
  status_at: number | null;
  cluster_id: string;
  source: string;
  cluster_state: ClusterState;
  report_count: number;
  reporter_count: number;
  threshold: number;
  /** The cluster's latest report and its service's window: one still gathering may have lapsed. */
  last_report_at: number;
  window_days: number;
  /** 0 once the city withdrew the service: one still gathering can then never go anywhere. */
  service_active: number;
  work_order_status: WorkOrderStatus | null;
  /** A closed work order's closing note when the system closed it (a fixture: not a defect). */
  closed_note?: string | null;
  resolve_due_at: number | null;
  /** The date the department planned, while the work order is scheduled. */
  scheduled_for: number | null;
  department_name: string | null;
  department_name_zh: string | null;
}

export interface RequestFilter {
  ids?: string[] | undefined;
  serviceCodes?: string[] | undefined;
  from?: number | undefined;
  to?: number | undefined;
  statuses?: Open311Status[] | undefined;
  limit: number;
  offset: number;
  /** Read on after this request (newest first: older, or as old with a smaller id). */
  after?: { at: number; id: string } | undefined;
  /** Only requests within `radiusM` metres of this point. */
  near?: { lat: number; lon: number; radiusM: number } | undefined;
}

/** SQL true for reports within the circle: a box, then the flat-earth distance (`domain/geo.ts` `searchArea`). */
function nearCondition(near: NonNullable<RequestFilter["near"]>): SQL {
  const { box, lonScale, radiusDeg2 } = searchArea(near, near.radiusM);
  return sql`r.lat BETWEEN ${box.minLat} AND ${box.maxLat} AND r.lon BETWEEN ${box.minLon} AND ${box.maxLon}
    AND (r.lat - ${near.lat}) * (r.lat - ${near.lat})
      + (r.lon - ${near.lon}) * ${lonScale} * (r.lon - ${near.lon}) * ${lonScale} <= ${radiusDeg2}`;
}

/** SQL true for clusters whose Open311 status is one of `statuses`. */
function statusCondition(statuses: Open311Status[]): SQL {
  const pairs = statuses.flatMap(statusPairs);
  const parts = pairs.map((p) =>
    p.workOrder === null
      ? sql`(c.state = ${p.state} AND w.status IS NULL)`
      : sql`(c.state = ${p.state} AND w.status = ${p.workOrder})`,
  );
  return parts.length ? sql`(${sql.join(parts, sql` OR `)})` : sql`false`;
}

/**
 * Reports the first window of a walk of the list reads (~10 ms of the server at 1M), serving
 * waiting requests between windows: a filter that keeps few (`status=closed` of a service nobody
 * fixes) walks every report of the span, which held the whole server for 6.5 s at 1M as one
 * statement. The next windows are twice as large (~50 ms with a status, which reads each
 * report's cluster and work order): half the round trips where the database is remote (Workers).
 */
export const REQUEST_WINDOW = 2_000;

/**
 * Service requests, newest first. With `ids`, every other filter is ignored (as the spec says).
 * Without, the span is walked newest first a window of reports at a time for the ids the
 * filters keep, then the page's rows are read by id.
 */
export async function findRequests(db: Db, f: RequestFilter, first = REQUEST_WINDOW): Promise<RequestRow[]> {
  if (f.ids) return f.ids.length === 0 ? [] : requestsById(db, f.ids, f.limit, f.offset);
  const filters: SQL[] = [];
  if (f.serviceCodes?.length) {
    // One JSON parameter, however many codes (D1 binds at most 100 per statement).
    filters.push(sql`r.service_code IN (SELECT value FROM json_each(${JSON.stringify(f.serviceCodes)}))`);
  }
  if (f.statuses?.length) filters.push(statusCondition(f.statuses));
  if (f.near) filters.push(nearCondition(f.near));
  if (f.after) filters.push(sql`NOT (r.created_at = ${f.after.at} AND r.id >= ${f.after.id})`);
  const page: string[] = [];
  let skip = f.offset;
  const from = f.from ?? Number.MIN_SAFE_INTEGER;
  // The window is the reports from the `window`-th newest before `upTo` on: ties at its edge join
  // it. One lower bound only: given two, SQLite may bound the index walk by the span's start.
  let upTo = sql`r.created_at <= ${Math.min(f.to ?? Number.MAX_SAFE_INTEGER, f.after?.at ?? Number.MAX_SAFE_INTEGER)}`;
  for (let window = first; ; window = first * 2) {
    const [edge] = await db.all<{ at: number }>(sql`SELECT r.created_at AS at FROM reports r
      WHERE ${upTo} AND r.created_at >= ${from} ORDER BY r.created_at DESC LIMIT 1 OFFSET ${window - 1}`);
    const kept = await db.all<{ id: string }>(sql`SELECT r.id FROM reports r
      ${f.statuses?.length ? sql`CROSS JOIN clusters c ON c.id = r.cluster_id LEFT JOIN work_orders w ON w.cluster_id = c.id` : sql``}
      WHERE ${sql.join([upTo, sql`r.created_at >= ${edge?.at ?? from}`, ...filters], sql` AND `)}
      ORDER BY r.created_at DESC, r.id DESC`);
    page.push(...kept.slice(skip, skip + f.limit - page.length).map((r) => r.id));
    skip = Math.max(0, skip - kept.length);
    if (!edge || page.length >= f.limit) break;
    upTo = sql`r.created_at < ${edge.at}`;
    await afterOtherWork();
  }
  return page.length ? requestsById(db, page, f.limit, 0) : [];
}

/** The requests of these ids, newest first, `limit` from the `offset`-th. */
function requestsById(db: Db, ids: string[], limit: number, offset: number): Promise<RequestRow[]> {
  return db.all<RequestRow>(sql`SELECT r.id, r.service_code, s.name_en AS service_name,
      s.name_zh AS service_name_zh,
      CASE WHEN r.hidden_at IS NULL THEN r.description ELSE '' END AS description,
      CASE WHEN r.hidden_at IS NULL THEN r.media_url END AS media_url,
      CASE WHEN r.hidden_at IS NULL THEN r.address END AS address,
      CASE WHEN r.hidden_at IS NULL THEN (SELECT p.id FROM photos p WHERE p.report_id = r.id
        AND p.hidden_at IS NULL ORDER BY p.created_at, p.id LIMIT 1) END AS photo_id,
      r.lat, r.lon, r.created_at, r.source, c.id AS cluster_id, c.state AS cluster_state,
      c.report_count, c.reporter_count, s.threshold, c.last_report_at, s.window_days,
      s.active AS service_active, w.status AS work_order_status,
      w.resolve_due_at, w.scheduled_for, d.name_en AS department_name, d.name_zh AS department_name_zh,
      CASE WHEN w.status = ${workOrderStatus("closed")} THEN (SELECT CASE WHEN e.actor = ${actor("system")}
          THEN e.note END FROM events e
        WHERE e.cluster_id = c.id AND e.work_order_id = w.id AND e.to_status = ${workOrderStatus("closed")}
        ORDER BY e.at DESC, e.rowid DESC LIMIT 1) END AS closed_note,
      max(r.created_at, c.updated_at, coalesce(w.updated_at, 0),
        coalesce((SELECT max(e.at) FROM events e WHERE e.cluster_id = c.id), 0)) AS updated_at,
      (SELECT max(e.at) FROM events e WHERE e.cluster_id = c.id AND e.to_status IS NOT NULL) AS status_at
    FROM (SELECT DISTINCT value AS id FROM json_each(${JSON.stringify(ids)})) k
    CROSS JOIN reports r ON r.id = k.id
    JOIN services s ON s.code = r.service_code
    JOIN clusters c ON c.id = r.cluster_id
    LEFT JOIN work_orders w ON w.cluster_id = c.id
    LEFT JOIN departments d ON d.code = w.department_code
    ORDER BY r.created_at DESC, r.id DESC
    LIMIT ${limit} OFFSET ${offset}`);
}

export interface TimelineRow {
  id: string;
  cluster_id: string;
  type: string;
  from_status: string | null;
  to_status: string | null;
  note: string | null;
  /** Who: a role (`resident`, `sensor`…), never a person. */
  actor: string;
  /** A move to scheduled: the date planned then. */
  scheduled_for: number | null;
  at: number;
}

/** The latest events of a cluster's public timeline (oldest of them first) and how many it has. */
export interface TimelineSummary {
  latest: TimelineRow[];
  total: number;
}

/** Events a request's extensions carry: the latest few; the cluster page has the rest. */
export const LATEST_NOTES = 10;

/**
 * The latest `latest` events of each cluster and its event count, the report that opened it one
 * event (`foldedIntoOpening`, as in `findUpdates`). A cluster's timeline grows with
 * its reports, so listing it whole for every request of a page would grow with their square.
 * The ids travel as one JSON parameter (D1 binds at most 100 per statement).
 */
export async function findTimelineSummaries(
  db: Db,
  clusterIds: string[],
  latest: number = LATEST_NOTES,
): Promise<Map<string, TimelineSummary>> {
  const out = new Map<string, TimelineSummary>();
  if (clusterIds.length === 0) return out;
  const rows = await db.all<TimelineRow & { total: number }>(sql`WITH ids(id) AS (
      SELECT DISTINCT value FROM json_each(${JSON.stringify(clusterIds)}))
    SELECT e.id, e.cluster_id, e.type, e.from_status, e.to_status, ${publicNote("e")} AS note, e.actor,
      e.scheduled_for, e.at,
      (SELECT count(*) FROM events x WHERE x.cluster_id = ids.id
        AND NOT ${foldedIntoOpening("x")}) AS total
    FROM ids JOIN events e ON e.rowid IN (SELECT y.rowid FROM events y WHERE y.cluster_id = ids.id
        AND NOT ${foldedIntoOpening("y")}
      ORDER BY y.at DESC, y.rowid DESC LIMIT ${latest})
    ORDER BY e.cluster_id, e.at ASC, e.rowid ASC`);
  for (const { total, ...r } of rows) {
    const summary = out.get(r.cluster_id) ?? { latest: [], total };
    summary.latest.push(r);
    out.set(r.cluster_id, summary);
  }
  return out;
}

export interface UpdateRow {
  event_id: string;
  report_id: string;
  type: string;
  /** The work-order status after this event (carried forward for events that change none). */
  status: string | null;
  note: string | null;
  /** Who: a role (`resident`, `sensor`…), never a person. */
  actor: string;
  /** The picture link a resident's update came with. */
  media_url: string | null;
  /** The event's first visible photo (a repair's, or one uploaded with an update). */
  photo_id: string | null;
  /** A move to scheduled: the date planned then. */
  scheduled_for: number | null;
  at: number;
}

/**
 * One update per (report, timeline event of its cluster from the report's time on; for a report a
 * merge moved, of the cluster it was filed in until then and of its cluster since), oldest
 * first, for the `servicerequestupdates` extension; with `ids`, of those requests only. When more
 * than `limit` match, the oldest of them (`keep: "oldest"`: a client polling from a date moves on
 * from the last it saw) or the newest (`keep: "newest"`: what a client with no date wants).
 * The report that opened a cluster is one update, though the timeline has its cluster opened and
 * its report added (`foldedIntoOpening`).
 */
export async function findUpdates(
  db: Db,
  f: {
    from: number;
    to: number;
    limit: number;
    keep: "oldest" | "newest";
    ids?: string[] | undefined;
    /** Oldest first, those after this one (a page's last, as its cursor names it). */
    after?: { at: number; event: string; report: string } | undefined;
  },
): Promise<UpdateRow[]> {
  const order = f.keep === "oldest" ? sql`ASC` : sql`DESC`;
  const rows =
    await db.all<UpdateRow>(sql`SELECT e.id AS event_id, r.id AS report_id, e.type, ${publicNote("e")} AS note,
      e.actor, e.at, e.scheduled_for, ${publicNote("e", "media_url")} AS media_url, CASE WHEN e.hidden_at IS NULL THEN (SELECT p.id
        FROM photos p WHERE p.event_id = e.id AND p.hidden_at IS NULL ORDER BY p.created_at, p.id LIMIT 1) END AS photo_id,
      coalesce(e.to_status, (SELECT p.to_status FROM events p
        WHERE p.cluster_id = e.cluster_id AND p.to_status IS NOT NULL AND p.at <= e.at
        ORDER BY p.at DESC, p.rowid DESC LIMIT 1)) AS status
    FROM events e
    JOIN reports r ON r.created_at <= e.at AND (
      -- Its problem's events: since it joined, if it was moved into it by a merge.
      (r.cluster_id = e.cluster_id AND (r.moved_at IS NULL OR e.at >= r.moved_at))
      -- Those of the problem it was filed in, before it left it (not the merge closing that one as a
      -- duplicate: the request goes on in the problem it joined, whose timeline says the merge; a
      -- problem it passed through between two merges is skipped).
      OR (r.moved_from = e.cluster_id AND e.at < r.first_moved_at))
    WHERE e.at >= ${f.from} AND e.at <= ${f.to}${
      // One JSON parameter, however many ids (D1 binds at most 100 per statement).
      f.ids ? sql` AND r.id IN (SELECT value FROM json_each(${JSON.stringify(f.ids)}))` : sql``
    }
      AND NOT ${foldedIntoOpening("e")}${
        // The cursor names its event by id; a vanished one reads on from the start of its instant.
        f.after
          ? sql` AND (e.at, e.rowid, r.id) > (${f.after.at},
              coalesce((SELECT c.rowid FROM events c WHERE c.id = ${f.after.event}), 0), ${f.after.report})`
          : sql``
      }
    -- One instant's events in the order they were written (a move, then the system's close or
    -- reroute it caused): by their random ids, a request had ended on the older status.
    ORDER BY e.at ${order}, e.rowid ${order}, r.id ${order}
    LIMIT ${f.limit}`);
  return f.keep === "oldest" ? rows : rows.reverse();
}

/** True when a report with this id exists. */
export async function reportExists(db: Db, id: string): Promise<boolean> {
  const rows = await db.all<{ one: number }>(sql`SELECT 1 AS one FROM reports WHERE id = ${id}`);
  return rows.length > 0;
}
