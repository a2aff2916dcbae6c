/**
 * How a department's work orders reach it, as the department form edits it: its webhook, the
 * city's Open311 server (address, write-only API key, jurisdiction, the city's code for each
 * service) or e-mail (mailbox, reply-to). The API's refusal of one of these fields is shown at
 * the field (`FieldProblem`), named as the API names it (`dispatch.serviceCodes.pothole`).
 */
import type { AdminDepartment } from "./departments-tab";
import type { AdminService } from "./services-tab";
import { type AdminKey, useAdminText } from "./text";

export type DispatchMethod = "webhook" | "open311" | "email";

export interface DispatchDraft {
  method: DispatchMethod;
  webhookUrl: string;
  endpoint: string;
  /** Typed only to set or replace the stored key: the API never gives it back. */
  apiKey: string;
  jurisdictionId: string;
  serviceCodes: Record<string, string>;
  to: string;
  replyTo: string;
}

/** The draft of a department being edited, or of a new one (a webhook). */
export function draftOf(d: AdminDepartment | null): DispatchDraft {
  const s = d?.dispatch;
  return {
    method: s?.method ?? "webhook",
    webhookUrl: d?.webhookUrl ?? "",
    endpoint: s?.endpoint ?? "",
    apiKey: "",
    jurisdictionId: s?.jurisdictionId ?? "",
    serviceCodes: s?.serviceCodes ?? {},
    to: s?.to ?? "",
    replyTo: s?.replyTo ?? "",
  };
}

const orNull = (s: string) => s.trim() || null;

/** The request body's `webhookUrl` and `dispatch`; empty fields are left for the server to name. */
export function dispatchBody(d: DispatchDraft, handled: string[]) {
  if (d.method === "open311") {
    const codes = handled.flatMap((s) => (d.serviceCodes[s]?.trim() ? [[s, d.serviceCodes[s]?.trim()]] : []));
    return {
      webhookUrl: null,
      dispatch: {
        method: "open311" as const,
        endpoint: d.endpoint.trim(),
        ...(d.apiKey.trim() ? { apiKey: d.apiKey.trim() } : {}),
        jurisdictionId: orNull(d.jurisdictionId),
        serviceCodes: Object.fromEntries(codes),
      },
    };
  }
  if (d.method === "email") {
    return {
      webhookUrl: null,
      dispatch: { method: "email" as const, to: d.to.trim(), replyTo: orNull(d.replyTo) },
    };
  }
  return { webhookUrl: orNull(d.webhookUrl), dispatch: { method: "webhook" as const } };
}

/** A field the API refused, by the API's name for it, and what it said. */
export type Problem = { field: string; code: string; message: string } | null;

/** The element id of the input for an API field. */
export const inputIdOf = (field: string) => `f-${field.replace(/[^\w-]/g, "-")}`;

/** The attributes that tie an input to its API field and, when refused, to the problem's words. */
export const fieldAttrs = (field: string, problem: Problem) => ({
  id: inputIdOf(field),
  "aria-invalid": problem?.field === field ? ("true" as const) : undefined,
  "aria-describedby": problem?.field === field ? `${inputIdOf(field)}-problem` : undefined,
});

/** Why a field was refused, by the refusal's code, for a console whose language is not the API's. */
const WHY = new Map<string, AdminKey>([
  ["missing_field", "adminFieldWhyMissing"],
  ["webhook_refused", "adminFieldWhyWebhook"],
  ["unknown_service", "adminFieldWhyUnknown"],
  ["unknown_department", "adminFieldWhyUnknown"],
]);

/** The API's words on this field, beside it (in English; by the refusal's code otherwise). */
export function FieldProblem({ field, problem }: { field: string; problem: Problem }) {
  const { ta } = useAdminText();
  if (problem?.field !== field) return null;
  return (
    <span id={`${inputIdOf(field)}-problem`} class="error field-problem">
      {ta("adminFieldProblem", {
        message: problem.message,
        why: ta(WHY.get(problem.code) ?? "adminFieldWhyInvalid"),
      })}
    </span>
  );
}

export function DispatchField({
  draft,
  onChange,
  handled,
  services,
  apiKeySet,
  problem,
}: {
  draft: DispatchDraft;
  onChange: (d: DispatchDraft) => void;
  handled: string[];
  services: AdminService[];
  apiKeySet: boolean;
  problem: Problem;
}) {
  const { ta, name } = useAdminText();
  const set = (patch: Partial<DispatchDraft>) => onChange({ ...draft, ...patch });
  const text = (
    field: string,
    label: string,
    value: string,
    patch: (v: string) => Partial<DispatchDraft>,
    type: "text" | "url" | "email" = "text",
  ) => (
    <label>
      {label}
      <input
        {...fieldAttrs(field, problem)}
        // Preact types each input type apart; any of the three takes a text value.
        type={type as "text"}
        value={value}
        onInput={(e) => set(patch(e.currentTarget.value))}
      />
      <FieldProblem field={field} problem={problem} />
    </label>
  );
  const methods: [DispatchMethod, string][] = [
    ["webhook", ta("adminDispatchWebhook")],
    ["open311", ta("adminDispatchOpen311")],
    ["email", ta("adminDispatchEmail")],
  ];
  return (
    <fieldset class="dispatch-field">
      <legend>{ta("adminDispatch")}</legend>
      {methods.map(([m, label]) => (
        <label key={m} class="check">
          <input
            type="radio"
            name="dispatchMethod"
            value={m}
            checked={draft.method === m}
            onChange={() => set({ method: m })}
          />
          {label}
        </label>
      ))}
      {draft.method === "webhook" &&
        text("webhookUrl", ta("adminWebhook"), draft.webhookUrl, (v) => ({ webhookUrl: v }), "url")}
      {draft.method === "open311" && (
        <>
          {text(
            "dispatch.endpoint",
            ta("adminOpen311Endpoint"),
            draft.endpoint,
            (v) => ({ endpoint: v }),
            "url",
          )}
          <label>
            {ta("adminOpen311ApiKey")}
            <input
              {...fieldAttrs("dispatch.apiKey", problem)}
              type="password"
              autocomplete="off"
              value={draft.apiKey}
              onInput={(e) => set({ apiKey: e.currentTarget.value })}
            />
            <span class="hint">{ta(apiKeySet ? "adminOpen311ApiKeyKept" : "adminOpen311ApiKeyHelp")}</span>
            <FieldProblem field="dispatch.apiKey" problem={problem} />
          </label>
          {text("dispatch.jurisdictionId", ta("adminOpen311Jurisdiction"), draft.jurisdictionId, (v) => ({
            jurisdictionId: v,
          }))}
          <fieldset>
            <legend>{ta("adminOpen311Codes")}</legend>
            {handled.length === 0 && <p class="hint">{ta("adminOpen311CodesNone")}</p>}
            {handled.map((code) => {
              const service = services.find((s) => s.code === code);
              return (
                <div key={code}>
                  {text(
                    `dispatch.serviceCodes.${code}`,
                    ta("adminOpen311CodeFor", { service: service ? name(service.name) : code }),
                    draft.serviceCodes[code] ?? "",
                    (v) => ({ serviceCodes: { ...draft.serviceCodes, [code]: v } }),
                  )}
                </div>
              );
            })}
          </fieldset>
        </>
      )}
      {draft.method === "email" && (
        <>
          {text("dispatch.to", ta("adminMailTo"), draft.to, (v) => ({ to: v }), "email")}
          {text("dispatch.replyTo", ta("adminMailReplyTo"), draft.replyTo, (v) => ({ replyTo: v }), "email")}
        </>
      )}
    </fieldset>
  );
}
