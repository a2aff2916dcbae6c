/**
 * How CivicLoop's statuses read in GeoReport v2. Open311 knows only `open` and `closed`; which
 * is which comes from the public status (`src/domain/public-status.ts`), so the map, the web
 * page and Open311 clients never disagree. Pure.
 */

import { publicNoteWords } from "../domain/contact-mask";
import { durationWords } from "../domain/next-words";
import { type PublicStatus, publicStatus } from "../domain/public-status";
import {
  CLUSTER_STATES,
  type ClusterState,
  WORK_ORDER_STATUSES,
  type WorkOrderStatus,
} from "../domain/states";

export type Open311Status = "open" | "closed";

const CLOSED_PUBLIC: readonly PublicStatus[] = ["resolved", "closed"];

export function open311Status(state: ClusterState, workOrder: WorkOrderStatus | null): Open311Status {
  return CLOSED_PUBLIC.includes(publicStatus(state, workOrder)) ? "closed" : "open";
}

/**
 * Every (cluster state, work-order status) pair that reads as the given Open311 status, worked
 * out from `open311Status` itself so the SQL filter cannot drift from the answer.
 */
export function statusPairs(status: Open311Status) {
  const pairs: { state: ClusterState; workOrder: WorkOrderStatus | null }[] = [];
  for (const state of CLUSTER_STATES) {
    for (const workOrder of [null, ...WORK_ORDER_STATUSES]) {
      if (open311Status(state, workOrder) === status) pairs.push({ state, workOrder });
    }
  }
  return pairs;
}

const WORK_ORDER_WORDS: Record<WorkOrderStatus, string> = {
  unrouted: "work order waiting to be routed to a department",
  dispatched: "work order sent to the department",
  acknowledged: "work order acknowledged",
  scheduled: "work order scheduled",
  in_progress: "work in progress",
  resolved: "work order resolved",
  closed: "work order closed",
  rejected: "work order rejected by a department, waiting to be rerouted",
  duplicate: "closed as a duplicate",
  reopened: "work order reopened",
};

/** Where a cluster stands, in words: "one of 7 reports of this problem; work order acknowledged". */
export function statusNotes(c: {
  state: ClusterState;
  workOrder: WorkOrderStatus | null;
  /** Why the system closed it, if it did (a rejection as a fixture: not a defect). */
  closedNote?: string | null;
  reports: number;
  reporters: number;
  threshold: number;
  /** The service's window in days, when it has passed since the last report (no work order). */
  lapsedDays?: number | null;
  /** The city withdrew the service: no more reports of it are taken, so none can come. */
  withdrawn?: boolean;
}): string {
  const share =
    c.reports === 1 ? "the only report of this problem" : `one of ${c.reports} reports of this problem`;
  if (c.state === "merged") return `${share}; merged into another report of the same problem`;
  if (c.workOrder === "closed" && c.closedNote) return `${share}; work order closed: ${c.closedNote}`;
  if (c.workOrder) return `${share}; ${WORK_ORDER_WORDS[c.workOrder]}`;
  if (c.withdrawn)
    return `${share}; not sent to a department: ${c.reporters} of the ${c.threshold} residents needed reported it, and the city no longer takes reports of this kind of problem`;
  if (c.lapsedDays != null)
    return `${share}; not sent to a department: ${c.reporters} of the ${c.threshold} residents needed reported it, then none in the ${windowWords(c.lapsedDays)} after the last report, so a new report of it starts afresh`;
  const missing = Math.max(0, c.threshold - c.reporters);
  const wait =
    missing === 1
      ? "a work order is created when 1 more resident reports it"
      : `a work order is created when ${missing} more residents report it`;
  return `${share}; ${wait}`;
}

/**
 * The status of one update in the `servicerequestupdates` extension, in the words mySociety's
 * Open311 clients know: its problem's work order's. A merge is written on the problem that stays
 * open (the reports it took in are its own now), so it is no `duplicate`: mySociety's clients
 * close a request on that word.
 */
export function updateStatus(workOrder: WorkOrderStatus | null): string {
  switch (workOrder) {
    case null:
    case "unrouted":
    case "dispatched":
      return "open";
    case "acknowledged":
      return "investigating";
    case "scheduled":
      return "action_scheduled";
    case "in_progress":
      return "in_progress";
    case "resolved":
      return "fixed";
    case "closed":
      return "closed";
    case "rejected":
      return "internal_referral";
    case "duplicate":
      return "duplicate";
    case "reopened":
      return "reopen";
  }
}

const EVENT_WORDS: Record<string, string> = {
  opened: "A resident reported this problem.",
  report_added: "A resident reported this problem.",
  work_order_created: "A work order was created.",
  rerouted: "The work order was passed to another department.",
  deadline_missed: "A deadline was missed.",
  merged: "Merged with another report of the same problem.",
  rated: "A resident rated the outcome.",
  hidden: "Hidden by moderators.",
  restored: "Restored by moderators.",
  update_posted: "A resident added an update.",
};

/** What the road sensors (Street Bump mode's phones, together) did, where a resident's words would be wrong. */
const SENSOR_WORDS: Record<string, string> = {
  opened: "The road sensors (residents' phones) reported this problem.",
  report_added: "The road sensors (residents' phones) reported this problem.",
};

/**
 * Events whose note is the system's record, in English, not words for the public (which problem
 * was merged in, by its id; what moderators hid): their words say what happened, the note is not shown.
 */
const RECORD_NOTES = new Set(["merged", "hidden", "restored"]);

/** An event's note as the public reads it (a resident's masked), or null where it is the system's record. */
export const publicEventNote = (e: { type: string; actor: string; note: string | null }) =>
  RECORD_NOTES.has(e.type) ? null : publicNoteWords(e.actor, e.note);

/** A timeline event in words, for an update's description when the event carries no note. */
export function eventWords(type: string, to: string | null, actor?: string): string {
  const bySensors = actor === "sensor" ? SENSOR_WORDS[type] : undefined;
  if (bySensors) return bySensors;
  if (type === "status_changed" && to) {
    return `Status changed: ${WORK_ORDER_WORDS[to as WorkOrderStatus] ?? to.replaceAll("_", " ")}.`;
  }
  return EVENT_WORDS[type] ?? type.replaceAll("_", " ");
}

/** What is being done about a request's problem (Open311's `service_notice`), as POST and GET say it. */
export function serviceNotice(p: {
  /** The work order's status, if it has one. */
  workOrder: string | null;
  routed: boolean;
  reporters: number;
  threshold: number;
  /** The service's window in days, when it has passed since the last report (no work order). */
  lapsedDays?: number | null;
  /** The city withdrew the service (no work order): no more reports of it are taken. */
  withdrawn?: boolean;
}) {
  // A rejected one keeps the department that gave it back until the city sends it elsewhere.
  if (p.workOrder === "rejected")
    return "A department gave this problem's work order back; it is waiting to be routed to another.";
  if (p.workOrder)
    return p.routed
      ? "A work order for this problem has gone to the department responsible."
      : "A work order for this problem is waiting to be routed to a department.";
  const counted = `${p.reporters} of the ${p.threshold} residents needed ${p.reporters === 1 ? "has" : "have"} reported this problem`;
  // Withdrawn, or past the window, it will never reach them: "N more needed" would promise what cannot come.
  if (p.withdrawn)
    return `${counted}, and the city no longer takes reports of this kind of problem: it will not be sent to a department.`;
  if (p.lapsedDays != null)
    return `${counted}, and none in the ${windowWords(p.lapsedDays)} after the last report: it will not be sent to a department. If it is still there, a new report starts afresh.`;
  return `${counted}.`;
}

/** A service's window ("2 days", "12 hours"). */
const windowWords = (days: number) => durationWords("en", days * 24);
