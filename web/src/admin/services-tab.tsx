import type { InferResponseType } from "hono/client";
import { useCallback, useRef, useState } from "preact/hooks";
import { ok } from "../api/client";
import { useFocusNext } from "../lib/use-focus-next";
import { useLoaded } from "./parts";
import { ServiceForm } from "./service-form";
import { adminApi } from "./session";
import { useAdminText } from "./text";

export type AdminService = InferResponseType<
  ReturnType<typeof adminApi>["services"]["$get"],
  200
>["services"][number];

/** Every service, with a form to create one or edit the one chosen. */
export function ServicesTab({ token }: { token: string }) {
  const { ta, name } = useAdminText();
  const load = useCallback(() => ok(adminApi(token).services.$get()), [token]);
  const { data, error, reload } = useLoaded(load);
  const [editing, setEditing] = useState<AdminService | "new" | null>(null);
  const [saved, setSaved] = useState("");
  // The form closed: the keyboard goes back to the button that opened it, not to the page's top.
  const section = useRef<HTMLElement>(null);
  const focusNext = useFocusNext();
  const close = () => {
    const code = editing === "new" ? null : editing?.code;
    setEditing(null);
    focusNext(() =>
      section.current?.querySelector<HTMLElement>(
        code ? `li[data-service="${CSS.escape(code)}"] button` : "button.primary",
      ),
    );
  };
  return (
    <section ref={section} aria-labelledby="services-title">
      <h2 id="services-title">{ta("adminServicesTitle")}</h2>
      {error && (
        <p role="alert" class="error">
          {error}
        </p>
      )}
      <ul class="admin-list">
        {data?.services.map((s) => (
          <li key={s.code} data-service={s.code}>
            <span>
              <strong>{name(s.name)}</strong> <code>{s.code}</code>
              {!s.active && <span class="badge">{ta("adminServiceInactive")}</span>}
            </span>
            <button
              type="button"
              onClick={() => setEditing(s)}
              aria-label={`${ta("adminEdit")} ${name(s.name)}`}
            >
              {ta("adminEdit")}
            </button>
          </li>
        ))}
      </ul>
      {data?.services.length === 0 && <p>{ta("adminNone")}</p>}
      <p role="status" class="hint">
        {saved}
      </p>
      {editing === null ? (
        <button type="button" class="primary" onClick={() => setEditing("new")}>
          {ta("adminServiceNew")}
        </button>
      ) : (
        <ServiceForm
          key={editing === "new" ? "new" : editing.code}
          token={token}
          service={editing === "new" ? null : editing}
          onDone={() => {
            close();
            setSaved(ta("adminSaved"));
            reload();
          }}
          onCancel={close}
          onStart={() => setSaved("")}
        />
      )}
    </section>
  );
}
