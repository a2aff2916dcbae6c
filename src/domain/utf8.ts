import { AppError } from "./errors";

const strict = new TextDecoder("utf-8", { fatal: true });

/**
 * Bytes as UTF-8 text (a leading BOM dropped), or a 400 naming `field`: bytes that are not UTF-8
 * would be stored as U+FFFD, and a text changed is not the text sent.
 */
export function utf8Text(bytes: Uint8Array, field = "body"): string {
  try {
    return strict.decode(bytes);
  } catch {
    throw new AppError(400, "invalid_encoding", `${field}: is not valid UTF-8`, field);
  }
}

/**
 * A form body's fields (application/x-www-form-urlencoded, as URLSearchParams reads it), or a 400
 * naming the field whose percent-encoded bytes are not UTF-8 (URLSearchParams would store them as
 * U+FFFD without a word).
 */
export function formFields(text: string): [string, string][] {
  const fields: [string, string][] = [];
  for (const part of text.split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const [rawName, rawValue] = eq < 0 ? [part, ""] : [part.slice(0, eq), part.slice(eq + 1)];
    const name = decodeFormPart(rawName, "a field name");
    fields.push([name, decodeFormPart(rawValue, name)]);
  }
  return fields;
}

function decodeFormPart(raw: string, field: string): string {
  const spaced = raw.replaceAll("+", " ");
  try {
    return decodeURIComponent(spaced);
  } catch {
    // A lone "%" not followed by two hex digits is kept as it is, as URLSearchParams keeps it.
    const kept = spaced.replace(/%(?![0-9a-f]{2})/gi, "%25");
    try {
      return decodeURIComponent(kept);
    } catch {
      throw new AppError(400, "invalid_encoding", `${field}: is not valid UTF-8 once percent-decoded`, field);
    }
  }
}
