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
export function formFields(text: string, decodePart = decodeFormPart): [string, string][] {
  const fields: [string, string][] = [];
  for (const part of text.split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    const [rawName, rawValue] = eq < 0 ? [part, ""] : [part.slice(0, eq), part.slice(eq + 1)];
    const name = decodePart(rawName, "a field name");
    fields.push([name, decodePart(rawValue, name)]);
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

/**
 * A form body's fields, its bytes read in the charset its Content-Type names (Apache HttpClient 4
 * sends ISO-8859-1 by default, older Chinese clients GBK), UTF-8 when it names none: a 400
 * naming the field whose bytes are not text in that charset, a 415 naming `Content-Type` for a
 * charset this server does not know.
 */
export function formFieldsIn(bytes: Uint8Array, contentType: string): [string, string][] {
  const charset = /;\s*charset\s*=\s*["']?([^"';\s]+)["']?/i.exec(contentType)?.[1]?.toLowerCase();
  // A form is never UTF-16 (a browser submitting a UTF-16 page's form sends UTF-8: WHATWG's
  // "get an output encoding"), so a client naming it means UTF-8.
  if (!charset || /^(utf-?8|utf-16(le|be)?)$/.test(charset)) return formFields(utf8Text(bytes));
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset, { fatal: true });
  } catch {
    throw new AppError(
      415,
      "unsupported_charset",
      `charset ${charset} is not one this server reads`,
      "Content-Type",
    );
  }
  // Each byte as one character, so the percent escapes can be undone into the charset's bytes.
  const text = new TextDecoder("latin1").decode(bytes);
  const decode = (raw: string, field: string) => {
    const out: number[] = [];
    for (let i = 0; i < raw.length; i++) {
      const ch = raw[i] as string;
      if (ch === "%" && /^[0-9a-f]{2}$/i.test(raw.slice(i + 1, i + 3))) {
        out.push(Number.parseInt(raw.slice(i + 1, i + 3), 16));
        i += 2;
      } else out.push(ch === "+" ? 0x20 : ch.charCodeAt(0));
    }
    try {
      return decoder.decode(new Uint8Array(out));
    } catch {
      throw new AppError(
        400,
        "invalid_encoding",
        `${field}: is not valid ${charset} once percent-decoded`,
        field,
      );
    }
  };
  return formFields(text, decode);
}
