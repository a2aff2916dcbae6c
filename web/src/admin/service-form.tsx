import { useLayoutEffect, useRef, useState } from "preact/hooks";
import { ok } from "../api/client";
import { useUnsavedWarning } from "../lib/use-unsaved-warning";
import { CodeField, numberOf, OutcomeLine, useOutcome } from "./parts";
import { QuestionsEditor, questionsOf } from "./questions-editor";
import { QuestionsPreview } from "./questions-preview";
import type { AdminService } from "./services-tab";
import { adminApi } from "./session";
import { useAdminText } from "./text";

type Fields = Record<string, string>;

const fieldsOf = (s: AdminService | null): Fields => ({
  code: s?.code ?? "",
  nameEn: s?.name.en ?? "",
  nameZh: s?.name.zh ?? "",
  group: s?.group ?? "",
  description: s?.description ?? "",
  threshold: String(s?.threshold ?? 3),
  radiusM: String(s?.radiusM ?? 25),
  windowDays: String(s?.windowDays ?? 30),
  ackHours: String(s?.ackHours ?? 24),
  resolveHours: String(s?.resolveHours ?? 168),
  askAfterDays: String(s?.askAfterDays ?? 3),
  keywords: s?.keywords.join(", ") ?? "",
  attributes: s?.attributes.length ? JSON.stringify(s.attributes, null, 2) : "",
  sensorKinds: s?.sensor?.kinds.join(", ") ?? "pothole",
  sensorDevices: String(s?.sensor?.minDevices ?? 3),
  sensorShare: String(s?.sensor?.minHitShare ?? 0.5),
  sensorRadius: String(s?.sensor?.radiusM ?? 10),
});

const list = (s: string) =>
  s
    // Chinese lists are written with 、 as often as with commas.
    .split(/[,，、]/)
    .map((x) => x.trim())
    .filter(Boolean);

/** Creates a service (`POST`) or replaces one (`PUT`): every field the API takes, named as the API names them. */
export function ServiceForm({
  token,
  service,
  onDone,
  onCancel,
  onStart,
}: {
  token: string;
  service: AdminService | null;
  onDone: () => void;
  onCancel: () => void;
  onStart: () => void;
}) {
  const { ta } = useAdminText();
  const [f, setF] = useState<Fields>(() => fieldsOf(service));
  const [active, setActive] = useState(service?.active ?? true);
  const [sensed, setSensed] = useState(Boolean(service?.sensor));
  const form = useRef<HTMLFormElement>(null);
  // Typed into: a reload or a closed tab asks first.
  const changed = useUnsavedWarning();
  // Opened by a button that then goes away: the keyboard continues in the form's first field,
  // as the form is drawn (an effect's frame later, a field clicked into at once lost its focus).
  useLayoutEffect(() => form.current?.querySelector("input")?.focus(), []);
  const { outcome, setOutcome, run } = useOutcome();
  const set = (k: string) => (e: { currentTarget: { value: string } }) =>
    setF((old) => ({ ...old, [k]: e.currentTarget.value }));

  const submit = (e: Event) => {
    e.preventDefault();
    onStart();
    let attributes: unknown;
    try {
      attributes = f.attributes?.trim() ? JSON.parse(f.attributes) : [];
      // In the order residents see them, as the editor numbers them: a refusal's `attributes.0` is question 1.
      if (Array.isArray(attributes)) attributes = questionsOf(f.attributes ?? "") ?? attributes;
    } catch {
      setOutcome({ ok: false, text: ta("adminBadJson", { field: ta("adminAttributes") }) });
      return;
    }
    const body = {
      name: { en: f.nameEn ?? "", zh: f.nameZh ?? "" },
      group: f.group ?? "",
      description: f.description ?? "",
      threshold: numberOf(f.threshold ?? ""),
      radiusM: numberOf(f.radiusM ?? ""),
      windowDays: numberOf(f.windowDays ?? ""),
      ackHours: numberOf(f.ackHours ?? ""),
      resolveHours: numberOf(f.resolveHours ?? ""),
      // Left out, a PUT put it back to its default: an edit of the words reset a city's 7 days to 3.
      askAfterDays: numberOf(f.askAfterDays ?? ""),
      keywords: list(f.keywords ?? ""),
      active,
      attributes,
      sensor: sensed
        ? {
            kinds: list(f.sensorKinds ?? ""),
            minDevices: numberOf(f.sensorDevices ?? ""),
            minHitShare: numberOf(f.sensorShare ?? ""),
            radiusM: numberOf(f.sensorRadius ?? ""),
          }
        : null,
    };
    // Said in the console's words: the server's ("resolveHours: must be at least ackHours") are English.
    if (body.resolveHours < body.ackHours) {
      setOutcome({ ok: false, text: ta("adminResolveBeforeAck") });
      return;
    }
    void run(async () => {
      const admin = adminApi(token);
      // The server validates: a wrong field comes back named, and its message is shown as is.
      if (service)
        await ok(admin.services[":code"].$put({ param: { code: service.code }, json: body as never }));
      else await ok(admin.services.$post({ json: { ...body, code: f.code ?? "" } as never }));
      onDone();
      return ta("adminSaved");
    });
  };

  /** A number field; `field`: what the API calls it, where the form's name differs. */
  const num = (k: string, label: Parameters<typeof ta>[0], step = "any", field?: string) => (
    <label>
      {ta(label)}
      <input type="number" step={step} value={f[k]} onInput={set(k)} name={k} data-field={field} />
    </label>
  );
  return (
    <form
      ref={form}
      class="card admin-form"
      onSubmit={submit}
      onInput={changed}
      aria-labelledby="service-form-title"
    >
      <h3 id="service-form-title">
        {service ? ta("adminServiceEdit", { code: service.code }) : ta("adminServiceNew")}
      </h3>
      {!service && (
        <CodeField
          id="service-code"
          value={f.code ?? ""}
          onValue={(code) => setF((old) => ({ ...old, code }))}
        />
      )}
      {(["en", "zh"] as const).map((lang) => {
        const k = lang === "en" ? "nameEn" : "nameZh";
        return (
          <label key={k}>
            {ta(lang === "en" ? "adminNameEn" : "adminNameZh")}
            <input
              name={k}
              data-field={`name.${lang}`}
              value={f[k]}
              onInput={set(k)}
              required
              lang={lang === "en" ? "en" : "zh-CN"}
            />
          </label>
        );
      })}
      <label>
        {ta("adminGroup")}
        <input name="group" value={f.group} onInput={set("group")} />
      </label>
      <label>
        {ta("adminDescription")}
        <textarea name="description" value={f.description} onInput={set("description")} rows={2} />
      </label>
      {num("threshold", "adminThreshold", "1")}
      {num("radiusM", "adminRadius")}
      {num("windowDays", "adminWindow")}
      {num("ackHours", "adminAckHours")}
      {num("resolveHours", "adminResolveHours")}
      {num("askAfterDays", "adminAskAfterDays")}
      <label>
        {ta("adminKeywords")}
        <input name="keywords" value={f.keywords} onInput={set("keywords")} />
      </label>
      <label class="check">
        <input
          type="checkbox"
          checked={active}
          onChange={(e) => setActive(e.currentTarget.checked)}
          aria-describedby={service?.active && !active ? "service-withdrawn" : undefined}
        />
        {ta("adminActive")}
      </label>
      {service?.active && !active && (
        <p id="service-withdrawn" class="admin-warning">
          {ta("adminServiceWithdrawn")}
        </p>
      )}
      <fieldset>
        <legend>{ta("adminQuestionsTitle")}</legend>
        <QuestionsEditor
          json={f.attributes ?? ""}
          onJson={(attributes) => {
            changed();
            setF((old) => ({ ...old, attributes }));
          }}
        />
        <QuestionsPreview json={f.attributes ?? ""} />
        <details>
          <summary>{ta("adminAttributesAsJson")}</summary>
          <label for="service-attributes">{ta("adminAttributes")}</label>
          <p class="hint" id="service-attributes-help">
            {ta("adminAttributesHelp")}
          </p>
          <textarea
            id="service-attributes"
            name="attributes"
            rows={4}
            value={f.attributes}
            onInput={set("attributes")}
            aria-describedby="service-attributes-help"
            spellcheck={false}
          />
        </details>
      </fieldset>
      <fieldset>
        <legend>
          <label class="check">
            <input type="checkbox" checked={sensed} onChange={(e) => setSensed(e.currentTarget.checked)} />
            {ta("adminSensor")}
          </label>
        </legend>
        {sensed && (
          <>
            <label>
              {ta("adminSensorKinds")}
              <input
                name="sensorKinds"
                data-field="sensor.kinds"
                value={f.sensorKinds}
                onInput={set("sensorKinds")}
              />
            </label>
            {num("sensorDevices", "adminSensorDevices", "1", "sensor.minDevices")}
            {num("sensorShare", "adminSensorShare", "any", "sensor.minHitShare")}
            {num("sensorRadius", "adminSensorRadius", "any", "sensor.radiusM")}
          </>
        )}
      </fieldset>
      <OutcomeLine outcome={outcome} />
      <div class="row">
        <button type="submit" class="primary">
          {service ? ta("adminSave") : ta("adminCreate")}
        </button>
        <button type="button" onClick={onCancel}>
          {ta("adminCancel")}
        </button>
      </div>
    </form>
  );
}
