import { useLayoutEffect, useRef, useState } from "preact/hooks";
import type { AreaOverlap } from "../../../src/domain/area-overlaps";
import { ApiError, ok } from "../api/client";
import { useUnsavedWarning } from "../lib/use-unsaved-warning";
import type { Area } from "./area";
import { AreaField } from "./area-field";
import type { AdminDepartment } from "./departments-tab";
import { DispatchField, dispatchBody, draftOf, inputIdOf, type Problem } from "./dispatch-field";
import { CodeField, ConfirmButton, numberOf, OutcomeLine, useOutcome } from "./parts";
import type { AdminService } from "./services-tab";
import { adminApi } from "./session";
import { useAdminText } from "./text";
import { WebhookSecretRenewal } from "./webhook-secret";

/** Creates a department (`POST`) or replaces one (`PUT`), its area drawn or uploaded. */
export function DepartmentForm({
  token,
  department,
  services,
  onStart,
  onDone,
  onDeleted,
  onCancel,
}: {
  token: string;
  department: AdminDepartment | null;
  services: AdminService[];
  onStart: () => void;
  onDone: (saved: {
    code: string;
    name: { en: string; zh: string };
    secret?: string;
    overlaps: AreaOverlap[];
    workRoutedElsewhere: number;
  }) => void;
  onDeleted: (code: string) => void;
  onCancel: () => void;
}) {
  const { ta, name } = useAdminText();
  const [code, setCode] = useState("");
  const [nameEn, setNameEn] = useState(department?.name.en ?? "");
  const [nameZh, setNameZh] = useState(department?.name.zh ?? "");
  const [handled, setHandled] = useState<string[]>(department?.services ?? []);
  const [fallback, setFallback] = useState<string[]>(department?.fallbackFor ?? []);
  const [population, setPopulation] = useState(department?.population?.toString() ?? "");
  const [dispatch, setDispatch] = useState(() => draftOf(department));
  const [problem, setProblem] = useState<Problem>(null);
  const [area, setArea] = useState<Area | null>((department?.area as Area | null) ?? null);
  // Set during the text's change event, before a click on Save submits: a ref, read at once.
  const areaRefused = useRef(false);
  const areaUnfinished = useRef(false);
  const form = useRef<HTMLFormElement>(null);
  // Typed into: a reload or a closed tab asks first.
  const changed = useUnsavedWarning();
  // Opened by a button that then goes away: the keyboard continues in the form's first field,
  // as the form is drawn (an effect's frame later, a field clicked into at once lost its focus).
  useLayoutEffect(() => form.current?.querySelector("input")?.focus(), []);
  const { outcome, setOutcome, run } = useOutcome();
  // A refused field takes the keyboard, its problem read out with it (aria-describedby).
  useLayoutEffect(() => {
    if (problem) form.current?.querySelector<HTMLElement>(`#${inputIdOf(problem.field)}`)?.focus();
  }, [problem]);

  const toggle = (list: string[], set: (l: string[]) => void, s: string, on: boolean) =>
    set(on ? [...list, s] : list.filter((x) => x !== s));

  const submit = (e: Event) => {
    e.preventDefault();
    // The area pasted was refused (said below it): saving would keep the old one, or none.
    if (areaRefused.current) {
      form.current?.querySelector<HTMLElement>("#area-geojson")?.focus();
      return;
    }
    // One or two corners drawn: saved, the department would have lost its area ("Saved.").
    if (areaUnfinished.current) {
      setOutcome({ ok: false, text: ta("adminAreaUnfinished") });
      form.current?.querySelector<HTMLElement>(".area-field .map")?.focus();
      return;
    }
    onStart();
    const body = {
      name: { en: nameEn, zh: nameZh },
      services: handled,
      fallbackFor: fallback.filter((s) => handled.includes(s)),
      area,
      population: population.trim() ? numberOf(population) : null,
      ...dispatchBody(dispatch, handled),
    };
    setProblem(null);
    void run(async () => {
      const admin = adminApi(token);
      try {
        const answer = department
          ? await ok(
              admin.departments[":code"].$put({ param: { code: department.code }, json: body as never }),
            )
          : await ok(admin.departments.$post({ json: { ...body, code } as never }));
        onDone({
          code: answer.department.code,
          name: answer.department.name,
          secret: answer.webhookSecret,
          overlaps: answer.overlaps,
          workRoutedElsewhere: answer.workRoutedElsewhere,
        });
        return ta("adminSaved");
      } catch (e) {
        if (e instanceof ApiError && e.field)
          setProblem({ field: e.field, code: e.code, message: e.message });
        throw e;
      }
    });
  };

  return (
    <form
      ref={form}
      class="card admin-form"
      onSubmit={submit}
      onInput={changed}
      aria-labelledby="department-form-title"
    >
      <h3 id="department-form-title">
        {department ? ta("adminDepartmentEdit", { code: department.code }) : ta("adminDepartmentNew")}
      </h3>
      {!department && <CodeField id="department-code" value={code} onValue={setCode} />}
      <label>
        {ta("adminNameEn")}
        <input
          name="nameEn"
          data-field="name.en"
          value={nameEn}
          onInput={(e) => setNameEn(e.currentTarget.value)}
          required
          lang="en"
        />
      </label>
      <label>
        {ta("adminNameZh")}
        <input
          name="nameZh"
          data-field="name.zh"
          value={nameZh}
          onInput={(e) => setNameZh(e.currentTarget.value)}
          required
          lang="zh-CN"
        />
      </label>
      <fieldset>
        <legend>{ta("adminServicesHandled")}</legend>
        {services.map((s) => (
          <div key={s.code} class="service-choice">
            <label class="check">
              <input
                type="checkbox"
                name="services"
                value={s.code}
                checked={handled.includes(s.code)}
                onChange={(e) => toggle(handled, setHandled, s.code, e.currentTarget.checked)}
              />
              {name(s.name)} <code>{s.code}</code>
            </label>
            {handled.includes(s.code) && (
              <label class="check sub">
                <input
                  type="checkbox"
                  name="fallbackFor"
                  value={s.code}
                  checked={fallback.includes(s.code)}
                  onChange={(e) => toggle(fallback, setFallback, s.code, e.currentTarget.checked)}
                />
                {ta("adminFallback", { service: name(s.name) })}
              </label>
            )}
          </div>
        ))}
      </fieldset>
      <label>
        {ta("adminPopulation")}
        <input
          name="population"
          type="number"
          min={0}
          step={1}
          value={population}
          onInput={(e) => setPopulation(e.currentTarget.value)}
        />
      </label>
      <DispatchField
        draft={dispatch}
        onChange={setDispatch}
        handled={handled}
        services={services}
        apiKeySet={department?.dispatch.apiKeySet ?? false}
        problem={problem}
      />
      {/* A stored webhook only (the API answers 409 for none): its secret was made with it. */}
      {department?.webhookUrl && department.hasWebhookSecret && dispatch.method === "webhook" && (
        <WebhookSecretRenewal
          token={token}
          code={department.code}
          departmentName={name(department.name)}
          previousSecretUntil={department.previousSecretUntil}
        />
      )}
      {/* Corners clicked on the map are changes too, though no input event tells of them. */}
      <AreaField
        initial={area}
        onChange={setArea}
        onEdit={changed}
        onRefused={(r) => (areaRefused.current = r)}
        onUnfinished={(u) => {
          areaUnfinished.current = u;
          // Finished (a corner more) or cleared: the refusal said of it no longer holds.
          if (!u) setOutcome((o) => (o && !o.ok && o.text === ta("adminAreaUnfinished") ? null : o));
        }}
      />
      {!area && handled.length > 0 && !fallback.some((s) => handled.includes(s)) && (
        <p class="hint" data-idle>
          {ta("adminDepartmentIdle")}
        </p>
      )}
      <OutcomeLine outcome={outcome} />
      <div class="row">
        <button type="submit" class="primary">
          {department ? ta("adminSave") : ta("adminCreate")}
        </button>
        <button type="button" onClick={onCancel}>
          {ta("adminCancel")}
        </button>
        {/* A department made by mistake: the API refuses one whose history names it, said above. */}
        {department && (
          <ConfirmButton
            label={ta("adminDepartmentDelete")}
            confirm={ta("adminDepartmentDeleteConfirm")}
            onConfirm={() =>
              void run(async () => {
                await ok(adminApi(token).departments[":code"].$delete({ param: { code: department.code } }));
                onDeleted(department.code);
                return ta("adminDepartmentDeleted", { code: department.code });
              })
            }
          />
        )}
      </div>
    </form>
  );
}
