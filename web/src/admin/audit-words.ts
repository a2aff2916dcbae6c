/**
 * The words of the staff audit trail's entries, in both languages through the admin's catalogue:
 * every action with a name of its own (typed: a new one in `STAFF_ACTIONS` fails to compile
 * without its words), each admin API change by its route (test/audit-words.test.ts checks every
 * admin write of the API document has one), what entries are about, and how the caller came in.
 */
import type { StaffAction } from "../../../src/domain/audit-actions";
import type { AdminKey } from "./text";

/** Staff actions with words of their own; work-order moves read as their status, admin changes as their route. */
export const ACTION_WORDS: Record<StaffAction, AdminKey> = {
  signed_in: "adminAuditSignedIn",
  signed_out: "adminAuditSignedOut",
  desk_report: "adminAuditDeskReport",
  desk_caller_lookup: "adminAuditDeskCallerLookup",
  desk_caller_contact_erased: "adminAuditDeskCallerContactErased",
  internal_note: "adminAuditInternalNote",
  photos_attached: "adminAuditPhotosAttached",
  password_reset: "adminAuditPasswordReset",
  password_reset_requested: "adminAuditPasswordResetRequested",
  password_reset_requested_unknown: "adminAuditPasswordResetRequestedUnknown",
  sign_in_failed: "adminAuditSignInFailed",
  sign_in_failed_unknown: "adminAuditSignInFailedUnknown",
  sign_in_failed_token: "adminAuditSignInFailedToken",
  sign_in_failures_unrecorded: "adminAuditSignInFailuresUnrecorded",
  rerouted: "adminAuditReroute",
  "create-admin": "adminAuditCreateAdmin",
};
/** An admin change is recorded as its method and route (`src/http/audit.ts`): each in words. */
export const ROUTE_WORDS = new Map<string, AdminKey>([
  ["POST /admin/places", "adminAuditPlacesImport"],
  ["DELETE /admin/places/:id", "adminAuditPlaceDelete"],
  ["POST /admin/services", "adminAuditServiceCreate"],
  ["PUT /admin/services/:code", "adminAuditServiceChange"],
  ["POST /admin/departments", "adminAuditDepartmentCreate"],
  ["PUT /admin/departments/:code", "adminAuditDepartmentChange"],
  ["DELETE /admin/departments/:code", "adminAuditDepartmentDelete"],
  ["POST /admin/departments/:code/webhook-secret", "adminAuditWebhookRenew"],
  ["POST /admin/departments/:code/tokens", "adminAuditTokenIssue"],
  ["DELETE /admin/departments/:code/tokens/:id", "adminAuditTokenRevoke"],
  ["POST /admin/outbox/:id/retry", "adminAuditDeadLetterRetry"],
  ["POST /admin/outbox/:id/dismiss", "adminAuditDeadLetterDismiss"],
  ["POST /admin/work-orders/:id/reroute", "adminAuditReroute"],
  ["POST /admin/work-orders/:id/transitions", "adminAuditWorkOrderMove"],
  ["POST /admin/staff", "adminAuditStaffCreate"],
  ["PATCH /admin/staff/:id", "adminAuditStaffChange"],
  ["POST /admin/api-keys", "adminAuditApiKeyIssue"],
  ["PATCH /admin/api-keys/:id", "adminAuditApiKeySites"],
  ["DELETE /admin/api-keys/:id", "adminAuditApiKeyRevoke"],
  ["POST /admin/moderation/reports/:id/hide", "adminAuditReportHide"],
  ["POST /admin/moderation/reports/:id/restore", "adminAuditReportRestore"],
  ["POST /admin/moderation/photos/:id/hide", "adminAuditPhotoHide"],
  ["POST /admin/moderation/photos/:id/restore", "adminAuditPhotoRestore"],
  ["POST /admin/moderation/reports/:id/keep", "adminAuditReportKeep"],
  ["POST /admin/moderation/photos/:id/keep", "adminAuditPhotoKeep"],
  ["POST /admin/moderation/notes/:id/hide", "adminAuditNoteHide"],
  ["POST /admin/moderation/notes/:id/restore", "adminAuditNoteRestore"],
  ["POST /admin/moderation/notes/:id/keep", "adminAuditNoteKeep"],
  ["POST /admin/moderation/reports/:id/block-reporter", "adminAuditReporterBlock"],
  ["DELETE /admin/moderation/reports/:id/block-reporter", "adminAuditReporterUnblock"],
  ["POST /admin/known-features", "adminAuditKnownFeaturesImport"],
  ["DELETE /admin/known-features/:id", "adminAuditKnownFeatureDelete"],
]);
/** What an entry is about: the route's part after `admin` (`staff`), or a writer's own (`work_order`). */
export const SUBJECT_WORDS = new Map<string, AdminKey>([
  ["services", "adminAuditSubjectService"],
  ["departments", "adminAuditSubjectDepartment"],
  ["staff", "adminAuditSubjectStaff"],
  ["api-keys", "adminAuditSubjectApiKey"],
  ["work-orders", "adminAuditSubjectWorkOrder"],
  ["work_order", "adminAuditSubjectWorkOrder"],
  ["outbox", "adminAuditSubjectDeadLetter"],
  ["reports", "adminAuditSubjectReport"],
  ["report", "adminAuditSubjectReport"],
  // A desk look-up's number, by its keyed hash: "a caller".
  ["caller", "adminAuditSubjectCaller"],
  ["photos", "adminAuditSubjectPhoto"],
  ["notes", "adminAuditSubjectNote"],
  ["known-features", "adminAuditSubjectKnownFeature"],
  ["places", "adminAuditSubjectPlaces"],
  ["network", "adminAuditSubjectNetwork"],
]);
export const VIA_WORDS: Record<string, AdminKey> = {
  staff: "adminAuditViaStaff",
  department_token: "adminAuditViaDepartmentToken",
  admin_token: "adminAuditViaAdminToken",
  unauthenticated: "adminAuditViaUnauthenticated",
};
