/**
 * The text of a service's extra questions (Open311 attributes) in the reader's language. Open311
 * keeps one string per question and option; the city may add its Chinese beside it
 * (`descriptionZh`, `nameZh`, `datatypeDescriptionZh`), and a text it left untranslated is shown
 * as written.
 */
import type { Lang } from "./messages";

export function attributeText(lang: Lang, text: string, zh: string | undefined): string {
  return lang === "zh-CN" && zh ? zh : text;
}
