/**
 * The language of a resident's words, for their element's `lang`: a screen reader set for the
 * page's language reads the other one badly or not at all (WCAG 3.1.2). Han characters make it
 * Chinese, Latin letters without them English; words with neither (digits, emoji) get none.
 */
export function wordsLang(text: string): "zh" | "en" | undefined {
  if (/\p{Script=Han}/u.test(text)) return "zh";
  return /[A-Za-z]/.test(text) ? "en" : undefined;
}
