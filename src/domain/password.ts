/**
 * Password storage: PBKDF2-HMAC-SHA256 with 600,000 iterations, a 16-byte random salt and a
 * 32-byte key (OWASP's recommendation for PBKDF2-SHA256). Stored as
 * `pbkdf2-sha256$<iterations>$<salt b64url>$<key b64url>`: each hash is verified with its own
 * parameters, so raising the iterations later changes new hashes and old ones keep working.
 *
 * Why PBKDF2 rather than scrypt: Workers allow 128 MB per isolate, and OWASP's scrypt settings
 * need 64-128 MB; PBKDF2 needs none. Web Crypto computes it natively (~0.13 s of CPU on Node here);
 * Cloudflare's Workers have refused more than 100,000 iterations in Web Crypto, so there the same
 * function falls back to @noble/hashes (pure JS, ~1.1-1.5 s of CPU: within the paid plan's 30 s per
 * request, not the free plan's 10 ms), which gives the same bytes. `npm run bench -- password`.
 */
import { pbkdf2Async } from "@noble/hashes/pbkdf2";
import { sha256 } from "@noble/hashes/sha2";
import { timingSafeEqual } from "./crypto";

export const PASSWORD_KDF = { name: "pbkdf2-sha256", iterations: 600_000, saltBytes: 16, keyBytes: 32 };

/** Shortest and longest passwords accepted (longer ones only cost hashing time). */
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 200;

/** Orders a password may not simply follow: the digits (round again), the alphabet, the keyboard's rows. */
const RUNS = ["01234567890123456789", "abcdefghijklmnopqrstuvwxyz", "qwertyuiopasdfghjklzxcvbnm"];

/**
 * What makes a password of an accepted length still the first one guessed, in words, or null:
 * blank space, a few characters repeated ("aaaaaaaaaa", "ababababab"), or a run along the digits,
 * the alphabet or the keyboard ("1234567890", "9876543210", "qwertyuiop"). No rules of composition
 * beyond that: length is what makes a password strong.
 */
export function passwordFault(password: string): string | null {
  if (password.trim() === "") return "must not be only spaces";
  if (new Set(password).size < 4) return "must use at least 4 different characters";
  const folded = password.toLowerCase();
  const reversed = [...folded].reverse().join("");
  if (RUNS.some((run) => run.includes(folded) || run.includes(reversed)))
    return "must not be a run of consecutive letters or digits";
  return null;
}

const encoder = new TextEncoder();
const b64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "");
const fromB64url = (text: string) =>
  Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (ch) => ch.charCodeAt(0));

/** PBKDF2-HMAC-SHA256 by Web Crypto (native code; Workers refuse more than 100,000 iterations). */
export async function pbkdf2Native(
  secret: Uint8Array,
  salt: Uint8Array,
  iterations: number,
  keyBytes: number,
) {
  const key = await crypto.subtle.importKey("raw", secret as BufferSource, "PBKDF2", false, ["deriveBits"]);
  const bits = await crypto.subtle.deriveBits(
    { name: "PBKDF2", hash: "SHA-256", salt: salt as BufferSource, iterations },
    key,
    keyBytes * 8,
  );
  return new Uint8Array(bits);
}

/** The same function in pure JavaScript (@noble/hashes): the same bytes, at any iteration count. */
export const pbkdf2Js = (secret: Uint8Array, salt: Uint8Array, iterations: number, keyBytes: number) =>
  pbkdf2Async(sha256, secret, salt, { c: iterations, dkLen: keyBytes });

async function derive(password: string, salt: Uint8Array, iterations: number, keyBytes: number) {
  const secret = encoder.encode(password.normalize("NFC"));
  try {
    return await pbkdf2Native(secret, salt, iterations, keyBytes);
  } catch {
    // Workers: "iteration counts above 100000 are not supported".
    return pbkdf2Js(secret, salt, iterations, keyBytes);
  }
}

/** A new stored hash of `password`, with the current parameters and a fresh salt. */
export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(PASSWORD_KDF.saltBytes));
  const key = await derive(password, salt, PASSWORD_KDF.iterations, PASSWORD_KDF.keyBytes);
  return [PASSWORD_KDF.name, PASSWORD_KDF.iterations, b64url(salt), b64url(key)].join("$");
}

/** Whether `password` matches `stored`; false for anything not in the stored format. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [name, iterations, salt, key] = stored.split("$");
  const n = Number(iterations);
  if (name !== PASSWORD_KDF.name || !salt || !key || !Number.isInteger(n) || n < 1) return false;
  const expected = fromB64url(key);
  const got = await derive(password, fromB64url(salt), n, expected.length);
  return timingSafeEqual(b64url(got), key);
}

/**
 * A stored hash nobody's password matches, verified when an e-mail is unknown, so a sign-in takes
 * as long whether or not the account exists.
 */
export const DUMMY_HASH = `${PASSWORD_KDF.name}$${PASSWORD_KDF.iterations}$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA`;
