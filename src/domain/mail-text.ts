/**
 * Outside words in plain-text mail. A resident's (or a department's) words are put into mails
 * that also carry the system's own fields and links; unmarked, their line breaks could write lines
 * that read as those fields ("Place: …", "Public page: https://…"). Pure.
 */

/** Every line break Unicode has (a mail reader or header parser may take any of them as one). */
const BREAKS = "\\r\\n\\u0085\\u2028\\u2029";
const ANY_BREAK = new RegExp(`\\r\\n|[${BREAKS}]`, "g");
const BREAK_RUN = new RegExp(`[${BREAKS}]+`, "g");
const A_BREAK = new RegExp(`[${BREAKS}]`);

/** Whether `text` holds a line break. */
export const hasLineBreak = (text: string): boolean => A_BREAK.test(text);

/** Each line of `words` marked "> ", blank runs made one blank line, so none passes for the mail's own. */
export function quoted(words: string): string {
  const lines = words
    .replace(ANY_BREAK, "\n")
    .split("\n")
    .map((line) => line.trimEnd());
  const kept = lines.filter((line, i) => line.trim() !== "" || (i > 0 && (lines[i - 1] ?? "").trim() !== ""));
  while (kept.length > 0 && (kept[kept.length - 1] ?? "").trim() === "") kept.pop();
  return kept.map((line) => (line.trim() === "" ? ">" : `> ${line}`)).join("\n");
}

/** A subject or a field on one line: a line break in a mail's header would start another header. */
export const oneLine = (text: string): string => text.replace(BREAK_RUN, " ");
