const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford base32, lower case

const ID_BYTES = 15;

/** The id in 15 bytes from `at`: each 5 bytes (40 bits) as 8 characters. */
function idOf(bytes: Uint8Array, at: number): string {
  let out = "";
  for (let i = at; i < at + ID_BYTES; i += 5) {
    // Two halves of 20 bits each: exact in a double, no BigInt needed.
    const hi = (bytes[i] as number) * 4096 + (bytes[i + 1] as number) * 16 + ((bytes[i + 2] as number) >> 4);
    const lo =
      ((bytes[i + 2] as number) & 15) * 65536 + (bytes[i + 3] as number) * 256 + (bytes[i + 4] as number);
    for (const half of [hi, lo]) {
      for (let k = 3; k >= 0; k--) out += ALPHABET[(half >> (k * 5)) & 31];
    }
  }
  return out;
}

/** An unguessable id: 120 random bits as 24 base32 characters. */
export const newId = (): string => idOf(crypto.getRandomValues(new Uint8Array(ID_BYTES)), 0);

/** `n` independent ids from one draw of randomness (the sensor intake needs hundreds at once). */
export function newIds(n: number): string[] {
  const bytes = new Uint8Array(ID_BYTES * n);
  // getRandomValues fills at most 65536 bytes a call.
  for (let at = 0; at < bytes.length; at += 65535) crypto.getRandomValues(bytes.subarray(at, at + 65535));
  return Array.from({ length: n }, (_, i) => idOf(bytes, i * ID_BYTES));
}

/** A secret for a person to copy once (tokens, keys): 192 random bits, URL-safe. */
export function newSecret(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return `${prefix}_${btoa(s).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "")}`;
}
