import type { EventType } from "../../../src/domain/states";
import type { MessageKey } from "../i18n/messages";

/**
 * Every event type in words, for staff: the console's work-order history (a move reads as the
 * status it moved to instead) and the admin's dead letters. A new event type fails to compile
 * until it has some.
 */
export const EVENT_WORDS: Record<EventType, MessageKey> = {
  opened: "eventOpened",
  report_added: "eventReportAdded",
  work_order_created: "historyWorkOrderCreated",
  status_changed: "historyStatusChanged",
  rerouted: "historyRerouted",
  deadline_missed: "eventDeadlineMissed",
  merged: "eventMerged",
  rated: "eventRated",
  hidden: "eventHidden",
  restored: "eventRestored",
  update_posted: "eventUpdatePosted",
};

/** An event type's words, or the type as sent when a newer server sends one this page does not know. */
export const eventWordOf = (type: string): MessageKey | null =>
  // A reroute as the department it left is told of it (its dead letter).
  type === "rerouted_away"
    ? "historyReroutedAway"
    : Object.hasOwn(EVENT_WORDS, type)
      ? EVENT_WORDS[type as EventType]
      : null;
