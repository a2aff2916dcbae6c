/**
 * The work-order state machine as data: who may move a work order from which status to which.
 * Routing (a department taking a work order) is not a status move but a reroute, allowed from
 * the statuses in `REROUTABLE`. Everything here is pure; the store enforces it atomically.
 */
import { HOUR_MS } from "./deadlines";
import { invalid } from "./errors";
import { type Actor, WORK_ORDER_GROUPS, WORK_ORDER_STATUSES, type WorkOrderStatus } from "./states";

const DEPT: readonly Actor[] = ["department", "admin"];
const ADMIN: readonly Actor[] = ["admin"];
// The road sensors reopen as a reporter does (hits after a repair, `store/sensor-repairs.ts`).
const RESIDENT: readonly Actor[] = ["resident", "sensor", "admin"];

/** For each status, the statuses it may move to and who may make that move. */
export const TRANSITIONS: Readonly<
  Record<WorkOrderStatus, Readonly<Partial<Record<WorkOrderStatus, readonly Actor[]>>>>
> = {
  unrouted: { duplicate: ADMIN },
  dispatched: { acknowledged: DEPT, rejected: DEPT, duplicate: DEPT },
  acknowledged: { scheduled: DEPT, in_progress: DEPT, resolved: DEPT, rejected: DEPT, duplicate: DEPT },
  // Rescheduling is a move to the same status with a new planned date.
  scheduled: { scheduled: DEPT, in_progress: DEPT, resolved: DEPT, duplicate: DEPT },
  in_progress: { scheduled: DEPT, resolved: DEPT, duplicate: DEPT },
  resolved: { closed: DEPT, reopened: RESIDENT },
  closed: { reopened: RESIDENT },
  // A rejected work order waits for a reroute (admin, or automatic); only the admin may merge it.
  // Rejected as a fixture (a known road feature, nobody's to repair), it is closed in the
  // rejection's own write, as its consequence (`store/transitions.ts`), like an automatic reroute.
  rejected: { duplicate: ADMIN },
  duplicate: {},
  reopened: { acknowledged: DEPT, scheduled: DEPT, in_progress: DEPT, resolved: DEPT, duplicate: DEPT },
};

/** The note of the system's closing of a work order rejected as a fixture (pages word it themselves). */
export const FIXTURE_CLOSED_NOTE = "not a defect: a known road feature";

/** Statuses from which the admin may hand a work order to another department. */
export const REROUTABLE: readonly WorkOrderStatus[] = WORK_ORDER_GROUPS.open;

/** The statuses `actor` may move a work order in `from` to, in the order of `WORK_ORDER_STATUSES`. */
export function allowedTransitions(from: WorkOrderStatus, actor: Actor): WorkOrderStatus[] {
  const moves = TRANSITIONS[from];
  return WORK_ORDER_STATUSES.filter((to) => moves[to]?.includes(actor));
}

export function canTransition(from: WorkOrderStatus, to: WorkOrderStatus, actor: Actor): boolean {
  return TRANSITIONS[from][to]?.includes(actor) ?? false;
}

export function canReroute(from: WorkOrderStatus): boolean {
  return REROUTABLE.includes(from);
}

/** How far back a planned date may lie (the same day, told late) and how far ahead. */
const SCHEDULE_PAST_MS = 24 * HOUR_MS;
const SCHEDULE_AHEAD_MS = 2 * 366 * 24 * HOUR_MS;

/** A planned date in the past, or years ahead, is a typo: residents would read it as the plan. */
export function checkSchedule(at: number, now: number): void {
  if (at < now - SCHEDULE_PAST_MS) {
    throw invalid("scheduledFor", "the planned date is in the past: give the date the work is planned for");
  }
  if (at > now + SCHEDULE_AHEAD_MS) {
    throw invalid("scheduledFor", "the planned date is more than two years ahead");
  }
}
