/**
 * Keys a JSON object gives twice. `JSON.parse` keeps the last value without a word, so
 * `{"service":"pothole","service":"graffiti"}` would be read as whichever came last, while a proxy,
 * a log or another parser may have read the first: such a body is refused (I-JSON, RFC 7493, makes
 * names unique), as a query parameter given twice is.
 */

interface Frame {
  /** The object's keys so far; null for an array. */
  keys: Set<string> | null;
  path: string;
  /** The object's latest key, or the array's index: where a value opening now sits. */
  at: string | number;
  /** In an object, whether the next string is a key. */
  keyNext: boolean;
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/** The index of the quote closing the string that opens at `start`. */
function closingQuote(text: string, start: number): number {
  let end = text.indexOf('"', start + 1);
  for (;;) {
    let slashes = 0;
    while (text.charCodeAt(end - 1 - slashes) === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return end;
    end = text.indexOf('"', end + 1);
  }
}

const member = (path: string, key: string | number, brackets: boolean) =>
  brackets && typeof key === "number" ? `${path}[${key}]` : `${path}${path ? "." : ""}${key}`;

/**
 * The path of the first key given twice in one object of `text`, which must be valid JSON (parse
 * it first): `contact.email`, or with `brackets` `events[3].lat`; null when every key is unique.
 * One pass over the text, reading only the keys.
 */
export function repeatedKey(text: string, brackets = false): string | null {
  const frames: Frame[] = [];
  let top: Frame | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === QUOTE) {
      const end = closingQuote(text, i);
      if (top?.keys && top.keyNext) {
        const raw = text.slice(i + 1, end);
        const key = raw.includes("\\") ? (JSON.parse(text.slice(i, end + 1)) as string) : raw;
        if (top.keys.has(key)) return member(top.path, key, brackets);
        top.keys.add(key);
        top.at = key;
        top.keyNext = false;
      }
      i = end;
    } else if (ch === 0x7b || ch === 0x5b) {
      // `{` or `[`: a value opens, in its parent's current place.
      const path = top ? member(top.path, top.at, brackets) : "";
      top = { keys: ch === 0x7b ? new Set() : null, path, at: 0, keyNext: ch === 0x7b };
      frames.push(top);
    } else if (ch === 0x7d || ch === 0x5d) {
      frames.pop();
      top = frames[frames.length - 1];
    } else if (ch === 0x2c && top) {
      // `,`: the next member of an object starts with its key, the next element of an array is one on.
      if (top.keys) top.keyNext = true;
      else top.at = (top.at as number) + 1;
    }
  }
  return null;
}

/** JSON's whitespace: space, line feed, carriage return, tab. */
const isSpace = (ch: number) => ch === 0x20 || ch === 0x0a || ch === 0x0d || ch === 0x09;

/**
 * How many members the objects of `text` (valid JSON: parse it first) hold in all, each key as
 * often as it is given: more than the parsed value's keys when a key is given twice. Counting
 * the strings followed by a colon is a fifth of `repeatedKey`'s cost (no key is kept), for a
 * large body whose parsed shape tells its key count at once (a sensor upload's).
 */
export function memberCount(text: string): number {
  let n = 0;
  for (let q = text.indexOf('"'); q >= 0; q = text.indexOf('"', q + 1)) {
    q = closingQuote(text, q);
    let next = q + 1;
    while (isSpace(text.charCodeAt(next))) next++;
    if (text.charCodeAt(next) === 0x3a) n++;
  }
  return n;
}
