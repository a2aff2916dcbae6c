/**
 * CivicLoop as an Open311 (GeoReport v2) client of a city's own system: the form a work order is
 * POSTed as, reading the answers, and what a remote status means for the work order here. Pure.
 */
import { maskContacts } from "./contact-mask";
import { to7 } from "./geo";
import type { WorkOrderStatus } from "./states";

export interface RemoteRequestFacts {
  serviceCode: string;
  lat: number;
  lon: number;
  description: string;
  mediaUrl: string | null;
  attributes: Record<string, unknown>;
  apiKey: string;
  jurisdictionId: string | null;
  /** Where it is: the reporter's words, or the nearest named place ("near Wuyi Avenue, Furong District"); sent beside lat/long. */
  addressString: string | null;
}

/** The URL of one GeoReport v2 resource under the department's base (`…/open311/v2`). */
export const open311Url = (base: string, path: string, query: Record<string, string | null> = {}) => {
  const url = new URL(`${base.replace(/\/+$/, "")}/${path}`);
  for (const [k, v] of Object.entries(query)) if (v !== null) url.searchParams.set(k, v);
  return url;
};

/** The form-encoded body of `POST requests.json`; list answers as repeated `attribute[code]` keys. */
export function requestForm(f: RemoteRequestFacts): URLSearchParams {
  const form = new URLSearchParams({
    service_code: f.serviceCode,
    // To 7 decimals (~1 cm), as every answer writes a centre: a running mean's float noise is no precision.
    lat: String(to7(f.lat)),
    long: String(to7(f.lon)),
    description: f.description,
    api_key: f.apiKey,
  });
  if (f.jurisdictionId) form.set("jurisdiction_id", f.jurisdictionId);
  if (f.mediaUrl) form.set("media_url", f.mediaUrl);
  if (f.addressString) form.set("address_string", f.addressString);
  for (const [code, value] of Object.entries(f.attributes)) {
    for (const v of Array.isArray(value) ? value : [value]) {
      if (v !== null && v !== undefined) form.append(`attribute[${code}]`, String(v));
    }
  }
  return form;
}

const first = (body: unknown): Record<string, unknown> | null => {
  const item = Array.isArray(body) ? body[0] : body;
  return item && typeof item === "object" ? (item as Record<string, unknown>) : null;
};
const text = (v: unknown) =>
  typeof v === "string" && v.length > 0 && v.length <= 200 ? v : typeof v === "number" ? String(v) : null;

/** The request id (or, from a server that queues, the token to ask for it) a POST answered. */
export function readPostAnswer(body: unknown): { remoteId: string | null; token: string | null } | null {
  const item = first(body);
  const remoteId = text(item?.service_request_id);
  const token = text(item?.token);
  return remoteId || token ? { remoteId, token } : null;
}

/** The request id a `tokens/{token}` answer gives, once the server has one. */
export const readTokenAnswer = (body: unknown): string | null => text(first(body)?.service_request_id);

export interface RemoteState {
  status: "open" | "closed";
  notes: string | null;
  /** A key of the answer's content: the same answer, however often fetched, is applied once. */
  key: string;
}

/** The status of one request as `requests/{id}.json` gives it; null for an answer that says nothing. */
export function readRequestAnswer(body: unknown): RemoteState | null {
  const item = first(body);
  const status = item?.status;
  if (status !== "open" && status !== "closed") return null;
  const notes =
    typeof item?.status_notes === "string" && item.status_notes.trim()
      ? item.status_notes.trim().slice(0, 1000)
      : null;
  const updated = typeof item?.updated_datetime === "string" ? item.updated_datetime : "";
  return { status, notes, key: JSON.stringify([status, updated, notes]) };
}

/**
 * The moves that bring a work order here in line with the city's status, as the department
 * would make them: the city's system holding the request acknowledges it; closed there is
 * resolved here. Nothing moves a work order that is past that point, or elsewhere (rejected).
 */
export function movesFor(current: WorkOrderStatus, remote: "open" | "closed"): WorkOrderStatus[] {
  const toAcknowledge: readonly WorkOrderStatus[] = ["dispatched"];
  const toResolve: readonly WorkOrderStatus[] = [
    "dispatched",
    "acknowledged",
    "scheduled",
    "in_progress",
    "reopened",
  ];
  if (remote === "open") return toAcknowledge.includes(current) ? ["acknowledged"] : [];
  if (!toResolve.includes(current)) return [];
  return current === "dispatched" ? ["acknowledged", "resolved"] : ["resolved"];
}

/**
 * The words of the latest update the city's system gave request `remoteId` (the
 * `servicerequestupdates` extension lists many requests' updates; some servers ignore a filter).
 */
export function latestUpdateWords(body: unknown, remoteId: string): string | null {
  if (!Array.isArray(body)) return null;
  const mine = body
    .filter((u): u is Record<string, unknown> => !!u && typeof u === "object")
    .filter((u) => String(u.service_request_id) === remoteId && typeof u.description === "string")
    .sort((x, y) => String(x.updated_datetime ?? "").localeCompare(String(y.updated_datetime ?? "")));
  const words = mine.at(-1)?.description as string | undefined;
  return words?.trim() ? words.trim().slice(0, 1000) : null;
}

/**
 * The mark a request carries in its description, naming the work order and the dispatch (the
 * outbox event) it came from. GeoReport v2 has no idempotency key: a POST whose answer was lost
 * is looked up by this mark before it is sent again (`findMarked`).
 */
export const dispatchMark = (workOrderId: string, eventId: string) => `CivicLoop ${workOrderId}/${eventId}`;

/** The id of the request in a `requests.json` list whose description carries `mark`, or null. */
export function findMarked(body: unknown, mark: string): string | null {
  if (!Array.isArray(body)) return null;
  // As another CivicLoop lists it too: its public words mask a phone-like run of digits, which an
  // id ending in nine digits is.
  const marks = [mark, maskContacts(mark)];
  for (const item of body) {
    if (!item || typeof item !== "object") continue;
    const r = item as Record<string, unknown>;
    const words = r.description;
    if (typeof words === "string" && marks.some((m) => words.includes(m))) return text(r.service_request_id);
  }
  return null;
}

/**
 * The words of a request made because a problem the city closed was reopened here: GeoReport v2
 * has no reopening, so a new request says which one it continues (`previous`, when known).
 */
export function reopenWords(previous: string | null, note: string | null): string {
  const which = previous ? `request ${previous}` : "an earlier request";
  const lines = [`Reopened: the problem of ${which} is still there, the residents say.`];
  if (note?.trim()) lines.push(note.trim());
  return lines.join("\n");
}

/**
 * The form of `POST servicerequestupdates` (FixMyStreet's extension): residents' later words on
 * request `requestId`, as an update that leaves it open. `updateId` is the event here.
 */
export function updateForm(f: {
  requestId: string;
  updateId: string;
  at: string;
  description: string;
  mediaUrl: string | null;
  apiKey: string;
  jurisdictionId: string | null;
}): URLSearchParams {
  const form = new URLSearchParams({
    api_key: f.apiKey,
    service_request_id: f.requestId,
    update_id: f.updateId,
    updated_datetime: f.at,
    status: "OPEN",
    description: f.description,
  });
  if (f.jurisdictionId) form.set("jurisdiction_id", f.jurisdictionId);
  if (f.mediaUrl) form.set("media_url", f.mediaUrl);
  return form;
}

/** The id of the update of request `requestId` whose description carries `mark`, or null. */
export function findMarkedUpdate(body: unknown, mark: string, requestId: string): string | null {
  if (!Array.isArray(body)) return null;
  const marks = [mark, maskContacts(mark)];
  const found = body.find(
    (u): u is Record<string, unknown> =>
      !!u &&
      typeof u === "object" &&
      String((u as Record<string, unknown>).service_request_id) === requestId &&
      typeof (u as Record<string, unknown>).description === "string" &&
      marks.some((m) => ((u as Record<string, unknown>).description as string).includes(m)),
  );
  return found ? (text(found.update_id) ?? requestId) : null;
}
