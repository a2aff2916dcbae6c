/** The call-taker desk's reads: what to tell a caller, and a caller's earlier reports. */
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { deadlineFlag, HOUR_MS, nextDeadline } from "../domain/deadlines";
import { AppError, notFound } from "../domain/errors";
import { iso } from "../domain/iso-time";
import { whereWords } from "../domain/places";
import { routeDepartment } from "../domain/routing";
import type { ClusterState, WorkOrderStatus } from "../domain/states";
import { serviceForIntake } from "./catalog-cache";
import { findDepartment } from "./departments";
import type { IntakeOutcome } from "./intake";
import { nameThePoint, nameThePoints } from "./places";
import { closedAsFixtureSql } from "./sensor-fixtures";
import { clusterState, resolvedAt } from "./status-sql";
import { REOPEN_WINDOW_DAYS } from "./transitions";

const inList = (values: string[]) =>
  sql`(${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )})`;

/**
 * What the call-taker reads to the caller after filing: how many reported it before, who has it
 * (or would get it) and by when they must acknowledge and resolve it: the same "tell them once"
 * facts the report and problem pages show; and the place by name ("near Wuyi Avenue, Furong
 * District"), so the caller hears where it was filed.
 */
export async function readOutFor(db: Db, o: IntakeOutcome, reporterKey: string) {
  const found = await serviceForIntake(db, o.report.service);
  const wo = o.cluster.workOrder;
  const [due] = wo
    ? await db.all<{ ack: number; resolve: number }>(
        sql`SELECT ack_due_at AS ack, resolve_due_at AS resolve FROM work_orders WHERE id = ${wo.id}`,
      )
    : [];
  const [before] = await db.all<{ at: number | null }>(
    sql`SELECT min(created_at) AS at FROM reports WHERE cluster_id = ${o.cluster.id}
      AND reporter_key = ${reporterKey} AND id <> ${o.report.id}`,
  );
  const code = wo ? wo.department : found ? routeDepartment(found.candidates, o.report) : null;
  const dept = code ? await findDepartment(db, code) : undefined;
  return {
    joined: o.cluster.reports - 1,
    reporters: o.cluster.reporters,
    threshold: o.cluster.threshold,
    waitingFor: wo ? 0 : Math.max(0, o.cluster.threshold - o.cluster.reporters),
    department: dept ? { code: dept.code, name: dept.name } : null,
    workOrderStatus: (wo?.status ?? null) as WorkOrderStatus | null,
    ackDueAt: iso(due?.ack ?? null),
    resolveDueAt: iso(due?.resolve ?? null),
    ackHours: found?.service.ackHours ?? 0,
    resolveHours: found?.service.resolveHours ?? 0,
    place: placeWords(whereWords(await nameThePoint(db, o.report))),
    callerFirstReportedAt: iso(before?.at ?? null),
    // Other residents, not other reports: a neighbour calling three times is one.
    joinedOthers: Math.max(0, o.cluster.reporters - 1),
  };
}

/** Both languages' words for the place, or null when the gazetteer names nothing there. */
const placeWords = (w: { zh: string | null; en: string | null }) =>
  w.zh && w.en ? { zh: w.zh, en: w.en } : null;

interface CallerReportRow {
  id: string;
  service_code: string;
  description: string;
  hidden: number;
  created_at: number;
  cluster_id: string | null;
  state: string | null;
  wo_id: string | null;
  wo_status: string | null;
  wo_department: string | null;
  lat: number;
  lon: number;
  ack_due_at: number | null;
  resolve_due_at: number | null;
  deadlines_from: number | null;
  resolved_at: number | null;
}

/**
 * The latest 50 reports under a caller's reporter keys (one phone's forms), newest first, with
 * where each is and stands: its place by name, its work order's deadline and flag as of `now`.
 */
export async function reportsOfReporter(db: Db, reporterKeys: string[], now: number) {
  const keyList = inList(reporterKeys);
  const rows =
    await db.all<CallerReportRow>(sql`SELECT r.id, r.service_code, r.description, r.hidden_at IS NOT NULL AS hidden, r.created_at,
      r.cluster_id, c.state, w.id AS wo_id, w.status AS wo_status, w.department_code AS wo_department,
      r.lat, r.lon, w.ack_due_at, w.resolve_due_at, w.deadlines_from,
      -- What "still there" may reopen for this caller: resolved, not closed as a fixture, not said already.
      CASE WHEN c.state = ${clusterState("resolved")} AND NOT ${closedAsFixtureSql(sql`w.id`, sql`w.cluster_id`)}
        AND NOT EXISTS (SELECT 1 FROM reopen_claims rc WHERE rc.work_order_id = w.id AND rc.reporter_key IN ${keyList}
          AND rc.resolved_at = ${resolvedAt("w")})
        THEN ${resolvedAt("w")} END AS resolved_at
    FROM reports r
    LEFT JOIN clusters c ON c.id = r.cluster_id
    LEFT JOIN work_orders w ON w.cluster_id = r.cluster_id
    WHERE r.reporter_key IN ${keyList}
    ORDER BY r.created_at DESC LIMIT 50`);
  const places = await nameThePoints(db, rows);
  return rows.map((r, i) => {
    const facts = r.wo_id
      ? {
          status: r.wo_status as WorkOrderStatus,
          ackDueAt: r.ack_due_at ?? 0,
          resolveDueAt: r.resolve_due_at ?? 0,
          deadlinesFrom: r.deadlines_from ?? 0,
        }
      : null;
    const next = facts && nextDeadline(facts);
    const reopenUntil = r.resolved_at === null ? null : r.resolved_at + REOPEN_WINDOW_DAYS * 24 * HOUR_MS;
    return {
      id: r.id,
      service: r.service_code,
      description: r.description,
      hidden: r.hidden === 1,
      createdAt: iso(r.created_at) as string,
      clusterId: r.cluster_id,
      clusterState: r.state as ClusterState | null,
      place: places[i] ?? null,
      workOrder:
        r.wo_id && facts
          ? {
              id: r.wo_id,
              status: facts.status,
              department: r.wo_department,
              flag: deadlineFlag(facts, now),
              nextDeadline: next ? { kind: next.kind, at: iso(next.at) as string } : null,
            }
          : null,
      reopenableUntil: reopenUntil !== null && reopenUntil > now ? iso(reopenUntil) : null,
    };
  });
}

/**
 * The reporter key under which this caller (by any form of their number) reported the problem:
 * only they may say it is still there, as a resident may only with a receipt of one of its reports.
 */
export async function callerInCluster(db: Db, clusterId: string, reporterKeys: string[]) {
  const [cluster] = await db.all(sql`SELECT 1 FROM clusters WHERE id = ${clusterId}`);
  if (!cluster) throw notFound("cluster");
  // The key of the caller's first report there, whichever form of the number later reports carry:
  // one caller, one "still there" each time it is fixed.
  const [row] = await db.all<{ key: string }>(sql`SELECT reporter_key AS key FROM reports
    WHERE cluster_id = ${clusterId} AND reporter_key IN ${inList(reporterKeys)}
    ORDER BY created_at, rowid LIMIT 1`);
  if (!row) {
    throw new AppError(
      403,
      "forbidden",
      "this caller reported no report of this problem from this number",
      "phone",
    );
  }
  return row.key;
}
