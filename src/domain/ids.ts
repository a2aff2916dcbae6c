const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"; // Crockford base32, lower case

/** An unguessable id: 120 random bits as 24 base32 characters. */
export function newId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(15));
  let out = "";
  for (let i = 0; i < bytes.length; i += 5) {
    // 5 bytes = 40 bits = 8 characters
    let chunk = 0n;
    for (let j = 0; j < 5; j++) chunk = (chunk << 8n) | BigInt(bytes[i + j] ?? 0);
    for (let k = 7; k >= 0; k--) out += ALPHABET[Number((chunk >> BigInt(k * 5)) & 31n)];
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
