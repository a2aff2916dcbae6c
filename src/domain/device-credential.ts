/**
 * Device credentials: what makes a reporter costly to fake without accounts. The server issues
 * one to a device on first use (issuance is limited per network and day), signed with a key
 * derived from the server's reporter secret, so a made-up one is worthless. The credential names
 * the network it was issued on (as a keyed hash): credentials issued on one network are not
 * independent, and count once toward a threshold.
 *
 * Form: `dc1.<id>.<network tag>.<signature>`, URL-safe, about 110 characters.
 */
import { hmacSha256Hex, timingSafeEqual } from "./crypto";
import { newId } from "./ids";

const VERSION = "dc1";
const SHAPE = /^dc1\.([0-9a-z]{24})\.([0-9a-f]{32})\.([0-9a-f]{64})$/;

/** The signing key is derived, so a credential's signature never reveals the reporter-key secret. */
const signingKey = (secret: string) => hmacSha256Hex(secret, "device-credential-key");
/** The keyed hash a credential issued on `network` carries (what its reports count by). */
export const credentialNetworkTag = async (secret: string, network: string) =>
  (await hmacSha256Hex(secret, `credential-network:${network}`)).slice(0, 32);

/** A new credential for a device on `network`. */
export async function issueCredential(secret: string, network: string): Promise<string> {
  const body = `${VERSION}.${newId()}.${await credentialNetworkTag(secret, network)}`;
  return `${body}.${await hmacSha256Hex(await signingKey(secret), body)}`;
}

export interface Credential {
  id: string;
  /** The keyed hash of the network it was issued on. */
  network: string;
}

/** The credential's id and issuing network if it is well-formed and signed by this server, else null. */
export async function verifyCredential(
  secret: string,
  token: string | undefined,
): Promise<Credential | null> {
  const m = token ? SHAPE.exec(token) : null;
  if (!m?.[1] || !m[2] || !m[3]) return null;
  const body = `${VERSION}.${m[1]}.${m[2]}`;
  const expected = await hmacSha256Hex(await signingKey(secret), body);
  return timingSafeEqual(expected, m[3]) ? { id: m[1], network: m[2] } : null;
}
