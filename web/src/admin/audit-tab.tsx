import { useCallback, useState } from "preact/hooks";
import type { WorkOrderStatus } from "../../../src/domain/states";
import { failureText } from "../lib/failure";
import { WORK_ORDER_LABEL } from "../lib/status";
import { useLoaded } from "./parts";
import { callJson } from "./session";
import { type AdminKey, useAdminText } from "./text";

interface AuditEntry {
  id: string;
  at: string;
  action: string;
  by: { name: string; staffId: string | null; via: string };
  subject: { type: string | null; id: string | null };
}
interface AuditPage {
  actions: AuditEntry[];
  /** `before` for the older entries; null on the last page. */
  next: string | null;
}

/** Staff actions with words of their own; work-order moves read as their status, admin changes as their route. */
const ACTION_WORDS: Record<string, AdminKey> = {
  signed_in: "adminAuditSignedIn",
  signed_out: "adminAuditSignedOut",
  desk_report: "adminAuditDeskReport",
  internal_note: "adminAuditInternalNote",
  photos_attached: "adminAuditPhotosAttached",
  password_reset: "adminAuditPasswordReset",
  password_reset_requested: "adminAuditPasswordResetRequested",
  password_reset_requested_unknown: "adminAuditPasswordResetRequestedUnknown",
  sign_in_failed: "adminAuditSignInFailed",
  sign_in_failed_unknown: "adminAuditSignInFailedUnknown",
  sign_in_failed_token: "adminAuditSignInFailedToken",
  sign_in_failures_unrecorded: "adminAuditSignInFailuresUnrecorded",
};
/** An admin change is recorded as its method and route (`src/http/audit.ts`): each in words. */
const ROUTE_WORDS = new Map<string, AdminKey>([
  ["POST /admin/places", "adminAuditPlacesImport"],
  ["POST /admin/services", "adminAuditServiceCreate"],
  ["PUT /admin/services/:code", "adminAuditServiceChange"],
  ["POST /admin/departments", "adminAuditDepartmentCreate"],
  ["PUT /admin/departments/:code", "adminAuditDepartmentChange"],
  ["POST /admin/departments/:code/webhook-secret", "adminAuditWebhookRenew"],
  ["POST /admin/departments/:code/tokens", "adminAuditTokenIssue"],
  ["DELETE /admin/departments/:code/tokens/:id", "adminAuditTokenRevoke"],
  ["POST /admin/outbox/:id/retry", "adminAuditDeadLetterRetry"],
  ["POST /admin/work-orders/:id/reroute", "adminAuditReroute"],
  ["POST /admin/work-orders/:id/transitions", "adminAuditWorkOrderMove"],
  ["POST /admin/staff", "adminAuditStaffCreate"],
  ["PATCH /admin/staff/:id", "adminAuditStaffChange"],
  ["POST /admin/api-keys", "adminAuditApiKeyIssue"],
  ["DELETE /admin/api-keys/:id", "adminAuditApiKeyRevoke"],
  ["POST /admin/moderation/reports/:id/hide", "adminAuditReportHide"],
  ["POST /admin/moderation/reports/:id/restore", "adminAuditReportRestore"],
  ["POST /admin/moderation/photos/:id/hide", "adminAuditPhotoHide"],
  ["POST /admin/moderation/photos/:id/restore", "adminAuditPhotoRestore"],
  ["POST /admin/moderation/reports/:id/block-reporter", "adminAuditReporterBlock"],
  ["DELETE /admin/moderation/reports/:id/block-reporter", "adminAuditReporterUnblock"],
  ["POST /admin/known-features", "adminAuditKnownFeaturesImport"],
  ["DELETE /admin/known-features/:id", "adminAuditKnownFeatureDelete"],
]);
/** What an entry is about: the route's part after `admin` (`staff`), or a writer's own (`work_order`). */
const SUBJECT_WORDS = new Map<string, AdminKey>([
  ["services", "adminAuditSubjectService"],
  ["departments", "adminAuditSubjectDepartment"],
  ["staff", "adminAuditSubjectStaff"],
  ["api-keys", "adminAuditSubjectApiKey"],
  ["work-orders", "adminAuditSubjectWorkOrder"],
  ["work_order", "adminAuditSubjectWorkOrder"],
  ["outbox", "adminAuditSubjectDeadLetter"],
  ["reports", "adminAuditSubjectReport"],
  ["report", "adminAuditSubjectReport"],
  ["photos", "adminAuditSubjectPhoto"],
  ["known-features", "adminAuditSubjectKnownFeature"],
  ["places", "adminAuditSubjectPlaces"],
  ["network", "adminAuditSubjectNetwork"],
]);
const VIA_WORDS: Record<string, AdminKey> = {
  staff: "adminAuditViaStaff",
  department_token: "adminAuditViaDepartmentToken",
  admin_token: "adminAuditViaAdminToken",
  unauthenticated: "adminAuditViaUnauthenticated",
};

/**
 * The staff audit trail (`GET /api/admin/audit`), newest first: who did what, when, to what;
 * narrowed to one work order by its id, the question "who moved this one?".
 */
export function AuditTab({ token }: { token: string }) {
  const { t, ta, formatTime } = useAdminText();
  const [typed, setTyped] = useState("");
  const [workOrder, setWorkOrder] = useState("");
  const ask = useCallback(
    (before?: string) => {
      const query = new URLSearchParams();
      if (workOrder) query.set("subjectType", "work_order");
      if (workOrder) query.set("subjectId", workOrder);
      if (before) query.set("before", before);
      const q = query.toString();
      return callJson<AuditPage>("GET", `/api/admin/audit${q && `?${q}`}`, { token });
    },
    [token, workOrder],
  );
  const load = useCallback(() => ask(), [ask]);
  const { data, error } = useLoaded(load);
  // The older pages asked for after the first, in order, and the `before` of the next one; kept
  // with the work order they are of, so another filter starts from its own first page.
  const [more, setMore] = useState<{ of: string; actions: AuditEntry[]; next: string | null } | null>(null);
  const [moreError, setMoreError] = useState<string | null>(null);
  const [loading, setLoading] = useState(false);
  const older = more?.of === workOrder ? more : null;
  const actions = data ? [...data.actions, ...(older?.actions ?? [])] : [];
  const next = older ? older.next : (data?.next ?? null);
  const showMore = async (before: string) => {
    setLoading(true);
    setMoreError(null);
    try {
      const page = await ask(before);
      setMore({ of: workOrder, actions: [...(older?.actions ?? []), ...page.actions], next: page.next });
    } catch (e) {
      setMoreError(failureText(e, t));
    } finally {
      setLoading(false);
    }
  };
  const actionWord = (action: string) => {
    const own = ACTION_WORDS[action];
    if (own) return ta(own);
    const route = ROUTE_WORDS.get(action);
    if (route) return ta(route);
    return action in WORK_ORDER_LABEL ? t(WORK_ORDER_LABEL[action as WorkOrderStatus]) : action;
  };
  const subjectWord = (type: string) => {
    const word = SUBJECT_WORDS.get(type);
    return word ? ta(word) : type;
  };
  const viaWord = (via: string) => {
    const word = VIA_WORDS[via];
    return word ? ta(word) : via;
  };

  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">{ta("adminAuditTitle")}</h2>
      <p class="hint">{ta("adminAuditHelp")}</p>
      <form
        class="row"
        onSubmit={(e) => {
          e.preventDefault();
          setMore(null);
          setWorkOrder(typed.trim());
        }}
      >
        <label>
          {ta("adminAuditWorkOrder")}
          <input value={typed} onInput={(e) => setTyped(e.currentTarget.value)} autocomplete="off" />
        </label>
        <button type="submit">{ta("adminAuditShow")}</button>
      </form>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      {data && actions.length === 0 && <p>{ta("adminNone")}</p>}
      {actions.length > 0 && (
        <ul class="admin-list" data-testid="audit">
          {actions.map((a) => (
            <li key={a.id} data-action={a.action}>
              <span>
                <time dateTime={a.at}>{formatTime(a.at)}</time> · <strong class="by">{a.by.name}</strong> (
                {viaWord(a.by.via)}) · {actionWord(a.action)}
                {a.subject.type && ` · ${subjectWord(a.subject.type)} ${a.subject.id ?? ""}`}
              </span>
            </li>
          ))}
        </ul>
      )}
      {data && next && (
        <button type="button" disabled={loading} onClick={() => void showMore(next)}>
          {ta("adminAuditMore")}
        </button>
      )}
      {moreError && (
        <p role="alert" class="error">
          {moreError}
        </p>
      )}
    </section>
  );
}
