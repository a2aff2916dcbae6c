import { hmacSha256Hex } from "./crypto";

export interface ReporterIdentity {
  /** The id of a valid device credential (see `device-credential.ts`), never an unsigned id. */
  credentialId?: string | undefined;
  /** A resident of a trusted client app, as the app names them (its own key id in front). */
  appResident?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
  /**
   * A hotline caller's phone, as a call-taker took it down: staff spoke with the caller, so the
   * number counts as one person toward a threshold (as a trusted app's resident does), whatever
   * network the desk is on.
   */
  callerPhone?: string | undefined;
  /** The client's network (`networkOf`), for clients that send nothing else. */
  network: string;
}

/** Providers that ignore dots in the local part, and the one name their domains share. */
const DOTLESS: Record<string, string> = { "gmail.com": "gmail.com", "googlemail.com": "gmail.com" };

/**
 * One mailbox, one string: lower case, the `+tag` dropped (`me+1@` and `me+2@` reach `me@`), and
 * for providers that ignore dots in the local part, no dots.
 */
export function normalEmail(email: string): string {
  const lower = email.trim().toLowerCase();
  const at = lower.lastIndexOf("@");
  let local = lower.slice(0, at).replace(/\+.*$/, "");
  let domain = lower.slice(at + 1);
  const dotless = DOTLESS[domain];
  if (dotless) {
    local = local.replaceAll(".", "");
    domain = dotless;
  }
  return `${local}@${domain}`;
}

/** Digits only, with `00` and `+` both read as the international prefix. */
export function normalPhone(phone: string): string {
  // An extension reaches the same line's desk: the number without it is the person.
  const line = phone.replace(/[\s,;]*(ext(ension|n)?|x|#|转|分机号?)\s*[.:]?\s*\d{1,8}\D*$/i, "");
  const digits = line.replace(/[^\d+]/g, "").replace(/^00/, "+");
  return digits.startsWith("+") ? `+${digits.slice(1).replace(/\+/g, "")}` : digits.replace(/\+/g, "");
}

/**
 * The one person a report counts as, strongest first: a signed device credential, a resident a
 * trusted app vouches for, a mailbox, a phone number, else the network it came from. An unsigned
 * device id proves nothing (anyone can make up three), so it is not a person.
 */
export function reporterIdentity(r: ReporterIdentity): string {
  if (r.credentialId) return `credential:${r.credentialId}`;
  if (r.appResident) return `app:${r.appResident}`;
  if (r.email) return `email:${normalEmail(r.email)}`;
  if (r.phone) return `phone:${normalPhone(r.phone)}`;
  return `network:${r.network}`;
}

/**
 * What a report weighs toward a threshold: reporters from one network count once, unless they
 * hold credentials issued on different networks, or a trusted app vouches for them.
 */
export function countIdentity(r: ReporterIdentity & { credentialNetwork?: string | undefined }): string {
  if (r.appResident) return `app:${r.appResident}`;
  if (r.callerPhone) return `phone:${normalPhone(r.callerPhone)}`;
  if (r.credentialId && r.credentialNetwork) return `issued:${r.credentialNetwork}`;
  return `network:${r.network}`;
}

/** The reporter key: a keyed hash, so a leaked database does not reveal who reported. */
export function reporterKey(secret: string, r: ReporterIdentity): Promise<string> {
  return hmacSha256Hex(secret, reporterIdentity(r));
}

/** The count key: a keyed hash of `countIdentity`, never the network itself. */
export function countKey(
  secret: string,
  r: ReporterIdentity & { credentialNetwork?: string | undefined },
): Promise<string> {
  return hmacSha256Hex(secret, countIdentity(r));
}
