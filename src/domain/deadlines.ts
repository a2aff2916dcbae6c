/**
 * Deadlines and their flags, decided in one place and pure (the caller passes `now`).
 * A work order owes an acknowledgement while dispatched, and a resolution while being worked on.
 * Its flag turns yellow once 75% of the time to that next deadline has passed, red once overdue.
 */
import type { WorkOrderStatus } from "./states";

export type DeadlineFlag = "none" | "yellow" | "red";
export type DeadlineKind = "acknowledge" | "resolve";

/** Share of the time between the deadline's start and its end after which the flag turns yellow. */
export const YELLOW_SHARE = 0.75;

export interface DeadlineFacts {
  status: WorkOrderStatus;
  ackDueAt: number;
  resolveDueAt: number;
  /** When the running deadlines started (creation, reroute or reopening). */
  deadlinesFrom: number;
}

export interface NextDeadline {
  kind: DeadlineKind;
  at: number;
  from: number;
}

/** One hour in milliseconds: services give their deadlines in hours, times are in ms. */
export const HOUR_MS = 3_600_000;

/** When a deadline of `hours` falls if it starts running at `from` (ms). */
export const dueAt = (from: number, hours: number): number => from + hours * HOUR_MS;

/** Statuses in which the department owes an acknowledgement, and those in which it owes a resolution. */
export const OWES_ACKNOWLEDGEMENT = ["dispatched"] as const satisfies readonly WorkOrderStatus[];
export const OWES_RESOLUTION = [
  "acknowledged",
  "scheduled",
  "in_progress",
  "reopened",
] as const satisfies readonly WorkOrderStatus[];

/** The deadline the department must meet next, or null when none runs (done, closed, unrouted, rejected). */
export function nextDeadline(wo: DeadlineFacts): NextDeadline | null {
  if ((OWES_ACKNOWLEDGEMENT as readonly WorkOrderStatus[]).includes(wo.status))
    return { kind: "acknowledge", at: wo.ackDueAt, from: wo.deadlinesFrom };
  if ((OWES_RESOLUTION as readonly WorkOrderStatus[]).includes(wo.status))
    return { kind: "resolve", at: wo.resolveDueAt, from: wo.deadlinesFrom };
  return null;
}

/** Red strictly after the deadline; yellow from 75% of the way there; otherwise none. */
export function deadlineFlag(wo: DeadlineFacts, now: number): DeadlineFlag {
  const next = nextDeadline(wo);
  if (!next) return "none";
  if (now > next.at) return "red";
  const yellowAt = next.from + Math.max(0, next.at - next.from) * YELLOW_SHARE;
  return now >= yellowAt ? "yellow" : "none";
}

const FLAG_RANK: Record<DeadlineFlag, number> = { red: 0, yellow: 1, none: 2 };

/** Orders work by urgency: red, then yellow, then the nearest deadline; no deadline last. */
export function compareUrgency(
  a: { flag: DeadlineFlag; deadlineAt: number | null },
  b: { flag: DeadlineFlag; deadlineAt: number | null },
): number {
  const byFlag = FLAG_RANK[a.flag] - FLAG_RANK[b.flag];
  if (byFlag !== 0) return byFlag;
  if (a.deadlineAt === b.deadlineAt) return 0;
  if (a.deadlineAt === null) return 1;
  if (b.deadlineAt === null) return -1;
  return a.deadlineAt - b.deadlineAt;
}
