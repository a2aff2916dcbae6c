import { type AttributeDefinition, sortedDefinitions } from "../../../src/domain/attributes";
import { attributeText } from "../i18n/attribute-text";
import { useAdminText } from "./text";

const LANGS = [
  { lang: "en", page: "en", title: "adminQuestionsEn" },
  { lang: "zh-CN", page: "zh", title: "adminQuestionsZh" },
] as const;

/**
 * The service's questions as residents will read them, in both languages, as their JSON is typed:
 * an administrator sees which texts have no Chinese (Chinese readers then get the English) before
 * saving. The server checks the rest.
 */
export function QuestionsPreview({ json }: { json: string }) {
  const { ta } = useAdminText();
  let questions: AttributeDefinition[] | null;
  try {
    const parsed: unknown = json.trim() ? JSON.parse(json) : [];
    questions = Array.isArray(parsed)
      ? parsed.filter((q): q is AttributeDefinition => typeof q?.description === "string")
      : null;
  } catch {
    questions = null;
  }
  if (questions === null)
    return (
      <p class="hint" data-questions-preview="invalid">
        {ta("adminQuestionsNotYet")}
      </p>
    );
  if (questions.length === 0) return null;
  const missing = (zh: string | undefined, lang: string) =>
    lang === "zh-CN" && !zh ? <span class="muted"> {ta("adminUntranslated")}</span> : null;
  return (
    <div class="questions-preview" data-questions-preview="">
      <p class="hint">{ta("adminQuestionsPreview")}</p>
      <div class="row">
        {LANGS.map(({ lang, page, title }) => (
          <section key={lang} lang={page}>
            <h4>{ta(title)}</h4>
            <ol>
              {sortedDefinitions(questions).map((q) => (
                <li key={q.code}>
                  {attributeText(lang, q.description, q.descriptionZh)}
                  {missing(q.descriptionZh, lang)}
                  {Array.isArray(q.values) && (
                    <ul>
                      {q.values.map((v) => (
                        <li key={v.key}>
                          {attributeText(lang, v.name, v.nameZh)}
                          {missing(v.nameZh, lang)}
                        </li>
                      ))}
                    </ul>
                  )}
                </li>
              ))}
            </ol>
          </section>
        ))}
      </div>
    </div>
  );
}
