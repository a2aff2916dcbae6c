import type { DeadlineFlag } from "../../../src/domain/deadlines";
import type { PublicStatus } from "../../../src/domain/public-status";
import type { WorkOrderStatus } from "../../../src/domain/states";
import type { MessageKey } from "../i18n/messages";

export type { PublicStatus };

/**
 * The one place that decides how a public status looks: its colour (pins, legend, badges) and
 * its label. Colours keep 4.5:1 contrast with white text.
 */
export const STATUS_STYLE: Record<PublicStatus, { colour: string; label: MessageKey }> = {
  reported: { colour: "#b3261e", label: "statusReported" },
  awaiting_department: { colour: "#8a4b00", label: "statusAwaiting" },
  dispatched: { colour: "#6a3bb0", label: "statusDispatched" },
  in_progress: { colour: "#0b57b0", label: "statusInProgress" },
  resolved: { colour: "#17692f", label: "statusResolved" },
  closed: { colour: "#4f5257", label: "statusClosed" },
};

export const PUBLIC_STATUS_ORDER = Object.keys(STATUS_STYLE) as PublicStatus[];

/** Work-order statuses as the timeline and the console name them. */
export const WORK_ORDER_LABEL: Record<WorkOrderStatus, MessageKey> = {
  unrouted: "woUnrouted",
  dispatched: "woDispatched",
  acknowledged: "woAcknowledged",
  scheduled: "woScheduled",
  in_progress: "woInProgress",
  resolved: "woResolved",
  closed: "woClosed",
  rejected: "woRejected",
  duplicate: "woDuplicate",
  reopened: "woReopened",
};

/** The verb on the console's button that moves a work order to a status. */
export const MOVE_LABEL: Partial<Record<WorkOrderStatus, MessageKey>> = {
  acknowledged: "doAcknowledged",
  scheduled: "doScheduled",
  in_progress: "doInProgress",
  resolved: "doResolved",
  rejected: "doRejected",
  closed: "doClosed",
  duplicate: "doDuplicate",
  reopened: "doReopened",
};

/** A work order's deadline flag in words (the server decides the flag). */
export const FLAG_LABEL: Record<DeadlineFlag, MessageKey> = {
  none: "flagNone",
  yellow: "flagYellow",
  red: "flagRed",
};

/**
 * Pin radius in pixels by report count: grows slowly, so a busy spot stays readable; never under
 * 12 (a 24-pixel target, WCAG 2.2's minimum).
 */
export const pinRadius = (reports: number) =>
  Math.round(12 + Math.min(12, Math.sqrt(Math.max(0, reports - 1)) * 3));
