/**
 * What the staff audit trail records as an action, named once so that every page that shows the
 * trail has words for each (the admin's audit tab maps every one: `web/src/admin/audit-words.ts`).
 * An admin API change is named by its method and route instead (`http/audit.ts`); a work-order
 * move by the status it moved to.
 */
import type { WorkOrderStatus } from "./states";

/** What a caller without a session tried (`store/staff-actions.ts` `recordAttempt`). */
export const ATTEMPTS = [
  "sign_in_failed",
  "sign_in_failed_unknown",
  "sign_in_failed_token",
  "password_reset_requested",
  "password_reset_requested_unknown",
] as const;
export type Attempt = (typeof ATTEMPTS)[number];

/** The actions with a name of their own. */
export const STAFF_ACTIONS = [
  "signed_in",
  "signed_out",
  "desk_report",
  // A caller's reports read by their phone number: personal data read, so who read it is kept.
  "desk_caller_lookup",
  // A caller's contact deleted at their request, on the phone.
  "desk_caller_contact_erased",
  "internal_note",
  "photos_attached",
  "password_reset",
  "rerouted",
  // `npm run admin` made an admin account (the command acts with the server's own authority).
  "create-admin",
  ...ATTEMPTS,
  // The hour's attempts naming no account went past their cap: the trail of that hour is incomplete.
  "sign_in_failures_unrecorded",
] as const;
export type StaffAction = (typeof STAFF_ACTIONS)[number];

/** An admin API change, as `POST /admin/services`. */
export type RouteAction = `${"POST" | "PUT" | "PATCH" | "DELETE"} /admin/${string}`;

export type AuditAction = StaffAction | WorkOrderStatus | RouteAction;
