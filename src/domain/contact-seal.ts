/**
 * Reporters' contact details encrypted at rest (AES-256-GCM through Web Crypto, alike on Node and
 * Workers) with a key that is never in the database (`CONTACT_KEY`): a copy of the database, or a
 * backup of it, does not reveal who reported. Each value is bound to its report and field (the
 * additional data), so a sealed value moved to another row or column does not open.
 */
const PREFIX = "v1.";
const encoder = new TextEncoder();

const base64 = (b: Uint8Array) => btoa(String.fromCharCode(...b));
const unbase64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

const keys = new Map<string, Promise<CryptoKey>>();

/** The AES key for a secret (its SHA-256), imported once per process. */
export function contactKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) {
    key = crypto.subtle
      .digest("SHA-256", encoder.encode(secret))
      .then((raw) => crypto.subtle.importKey("raw", raw, "AES-GCM", false, ["encrypt", "decrypt"]));
    keys.set(secret, key);
  }
  return key;
}

const aad = (reportId: string, field: string) => encoder.encode(`${reportId}/${field}`);

/** A value sealed for one report's field: `v1.` and base64 of the nonce and the ciphertext. */
export async function sealContact(secret: string, reportId: string, field: string, value: string) {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: aad(reportId, field) },
    await contactKey(secret),
    encoder.encode(value),
  );
  const out = new Uint8Array(12 + sealed.byteLength);
  out.set(iv);
  out.set(new Uint8Array(sealed), 12);
  return PREFIX + base64(out);
}

/**
 * A resident's private value as it is stored: sealed for its report's field with the key; not
 * kept at all with a null key (a Worker without `CONTACT_KEY`); as given with none (tests).
 */
export async function sealedValue(
  key: string | null | undefined,
  reportId: string,
  field: string,
  value: string | null | undefined,
): Promise<string | null> {
  if (value === null || value === undefined || key === null) return null;
  return key === undefined ? value : sealContact(key, reportId, field, value);
}

/** The value sealed by `sealContact`; throws when the key, the report or the field is another. */
export async function openContact(secret: string, reportId: string, field: string, sealed: string) {
  if (!sealed.startsWith(PREFIX)) return sealed; // stored before encryption was turned on
  const bytes = unbase64(sealed.slice(PREFIX.length));
  const plain = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: bytes.subarray(0, 12), additionalData: aad(reportId, field) },
    await contactKey(secret),
    bytes.subarray(12),
  );
  return new TextDecoder().decode(plain);
}

/** Whether the key opens a value sealed for that report's field. */
export const keyOpens = (secret: string, reportId: string, field: string, sealed: string) =>
  openContact(secret, reportId, field, sealed).then(
    () => true,
    () => false,
  );
