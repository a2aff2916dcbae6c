/**
 * The work orders behind one figure of one department's row of the league table: what the
 * performance page's links show on the map. Read from the rows themselves with the same tests the
 * aggregates' recomputation uses (`rollup-sql.ts` `freshBlocksSql`), so each list counts exactly
 * what its figure counts; one department and period at a time, through the indexes on the events'
 * department and on the work orders' department.
 */
import { type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { HOUR_MS } from "../domain/deadlines";
import type { FigureName } from "../domain/figure-work-orders";
import { to7 } from "../domain/geo";
import { HELD_STATUSES, monthStart, SATISFIED_STARS, satisfiedRaters } from "../domain/performance";
import { publicStatus } from "../domain/public-status";
import { periodEnd, periodStart } from "../domain/rollup";
import type { ClusterState, WorkOrderStatus } from "../domain/states";
import { daySql, eventIs, flaggedSql, movedTo, resolveDueThen, startThen } from "./rollup-sql";

interface Row {
  workOrderId: string;
  clusterId: string;
  service: string;
  state: ClusterState;
  status: WorkOrderStatus;
  lat: number;
  lon: number;
  at: number;
  tookMs: number | null;
  inShare: number | null;
  stars: number | null;
  /** For ratings: the resident and day they count once by (never answered). */
  rater?: string;
}

const held = sql.raw(`(${HELD_STATUSES.map((s) => `'${s}'`).join(", ")})`);
const raw = sql.raw;

/** The columns every list gives: the work order, its cluster's place and public status. */
const COLUMNS = raw(`w.id AS workOrderId, w.cluster_id AS clusterId, w.service_code AS service,
  c.state AS state, w.status AS status, c.lat AS lat, c.lon AS lon`);

/** Events of `code` of one kind in [from, to], joined to their work order and cluster. */
const eventsOf = (code: string, where: string, from: number, to: number, extra: string) =>
  sql`SELECT ${COLUMNS}, e.at AS at, ${raw(extra)} FROM events e
    JOIN work_orders w ON w.id = e.work_order_id JOIN clusters c ON c.id = e.cluster_id
    WHERE e.department_code = ${code} AND e.at BETWEEN ${from} AND ${to} AND ${raw(where)}
    ORDER BY e.at, e.id`;

/** A resolution that a later reopening undid (`rollup_reopened`: the latest resolution before it). */
const reopenedSql = `EXISTS (SELECT 1 FROM events o WHERE o.cluster_id = e.cluster_id AND o.work_order_id = e.work_order_id
  AND ${movedTo("o", "reopened")} AND o.at >= e.at AND o.id <> e.id
  AND e.id = (SELECT p.id FROM events p WHERE p.cluster_id = o.cluster_id AND p.work_order_id = o.work_order_id
    AND ${movedTo("p", "resolved")} AND p.department_code IS NOT NULL AND p.at <= o.at AND p.id <> o.id
    ORDER BY p.at DESC, p.rowid DESC LIMIT 1))`;

const RESOLVED = movedTo("e", "resolved");
const resolutions = (code: string, from: number, to: number, inShare: string) =>
  eventsOf(
    code,
    RESOLVED,
    from,
    to,
    `e.at - ${startThen("e", "w")} AS tookMs, ${inShare} AS inShare, NULL AS stars`,
  );

/** The query for one figure: the period [`from`, `to`] (whole days), `now` the answer's instant. */
function queryFor(code: string, figure: FigureName, from: number, to: number, now: number): SQL {
  const onTime = `e.at <= ${resolveDueThen("e", "w")}`;
  const none = "NULL AS tookMs, NULL AS inShare, NULL AS stars";
  const workOrders = (where: SQL) => sql`SELECT ${COLUMNS}, w.created_at AS at, ${raw(none)}
    FROM work_orders w JOIN clusters c ON c.id = w.cluster_id
    WHERE w.department_code = ${code} AND ${where} ORDER BY w.created_at, w.id`;
  switch (figure) {
    case "open":
      return workOrders(sql`w.status IN ${held}`);
    // As the league table: flagged by the deadline check, or past the deadline it owes and not yet flagged.
    case "overdue":
      return workOrders(
        sql`(${raw(flaggedSql("w"))} OR (w.red_flagged = 0 AND w.yellow_at <= ${now} AND w.next_due_at < ${now}))`,
      );
    case "nearlyDue":
      return workOrders(sql`w.red_flagged = 0 AND w.yellow_at <= ${now} AND w.next_due_at >= ${now}`);
    case "cards":
      return eventsOf(code, eventIs("e", "deadline_missed"), monthStart(now), to, none);
    case "resolved":
    case "medianResolveHours":
      return resolutions(code, from, to, "NULL");
    case "onTimeShare":
      return resolutions(code, from, to, onTime);
    case "reopenRate":
      return resolutions(code, from, to, reopenedSql);
    case "medianAckHours":
      return eventsOf(
        code,
        movedTo("e", "acknowledged"),
        from,
        to,
        `e.at - ${startThen("e", "w")} AS tookMs, NULL AS inShare, NULL AS stars`,
      );
    case "rejected":
      return eventsOf(code, movedTo("e", "rejected"), from, to, none);
    // Each rating of the department's work (a resident's ratings of one day count once in the figure).
    case "satisfiedShare":
    case "ratings":
      return sql`SELECT ${COLUMNS}, r.created_at AS at, NULL AS tookMs, r.stars >= ${SATISFIED_STARS} AS inShare,
          r.stars AS stars, (${raw(daySql("r.created_at"))}) || ':' || coalesce(r.reporter_key, r.report_id) AS rater
        FROM ratings r JOIN work_orders w ON w.cluster_id = r.cluster_id JOIN clusters c ON c.id = r.cluster_id
        WHERE r.department_code = ${code} AND r.created_at BETWEEN ${from} AND ${to}
        ORDER BY r.created_at, r.report_id`;
  }
}

/**
 * How many the figure counts, and how many of them in its share's part. Ratings count each
 * resident once per day by the mean of their stars that day (`rater_days`), so several ratings
 * may make one count; the rest count row by row.
 */
function countOf(rows: Row[]): { count: number; inShare: number | null } {
  if (rows.some((r) => r.rater !== undefined)) {
    const days = new Map<string, number[]>();
    for (const r of rows) days.set(r.rater as string, [...(days.get(r.rater as string) ?? []), r.stars ?? 0]);
    const means = [...days.values()].map((stars) => stars.reduce((a, b) => a + b, 0) / stars.length);
    return { count: means.length, inShare: satisfiedRaters(means) };
  }
  const shares = rows.filter((r) => r.inShare !== null);
  return { count: rows.length, inShare: shares.length ? shares.filter((r) => r.inShare).length : null };
}

/**
 * The work orders behind `figure` of department `code` over the last `days` days of the city's calendar up to
 * `now`'s (today included), as the league table counts it, at most `limit` of them.
 */
export async function figureWorkOrders(
  db: Db,
  now: number,
  { code, figure, days, limit }: { code: string; figure: FigureName; days: number; limit: number },
) {
  const from = periodStart(now, days);
  // Whole days, as the blocks count them: through the end of today.
  const to = periodEnd(now);
  const rows = await db.all<Row>(queryFor(code, figure, from, to, now));
  return {
    ...countOf(rows),
    workOrders: rows.slice(0, limit).map((r) => ({
      workOrderId: r.workOrderId,
      clusterId: r.clusterId,
      service: r.service,
      status: publicStatus(r.state, r.status),
      // To 7 decimals (about 1 cm), as the exports and a cluster's page give them.
      lat: to7(r.lat),
      lon: to7(r.lon),
      at: r.at,
      hours: r.tookMs === null ? null : Math.round((r.tookMs / HOUR_MS) * 100) / 100,
      inShare: r.inShare === null ? null : r.inShare === 1,
      stars: r.stars,
    })),
  };
}
