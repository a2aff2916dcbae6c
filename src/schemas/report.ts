import { z } from "zod";
import { isNoFix } from "../domain/geo";
import { MAX_DESCRIPTION_CHARS, MAX_REPORT_PHOTOS } from "../domain/report-limits";
import { CLUSTER_STATES, REPORT_SOURCES, WORK_ORDER_STATUSES } from "../domain/states";
import { code, emailAddress, instant, latitude, longitude, text } from "./common";

/**
 * Phone text as people write it: any separators, prefixes (`tel:`), extensions (`ext. 12`,
 * `Ext: 12`, `转 301`) or notes (`(mobile)`), so long as it holds a number's digits. Only the
 * digits identify the person (`domain/reporter.ts`); the text is kept as written, for call-backs.
 */
const PHONE = /^(?=(?:\P{Nd}*\p{Nd}){4})[^\p{Cc}]*$/u;
/** More digits than one number and its extension: two numbers run together would key neither. */
const PHONE_MAX_DIGITS = 20;
const oneNumber = (phone: string) => (phone.match(/\p{Nd}/gu)?.length ?? 0) <= PHONE_MAX_DIGITS;

export const contact = z
  .strictObject({
    /** Room for an Open311 `first_name` and `last_name` of 100 characters each, joined. */
    name: text().trim().max(201).optional(),
    email: emailAddress().max(254).optional(),
    /**
     * As people write it: `+44 (0)20 7946 0000 ext. 12`, `0731-8888 6666 转 301`; as any text, without
     * control characters or marks turning the direction (a call-taker would read the digits reversed).
     */
    phone: text()
      .trim()
      .max(60)
      .regex(PHONE, "must be a phone number such as +86 731 8888 6666")
      .refine(oneNumber, `must be one phone number (at most ${PHONE_MAX_DIGITS} digits)`)
      .optional(),
    /**
     * With `email`: "tell me what happens", a follow of the report's problem (confirmed by mail first,
     * as `POST /api/clusters/:id/follows`), in `lang`.
     */
    updates: z.boolean().optional(),
    lang: z.enum(["zh", "en"]).optional(),
  })
  // Asking to hear back without an address would be answered 201 and then never heard of again.
  .refine((c) => !c.updates || c.email !== undefined, {
    path: ["updates"],
    message: "needs contact.email, where the updates are sent",
  });

/** A report's fields, before the check of its place (`placedSomewhere`), for the bodies built on it. */
export const reportFields = z.strictObject({
  service: code,
  lat: latitude,
  lon: longitude,
  description: text().trim().min(1, "must not be empty").max(MAX_DESCRIPTION_CHARS),
  /** An opaque id the client keeps. Kept private with the report; it identifies nobody (anyone can make one up). */
  deviceId: text().min(1).max(128).optional(),
  /** The device credential `POST /api/devices` issued: what makes this device one reporter. */
  deviceCredential: z.string().max(200).optional(),
  contact: contact.optional(),
  /** Answers to the service's extra questions, keyed by attribute code. */
  attributes: z.record(z.string(), z.union([text(), z.number(), z.array(text())])).optional(),
  /** Photos uploaded first through `POST /api/photos`, at most three. */
  photoIds: z
    .array(z.string().regex(/^[0-9a-z]{1,64}$/))
    .max(MAX_REPORT_PHOTOS, `at most ${MAX_REPORT_PHOTOS} photos`)
    .optional(),
  /** Which kind of client sent it: CivicLoop's own web app, or another app through the API. */
  source: z.enum(["web", "api"]).optional(),
});

/**
 * A report's place is a place: exactly 0,0 is refused at `lat`, as phone apps send it with no
 * position fix (it would file the problem in the Gulf of Guinea).
 */
export const placedSomewhere = <S extends z.ZodType<{ lat: number; lon: number }>>(schema: S) =>
  schema.refine((r) => !isNoFix(r), {
    path: ["lat"],
    message: "is no location (0,0 is what a phone without a position fix sends)",
  });

/** `POST /api/reports`: what a resident (or a client app) sends. */
export const reportInput = placedSomewhere(reportFields);
export type ReportInput = z.infer<typeof reportInput>;

/** `201` of `POST /api/reports`: the report and where its cluster now stands. */
export const reportCreated = z.object({
  /**
   * The reporter's private receipt, shown in this answer only (and again to a retry with the same
   * Idempotency-Key): it rates the outcome and says "still there". Keep it on the device.
   */
  receipt: z.string(),
  report: z.object({
    id: z.string(),
    service: z.string(),
    lat: z.number(),
    lon: z.number(),
    createdAt: instant,
  }),
  cluster: z.object({
    id: z.string(),
    state: z.enum(CLUSTER_STATES),
    reports: z.int(),
    reporters: z.int(),
    threshold: z.int(),
    workOrder: z
      .object({ id: z.string(), status: z.enum(WORK_ORDER_STATUSES), department: z.string().nullable() })
      .nullable(),
  }),
});

/** `GET /api/reports/:id`: a report's public fields, never its contact or device. */
export const publicReport = z.object({
  report: z.object({
    id: z.string(),
    service: z.string(),
    clusterId: z.string(),
    lat: z.number(),
    lon: z.number(),
    description: z.string(),
    attributes: z
      .record(z.string(), z.union([z.string(), z.number(), z.array(z.string())]))
      .describe(
        "The answers to the service's questions (what else a system sent goes to the department only)",
      ),
    mediaUrl: z.string().nullable().describe("A picture held elsewhere (sent as Open311 `media_url`)"),
    address: z
      .string()
      .nullable()
      .describe("Where it is in the reporter's words (sent as Open311 `address_string`)"),
    source: z.enum(REPORT_SOURCES),
    createdAt: instant,
    hidden: z.boolean().describe("Hidden by moderators: the description and answers are left out"),
  }),
});

/** `201` of `POST /api/devices`: a signed credential for this device, to send with its reports. */
export const deviceIssued = z.object({ credential: z.string() });
