/**
 * What a clerk has typed into a work order's forms, kept in this tab's session storage as it is
 * typed: a session that ends under the clerk (revoked, expired, signed out elsewhere), a reload or
 * a slip to another work order loses none of it. Signing out on purpose forgets it all.
 */
import { WORK_ORDER_GROUPS, type WorkOrderStatus } from "../../../src/domain/states";
import { addressChanged } from "../router";

export interface Draft {
  note: string;
  date: string;
  original: string;
  internal: string;
  /** The internal note's Idempotency-Key once it was sent without an answer ("" before). */
  internalKey: string;
}

const PREFIX = "civicloop.consoleDraft.";
const EMPTY: Draft = { note: "", date: "", original: "", internal: "", internalKey: "" };

export function readDraft(workOrderId: string): Draft {
  try {
    const kept = JSON.parse(sessionStorage.getItem(PREFIX + workOrderId) ?? "{}") as Partial<Draft>;
    const text = (v: unknown) => (typeof v === "string" ? v : "");
    return {
      note: text(kept.note),
      date: text(kept.date),
      original: text(kept.original),
      internal: text(kept.internal),
      internalKey: text(kept.internalKey),
    };
  } catch {
    return { ...EMPTY };
  }
}

export function saveDraft(workOrderId: string, draft: Draft): void {
  try {
    if (Object.values(draft).every((v) => v === "")) sessionStorage.removeItem(PREFIX + workOrderId);
    else sessionStorage.setItem(PREFIX + workOrderId, JSON.stringify(draft));
  } catch {
    // Storage full or refused (a private window): the draft lives in the page only, as before.
  }
}

export function forgetDrafts(): void {
  try {
    for (const key of Object.keys(sessionStorage)) if (key.startsWith(PREFIX)) sessionStorage.removeItem(key);
  } catch {
    // Nothing kept.
  }
}

/**
 * The list's groups of statuses. To do is what the department can act on: a work order it
 * rejected waits for the city to send it elsewhere, with nothing left for the clerk to do (it had
 * stayed among the work to do, no move offered), so it has a group of its own.
 */
export const STATUS_CHOICES: Readonly<Record<Exclude<StatusChoice, "">, readonly WorkOrderStatus[]>> = {
  open: WORK_ORDER_GROUPS.open.filter((s) => s !== "rejected"),
  rejected: ["rejected"],
  done: WORK_ORDER_GROUPS.done,
  closed: WORK_ORDER_GROUPS.closed,
  // Closed ones too: "all" that left them out hid from a clerk the job they looked for.
  all: [...WORK_ORDER_GROUPS.open, ...WORK_ORDER_GROUPS.done, ...WORK_ORDER_GROUPS.closed],
};

/** Which of the status groups the list shows ("": all but the closed, as the server lists by default). */
export type StatusChoice = "" | "open" | "rejected" | "done" | "closed" | "all";
const STATUS_KEY = "civicloop.consoleStatus";

export function keptStatusChoice(): StatusChoice {
  try {
    const kept = sessionStorage.getItem(STATUS_KEY) ?? "";
    return Object.hasOwn(STATUS_CHOICES, kept) ? (kept as StatusChoice) : "";
  } catch {
    return "";
  }
}

export function keepStatusChoice(choice: StatusChoice): void {
  try {
    if (choice) sessionStorage.setItem(STATUS_KEY, choice);
    else sessionStorage.removeItem(STATUS_KEY);
  } catch {
    // Refused (a private window): the choice lives in the page only.
  }
}

/** The work order open in the console, kept in the address (`?wo=`) so a reload or a new sign-in reopens it. */
export function openWorkOrderInAddress(): string | null {
  const id = new URLSearchParams(location.search).get("wo");
  // An id, nothing else: it goes into the API's path.
  return id && /^[0-9a-z]{1,64}$/.test(id) ? id : null;
}

/** Whether the history step shown is one the console pushed for an open work order. */
export const onOpenedStep = (id: string | null) =>
  id !== null && (history.state as { openWorkOrder?: string } | null)?.openWorkOrder === id;

/**
 * Writes the open work order into the address. Opened with the list showing, it is a step of its
 * own (marked in the step's state), so the browser's Back closes it rather than leave the console
 * (on a phone the list is twenty screens above the panel); another one opened from there, or one
 * closed, replaces the step.
 */
export function keepOpenWorkOrderInAddress(id: string | null): void {
  const url = new URL(location.href);
  if (id) url.searchParams.set("wo", id);
  else url.searchParams.delete("wo");
  if (url.href === location.href) return;
  const { openWorkOrder, ...state } = (history.state ?? {}) as { openWorkOrder?: string };
  if (id && openWorkOrder === undefined) history.pushState({ ...state, openWorkOrder: id }, "", url);
  else history.replaceState(id ? { ...state, openWorkOrder: id } : state, "", url);
  addressChanged();
}
