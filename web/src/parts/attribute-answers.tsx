import { Fragment } from "preact";
import type { AttributeDefinition } from "../../../src/domain/attributes";
import { attributeText } from "../i18n/attribute-text";
import { useI18n } from "../i18n/i18n";

/**
 * The answers a report gave to its service's questions, in the questions' order, as text; with
 * `others`, also what else the reporter's app sent as attributes (Open311 clients add their own),
 * by name, after them.
 */
export function AnswerList({
  questions,
  answers,
  others = false,
}: {
  questions: readonly AttributeDefinition[];
  answers: Record<string, unknown>;
  others?: boolean;
}) {
  const { t, lang, formatTime } = useI18n();
  const answered = [...questions]
    .sort((a, b) => a.order - b.order)
    .filter((q) => q.variable !== false && answers[q.code] !== undefined);
  const asked = new Set(questions.map((q) => q.code));
  const extra = others ? Object.keys(answers).filter((code) => !asked.has(code)) : [];
  if (answered.length === 0 && extra.length === 0) return null;
  const shown = (q: AttributeDefinition): string => {
    const value = answers[q.code];
    const nameOf = (key: unknown) => {
      const option = q.values?.find((v) => v.key === key);
      return option ? attributeText(lang, option.name, option.nameZh) : String(key);
    };
    if (Array.isArray(value)) return value.map(nameOf).join(t("listSeparator"));
    if (q.values) return nameOf(value);
    if (q.datatype === "datetime" && typeof value === "string") return formatTime(value);
    return String(value);
  };
  const plain = (value: unknown) => (Array.isArray(value) ? value.join(t("listSeparator")) : String(value));
  return (
    <dl class="facts" data-testid="answers">
      {answered.map((q) => (
        <Fragment key={q.code}>
          <dt>{attributeText(lang, q.description, q.descriptionZh)}</dt>
          <dd>{shown(q)}</dd>
        </Fragment>
      ))}
      {extra.map((code) => (
        <Fragment key={code}>
          <dt data-extra="">
            <code>{code}</code> <span class="muted">{t("extraAttribute")}</span>
          </dt>
          <dd>{plain(answers[code])}</dd>
        </Fragment>
      ))}
    </dl>
  );
}

/** A report's answers under a heading: "Your answers" on the device that sent it, else "The reporter's answers". */
export function AttributeAnswers({
  questions,
  answers,
  mine,
}: {
  questions: AttributeDefinition[];
  answers: Record<string, unknown>;
  mine: boolean;
}) {
  const { t } = useI18n();
  const answered = questions.some((q) => q.variable !== false && answers[q.code] !== undefined);
  if (!answered) return null;
  return (
    <>
      <h2>{t(mine ? "yourAnswers" : "reporterAnswers")}</h2>
      <AnswerList questions={questions} answers={answers} />
    </>
  );
}
