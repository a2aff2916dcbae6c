/** Hashing with Web Crypto, available alike on Node and Workers (and pure-JS HMAC for many short texts). */
import { hmac } from "@noble/hashes/hmac";
import { sha256 } from "@noble/hashes/sha2";

const encoder = new TextEncoder();

const toHex = (buf: ArrayBuffer) =>
  [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");

export async function sha256Hex(text: string): Promise<string> {
  return toHex(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

// Importing a key costs as much as signing with it; a process uses only a few secrets.
const hmacKeys = new Map<string, Promise<CryptoKey>>();

export async function hmacSha256Hex(secret: string, text: string): Promise<string> {
  let key = hmacKeys.get(secret);
  if (!key) {
    if (hmacKeys.size > 100) hmacKeys.clear();
    key = crypto.subtle.importKey("raw", encoder.encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
    ]);
    hmacKeys.set(secret, key);
  }
  return toHex(await crypto.subtle.sign("HMAC", await key, encoder.encode(text)));
}

/**
 * HMAC-SHA256 of many short texts under one secret, synchronously: the same hex as
 * `hmacSha256Hex`, but a Web Crypto call costs ~60 µs of dispatch each, and a sensor upload
 * hashes hundreds of cells. The keyed state is made once and cloned per text.
 */
export function hmacSha256Hasher(secret: string): (text: string) => string {
  const keyed = hmac.create(sha256, encoder.encode(secret));
  return (text) => toHex(keyed.clone().update(encoder.encode(text)).digest().buffer as ArrayBuffer);
}

/** Compares two strings in time that does not depend on where they differ. */
export function timingSafeEqual(a: string, b: string): boolean {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}
