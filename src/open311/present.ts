/**
 * CivicLoop's records in GeoReport v2's shapes. JSON types follow the official JSON Schemas
 * (ids and codes strings, booleans booleans, lat/long numbers); the same objects are written
 * as XML with the spec's element names.
 */
import { type AttributeDefinition, boundsWords, sortedDefinitions } from "../domain/attributes";
import { maskContacts } from "../domain/contact-mask";
import { to7 } from "../domain/geo";
import { clusterPageUrl, photoUrl, siteOf } from "../domain/links";
import { type WorkOrderStatus, windowPassed } from "../domain/states";
import type { ServiceRow } from "../store/services";
import { serviceAttributes } from "../store/services";
import type { RequestRow, TimelineRow, TimelineSummary, UpdateRow } from "./queries";
import {
  eventWords,
  open311Status,
  publicEventNote,
  serviceNotice,
  statusNotes,
  updateStatus,
} from "./status";
import type { XmlData } from "./xml";

/** A W3C date-time in UTC with its zone, to the second: 2026-03-01T08:00:00Z. */
export const w3c = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** When CivicLoop changed this interface last. */
export const CHANGESET = "2026-11-24T00:00:00Z";

/**
 * Discovery, its `changeset` the later of the interface's change and the services' last change
 * (`servicesChangedAt`, ms): the spec's signal to clients caching the service list and definitions
 * that one was added, withdrawn or redefined.
 */
export function presentDiscovery(publicUrl: string, servicesChangedAt: number | null) {
  const base = siteOf(publicUrl);
  const changeset = w3c(Math.max(Date.parse(CHANGESET), servicesChangedAt ?? 0));
  return {
    changeset,
    contact: `See ${base}/docs for this API; ask the city's CivicLoop administrator for help.`,
    key_service: "Keys for posting are issued by the city's CivicLoop administrator.",
    endpoints: [
      {
        specification: "http://wiki.open311.org/GeoReport_v2",
        url: `${base}/open311/v2`,
        changeset,
        type: "production",
        formats: ["text/xml", "application/json"],
      },
    ],
  };
}

/** The language of an answer's names (`open311Lang` in the routes). */
export type Open311Lang = "en" | "zh";

export function presentService(s: ServiceRow, lang: Open311Lang = "en") {
  return {
    service_code: s.code,
    service_name: lang === "zh" ? s.nameZh : s.nameEn,
    description: s.description || null,
    metadata: serviceAttributes(s).length > 0,
    type: "realtime" as const,
    keywords: s.keywords.join(",") || null,
    group: s.group || null,
  };
}

const presentAttribute = (a: AttributeDefinition, lang: Open311Lang) => {
  const zh = lang === "zh";
  return {
    variable: a.variable !== false,
    code: a.code,
    datatype: a.datatype,
    required: a.required,
    // The spec has no min and max: a number's bounds are said here, unless the city wrote its own words.
    datatype_description:
      (zh ? a.datatypeDescriptionZh : undefined) ?? a.datatypeDescription ?? boundsWords(a),
    order: a.order,
    description: (zh ? a.descriptionZh : undefined) || a.description,
    ...(a.values
      ? { values: a.values.map((v) => ({ key: v.key, name: (zh ? v.nameZh : undefined) || v.name })) }
      : {}),
  };
};

export function presentServiceDefinition(s: ServiceRow, lang: Open311Lang = "en") {
  return {
    service_code: s.code,
    attributes: sortedDefinitions(serviceAttributes(s)).map((a) => presentAttribute(a, lang)),
  };
}

/** An event's words: its note, else what it did (a rating: both); a move to scheduled also says the date planned. */
const wordsOf = (
  e: { actor: string; note: string | null; type: string; scheduled_for: number | null },
  to: string | null,
) => {
  // A rating's note is its stars alone ("4/5"): said as what they are, not as someone's words.
  const stars = e.type === "rated" && e.note ? `A resident rated the outcome ${e.note}.` : null;
  const words = stars ?? (publicEventNote(e)?.trim() || eventWords(e.type, to, e.actor));
  if (e.scheduled_for === null) return words;
  // A note ends as its writer left it: the date planned is a sentence of its own after it.
  const ended = /[.!?。！？…]["'”’)）」』]?$/u.test(words) ? words : `${words.replace(/[,:;，：；]$/u, "")}.`;
  return `${ended} Planned for ${w3c(e.scheduled_for)}.`;
};

const presentNote = (e: TimelineRow) => ({
  datetime: w3c(e.at),
  type: e.type,
  status: e.to_status,
  description: wordsOf(e, e.to_status),
});

/**
 * A report as a service request. With its cluster's timeline summary, the `extensions=true`
 * fields too: the latest notes, how many there are, and the cluster's page, which has them all.
 */
export function presentRequest(
  r: RequestRow,
  {
    now,
    lang = "en",
    timeline,
    address = null,
    publicUrl = null,
  }: {
    /** The time now (ms): a problem still gathering reports lapses when its window passes. */
    now: number;
    /** The language of the service's and the department's names. */
    lang?: Open311Lang;
    timeline?: (TimelineSummary & { publicUrl: string }) | undefined;
    /** The nearest named place, as the gazetteer names the point. */
    address?: string | null;
    /** The base of public links: an uploaded photo is the request's media_url by its public link. */
    publicUrl?: string | null;
  },
) {
  const zh = lang === "zh";
  const photoUrl = r.photo_id && publicUrl ? publicPhotoUrl(publicUrl, r.photo_id) : null;
  const status = open311Status(r.cluster_state, r.work_order_status);
  const lapsedDays =
    r.cluster_state === "open" && windowPassed(r.last_report_at, r.window_days, now) ? r.window_days : null;
  const withdrawn = r.cluster_state === "open" && !r.service_active;
  return {
    service_request_id: r.id,
    status,
    status_notes: statusNotes({
      state: r.cluster_state,
      workOrder: r.work_order_status,
      closedNote: r.closed_note ?? null,
      reports: r.report_count,
      reporters: r.reporter_count,
      threshold: r.threshold,
      lapsedDays,
      withdrawn,
    }),
    service_name: zh ? r.service_name_zh : r.service_name,
    service_code: r.service_code,
    description: maskContacts(r.description),
    // A department that rejected the work is no longer the one to fulfil it, nor is its deadline running.
    agency_responsible:
      r.work_order_status === "rejected" ? null : zh ? r.department_name_zh : r.department_name,
    // Where it stands now (the POST's answer said it then); nothing is expected of a closed one.
    service_notice:
      status === "closed"
        ? null
        : serviceNotice({
            workOrder: r.work_order_status,
            routed: r.department_name !== null,
            reporters: r.reporter_count,
            threshold: r.threshold,
            lapsedDays,
            withdrawn,
          }),
    requested_datetime: w3c(r.created_at),
    // The spec: "for requests with status=closed, this will be the date the request was closed",
    // though residents may rate it or post updates afterwards.
    updated_datetime: w3c(status === "closed" ? (r.status_at ?? r.updated_at) : r.updated_at),
    // When it can be expected fixed: the date the department planned, while scheduled; else its
    // deadline; nothing once closed (fixed or ended: its old deadline is no expectation).
    expected_datetime:
      r.work_order_status === "scheduled" && r.scheduled_for !== null
        ? w3c(r.scheduled_for)
        : r.resolve_due_at === null || r.work_order_status === "rejected" || status === "closed"
          ? null
          : w3c(r.resolve_due_at),
    // A resident's own `address_string`, or the gazetteer's name for the point.
    address: address === null ? null : maskContacts(address),
    address_id: null,
    zipcode: null,
    // A running mean's float noise (28.13123577127815) is no precision: 7 decimals, about 1 cm.
    lat: to7(r.lat),
    long: to7(r.lon),
    // A client's link, masked as any words (a wa.me or ?phone= link is a contact).
    media_url: r.media_url === null ? photoUrl : maskContacts(r.media_url),
    ...(timeline
      ? {
          extended_attributes: {
            cluster_id: r.cluster_id,
            // How the request came in: web, api, open311, or sensor (a road spot phones confirmed).
            source: r.source,
            report_count: r.report_count,
            reporter_count: r.reporter_count,
            work_order_status: r.work_order_status,
            notes: timeline.latest.map(presentNote),
            notes_total: timeline.total,
            cluster_url: clusterPageUrl(timeline.publicUrl, r.cluster_id),
          },
        }
      : {}),
  };
}

/** An uploaded photo's public link, one slash after the public URL. */
export const publicPhotoUrl = (publicUrl: string, id: string) => photoUrl(publicUrl, id);

/**
 * One update of the `servicerequestupdates` extension: a timeline event, for one request. Its
 * `media_url` is the picture a resident's update came with, else the first visible photo the
 * event holds (a repair's photo).
 */
export const presentUpdate = (u: UpdateRow, publicUrl: string) => ({
  update_id: `${u.event_id}-${u.report_id}`,
  service_request_id: u.report_id,
  status: updateStatus(u.status as WorkOrderStatus | null),
  updated_datetime: w3c(u.at),
  description: wordsOf(u, u.status),
  media_url:
    u.media_url !== null
      ? maskContacts(u.media_url)
      : u.photo_id
        ? publicPhotoUrl(publicUrl, u.photo_id)
        : null,
  external_status_code: u.status,
});

/** Element names of list items in GeoReport v2 XML. */
export const XML_ITEMS = {
  services: "service",
  service_requests: "request",
  attributes: "attribute",
  values: "value",
  endpoints: "endpoint",
  formats: "format",
  notes: "note",
  errors: "error",
  service_request_updates: "request_update",
} as const;

/** An Open311 error list: `[{code, description}]`. */
export const presentErrors = (status: number, description: string) => [{ code: status, description }];

export type { XmlData };
