/**
 * Sizes of JSON strings in UTF-8 without writing them, so an answer can choose where to cut many
 * strings to fit a size by adding numbers (`routes/map.ts`: a street view's words).
 */

const isHigh = (u: number) => u >= 0xd800 && u <= 0xdbff;
const isLow = (u: number) => u >= 0xdc00 && u <= 0xdfff;

/** The UTF-8 bytes of one UTF-16 unit as `JSON.stringify` writes it inside a string, alone. */
function unitBytes(u: number): number {
  if (u === 0x22 || u === 0x5c) return 2; // \" and \\
  // \b \t \n \f \r; the other control characters as \u00XX.
  if (u < 0x20) return u === 8 || u === 9 || u === 10 || u === 12 || u === 13 ? 2 : 6;
  if (u < 0x80) return 1;
  if (u < 0x800) return 2;
  // A surrogate not in a pair is written escaped (\udXXX); a pair is 4 bytes (below).
  if (isHigh(u) || isLow(u)) return 6;
  return 3;
}

/**
 * For each k from 0 to the length, the UTF-8 bytes of `JSON.stringify(text.slice(0, k))` less its
 * two quotes. A cut between the two halves of a pair leaves a lone surrogate, written escaped.
 */
export function jsonPrefixBytes(text: string): Uint32Array {
  const bytes = new Uint32Array(text.length + 1);
  for (let k = 0; k < text.length; k++) {
    const u = text.charCodeAt(k);
    const paired = isLow(u) && k > 0 && isHigh(text.charCodeAt(k - 1));
    bytes[k + 1] = paired ? (bytes[k - 1] as number) + 4 : (bytes[k] as number) + unitBytes(u);
  }
  return bytes;
}
