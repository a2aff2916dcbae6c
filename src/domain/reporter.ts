import { hmacSha256Hex } from "./crypto";
import { credentialNetworkTag } from "./device-credential";
import { asciiDigits } from "./digits";
import { mailboxForm } from "./mailbox";

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
  const lower = mailboxForm(email);
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

/**
 * One number, one way of writing it: digits with the international prefix, `00` and `+` alike.
 * National numbers are read by China's plan (+86), the country whose cities run the desk: a
 * trunk `0` and its area code (`0731 8888 1234`) or an 11-digit mobile (`138 0013 8000`) is the
 * same caller as `+86 731 8888 1234` or `+86 138 0013 8000`, however the call-taker typed it. A
 * local number without its area code stays as it is (no city is assumed).
 */
export function normalPhone(phone: string): string {
  // An extension reaches the same line's desk: the number without it is the person.
  const line = asciiDigits(phone).replace(
    /[\s,;]*(ext(ension|n)?|x|#|转|分机号?)\s*[.:]?\s*\d{1,8}\D*$/i,
    "",
  );
  const typed = line.replace(/[^\d+]/g, "").replace(/^00/, "+");
  const digits = typed.startsWith("+") ? `+${typed.slice(1).replace(/\+/g, "")}` : typed.replace(/\+/g, "");
  // "+86 (0)731 …": the trunk 0 kept in brackets is not dialled from abroad.
  if (digits.startsWith("+860")) return `+86${digits.slice(4)}`;
  if (digits.startsWith("+")) return digits;
  if (/^0[1-9]\d{8,10}$/.test(digits)) return `+86${digits.slice(1)}`;
  if (/^1\d{10}$/.test(digits)) return `+86${digits}`;
  // "86 138 …" without its plus: longer than any national number.
  if (/^86[1-9]\d{8,10}$/.test(digits)) return `+${digits}`;
  return digits;
}

/**
 * The forms the earlier rule (digits only, no national plan) gave this number: reports filed
 * under it keep keys of those forms, and their numbers are sealed, so they cannot be re-keyed.
 */
function formerPhoneForms(phone: string): string[] {
  const line = phone.replace(/\s*(ext\.?|extension|x|#|转|分机)\s*\d+$/i, "");
  const digits = line.replace(/[^\d+]/g, "").replace(/^00/, "+");
  const typed = digits.startsWith("+") ? `+${digits.slice(1).replace(/\+/g, "")}` : digits.replace(/\+/g, "");
  const now = normalPhone(phone);
  // A national number typed then without +86: with its trunk 0 (a landline) or without (a mobile).
  return now.startsWith("+86") ? [typed, `0${now.slice(3)}`, now.slice(3)] : [typed];
}

/** Every reporter key a caller's earlier reports may carry: the number's form now and its former ones. */
export async function phoneLookupKeys(secret: string, phone: string): Promise<string[]> {
  const forms = new Set([normalPhone(phone), ...formerPhoneForms(phone)]);
  return Promise.all([...forms].map((f) => hmacSha256Hex(secret, `phone:${f}`)));
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
 * hold credentials issued on different networks, or a trusted app vouches for them. A report
 * without a credential counts by its network as a credential issued there would (`issuedOn`):
 * kept apart, one network counted twice, once with a credential made on it and once without.
 */
export function countIdentity(
  r: Pick<ReporterIdentity, "appResident" | "callerPhone"> & { issuedOn: string },
) {
  if (r.appResident) return `app:${r.appResident}`;
  if (r.callerPhone) return `phone:${normalPhone(r.callerPhone)}`;
  return `issued:${r.issuedOn}`;
}

/** The reporter key: a keyed hash, so a leaked database does not reveal who reported. */
export function reporterKey(secret: string, r: ReporterIdentity): Promise<string> {
  return hmacSha256Hex(secret, reporterIdentity(r));
}

/** The count key: a keyed hash of `countIdentity`, never the network itself. */
export async function countKey(
  secret: string,
  r: ReporterIdentity & { credentialNetwork?: string | undefined },
): Promise<string> {
  const issuedOn =
    r.credentialId && r.credentialNetwork
      ? r.credentialNetwork
      : await credentialNetworkTag(secret, r.network);
  return hmacSha256Hex(secret, countIdentity({ ...r, issuedOn }));
}

/**
 * The mailbox an address reaches, as a keyed hash (`normalEmail`'s form: `me+1@`, `m.e@gmail.com`
 * are one mailbox): what "is it fixed?" counts its daily asks by, whichever device or app reported.
 */
export const mailboxKey = (secret: string, email: string): Promise<string> =>
  hmacSha256Hex(secret, `mailbox:${normalEmail(email)}`);
