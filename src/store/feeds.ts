/**
 * What the Atom feeds read: public columns only (never contact, device or reporter keys), and
 * of residents' words only reports that moderators have not hidden.
 */
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import type { BBox } from "../domain/geo";
import { FEED_LIMIT } from "../feeds/atom";
import { DENSE_BOX, isDenseBox } from "./clusters";
import { clusterIdsInBox, insideBox } from "./map-cells";
import { publicNote } from "./moderation";
import { afterOtherWork } from "./next-turn";
import { foldedIntoOpening } from "./timeline-fold";

/** A cluster as a feed entry shows it. */
export interface FeedClusterRow {
  id: string;
  service: string;
  serviceName: string;
  serviceNameZh: string;
  state: string;
  workOrderStatus: string | null;
  /** The department holding its work order, by name (null: none). */
  department: string | null;
  departmentZh: string | null;
  reports: number;
  /** The problem a duplicate was merged into (its reports count there), or null. */
  mergedIntoId: string | null;
  /** The latest description no moderator has hidden, or null. */
  said: string | null;
  updatedAt: number;
}

/** A cluster's latest change: its own or its work order's. */
const updatedAt = sql`max(c.updated_at, coalesce(w.updated_at, 0))`;

const clusterRows = (db: Db, where: SQL, orderBy: SQL = sql`updatedAt`) =>
  db.all<FeedClusterRow>(sql`
    SELECT c.id, c.service_code AS service, s.name_en AS serviceName, s.name_zh AS serviceNameZh, c.state,
      w.status AS workOrderStatus, d.name_en AS department, d.name_zh AS departmentZh, c.report_count AS reports,
      c.merged_into_id AS mergedIntoId,
      (SELECT r.description FROM reports r WHERE r.cluster_id = c.id AND r.hidden_at IS NULL
        ORDER BY r.created_at DESC LIMIT 1) AS said,
      ${updatedAt} AS updatedAt
    FROM clusters c
    JOIN services s ON s.code = c.service_code
    LEFT JOIN work_orders w ON w.cluster_id = c.id
    LEFT JOIN departments d ON d.code = w.department_code
    WHERE ${where}
    ORDER BY ${orderBy} DESC, c.id DESC
    LIMIT ${FEED_LIMIT}`);

/**
 * Clusters a dense feed reads at a time, in table order, serving waiting requests between
 * windows: the latest change of a province (or of a service everywhere) is ordered by no index,
 * and as one read it held the whole server 1-3 s at 1M clusters.
 */
export const FEED_WINDOW = 20_000;

/**
 * Clusters with their centre in the box (anywhere without one), of one service if given, latest
 * change first. A box holding fewer than `dense` clusters is read through their spatial key;
 * else the table is walked a window of rows at a time for the latest changed, then those are read.
 */
export async function feedClustersInBox(
  db: Db,
  box: BBox | undefined,
  service: string | undefined,
  bounds = { dense: DENSE_BOX, window: FEED_WINDOW },
) {
  const conditions = [
    ...(box ? [insideBox(box)] : []),
    ...(service ? [sql`+c.service_code = ${service}`] : []),
  ];
  if (box && !(await isDenseBox(db, box, service, bounds.dense)))
    return clusterRows(db, sql`c.id IN ${clusterIdsInBox(box, service)}`);
  const [last] = await db.all<{ rowid: number | null }>(sql`SELECT max(rowid) AS rowid FROM clusters`);
  let latest: { id: string; updatedAt: number }[] = [];
  for (let from = 1; from <= (last?.rowid ?? 0); from += bounds.window) {
    if (from > 1) await afterOtherWork();
    const window = sql`c.rowid BETWEEN ${from} AND ${from + bounds.window - 1}`;
    const found = await db.all<{ id: string; updatedAt: number }>(sql`
      SELECT c.id, ${updatedAt} AS updatedAt FROM clusters c LEFT JOIN work_orders w ON w.cluster_id = c.id
      WHERE ${sql.join([window, ...conditions], sql` AND `)}
      ORDER BY updatedAt DESC, c.id DESC LIMIT ${FEED_LIMIT}`);
    latest = [...latest, ...found].sort(latestFirst).slice(0, FEED_LIMIT);
  }
  if (latest.length === 0) return [];
  return clusterRows(
    db,
    sql`c.id IN (SELECT value FROM json_each(${JSON.stringify(latest.map((r) => r.id))}))`,
  );
}

const latestFirst = (a: { id: string; updatedAt: number }, b: { id: string; updatedAt: number }) =>
  b.updatedAt - a.updatedAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);

/** How far back a department's feed looks for problems in its area that it holds no work order of. */
const AREA_FEED_DAYS = 365;

/**
 * New and updated problems of a department: those whose work order it holds (latest change of
 * the work order first) and those opened in its area (`clusters.areas`) of a service it handles, including the ones still
 * waiting for more residents, read newest report first through `clusters_last_report` (the
 * area's box cuts most before the JSON is read). Merged, latest change first.
 */
export async function feedClustersOfDepartment(db: Db, department: string, now: number) {
  const since = now - AREA_FEED_DAYS * 24 * 3_600_000;
  const [held, inArea] = await db.batch([
    clusterRows(db, sql`w.department_code = ${department}`, sql`w.updated_at`),
    clusterRows(
      db,
      sql`c.last_report_at > ${since}
        AND EXISTS (SELECT 1 FROM area_boxes b WHERE b.department_code = ${department}
          AND c.lat BETWEEN b.min_lat AND b.max_lat AND c.lon BETWEEN b.min_lon AND b.max_lon)
        AND EXISTS (SELECT 1 FROM json_each(c.areas) a WHERE a.value = ${department})
        AND EXISTS (SELECT 1 FROM department_services ds
          WHERE ds.department_code = ${department} AND ds.service_code = c.service_code)`,
      sql`c.last_report_at`,
    ),
  ]);
  const byId = new Map([...held, ...inArea].map((r) => [r.id, r]));
  return [...byId.values()].sort((a, b) => b.updatedAt - a.updatedAt).slice(0, FEED_LIMIT);
}

/** A department's public name in both languages, or null when there is no such department. */
export async function findDepartmentName(db: Db, code: string) {
  const [row] = await db.all<{ en: string; zh: string }>(
    sql`SELECT name_en AS en, name_zh AS zh FROM departments WHERE code = ${code}`,
  );
  return row ?? null;
}

export interface FeedEventRow {
  id: string;
  type: string;
  to: string | null;
  note: string | null;
  /** A role (`resident`, `sensor`…), never a person. */
  actor: string;
  at: number;
}

/**
 * A cluster's name and the latest `FEED_LIMIT` events of its public timeline, or null; the report
 * that opened it is one event (`foldedIntoOpening`), as in Open311's updates.
 */
export async function findClusterFeed(db: Db, id: string) {
  const [heads, events] = await db.batch([
    db.all<{ serviceName: string; serviceNameZh: string; createdAt: number }>(sql`
      SELECT s.name_en AS serviceName, s.name_zh AS serviceNameZh, c.created_at AS createdAt
      FROM clusters c JOIN services s ON s.code = c.service_code WHERE c.id = ${id}`),
    db.all<FeedEventRow>(sql`
      SELECT e.id, e.type, e.to_status AS "to", ${publicNote("e")} AS note, e.actor, e.at FROM events e
      WHERE e.cluster_id = ${id} AND NOT ${foldedIntoOpening("e")}
      ORDER BY e.at DESC, e.rowid DESC LIMIT ${FEED_LIMIT}`),
  ]);
  const head = heads[0];
  return head ? { ...head, events } : null;
}
