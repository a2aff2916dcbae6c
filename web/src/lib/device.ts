/** What this browser remembers without an account: an opaque device id and the reports it sent. */

const DEVICE_KEY = "civicloop.deviceId";
const REPORTS_KEY = "civicloop.myReports";

/** 128 random bits in hex (getRandomValues works on plain http too, unlike randomUUID). */
export function randomHex(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** One phone counts as one reporter: a random id made once and kept in localStorage. */
export function deviceId(): string {
  let id = localStorage.getItem(DEVICE_KEY);
  if (!id) {
    id = `web-${randomHex()}`;
    localStorage.setItem(DEVICE_KEY, id);
  }
  return id;
}

export interface MyReport {
  id: string;
  clusterId: string;
  service: string;
  createdAt: string;
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

export function rememberReport(r: MyReport): void {
  const list = [r, ...myReports().filter((x) => x.id !== r.id)].slice(0, 200);
  localStorage.setItem(REPORTS_KEY, JSON.stringify(list));
}
