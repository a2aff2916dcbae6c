/** Small pieces every tab of the console uses: loading a list, telling what happened, a secret shown once. */
import { useCallback, useEffect, useId, useLayoutEffect, useRef, useState } from "preact/hooks";
import { ApiError } from "../api/client";
import { failureText } from "../lib/failure";
import { adminFieldName } from "./field-names";
import { useAdminText } from "./text";

/** Loads with `load` now and whenever `reload()` is called; `error` is what a person can act on. */
export function useLoaded<T>(load: () => Promise<T>) {
  const { t, ta } = useAdminText();
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(() => {
    load()
      .then((d) => {
        setData(d);
        setError(null);
      })
      .catch((e: unknown) => setError(failureText(e, t, adminFieldName(ta))));
  }, [load, t, ta]);
  useEffect(reload, [reload]);
  return { data, error, reload };
}

/**
 * What an action led to: a success in a polite live region, a failure as an alert. `serverSaid`:
 * a refusal's own words, in English, shown beside the Chinese page's (which names only the field:
 * "a ring must not cross itself" or "at least 1" was what the officer needed to put it right).
 */
export type Outcome = { ok: boolean; text: string; serverSaid?: string; field?: string } | null;

/** The server's words on a refused field, for a page whose own words do not carry them. */
const serverWords = (e: unknown, lang: string) =>
  lang !== "en" && e instanceof ApiError && (e.status === 400 || e.status === 422) && e.message
    ? e.message
    : undefined;

export function useOutcome() {
  const { t, ta, lang } = useAdminText();
  const [outcome, setOutcome] = useState<Outcome>(null);
  // One action at a time: a double click would issue two tokens, one of them never shown.
  const running = useRef(false);
  const [busy, setBusy] = useState(false);
  /** Runs an action and reports its result (or its failure, in words); none while one runs. */
  const run = useCallback(
    async (action: () => Promise<string>) => {
      if (running.current) return;
      running.current = true;
      setBusy(true);
      setOutcome(null);
      try {
        setOutcome({ ok: true, text: await action() });
      } catch (e) {
        setOutcome({
          ok: false,
          text: failureText(e, t, adminFieldName(ta)),
          serverSaid: serverWords(e, lang),
          ...(e instanceof ApiError && e.field ? { field: e.field } : {}),
        });
      } finally {
        running.current = false;
        setBusy(false);
      }
    },
    [t, ta, lang],
  );
  return { outcome, setOutcome, run, busy };
}

/**
 * The control of `form` a refusal's field names: the one whose `data-field` (what the API calls
 * it, where the form's name differs: `sensor.minDevices`) or else whose name is that field, or
 * the part of it before a dot (`attributes` for `attributes.0.description`). None for a field the
 * form shows no control of.
 */
function controlOf(form: HTMLFormElement, field: string): HTMLElement | null {
  // A service's question, as its editor draws it (`attributes.0.description`: question 1's words).
  const question = /^attributes\.(\d+)\.(\w+)/.exec(field);
  const asked =
    question && form.querySelector<HTMLElement>(`[data-question="${question[1]}"] [name="${question[2]}"]`);
  if (asked) return asked;
  for (let path = field; path; path = path.includes(".") ? path.slice(0, path.lastIndexOf(".")) : "") {
    const at = CSS.escape(path);
    const control =
      form.querySelector<HTMLElement>(`[data-field="${at}"]`) ??
      form.querySelector<HTMLElement>(`[name="${at}"]`);
    if (control) return control;
  }
  return null;
}

/**
 * A refusal at the field it names (WCAG 3.3.1): the control is marked invalid, described by the
 * refusal and given the keyboard, so a keyboard or screen-reader user lands where to put it right
 * rather than at a line under the form; typing in it takes the mark off.
 */
function useRefusedControl(line: { current: HTMLElement | null }, outcome: Outcome) {
  useEffect(() => {
    const form = line.current?.closest("form");
    const field = outcome && !outcome.ok ? outcome.field : undefined;
    if (!form || !field || !line.current) return;
    const control = controlOf(form, field);
    // Not one box of a group of them (the department's services): the refusal is the group's.
    const oneOfMany =
      control instanceof HTMLInputElement && (control.type === "checkbox" || control.type === "radio");
    if (!control || oneOfMany || control.hidden || control.closest("details:not([open])")) return;
    const described = control.getAttribute("aria-describedby");
    control.setAttribute("aria-invalid", "true");
    control.setAttribute("aria-describedby", [described, line.current.id].filter(Boolean).join(" "));
    control.focus();
    const clear = () => {
      control.removeAttribute("aria-invalid");
      if (described) control.setAttribute("aria-describedby", described);
      else control.removeAttribute("aria-describedby");
      control.removeEventListener("input", clear);
    };
    control.addEventListener("input", clear);
    return clear;
  }, [outcome, line]);
}

export function OutcomeLine({ outcome }: { outcome: Outcome }) {
  const { ta, lang } = useAdminText();
  const line = useRef<HTMLParagraphElement>(null);
  const id = useId();
  useRefusedControl(line, outcome);
  return (
    <>
      <p
        ref={line}
        id={id}
        role={outcome && !outcome.ok ? "alert" : "status"}
        class={outcome?.ok === false ? "error" : "hint"}
      >
        {outcome?.text ?? ""}
      </p>
      {/* Beside the alert, not in it: what is read out at once stays in the page's language. */}
      {outcome?.serverSaid && lang !== "en" && (
        <p class="hint server-said">
          {ta("adminServerSaid")}
          <span lang="en">{outcome.serverSaid}</span>
        </p>
      )}
    </>
  );
}

/**
 * A button for what is not taken back in a click (revoke, delete, block, set aside): pressed, it
 * asks in its place, the confirming button saying what will follow, with the keyboard on it.
 */
export function ConfirmButton({
  label,
  name,
  confirm,
  onConfirm,
}: {
  label: string;
  /** The button's accessible name where its label alone is one of many ("Revoke night shift"). */
  name?: string;
  /** The confirming button's words: the action and what follows from it. */
  confirm: string;
  onConfirm: () => void;
}) {
  const { ta } = useAdminText();
  const [asking, setAsking] = useState(false);
  const yes = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => {
    if (asking) yes.current?.focus();
  }, [asking]);
  if (!asking)
    return (
      <button type="button" aria-label={name} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  return (
    <span class="row">
      <button
        type="button"
        ref={yes}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        {confirm}
      </button>
      <button type="button" onClick={() => setAsking(false)}>
        {ta("adminCancel")}
      </button>
    </span>
  );
}

/**
 * The departments as a select's options, by name; one whose name another shares (two districts'
 * "Urban Management" offices) is told apart by its code.
 */
export function DepartmentOptions({
  departments,
}: {
  departments: readonly { code: string; name: { en: string; zh: string } }[];
}) {
  const { name } = useAdminText();
  const named = departments.map((d) => name(d.name));
  return (
    <>
      {departments.map((d, i) => (
        <option key={d.code} value={d.code}>
          {named.indexOf(named[i] ?? "") !== named.lastIndexOf(named[i] ?? "")
            ? `${named[i]} (${d.code})`
            : named[i]}
        </option>
      ))}
    </>
  );
}

/** A new service's or department's code, with its rule said beside it (the Chinese console hears no server words). */
export function CodeField({
  id,
  value,
  onValue,
}: {
  id: string;
  value: string;
  onValue: (v: string) => void;
}) {
  const { ta } = useAdminText();
  return (
    <label>
      {ta("adminCode")}
      <input
        name="code"
        value={value}
        onInput={(e) => onValue(e.currentTarget.value)}
        required
        pattern="[A-Za-z0-9][A-Za-z0-9_\-]{0,39}"
        aria-describedby={`${id}-help`}
      />
      <span class="hint" id={`${id}-help`}>
        {ta("adminCodeHelp")}
      </span>
    </label>
  );
}

/** A token, key or secret in the one answer that carries it. */
export function ShownOnce({ label, value }: { label: string; value: string }) {
  const { ta } = useAdminText();
  return (
    <div class="card shown-once" data-secret>
      <p>{label}</p>
      <p>
        <code>{value}</code>
      </p>
      <p class="hint">{ta("adminShownOnce")}</p>
    </div>
  );
}

/** A number typed into a field, or undefined for an empty one (the server then says what is missing). */
export const numberOf = (s: string) => (s.trim() === "" ? Number.NaN : Number(s));

/** What a text field of the console is given: its label and its text in the caller's state. */
interface FieldProps {
  label: string;
  value: string;
  onValue: (v: string) => void;
}

/** An e-mail address, labelled (the sign-in's and the forgotten password's). */
export function EmailField({ label, value, onValue }: FieldProps) {
  return (
    <label>
      {label}
      <input
        type="email"
        autocomplete="username"
        value={value}
        onInput={(e) => onValue(e.currentTarget.value)}
        required
      />
    </label>
  );
}

/**
 * A password, labelled: the current one, or a new one held to the server's rules (10–200
 * characters) unless `repeat` (the second copy is compared, not checked).
 */
export function PasswordField({
  label,
  value,
  onValue,
  purpose,
  describedBy,
}: FieldProps & { purpose: "current" | "new" | "repeat"; describedBy?: string }) {
  const fresh = purpose === "new";
  const { ta } = useAdminText();
  const rulesId = useId();
  return (
    <>
      <label>
        {label}
        <input
          type="password"
          autocomplete={purpose === "current" ? "current-password" : "new-password"}
          minLength={fresh ? 10 : undefined}
          maxLength={fresh ? 200 : undefined}
          value={value}
          onInput={(e) => onValue(e.currentTarget.value)}
          aria-describedby={[describedBy, fresh ? rulesId : undefined].filter(Boolean).join(" ") || undefined}
          required
        />
      </label>
      {/* The rules before typing, not only after a refusal. */}
      {fresh && (
        <p id={rulesId} class="hint">
          {ta("adminPasswordRules")}
        </p>
      )}
    </>
  );
}

/** A form's failure, announced when it appears. */
export function ErrorLine({ error, id }: { error: string | null; id?: string }) {
  return error ? (
    <p id={id} class="error" role="alert">
      {error}
    </p>
  ) : null;
}
