/**
 * The trusted-device cookie of the staff sign-in routes (`domain/staff-device.ts`): read and
 * checked against an account, set after a sign-in. Sent to `/api/auth` only, never readable by a
 * page's script, never sent from another site: it grants nothing but a budget of its own.
 */
import type { Context } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import {
  deviceFor,
  issueStaffDevice,
  STAFF_DEVICE_COOKIE,
  STAFF_DEVICE_MS,
  type StaffDevice,
  withDevice,
} from "../domain/staff-device";
import type { AppEnv } from "./context";

/**
 * Whether the request sends a credential this server issued, for some account: it may be a
 * browser trusted for the account it signs in to (checked with the account, once the body is
 * read). A made-up cookie is none.
 */
export const sendsIssuedDevice = async (c: Context<AppEnv>) =>
  (await deviceFor(c.var.config.reporterSecret, getCookie(c, STAFF_DEVICE_COOKIE), null)) !== null;

/**
 * The request's trusted device of `account` (the hash of its e-mail), if it sent one this server
 * issued at the account's current device epoch; `epochOf` is asked only then, so a request
 * without one costs no look-up.
 */
export async function trustedDevice(
  c: Context<AppEnv>,
  account: string,
  epochOf: () => Promise<number | undefined>,
): Promise<StaffDevice | null> {
  const device = await deviceFor(c.var.config.reporterSecret, getCookie(c, STAFF_DEVICE_COOKIE), account);
  return device && device.epoch === (await epochOf()) ? device : null;
}

/**
 * Trusts the browser for `account` from now on, for `STAFF_DEVICE_MS`: its credential kept (its
 * budget goes on) or a new one at `epoch`. Secure where the server is reached over https (at
 * its public URL, or as this request was).
 */
export async function trustDevice(
  c: Context<AppEnv>,
  account: string,
  epoch: number,
  device: StaffDevice | null,
): Promise<void> {
  const { reporterSecret, publicUrl } = c.var.config;
  const credential = device?.credential ?? (await issueStaffDevice(reporterSecret, account, epoch));
  setCookie(c, STAFF_DEVICE_COOKIE, withDevice(getCookie(c, STAFF_DEVICE_COOKIE), account, credential), {
    path: "/api/auth",
    httpOnly: true,
    sameSite: "Strict",
    secure: publicUrl.startsWith("https:") || new URL(c.req.url).protocol === "https:",
    maxAge: STAFF_DEVICE_MS / 1000,
  });
}
