/**
 * Trusted staff devices (the "device cookie" against lockout): a browser that signed in to an
 * account with its password gets a credential bound to that account, so its later failed
 * attempts count against a budget of its own instead of the account's shared one. Guesses from
 * anywhere else cannot then lock the account's owner out of the browsers they use.
 *
 * A credential names the account by the hash of its e-mail (the key of its shared budget) and the
 * account's device epoch, which grows when its password changes or it is disabled: credentials of
 * an older epoch are no longer trusted. It is signed with a key derived from the server's
 * reporter secret, so a made-up or altered one is worthless.
 *
 * Form: `sd1.<account hash>.<epoch>.<nonce>.<signature>`, about 180 characters. A browser keeps
 * those of its few most recent accounts in one cookie, `~`-separated (a shared desk's clerks).
 */
import { hmacSha256Hex, timingSafeEqual } from "./crypto";
import { newId } from "./ids";

const VERSION = "sd1";
const SHAPE = /^sd1\.([0-9a-f]{64})\.(\d{1,15})\.([0-9a-z]{24})\.([0-9a-f]{64})$/;

/** The cookie's name; it is sent to the sign-in routes only (`Path=/api/auth`). */
export const STAFF_DEVICE_COOKIE = "civicloop_staff_device";
/** How long a browser stays trusted after its last sign-in. */
export const STAFF_DEVICE_MS = 180 * 24 * 60 * 60 * 1000;
/** Accounts a browser is trusted for at once; the least recently signed-in one goes first. */
export const STAFF_DEVICE_ACCOUNTS = 5;

/** Derived, so a credential's signature never reveals the reporter-key secret. */
const signingKey = (secret: string) => hmacSha256Hex(secret, "staff-device-key");

/** A new credential for the account whose e-mail hashes to `account`, at its device epoch `epoch`. */
export async function issueStaffDevice(secret: string, account: string, epoch: number): Promise<string> {
  const body = `${VERSION}.${account}.${epoch}.${newId()}`;
  return `${body}.${await hmacSha256Hex(await signingKey(secret), body)}`;
}

export interface StaffDevice {
  /** The credential as sent. */
  credential: string;
  /** The account's device epoch when it was issued. */
  epoch: number;
  /** Names the device's own budget: unique to this credential. */
  key: string;
}

/**
 * The credential among those in `cookie` that was issued by this server for `account` (null: for
 * any account), if any; the caller still compares its epoch with the account's. Only those naming
 * the account are checked, so the others cost nothing.
 */
export async function deviceFor(
  secret: string,
  cookie: string | undefined,
  account: string | null,
): Promise<StaffDevice | null> {
  for (const credential of (cookie ?? "").split("~").slice(0, STAFF_DEVICE_ACCOUNTS)) {
    const m = SHAPE.exec(credential);
    if (!m?.[1] || !m[2] || !m[3] || !m[4] || (account !== null && m[1] !== account)) continue;
    const expected = await hmacSha256Hex(await signingKey(secret), credential.slice(0, -65));
    if (timingSafeEqual(expected, m[4])) return { credential, epoch: Number(m[2]), key: `${m[1]}.${m[3]}` };
  }
  return null;
}

/** The cookie's value after signing in to `account` with `credential`: it first, then the others kept. */
export function withDevice(cookie: string | undefined, account: string, credential: string): string {
  const others = (cookie ?? "")
    .split("~")
    .filter((c) => SHAPE.test(c) && !c.startsWith(`${VERSION}.${account}.`));
  return [credential, ...others].slice(0, STAFF_DEVICE_ACCOUNTS).join("~");
}
