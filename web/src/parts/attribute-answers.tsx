import { Fragment } from "preact";
import type { AttributeDefinition } from "../../../src/domain/attributes";
import { attributeText } from "../i18n/attribute-text";
import { useI18n } from "../i18n/i18n";

/** The answers a report gave to its service's questions, in the questions' order, as text. */
export function AttributeAnswers({
  questions,
  answers,
  mine,
}: {
  questions: AttributeDefinition[];
  answers: Record<string, unknown>;
  /** This device sent the report: "Your answers", else "The reporter's answers". */
  mine: boolean;
}) {
  const { t, lang, formatTime } = useI18n();
  const answered = [...questions]
    .sort((a, b) => a.order - b.order)
    .filter((q) => q.variable !== false && answers[q.code] !== undefined);
  if (answered.length === 0) return null;
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
  return (
    <>
      <h2>{t(mine ? "yourAnswers" : "reporterAnswers")}</h2>
      <dl class="facts" data-testid="answers">
        {answered.map((q) => (
          <Fragment key={q.code}>
            <dt>{attributeText(lang, q.description, q.descriptionZh)}</dt>
            <dd>{shown(q)}</dd>
          </Fragment>
        ))}
      </dl>
    </>
  );
}
