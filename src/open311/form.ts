/**
 * Reads a GeoReport v2 form body: plain fields by name (one given twice with two values is a 400
 * naming it, rather than read as one of them; the first `media_url` of several, as FixMyStreet
 * sends one per photo), and `attribute[code]` / `attribute[code][]` / `attribute[code][0]` (PHP's
 * `http_build_query` numbers a list's items) gathered into `attribute`. A repeated
 * `attribute[code]` (how FixMyStreet sends a multi-choice answer) keeps every value, as `[]` does.
 * Blank fields count as absent, since form clients send every input whether filled or not.
 * Any other `attribute[…]` name is refused, named; other unknown fields are left to the caller.
 */
import { invalid } from "../domain/errors";

const ATTRIBUTE = /^attribute\[([^\]]+)\](\[\d*\])?$/;

export interface GatheredForm {
  [field: string]: string | Record<string, string | string[]> | undefined;
  attribute: Record<string, string | string[]>;
}

export function gatherForm(fields: Iterable<[string, string]>): GatheredForm {
  // Without a prototype, a code such as `constructor` or `__proto__` is a key like any other.
  const out: GatheredForm = Object.assign(Object.create(null), { attribute: Object.create(null) });
  for (const [name, raw] of fields) {
    const value = raw.trim();
    const m = ATTRIBUTE.exec(name);
    if (m?.[1]) {
      const code = m[1];
      // No object of answers can hold it as a key (a validator would silently drop it).
      if (code === "__proto__") throw invalid(name, `${name}: is not a name an answer can have`);
      const before = out.attribute[code];
      if (!m[2] && before === undefined) {
        if (value) out.attribute[code] = value;
        continue;
      }
      const items = Array.isArray(before) ? before : typeof before === "string" ? [before] : [];
      if (value) items.push(value);
      out.attribute[code] = items;
      continue;
    }
    // `attribute[a][b]`, `attribute[]`: no answer has such a name, and dropping it would lose the
    // answer without a word.
    if (name.startsWith("attribute["))
      throw invalid(
        name,
        `${name}: is not an answer's name (attribute[code], attribute[code][] or attribute[code][0])`,
      );
    if (name === "attribute" || !value) continue;
    // FixMyStreet's multi-photo councils send one `media_url` per photo: the first is the request's.
    if (name === "media_url" && out.media_url !== undefined) continue;
    // Form builders may repeat a hidden input: the same value twice says one thing.
    if (out[name] !== undefined && out[name] !== value)
      throw invalid(name, `${name}: is given more than once; it takes one value`);
    out[name] = value;
  }
  return out;
}

/** The Open311 name of a field of CivicLoop's report input, for error messages. */
export function open311Field(field: string): string {
  if (field.startsWith("attributes.")) return `attribute[${field.slice("attributes.".length)}]`;
  const names: Record<string, string> = {
    service: "service_code",
    lon: "long",
    deviceId: "device_id",
    "contact.email": "email",
    "contact.phone": "phone",
    "contact.name": "first_name",
  };
  return names[field] ?? field;
}
