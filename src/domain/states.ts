/**
 * Every status in CivicLoop, as data. Three separate things, never mixed up:
 * a cluster's state (is it collecting reports?), a work order's status (where the department
 * stands) and an outbox row's dispatch state (has the department's system been told?).
 */

/** open: collecting reports, below threshold; dispatched: has a live work order;
 *  resolved: its work order is done, so a new report here starts a successor; merged: a duplicate. */
export const CLUSTER_STATES = ["open", "dispatched", "resolved", "merged"] as const;
export type ClusterState = (typeof CLUSTER_STATES)[number];

/** Clusters that still take new reports. */
export const ACCEPTING_CLUSTER_STATES = ["open", "dispatched"] as const satisfies readonly ClusterState[];

/**
 * Whether a new report of the cluster's service at its place would join it, as the intake decides:
 * a state that takes reports and, for one still gathering them (`open`), its latest report within
 * the service's window. Otherwise the report opens a problem of its own, so a page must not offer
 * to add one to this.
 */
export function takesReports(
  cluster: { state: ClusterState; lastReportAt: string | null },
  windowDays: number,
  now: number,
): boolean {
  if (!(ACCEPTING_CLUSTER_STATES as readonly ClusterState[]).includes(cluster.state)) return false;
  return !(
    cluster.state === "open" &&
    cluster.lastReportAt !== null &&
    windowPassed(Date.parse(cluster.lastReportAt), windowDays, now)
  );
}

/** A problem still gathering reports whose window has passed: it never goes to a department. */
export function gatheringLapsed(
  cluster: { state: ClusterState; lastReportAt: string | null },
  windowDays: number,
  now: number,
): boolean {
  return cluster.state === "open" && !takesReports(cluster, windowDays, now);
}

/**
 * Whether the service's window has passed since a problem's last report (ms): one still gathering
 * reports then takes no more (a report there starts afresh), so it never goes to a department.
 * The window ages out only a cluster still gathering reports, as the intake decides.
 */
export function windowPassed(lastReportAt: number, windowDays: number, now: number): boolean {
  return lastReportAt < now - windowDays * 86_400_000;
}

export const WORK_ORDER_STATUSES = [
  "unrouted",
  "dispatched",
  "acknowledged",
  "scheduled",
  "in_progress",
  "resolved",
  "closed",
  "rejected",
  "duplicate",
  "reopened",
] as const;
export type WorkOrderStatus = (typeof WORK_ORDER_STATUSES)[number];

/** Status groups, defined once: open work is someone's to do; done is fixed; closed is final. */
export const WORK_ORDER_GROUPS = {
  open: ["unrouted", "dispatched", "acknowledged", "scheduled", "in_progress", "rejected", "reopened"],
  done: ["resolved"],
  closed: ["closed", "duplicate"],
} as const satisfies Record<string, readonly WorkOrderStatus[]>;

export const EVENT_TYPES = [
  "opened",
  "report_added",
  "work_order_created",
  "status_changed",
  "rerouted",
  "deadline_missed",
  "merged",
  "rated",
  // Moderators hid or restored a report or a photo of the cluster (`domain/moderation.ts`).
  "hidden",
  "restored",
  // A resident's update through a client app (Open311 `POST servicerequestupdates`): a public note.
  "update_posted",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** The events that hand a work order to a department: each sends it the whole problem (webhook, Open311, mail). */
export const HANDED_OVER: ReadonlySet<string> = new Set<EventType>(["work_order_created", "rerouted"]);

export const OUTBOX_STATES = ["pending", "delivered", "dead"] as const;

/** What an outbox row delivers: a department's webhook call, a follower's e-mail or Web Push. */
export const OUTBOX_KINDS = ["webhook", "mail", "push"] as const;
export type OutboxKind = (typeof OUTBOX_KINDS)[number];
export type OutboxState = (typeof OUTBOX_STATES)[number];

/**
 * How a department receives its work orders: a signed webhook, the city's own Open311 server, or
 * a work-order mail. `email` is not a value of the `dispatch_method` column (its CHECK predates it):
 * it is the column's `webhook` with `dispatch_mail_to` set.
 */
export const DISPATCH_METHODS = ["webhook", "open311", "email"] as const;
export type DispatchMethod = (typeof DISPATCH_METHODS)[number];

/** What a named place of the gazetteer is. */
export const PLACE_KINDS = ["road", "landmark", "neighbourhood", "district"] as const;
export type PlaceKind = (typeof PLACE_KINDS)[number];

/** `phone`: filed by a hotline call-taker for a caller (the desk). */
export const REPORT_SOURCES = ["web", "api", "open311", "sensor", "phone"] as const;
export type ReportSource = (typeof REPORT_SOURCES)[number];

/** `sensor`: the road sensors, residents' phones together (Street Bump mode); never one device. */
export const ACTORS = ["resident", "department", "admin", "system", "sensor"] as const;
export type Actor = (typeof ACTORS)[number];

/** Who a report's events are by: a spot the phones confirmed is the road sensors', any other a resident's. */
export const reporterActor = (source: ReportSource): Actor => (source === "sensor" ? "sensor" : "resident");
