/**
 * What this browser remembers without an account: an opaque device id, the device credential
 * the server signed for it, and the reports it sent with their receipts (private: the receipt is
 * what lets this device rate a report or say its problem is still there).
 */
import { ApiError, api, ok } from "../api/client";

const DEVICE_KEY = "civicloop.deviceId";
const CREDENTIAL_KEY = "civicloop.deviceCredential";
const REPORTS_KEY = "civicloop.myReports";

/** 128 random bits in hex (getRandomValues works on plain http too, unlike randomUUID). */
export function randomHex(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The Drive page's id for this phone, a random one made once and kept in localStorage: the sensor
 * intake hashes it on arrival to count the phone once per road spot. Reports do not send it (their
 * reporter is the credential below): sealed with a report, it could have joined the resident's
 * reports to their drives for anyone holding the keys.
 */
export function deviceId(): string {
  let id = localStorage.getItem(DEVICE_KEY);
  if (!id) {
    id = `web-${randomHex()}`;
    localStorage.setItem(DEVICE_KEY, id);
  }
  return id;
}

/**
 * The credential that makes this device one reporter, asked for once and kept. Undefined when
 * the server will not issue one now (too many from this network today): the report still goes,
 * and counts as the network it comes from.
 */
export async function deviceCredential(): Promise<string | undefined> {
  return askedCredential().catch(() => undefined);
}

/**
 * The credential as `deviceCredential` gives it, but a request that got no answer at all (offline)
 * is thrown rather than taken for a refusal: a report waiting to be sent asks again next time
 * rather than fixing its body without one.
 */
export async function askedCredential(): Promise<string | undefined> {
  const kept = localStorage.getItem(CREDENTIAL_KEY);
  if (kept) return kept;
  try {
    const { credential } = await ok(api.devices.$post());
    localStorage.setItem(CREDENTIAL_KEY, credential);
    return credential;
  } catch (e) {
    if (e instanceof ApiError) return undefined;
    throw e;
  }
}

export interface MyReport {
  id: string;
  clusterId: string;
  service: string;
  createdAt: string;
  /** The report's receipt, shown once by the server; reports sent before receipts have none. */
  receipt?: string;
  /** The start of what was written (reports remembered before this was kept have none). */
  description?: string;
}

export function myReports(): MyReport[] {
  try {
    const list = JSON.parse(localStorage.getItem(REPORTS_KEY) ?? "[]") as unknown;
    return Array.isArray(list) ? (list as MyReport[]) : [];
  } catch {
    return [];
  }
}

/** Fired on `window` when a report is remembered (a queued one may go through on any page). */
export const MY_REPORTS_CHANGED = "civicloop:my-reports";

export function rememberReport(r: MyReport): void {
  const list = [r, ...myReports().filter((x) => x.id !== r.id)].slice(0, 200);
  localStorage.setItem(REPORTS_KEY, JSON.stringify(list));
  window.dispatchEvent(new Event(MY_REPORTS_CHANGED));
}

/** This device's receipt for a report, if it sent it. */
export function receiptFor(reportId: string): string | undefined {
  return myReports().find((r) => r.id === reportId)?.receipt;
}
