/** Where a filled-in value already ends a sentence ("路面坑洼。", "Too long."). */
const ENDS_SENTENCE = /[。！？.!?…]$/;
/** A placeholder, what may close around it (a quote, a bracket), and the template's own full stop. */
const PLACEHOLDER = /\{(\w+)\}([”"’』」)）]?)([。.](?!\.))?/g;

/**
 * A message with its `{name}` placeholders filled in. A value that ends its own sentence keeps
 * its stop and the template's is dropped, so a resident's "路面坑洼。" inside "“{text}”。" does
 * not read "。”。" and a server's "Too long." inside "({message})." not ".).".
 */
export function fill(template: string, values?: Record<string, string | number>): string {
  return template.replace(PLACEHOLDER, (whole, k: string, close: string, stop: string | undefined) => {
    if (!values || !(k in values)) return whole;
    const value = String(values[k]);
    return value + close + (stop && !ENDS_SENTENCE.test(value.trimEnd()) ? stop : "");
  });
}
