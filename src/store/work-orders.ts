/**
 * Work orders as the department console and the admin see them, with their deadline flag and
 * the moves the caller may make next.
 */
import { and, asc, desc, eq, inArray, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { clusters, deliveryAttempts, reports, services, workOrders } from "../db/schema";
import { type AttributeDefinition, answersAsWritten, sortedDefinitions } from "../domain/attributes";
import { deadlineFlag, nextDeadline } from "../domain/deadlines";
import { classifyDeliveryError } from "../domain/delivery-error";
import { to7 } from "../domain/geo";
import { iso } from "../domain/iso-time";
import { allowedTransitions } from "../domain/lifecycle";
import { type Actor, WORK_ORDER_GROUPS, WORK_ORDER_STATUSES, type WorkOrderStatus } from "../domain/states";
import { DEPARTMENT_LIST_LIMIT } from "../schemas/work-order";
import { nameThePoints } from "./places";
import { routedElsewhere } from "./routed-elsewhere";
import { closedAsFixtureSql } from "./sensor-fixtures";
import { routedSql, workOrderStatus } from "./status-sql";

export type WorkOrderRow = typeof workOrders.$inferSelect;

const listColumns = {
  wo: workOrders,
  lat: clusters.lat,
  lon: clusters.lon,
  reports: clusters.reportCount,
  reporters: clusters.reporterCount,
  clusterUpdatedAt: clusters.updatedAt,
  mergedInto: clusters.mergedIntoId,
  // The latest resident's words, so a clerk can tell work orders apart in the list.
  said: sql<string | null>`(SELECT substr(${reports.description}, 1, 120) FROM ${reports}
    WHERE ${reports.clusterId} = ${clusters.id} AND ${reports.hiddenAt} IS NULL ORDER BY ${reports.createdAt} DESC LIMIT 1)`,
  // Why a rejected one was given back, as the department said it: what the admin reroutes by.
  rejectedBecause: sql<string | null>`CASE WHEN ${workOrders.status} = ${workOrderStatus("rejected")}
    THEN (SELECT e.note FROM events e WHERE e.cluster_id = ${workOrders.clusterId}
      AND e.work_order_id = ${workOrders.id} AND e.to_status = ${workOrderStatus("rejected")}
      ORDER BY e.at DESC LIMIT 1) END`,
  // A fixture's closing cannot be reopened (transitions.ts refuses it): the console offers no such move.
  fixtureClosed: sql<number>`CASE WHEN ${workOrders.status} = ${workOrderStatus("closed")}
    THEN ${closedAsFixtureSql(sql`${workOrders.id}`, sql`${workOrders.clusterId}`)} ELSE 0 END`,
};
type ListRow = {
  wo: WorkOrderRow;
  lat: number;
  lon: number;
  reports: number;
  reporters: number;
  clusterUpdatedAt: number;
  mergedInto: string | null;
  said: string | null;
  rejectedBecause: string | null;
  fixtureClosed: number;
};

/** The deadline facts of a row, as the pure deadline rules take them. */
export const deadlineFacts = (wo: WorkOrderRow) => ({
  status: wo.status as WorkOrderStatus,
  ackDueAt: wo.ackDueAt,
  resolveDueAt: wo.resolveDueAt,
  deadlinesFrom: wo.deadlinesFrom,
});

/** A work order for the API; `actor` decides which moves are listed as allowed. */
/** A work order as the staff APIs show it; `actor` null (a viewer): no moves allowed. */
export function presentWorkOrder(row: ListRow, now: number, actor: Actor | null) {
  const { wo } = row;
  const facts = deadlineFacts(wo);
  const next = nextDeadline(facts);
  return {
    id: wo.id,
    clusterId: wo.clusterId,
    service: wo.serviceCode,
    department: wo.departmentCode,
    status: wo.status as WorkOrderStatus,
    lat: to7(row.lat),
    lon: to7(row.lon),
    reports: row.reports,
    reporters: row.reporters,
    said: row.said ?? "",
    rejectedBecause: row.rejectedBecause,
    flag: deadlineFlag(facts, now),
    nextDeadline: next ? { kind: next.kind, at: iso(next.at) } : null,
    ackDueAt: iso(wo.ackDueAt),
    resolveDueAt: iso(wo.resolveDueAt),
    scheduledFor: iso(wo.scheduledFor),
    acknowledgedAt: iso(wo.acknowledgedAt),
    resolvedAt: iso(wo.resolvedAt),
    createdAt: iso(wo.createdAt),
    updatedAt: iso(wo.updatedAt),
    changedAt: iso(Math.max(wo.updatedAt, row.clusterUpdatedAt)),
    mergedIntoClusterId: row.mergedInto,
    allowedTransitions: actor
      ? allowedTransitions(wo.status as WorkOrderStatus, actor).filter(
          (to) => !(row.fixtureClosed && to === "reopened"),
        )
      : [],
  };
}
export type WorkOrderView = ReturnType<typeof presentWorkOrder>;

/**
 * Work orders for the admin, oldest first; `routed: false` lists those no department took: none
 * fitted, or the last that fitted rejected it (others are rerouted on rejection at once).
 */
export async function listWorkOrders(
  db: Db,
  filter: { routed?: boolean | undefined; department?: string | undefined; elsewhere?: boolean | undefined },
  now = Date.now(),
) {
  const elsewhere = filter.elsewhere
    ? new Map((await routedElsewhere(db, filter.department)).map((w) => [w.id, w.routesTo]))
    : null;
  const rows = await listRows(
    db,
    and(
      filter.routed === undefined
        ? undefined
        : routedSql(filter.routed, sql`${workOrders.status}`, sql`${workOrders.departmentCode}`),
      filter.department === undefined ? undefined : eq(workOrders.departmentCode, filter.department),
      // As one JSON value: a reorganisation may leave thousands, past SQLite's bound parameters.
      elsewhere
        ? sql`${workOrders.id} IN (SELECT value FROM json_each(${JSON.stringify([...elsewhere.keys()])}))`
        : undefined,
    ),
    [asc(workOrders.createdAt), asc(workOrders.id)],
    1000,
  );
  return withPlaces(
    db,
    rows.map((r) => ({
      ...presentWorkOrder(r, now, "admin"),
      ...(elsewhere ? { routesTo: elsewhere.get(r.wo.id) ?? null } : {}),
    })),
  );
}

/**
 * The first `limit` work orders by `order` that `where` keeps, with their clusters' columns, in
 * that order: chosen by their own columns first, so that the latest words (a sub-query) are read
 * for those listed only, not for every one sorted (100,000 at 1M clusters: 11.5 s).
 */
async function listRows(db: Db, where: SQL | undefined, order: SQL[], limit: number): Promise<ListRow[]> {
  const chosen = db
    .select({ id: workOrders.id })
    .from(workOrders)
    .where(where)
    .orderBy(...order)
    .limit(limit);
  return db
    .select(listColumns)
    .from(workOrders)
    .innerJoin(clusters, eq(clusters.id, workOrders.clusterId))
    .where(inArray(workOrders.id, chosen))
    .orderBy(...order);
}

/** The list with each work order's place in words (null where the gazetteer names nothing). */
async function withPlaces<T extends { lat: number; lon: number }>(db: Db, list: T[]) {
  const places = await nameThePoints(db, list);
  return list.map((w, i) => ({ ...w, place: places[i] ?? null }));
}

export interface DepartmentListFilter {
  /** The department whose work orders to list; null for the admin, who sees all. */
  department: string | null;
  /** Statuses to include; by default everything not closed for good. */
  statuses?: readonly WorkOrderStatus[] | undefined;
  service?: string | undefined;
  overdue?: boolean | undefined;
  /** Only the overdue (red) or the nearly due (yellow), as `deadlineFlag` tells them. */
  flag?: "red" | "yellow" | undefined;
  /** Only those whose row or problem changed at or after this instant; then every status by default. */
  updatedSince?: number | undefined;
  /** With `updatedSince`: of those changed at exactly that instant, only those after this id. */
  afterId?: string | undefined;
}

/** When a work order or its problem last changed: what `updatedSince` compares. */
const changedAtSql = sql`max(${workOrders.updatedAt}, (SELECT c.updated_at FROM clusters c WHERE c.id = ${workOrders.clusterId}))`;

/** What a department's list keeps, in SQL on the deadline columns. */
function listFilter(filter: DepartmentListFilter, now: number): SQL | undefined {
  const statuses =
    filter.statuses ??
    (filter.updatedSince === undefined
      ? [...WORK_ORDER_GROUPS.open, ...WORK_ORDER_GROUPS.done]
      : WORK_ORDER_STATUSES);
  const due = workOrders.nextDueAt;
  const since = filter.updatedSince;
  return and(
    // Its own moves, or its problem's reports and merges (the cluster's `updated_at`), as the exports' `updated_since`.
    since === undefined
      ? undefined
      : filter.afterId === undefined
        ? sql`${changedAtSql} >= ${since}`
        : sql`(${changedAtSql} > ${since} OR (${changedAtSql} = ${since} AND ${workOrders.id} > ${filter.afterId}))`,
    filter.department === null ? undefined : eq(workOrders.departmentCode, filter.department),
    inArray(workOrders.status, [...statuses]),
    filter.service ? eq(workOrders.serviceCode, filter.service) : undefined,
    filter.overdue || filter.flag === "red" ? sql`${now} > ${due}` : undefined,
    // `overdue=false`: none past its deadline (it had been read as no filter at all).
    filter.overdue === false ? sql`(${due} IS NULL OR ${now} <= ${due})` : undefined,
    filter.flag === "yellow" ? sql`${now} <= ${due} AND ${now} >= ${workOrders.yellowAt}` : undefined,
  );
}

/** A department's work orders sorted by urgency: red, yellow, then the nearest deadline. */
export async function listDepartmentWorkOrders(
  db: Db,
  filter: DepartmentListFilter,
  now: number,
  limit = DEPARTMENT_LIST_LIMIT,
) {
  // The most urgent first (`compareUrgency`, in SQL on the deadline columns), so that a list cut
  // at its bound keeps the overdue ones whatever the department's backlog. What changed since an
  // instant, in the order it changed: a system mirroring the list asks again from the last one's
  // `changedAt` to go on past the bound.
  const due = workOrders.nextDueAt;
  const order =
    filter.updatedSince === undefined
      ? [
          sql`CASE WHEN ${due} IS NULL THEN 2 WHEN ${now} > ${due} THEN 0 WHEN ${now} >= ${workOrders.yellowAt} THEN 1 ELSE 2 END`,
          sql`${due} IS NULL`,
          asc(due),
          asc(workOrders.createdAt),
          asc(workOrders.id),
        ]
      : [asc(changedAtSql), asc(workOrders.id)];
  const rows = await listRows(db, listFilter(filter, now), order, limit);
  const actor: Actor = filter.department === null ? "admin" : "department";
  return withPlaces(
    db,
    rows.map((r) => presentWorkOrder(r, now, actor)),
  );
}

/** How many work orders `listDepartmentWorkOrders` would list without its bound. */
export async function countDepartmentWorkOrders(db: Db, filter: DepartmentListFilter, now: number) {
  const [row] = await db.select({ n: sql<number>`count(*)` }).from(workOrders).where(listFilter(filter, now));
  return row?.n ?? 0;
}

/** One work order with its map row, if `department` (null = admin) may see it. */
export async function findWorkOrderFor(db: Db, id: string, department: string | null) {
  const row = await db
    .select(listColumns)
    .from(workOrders)
    .innerJoin(clusters, eq(clusters.id, workOrders.clusterId))
    .where(
      and(eq(workOrders.id, id), department === null ? undefined : eq(workOrders.departmentCode, department)),
    )
    .get();
  return row ?? null;
}

/**
 * The reports behind a work order's cluster (their words, time and every answer its service's
 * questions got, with what else the reporter's app sent as attributes: the department's to read,
 * never public; no contact nor device), the service's questions to read the answers by, and the
 * delivery log: for a department (`department`), only the deliveries to it. Those to a department that held the work
 * order before say where that one's webhook or mailbox is (an address refused, a connection
 * refused at a host and port), which is its business, not the next one's; null (the admin): all.
 */
export async function workOrderExtras(db: Db, wo: WorkOrderRow, department: string | null) {
  const [reportRows, attempts, service] = await db.batch([
    db
      .select({
        id: reports.id,
        description: reports.description,
        createdAt: reports.createdAt,
        attributes: reports.attributes,
        hiddenAt: reports.hiddenAt,
      })
      .from(reports)
      .where(eq(reports.clusterId, wo.clusterId))
      .orderBy(asc(reports.createdAt))
      .limit(1000),
    db
      .select({
        at: deliveryAttempts.at,
        httpStatus: deliveryAttempts.httpStatus,
        latencyMs: deliveryAttempts.latencyMs,
        error: deliveryAttempts.error,
      })
      .from(deliveryAttempts)
      .where(
        and(
          eq(deliveryAttempts.workOrderId, wo.id),
          department === null ? undefined : eq(deliveryAttempts.departmentCode, department),
        ),
      )
      .orderBy(desc(deliveryAttempts.at))
      .limit(200),
    db.select({ questions: services.attributes }).from(services).where(eq(services.code, wo.serviceCode)),
  ]);
  const questions = sortedDefinitions((service[0]?.questions ?? []) as AttributeDefinition[]);
  return {
    reports: reportRows.map(({ hiddenAt, ...r }) => ({
      ...r,
      attributes: answersAsWritten(questions, r.attributes as Record<string, unknown>),
      createdAt: iso(r.createdAt),
      hidden: hiddenAt !== null,
    })),
    questions,
    deliveries: attempts.map((a) => ({
      ...a,
      at: iso(a.at),
      errorClass: classifyDeliveryError(a.error, a.httpStatus),
    })),
  };
}
