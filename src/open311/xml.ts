/**
 * A small XML writer for GeoReport v2 answers: elements named as the spec names them, no
 * namespace, UTF-8, text escaped. Objects become child elements in key order; a list becomes
 * one child per item, named from `itemNames` (the spec's `<services><service>…` pairs).
 */

export type XmlData = string | number | boolean | null | undefined | XmlData[] | { [key: string]: XmlData };

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/** Characters XML 1.0 cannot carry at all, even escaped. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly the characters to remove
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

/** Escapes text for an element's content (and is safe in attribute values too), keeping its CRs. */
export function escapeXml(text: string): string {
  return (
    text
      .replace(FORBIDDEN, "")
      .replaceAll("&", "&amp;")
      .replaceAll("<", "&lt;")
      .replaceAll(">", "&gt;")
      .replaceAll('"', "&quot;")
      .replaceAll("'", "&apos;")
      // Raw, a carriage return would not survive: every XML parser reads CRLF (and a lone CR) as LF
      // (XML 1.0, 2.11), so a description written with CRLF would come back changed.
      .replaceAll("\r", "&#13;")
  );
}

function element(name: string, value: XmlData, itemNames: Readonly<Record<string, string>>): string {
  if (!NAME.test(name)) throw new Error(`not an XML element name: ${name}`);
  if (value === null || value === undefined) return `<${name}/>`;
  if (Array.isArray(value)) {
    const item = itemNames[name];
    if (!item) throw new Error(`no item element name for the list <${name}>`);
    return `<${name}>${value.map((v) => element(item, v, itemNames)).join("")}</${name}>`;
  }
  if (typeof value === "object") {
    const children = Object.entries(value)
      .map(([k, v]) => element(k, v, itemNames))
      .join("");
    return `<${name}>${children}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

/** A whole document with its declaration. */
export function toXml(
  root: string,
  value: XmlData,
  itemNames: Readonly<Record<string, string>> = {},
): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${element(root, value, itemNames)}\n`;
}
