import { useState } from "preact/hooks";
import { ATTRIBUTE_DATATYPES, type AttributeDatatype } from "../../../src/domain/attributes";
import { useFocusNext } from "../lib/use-focus-next";
import type { AdminKey } from "./text";
import { useAdminText } from "./text";

/** A question as the JSON holds it: anything typed there is kept, the editor changes only its own fields. */
type Question = Record<string, unknown>;
type Choice = Record<string, unknown>;

const LISTS = new Set<unknown>(["singlevaluelist", "multivaluelist"]);
const TYPE_WORDS: Record<AttributeDatatype, AdminKey> = {
  string: "adminTypeString",
  text: "adminTypeText",
  number: "adminTypeNumber",
  datetime: "adminTypeDatetime",
  singlevaluelist: "adminTypeSingle",
  multivaluelist: "adminTypeMulti",
};
/** Optional texts: left out when empty (the API refuses an empty one). */
const OPTIONAL = ["descriptionZh", "datatypeDescription", "datatypeDescriptionZh", "nameZh"];

const str = (v: unknown) => (typeof v === "string" || typeof v === "number" ? String(v) : "");
const orderOf = (q: Question) => (typeof q.order === "number" ? q.order : Number.MAX_SAFE_INTEGER);

/** The questions in the order residents see them (by `order`), or null when the JSON is not a list. */
export function questionsOf(json: string): Question[] | null {
  try {
    const parsed: unknown = json.trim() ? JSON.parse(json) : [];
    if (!Array.isArray(parsed) || !parsed.every((q) => q && typeof q === "object" && !Array.isArray(q)))
      return null;
    return [...(parsed as Question[])].sort((a, b) => orderOf(a) - orderOf(b));
  } catch {
    return null;
  }
}

/** A question or choice without its emptied optional texts, and with only the fields its kind takes. */
function tidy<T extends Record<string, unknown>>(item: T): T {
  const out: Record<string, unknown> = { ...item };
  for (const k of OPTIONAL) if (out[k] === "") delete out[k];
  for (const k of ["min", "max"]) if (out[k] === "" || out.datatype !== "number") delete out[k];
  if ("datatype" in out) {
    if (!LISTS.has(out.datatype)) delete out.values;
    else if (!Array.isArray(out.values) || out.values.length === 0) out.values = [{ key: "", name: "" }];
  }
  return out as T;
}

/**
 * A service's questions field by field: each question's code, kind of answer, words in English and
 * Chinese, bounds or choices, in the order residents see them. It edits the same JSON the box below
 * it holds (anything else typed there is kept); the server checks the result when it is saved.
 */
export function QuestionsEditor({ json, onJson }: { json: string; onJson: (json: string) => void }) {
  const { ta } = useAdminText();
  const focusNext = useFocusNext();
  const list = questionsOf(json);
  const [setAside] = useState(() => new Map<string, Question>());
  if (list === null) return <p class="hint">{ta("adminQuestionsFixJson")}</p>;
  // Orders follow the positions: 1, 2, 3…
  const write = (next: Question[]) =>
    onJson(
      next.length
        ? JSON.stringify(
            next.map((q, i) => ({ ...q, order: i + 1 })),
            null,
            2,
          )
        : "",
    );
  const update = (i: number, patch: Question) =>
    write(list.map((q, j) => (j === i ? tidy({ ...q, ...patch }) : q)));
  // A kind of answer that takes no choices (or bounds) drops them from the JSON; they are kept
  // here, by the question's code, so a kind picked by mistake and picked back loses nothing typed.
  // A question without a code yet has nothing to keep them by (its place moves with the list).
  const changeKind = (i: number, datatype: string) => {
    const q = list[i] as Question;
    const key = str(q.code);
    if (!key) return update(i, { datatype });
    const kept = { ...setAside.get(key) };
    // What the kind left behind takes, as it stands: a bound cleared on purpose stays cleared.
    for (const k of LISTS.has(q.datatype) ? ["values"] : q.datatype === "number" ? ["min", "max"] : [])
      kept[k] = q[k];
    setAside.set(key, kept);
    update(i, { ...kept, datatype });
  };
  const choicesOf = (q: Question): Choice[] => (Array.isArray(q.values) ? (q.values as Choice[]) : []);
  const updateChoice = (i: number, k: number, patch: Choice) =>
    update(i, {
      values: choicesOf(list[i] as Question).map((c, j) => (j === k ? tidy({ ...c, ...patch }) : c)),
    });
  const focusQuestion = (n: number, field: string) =>
    focusNext(() => document.querySelector<HTMLElement>(`[data-question="${n}"] [name="${field}"]`));
  const move = (i: number, by: -1 | 1) => {
    const next = [...list];
    [next[i], next[i + by]] = [next[i + by] as Question, next[i] as Question];
    // The keyboard goes with the question: its same button, or the other one at the list's end.
    const at = `[data-question="${i + by}"]`;
    const [same, other] = by < 0 ? ["up", "down"] : ["down", "up"];
    focusNext(
      () =>
        document.querySelector<HTMLElement>(`${at} [name="${same}"]`) ??
        document.querySelector<HTMLElement>(`${at} [name="${other}"]`),
    );
    write(next);
  };
  const text = (i: number, key: string, label: AdminKey, lang: string, rows = 0) => {
    const q = list[i] as Question;
    const onInput = (e: { currentTarget: { value: string } }) => update(i, { [key]: e.currentTarget.value });
    return rows ? (
      <label>
        {ta(label)}
        <textarea name={key} rows={rows} lang={lang} value={str(q[key])} onInput={onInput} />
      </label>
    ) : (
      <label>
        {ta(label)}
        <input name={key} lang={lang} value={str(q[key])} onInput={onInput} />
      </label>
    );
  };
  const bound = (i: number, key: "min" | "max", label: AdminKey) => (
    <NumberText
      label={ta(label)}
      name={key}
      value={(list[i] as Question)[key]}
      onValue={(v) => update(i, { [key]: v ?? "" })}
    />
  );

  return (
    <div class="questions-editor">
      {list.map((q, i) => {
        const n = i + 1;
        return (
          <fieldset key={i} data-question={i}>
            <legend>{ta("adminQuestionN", { n, code: str(q.code) })}</legend>
            <div class="row">
              <label>
                {ta("adminQuestionCode")}
                <input
                  name="code"
                  value={str(q.code)}
                  onInput={(e) => update(i, { code: e.currentTarget.value })}
                  spellcheck={false}
                />
              </label>
              <label>
                {ta("adminQuestionType")}
                <select
                  name="datatype"
                  value={str(q.datatype)}
                  onChange={(e) => changeKind(i, e.currentTarget.value)}
                >
                  {ATTRIBUTE_DATATYPES.map((t) => (
                    <option key={t} value={t}>
                      {ta(TYPE_WORDS[t])}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            {text(i, "description", "adminQuestionText", "en", 2)}
            {text(i, "descriptionZh", "adminQuestionTextZh", "zh-CN", 2)}
            {text(i, "datatypeDescription", "adminQuestionHint", "en")}
            {text(i, "datatypeDescriptionZh", "adminQuestionHintZh", "zh-CN")}
            <label class="check">
              <input
                type="checkbox"
                name="required"
                checked={q.required === true}
                onChange={(e) => update(i, { required: e.currentTarget.checked })}
              />
              {ta("adminQuestionRequired")}
            </label>
            <label class="check">
              <input
                type="checkbox"
                name="variable"
                checked={q.variable !== false}
                onChange={(e) => update(i, { variable: e.currentTarget.checked })}
              />
              {ta("adminQuestionVariable")}
            </label>
            {q.datatype === "number" && (
              <div class="row">
                {bound(i, "min", "adminQuestionMin")}
                {bound(i, "max", "adminQuestionMax")}
              </div>
            )}
            {LISTS.has(q.datatype) && (
              <fieldset class="choices">
                <legend>{ta("adminChoices")}</legend>
                {choicesOf(q).map((c, k) => (
                  <div class="row" key={k} data-choice={k}>
                    {(["key", "name", "nameZh"] as const).map((field) => (
                      <label key={field}>
                        {ta(
                          field === "key"
                            ? "adminChoiceKey"
                            : field === "name"
                              ? "adminChoiceName"
                              : "adminChoiceNameZh",
                        )}
                        <input
                          name={field}
                          lang={field === "nameZh" ? "zh-CN" : field === "name" ? "en" : undefined}
                          value={str(c[field])}
                          onInput={(e) => updateChoice(i, k, { [field]: e.currentTarget.value })}
                        />
                      </label>
                    ))}
                    {choicesOf(q).length > 1 && (
                      <button
                        type="button"
                        onClick={() => {
                          focusQuestion(i, "add-choice");
                          update(i, { values: choicesOf(q).filter((_, j) => j !== k) });
                        }}
                      >
                        {ta("adminChoiceRemove", { n: k + 1 })}
                      </button>
                    )}
                  </div>
                ))}
                <button
                  type="button"
                  name="add-choice"
                  onClick={() => {
                    focusNext(() =>
                      document.querySelector<HTMLElement>(
                        `[data-question="${i}"] [data-choice]:last-of-type [name="key"]`,
                      ),
                    );
                    update(i, { values: [...choicesOf(q), { key: "", name: "" }] });
                  }}
                >
                  {ta("adminChoiceAdd")}
                </button>
              </fieldset>
            )}
            <div class="row">
              {i > 0 && (
                <button type="button" name="up" onClick={() => move(i, -1)}>
                  {ta("adminQuestionUp", { n })}
                </button>
              )}
              {i < list.length - 1 && (
                <button type="button" name="down" onClick={() => move(i, 1)}>
                  {ta("adminQuestionDown", { n })}
                </button>
              )}
              <button
                type="button"
                onClick={() => {
                  focusNext(() => document.querySelector<HTMLElement>('[name="add-question"]'));
                  write(list.filter((_, j) => j !== i));
                }}
              >
                {ta("adminQuestionRemove", { n })}
              </button>
            </div>
          </fieldset>
        );
      })}
      <button
        type="button"
        name="add-question"
        onClick={() => {
          focusQuestion(list.length, "code");
          write([
            ...list,
            { code: `question_${list.length + 1}`, datatype: "string", required: false, description: "" },
          ]);
        }}
      >
        {ta("adminQuestionAdd")}
      </button>
    </div>
  );
}

/**
 * A number typed as text: what is typed stays as typed ("0.0", "1.", "-") while it is on its way
 * to a number; the JSON gets the number it reads as (none while empty or not yet one).
 */
function NumberText({
  label,
  name,
  value,
  onValue,
}: {
  label: string;
  name: string;
  value: unknown;
  onValue: (v: number | undefined) => void;
}) {
  const [text, setText] = useState(str(value));
  // Changed from elsewhere (the JSON box, another question moved here): shown as it now is.
  const shown = numberIn(text) === value ? text : str(value);
  return (
    <label>
      {label}
      <input
        type="text"
        inputMode="decimal"
        name={name}
        value={shown}
        onInput={(e) => {
          setText(e.currentTarget.value);
          onValue(numberIn(e.currentTarget.value));
        }}
      />
    </label>
  );
}

/** The number a text reads as, if it is one yet. */
function numberIn(text: string): number | undefined {
  const n = Number(text);
  return text.trim() === "" || !Number.isFinite(n) ? undefined : n;
}
