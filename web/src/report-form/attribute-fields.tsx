/**
 * A service's extra questions (Open311 attributes) on the report form, in their order: one
 * labelled field per question, a paragraph for a line of information, the client-side check of
 * required and malformed answers, and the answers as `POST /api/reports` takes them.
 */
import { type AttributeDefinition, sortedDefinitions } from "../../../src/domain/attributes";
import { CITY_ZONE_NAMED, fromCityClock } from "../../../src/domain/city-time";
import { MAX_ANSWER_LINE_CHARS, MAX_DESCRIPTION_CHARS } from "../../../src/domain/report-limits";
import { attributeText } from "../i18n/attribute-text";
import { type Translate, useI18n } from "../i18n/i18n";
import type { Lang } from "../i18n/messages";

/** What the fields hold: text as typed (lists as their chosen keys), keyed by attribute code. */
export type RawAnswers = Record<string, string | string[]>;
export type AnswerValue = string | number | string[];

const blank = (v: string | string[] | undefined) =>
  v === undefined || (Array.isArray(v) ? v.length === 0 : v.trim() === "");

/**
 * Checks the answers as the server will and converts them for sending: numbers as numbers (within
 * the question's bounds), a date and time as the city's clock reads it (nine o'clock typed on a
 * phone set to another zone is nine in the city) with the city's offset written, unanswered
 * questions left out. Returns the problems, keyed by code, with the reader's wording.
 */
export function checkAnswers(
  defs: readonly AttributeDefinition[],
  raw: RawAnswers,
  t: Translate,
): { answers: Record<string, AnswerValue>; problems: Record<string, string> } {
  const answers: Record<string, AnswerValue> = {};
  const problems: Record<string, string> = {};
  for (const def of defs) {
    if (def.variable === false) continue;
    const value = raw[def.code];
    if (value === undefined || blank(value)) {
      if (def.required) problems[def.code] = t("attrNeedAnswer");
      continue;
    }
    if (def.datatype === "number") {
      const n = Number(String(value).trim());
      if (!Number.isFinite(n)) problems[def.code] = t("attrNeedNumber");
      else if (def.min !== undefined && n < def.min) problems[def.code] = t("attrTooLow", { min: def.min });
      else if (def.max !== undefined && n > def.max) problems[def.code] = t("attrTooHigh", { max: def.max });
      else answers[def.code] = n;
    } else if (def.datatype === "datetime") {
      const at = fromCityClock(String(value));
      if (!at) problems[def.code] = t("attrNeedDatetime");
      else answers[def.code] = at.text;
    } else {
      answers[def.code] = Array.isArray(value) ? value : value.trim();
    }
  }
  return { answers, problems };
}

interface Props {
  definitions: readonly AttributeDefinition[];
  answers: RawAnswers;
  onAnswer: (code: string, value: string | string[]) => void;
  /** A message per code whose answer was refused. */
  problems: Record<string, string>;
}

/** What a field says under its question: the city's words for it, a number's bounds, the clock it is read by. */
function helpFor(def: AttributeDefinition, t: Translate, lang: Lang): string[] {
  const lines = def.datatypeDescription
    ? [attributeText(lang, def.datatypeDescription, def.datatypeDescriptionZh)]
    : [];
  if (def.datatype === "number") {
    const { min, max } = def;
    if (min !== undefined && max !== undefined) lines.push(t("attrBetween", { min, max }));
    else if (min !== undefined) lines.push(t("attrAtLeast", { min }));
    else if (max !== undefined) lines.push(t("attrAtMost", { max }));
  }
  if (def.datatype === "datetime")
    lines.push(t("attrCityTime", { zone: CITY_ZONE_NAMED[lang === "en" ? "en" : "zh"] }));
  return lines;
}

/** The fields for a service's questions; nothing when it asks none. */
export function AttributeFields({ definitions, answers, onAnswer, problems }: Props) {
  const { t, lang } = useI18n();
  if (definitions.length === 0) return null;
  const ids = (code: string) => {
    const id = `attr-${code}`;
    return { id, hint: `${id}-hint`, error: `${id}-error` };
  };
  return (
    <section class="attributes" aria-labelledby="attributes-title">
      <h2 id="attributes-title">{t("attrTitle")}</h2>
      {sortedDefinitions(definitions).map((def) => {
        const { id, hint, error } = ids(def.code);
        if (def.variable === false) {
          return (
            <p key={def.code} class="attr-note" data-attribute={def.code}>
              {attributeText(lang, def.description, def.descriptionZh)}
            </p>
          );
        }
        const problem = problems[def.code];
        const helpLines = helpFor(def, t, lang);
        const describedBy =
          [problem ? error : "", helpLines.length ? hint : ""].filter(Boolean).join(" ") || undefined;
        const title = (
          <>
            {attributeText(lang, def.description, def.descriptionZh)}
            {def.required && <span class="required"> {t("attrRequired")}</span>}
          </>
        );
        const help = helpLines.length ? (
          <p class="hint" id={hint}>
            {/* Chinese sentences follow one another without a space. */}
            {helpLines.join(lang === "en" ? " " : "")}
          </p>
        ) : null;
        const errorText = problem ? (
          <p id={error} class="error">
            {problem}
          </p>
        ) : null;
        const value = answers[def.code];

        if (def.datatype === "singlevaluelist" || def.datatype === "multivaluelist") {
          const multi = def.datatype === "multivaluelist";
          const chosen = Array.isArray(value) ? value : value ? [value] : [];
          const options = [
            ...(multi || def.required ? [] : [{ key: "", name: t("attrNotSure") }]),
            ...(def.values ?? []).map((v) => ({ key: v.key, name: attributeText(lang, v.name, v.nameZh) })),
          ];
          return (
            <fieldset
              key={def.code}
              class="attr-choices"
              data-attribute={def.code}
              aria-describedby={describedBy}
            >
              <legend>{title}</legend>
              {help}
              {options.map((o) => (
                <label key={o.key} class="choice">
                  <input
                    type={multi ? "checkbox" : "radio"}
                    name={id}
                    value={o.key}
                    checked={o.key === "" ? chosen.length === 0 : chosen.includes(o.key)}
                    aria-invalid={problem ? true : undefined}
                    onChange={(e) => {
                      const on = e.currentTarget.checked;
                      if (!multi) onAnswer(def.code, o.key);
                      else onAnswer(def.code, on ? [...chosen, o.key] : chosen.filter((k) => k !== o.key));
                    }}
                  />
                  {o.name}
                </label>
              ))}
              {errorText}
            </fieldset>
          );
        }

        const common = {
          id,
          name: id,
          required: def.required,
          value: typeof value === "string" ? value : "",
          "aria-invalid": problem ? (true as const) : undefined,
          "aria-describedby": describedBy,
          onInput: (e: { currentTarget: HTMLInputElement | HTMLTextAreaElement }) =>
            onAnswer(def.code, e.currentTarget.value),
        };
        return (
          <div key={def.code} class="attr-field" data-attribute={def.code}>
            <label for={id}>{title}</label>
            {help}
            {def.datatype === "text" ? (
              <textarea {...common} rows={3} maxLength={MAX_DESCRIPTION_CHARS} />
            ) : def.datatype === "number" ? (
              <input {...common} type="number" inputMode="decimal" step="any" min={def.min} max={def.max} />
            ) : def.datatype === "datetime" ? (
              <input {...common} type="datetime-local" />
            ) : (
              <input {...common} type="text" maxLength={MAX_ANSWER_LINE_CHARS} />
            )}
            {errorText}
          </div>
        );
      })}
    </section>
  );
}
