const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford base32, lower case

// Random bytes drawn 100 ids at a time: a draw per id cost more than the rest of making it.
const POOL = new Uint8Array(1500);
let used = POOL.length;

/** An unguessable id: 120 random bits as 24 base32 characters. */
export function newId(): string {
  if (used === POOL.length) {
    crypto.getRandomValues(POOL);
    used = 0;
  }
  const b = POOL.subarray(used, used + 15);
  used += 15;
  let out = "";
  for (let i = 0; i < 15; i += 5) {
    // 5 bytes = 40 bits = 8 characters, in two halves of 20 bits (bit operations stop at 32)
    const high = ((b[i] as number) << 12) | ((b[i + 1] as number) << 4) | ((b[i + 2] as number) >> 4);
    const low = (((b[i + 2] as number) & 15) << 16) | ((b[i + 3] as number) << 8) | (b[i + 4] as number);
    for (let k = 15; k >= 0; k -= 5) out += ALPHABET[(high >> k) & 31];
    for (let k = 15; k >= 0; k -= 5) out += ALPHABET[(low >> k) & 31];
  }
  return out;
}

/** A secret for a person to copy once (tokens, keys): 192 random bits, URL-safe. */
export function newSecret(prefix: string): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return `${prefix}_${btoa(s).replaceAll("+", "-").replaceAll("/", "_").replaceAll("=", "")}`;
}
