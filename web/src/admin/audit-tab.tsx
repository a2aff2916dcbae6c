import { useCallback, useState } from "preact/hooks";
import type { StaffAction } from "../../../src/domain/audit-actions";
import type { WorkOrderStatus } from "../../../src/domain/states";
import { ok } from "../api/client";
import { failureText } from "../lib/failure";
import { WORK_ORDER_LABEL } from "../lib/status";
import { ACTION_WORDS, ROUTE_WORDS, SUBJECT_WORDS, VIA_WORDS } from "./audit-words";
import { useLoaded } from "./parts";
import { adminApi, callJson } from "./session";
import type { Staff } from "./staff-edit";
import { useAdminText } from "./text";

interface AuditEntry {
  id: string;
  at: string;
  action: string;
  by: { name: string; staffId: string | null; via: string };
  subject: { type: string | null; id: string | null };
  /** What the change set (secrets only as "(set)"); null without. */
  detail?: Record<string, unknown> | null;
}
interface AuditPage {
  actions: AuditEntry[];
  /** `before` for the older entries; null on the last page. */
  next: string | null;
}

/**
 * The staff audit trail (`GET /api/admin/audit`), newest first: who did what, when, to what;
 * narrowed to one work order by its id, the question "who moved this one?".
 */
export function AuditTab({ token }: { token: string }) {
  const { t, ta, formatTime, name } = useAdminText();
  const [typed, setTyped] = useState("");
  // What the entries name by code or id, by name: a department, a service, a staff member.
  const loadNames = useCallback(async () => {
    const admin = adminApi(token);
    const [departments, services, staff] = await Promise.all([
      ok(admin.departments.$get()),
      ok(admin.services.$get()),
      callJson<{ staff: Staff[] }>("GET", "/api/admin/staff", { token }).catch(() => ({ staff: [] })),
    ]);
    return { departments: departments.departments, services: services.services, staff: staff.staff };
  }, [token]);
  const known = useLoaded(loadNames).data;
  const subjectName = (type: string, id: string | null) => {
    if (!id) return "";
    if (type === "departments") return name(known?.departments.find((d) => d.code === id)?.name) || id;
    if (type === "services") return name(known?.services.find((s) => s.code === id)?.name) || id;
    const person = type === "staff" ? known?.staff.find((s) => s.id === id) : undefined;
    return person ? `${person.name} <${person.email}>` : id;
  };
  // A department's token acts under the department's English name: said in the page's language.
  const actorName = (by: AuditEntry["by"]) =>
    (by.via === "department_token" && name(known?.departments.find((d) => d.name.en === by.name)?.name)) ||
    by.name;
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
    const own = ACTION_WORDS[action as StaffAction];
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
                <time dateTime={a.at}>{formatTime(a.at)}</time> ·{" "}
                <strong class="by">{actorName(a.by)}</strong>
                {t("aside", { text: viaWord(a.by.via) })} · {actionWord(a.action)}
                {a.subject.type &&
                  ` · ${subjectWord(a.subject.type)} ${subjectName(a.subject.type, a.subject.id)}`}
              </span>
              {a.detail && <span class="muted audit-detail">{detailText(a.detail)}</span>}
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

/** What a change set, as the trail keeps it: `role: admin; webhookUrl: https://…` (the API's field names). */
function detailText(detail: Record<string, unknown>): string {
  const value = (v: unknown): string =>
    typeof v === "string" ? v : Array.isArray(v) ? v.map(value).join(", ") : JSON.stringify(v);
  return Object.entries(detail)
    .map(([k, v]) => `${k}: ${value(v)}`)
    .join("; ");
}
