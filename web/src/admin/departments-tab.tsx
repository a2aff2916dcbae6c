import type { InferResponseType } from "hono/client";
import { useCallback, useRef, useState } from "preact/hooks";
import type { AreaOverlap } from "../../../src/domain/area-overlaps";
import { ok } from "../api/client";
import { useFocusNext } from "../lib/use-focus-next";
import { DepartmentForm } from "./department-form";
import { ShownOnce, useLoaded } from "./parts";
import { RoutingPreview } from "./routing-preview";
import type { AdminService } from "./services-tab";
import { adminApi } from "./session";
import { type AdminTranslate, useAdminText } from "./text";

export type AdminDepartment = InferResponseType<
  ReturnType<typeof adminApi>["departments"]["$get"],
  200
>["departments"][number];

/** Every department, a form to create or edit one, and the routing preview over all their areas. */
export function DepartmentsTab({ token }: { token: string }) {
  const { ta, name, lang } = useAdminText();
  const load = useCallback(async () => {
    const admin = adminApi(token);
    const [d, s] = await Promise.all([ok(admin.departments.$get()), ok(admin.services.$get())]);
    return { departments: d.departments, services: s.services };
  }, [token]);
  const { data, error, reload } = useLoaded(load);
  const [editing, setEditing] = useState<AdminDepartment | "new" | null>(null);
  const [saved, setSaved] = useState<{
    code: string;
    name?: { en: string; zh: string };
    secret?: string;
    overlaps?: AreaOverlap[];
    workRoutedElsewhere?: number;
    past?: boolean;
  } | null>(null);
  const [deleted, setDeleted] = useState<string | null>(null);
  // Another form opened: "Saved." was the last one's (a secret shown once stays until copied).
  const open = (which: AdminDepartment | "new") => {
    setEditing(which);
    setDeleted(null);
    setSaved((s) => (s?.secret ? { ...s, past: true } : null));
  };
  // The form closed: the keyboard goes back to the department's Edit button, or to "New".
  const section = useRef<HTMLElement>(null);
  const focusNext = useFocusNext();
  const close = (code: string | null) => {
    setEditing(null);
    focusNext(() =>
      section.current?.querySelector<HTMLElement>(
        code ? `li[data-department="${CSS.escape(code)}"] button` : "button.primary",
      ),
    );
  };
  return (
    <section ref={section} aria-labelledby="departments-title">
      <h2 id="departments-title">{ta("adminDepartmentsTitle")}</h2>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <ul class="admin-list">
        {data?.departments.map((d) => (
          <li key={d.code} data-department={d.code}>
            <span>
              <strong>{name(d.name)}</strong> <code>{d.code}</code>{" "}
              <span class="muted">{d.services.join(", ")}</span>
              {d.webhookUrl && <span class="badge">{ta("adminHasWebhook")}</span>}
              {d.dispatch.method === "open311" && (
                <span class="badge">{ta("adminDispatchBadgeOpen311")}</span>
              )}
              {d.dispatch.method === "email" && (
                <span class="badge" data-dispatch-to={d.dispatch.to}>
                  {ta("adminDispatchBadgeEmail")}
                </span>
              )}
            </span>
            <button type="button" onClick={() => open(d)} aria-label={`${ta("adminEdit")} ${name(d.name)}`}>
              {ta("adminEdit")}
            </button>
          </li>
        ))}
      </ul>
      <p role="status" class="hint">
        {saved && !saved.past
          ? ta("adminSaved")
          : deleted
            ? ta("adminDepartmentDeleted", { code: deleted })
            : ""}
      </p>
      {saved && !saved.past && saved.workRoutedElsewhere ? (
        <p class="admin-warning" role="alert" data-routed-elsewhere={saved.workRoutedElsewhere}>
          {ta("adminElsewhereSaved", { n: saved.workRoutedElsewhere })}
        </p>
      ) : null}
      {saved && !saved.past && data && saved.overlaps?.length ? (
        <ul class="admin-warning" role="alert">
          {saved.overlaps.map((o) => (
            <li key={o.department}>{overlapWords(o, data, saved, ta, name, lang)}</li>
          ))}
        </ul>
      ) : null}
      {saved?.secret && <ShownOnce label={ta("adminWebhookSecret")} value={saved.secret} />}
      {editing === null ? (
        <button type="button" class="primary" onClick={() => open("new")}>
          {ta("adminDepartmentNew")}
        </button>
      ) : (
        data && (
          <DepartmentForm
            key={editing === "new" ? "new" : editing.code}
            token={token}
            department={editing === "new" ? null : editing}
            services={data.services}
            onStart={() => setSaved(null)}
            onDone={(result) => {
              close(result.code);
              setSaved(result);
              reload();
            }}
            onDeleted={(code) => {
              close(null);
              setSaved(null);
              setDeleted(code);
              reload();
            }}
            onCancel={() => close(editing === "new" ? null : editing.code)}
          />
        )
      )}
      {data && <RoutingPreview departments={data.departments} services={data.services} />}
    </section>
  );
}

/** An overlap as the admin reads it: the departments and services by name, the size in m² or km². */
function overlapWords(
  o: AreaOverlap,
  data: { departments: AdminDepartment[]; services: AdminService[] },
  /** The department just saved: a new one is not in the list until it is read again. */
  saved: { code: string; name?: { en: string; zh: string } },
  ta: AdminTranslate,
  name: (n: { en: string; zh: string }) => string,
  lang: string,
) {
  const department = (code: string) => {
    const named = code === saved.code ? saved.name : data.departments.find((x) => x.code === code)?.name;
    return named ? name(named) : code;
  };
  const service = (code: string) => {
    const s = data.services.find((x) => x.code === code);
    return s ? name(s.name) : code;
  };
  const km2 = o.overlapM2 >= 100_000;
  const size = km2
    ? `${(o.overlapM2 / 1e6).toLocaleString(lang, { maximumFractionDigits: 1 })} ${lang === "en" ? "km²" : "平方公里"}`
    : `${Math.round(o.overlapM2).toLocaleString(lang)} ${lang === "en" ? "m²" : "平方米"}`;
  return ta("adminAreaOverlap", {
    other: department(o.department),
    services: o.services.map(service).join(lang === "en" ? ", " : "、"),
    size,
    goesTo: department(o.goesTo),
  });
}
