/** Hashing (SHA-256, HMAC-SHA256): pure JS (@noble/hashes and `hmac-sha256.ts`) alike on Node and Workers, or a runtime's native code where one is handed in. */
import { sha256 } from "@noble/hashes/sha2";
import { fastHmacSha256Hasher, fastHmacSha256Int52Hasher } from "./hmac-sha256";

const encoder = new TextEncoder();

const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, "0"));
const toHex = (buf: ArrayBuffer) => {
  let out = "";
  for (const b of new Uint8Array(buf)) out += HEX[b];
  return out;
};

/** SHA-256 and HMAC-SHA256 as hex, done by a runtime's native code (Node's `crypto`). */
export interface NativeHashing {
  sha256Hex(text: string): string;
  hmacSha256Hex(secret: string, text: string): string;
}

let native: NativeHashing | null = null;

/**
 * Hands in a runtime's native hashing, synchronous and with the same output as the pure JS here
 * (the Node entry does, `src/node/native-hashing.ts`); null goes back to pure JS. A report hashes
 * four or five short texts, which pure JS did at about twice Node's CPU.
 */
export function useNativeHashing(hashing: NativeHashing | null): void {
  native = hashing;
  hmacHashers.clear();
}

/** Above this many bytes Web Crypto's native digest beats pure JS despite its dispatch. */
const NATIVE_DIGEST_BYTES = 4096;

export async function sha256Hex(text: string): Promise<string> {
  if (native) return native.sha256Hex(text);
  const bytes = encoder.encode(text);
  // A sensor upload's request hash covers ~70 kB: pure JS took ~2 ms of it.
  if (bytes.length > NATIVE_DIGEST_BYTES) return toHex(await crypto.subtle.digest("SHA-256", bytes));
  return toHex(sha256(bytes).buffer as ArrayBuffer);
}

// A report's intake hashes five short texts under two or three secrets (issue 18's profile: Web
// Crypto's ~60 µs dispatch per call was a tenth of an intake), so the keyed state of each secret is
// kept, and the hashing is synchronous pure JS with the same output, or the runtime's native code
// where one was handed in (Node's, about half the CPU on short texts). The functions stay async so
// callers need not change if a runtime ever needs Web Crypto again.
const hmacHashers = new Map<string, (text: string) => string>();

export async function hmacSha256Hex(secret: string, text: string): Promise<string> {
  if (native) return native.hmacSha256Hex(secret, text);
  let hasher = hmacHashers.get(secret);
  if (!hasher) {
    if (hmacHashers.size > 100) hmacHashers.clear();
    hasher = hmacSha256Hasher(secret);
    hmacHashers.set(secret, hasher);
  }
  return hasher(text);
}

/**
 * HMAC-SHA256 of many short texts under one secret, synchronously: the same hex as
 * `hmacSha256Hex` (which keeps one per secret), for a caller with a fresh secret (the daily one);
 * a Web Crypto call costs ~60 µs of dispatch each, and a sensor upload hashes hundreds of cells.
 * The keyed states are made once; a text costs two compressions and no allocation but its hex
 * (1.6 µs a sensor cell: cheaper than a native call that keys itself again for every text).
 */
export const hmacSha256Hasher = (secret: string): ((text: string) => string) => fastHmacSha256Hasher(secret);

/** As `hmacSha256Hasher`, the digest's first 52 bits as an integer (its hex's first 13 digits). */
export const hmacSha256Int52Hasher = (secret: string): ((text: string) => number) =>
  fastHmacSha256Int52Hasher(secret);

/** Compares two strings in time that does not depend on where they differ. */
export function timingSafeEqual(a: string, b: string): boolean {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}
