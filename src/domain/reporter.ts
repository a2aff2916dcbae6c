import { hmacSha256Hex } from "./crypto";

export interface ReporterIdentity {
  deviceId?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
  clientAddress?: string | undefined;
}

/**
 * The one identity a report counts under, strongest first: the device the resident keeps,
 * then an email, then a phone, then (for clients that send none) the address they came from.
 */
export function reporterIdentity(r: ReporterIdentity): string {
  if (r.deviceId) return `device:${r.deviceId}`;
  if (r.email) return `email:${r.email.trim().toLowerCase()}`;
  if (r.phone) return `phone:${r.phone.replace(/[^\d+]/g, "")}`;
  return `address:${r.clientAddress ?? "unknown"}`;
}

/** The reporter key: a keyed hash, so a leaked database does not reveal who reported. */
export function reporterKey(secret: string, r: ReporterIdentity): Promise<string> {
  return hmacSha256Hex(secret, reporterIdentity(r));
}
