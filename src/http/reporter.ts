/**
 * Who is reporting, as far as the request shows: a signed device credential, a resident a
 * trusted app vouches for, a mailbox, a phone, else the network. Turns that into the two keyed
 * hashes the intake stores (see `domain/reporter.ts`), whose budget the routes then count.
 */
import type { Context } from "hono";
import { verifyCredential } from "../domain/device-credential";
import { countKey, reporterKey } from "../domain/reporter";
import type { AppEnv } from "./context";

export interface ReporterClaims {
  deviceCredential?: string | undefined;
  /** Set only for a trusted client app: the resident as that app names them. */
  appResident?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
  /** Set only by the call-taker desk: the caller's phone (see `domain/reporter.ts`). */
  callerPhone?: string | undefined;
}

export interface Reporter {
  key: string;
  countKey: string;
}

/** The reporter's keys, from what the request claims; an invalid credential counts as none. */
export async function identifyReporter(c: Context<AppEnv>, claims: ReporterClaims): Promise<Reporter> {
  const secret = c.get("config").reporterSecret;
  const credential = await verifyCredential(secret, claims.deviceCredential);
  const identity = {
    credentialId: credential?.id,
    appResident: claims.appResident,
    email: claims.email,
    phone: claims.phone,
    callerPhone: claims.callerPhone,
    network: c.get("network"),
  };
  return {
    key: await reporterKey(secret, identity),
    countKey: await countKey(secret, { ...identity, credentialNetwork: credential?.network }),
  };
}
