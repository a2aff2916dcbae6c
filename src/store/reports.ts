import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { idempotencyKeys, reports, services } from "../db/schema";
import { type AttributeDefinition, publicAnswers, validateAnswers } from "../domain/attributes";
import { maskContacts } from "../domain/contact-mask";
import { sealedValue } from "../domain/contact-seal";
import { hmacSha256Hex, sha256Hex } from "../domain/crypto";
import { AppError, invalid, keyReused } from "../domain/errors";
import { newTimeOrderedIds } from "../domain/ids";
import { mailboxKey } from "../domain/reporter";
import { areasHolding, routeDepartment, SERVICE_MARGIN_M, serviceAreaFault } from "../domain/routing";
import type { ReportSource } from "../domain/states";
import type { ReportInput } from "../schemas/report";
import { serviceForIntake } from "./catalog-cache";
import { type IntakeOutcome, ingestReport, outcomeFrom, outcomeQuery } from "./intake";
import { isReporterBlocked } from "./moderation";
import { photosFree } from "./photos";
import { serviceAttributes } from "./services";
import type { ActionBy } from "./writes";

export interface SubmitContext {
  now: number;
  source: ReportSource;
  /** Keyed hashes of who reports and what they weigh (`http/reporter.ts`). */
  reporter: { key: string; countKey: string };
  /** Key for the receipts (the reporter-key secret). */
  receiptSecret: string;
  /** Key sealing the contact details (`domain/contact-seal.ts`); null keeps none, undefined keeps them as given. */
  contactKey?: string | null | undefined;
  idempotency: { key: string; requestHash: string } | null;
  /** Open311's `media_url`: a picture the client holds elsewhere. */
  mediaUrl?: string | undefined;
  /** Open311's `address_string`: where it is in the reporter's words. */
  address?: string | undefined;
  /** The staff member filing it for a caller (the desk), for the audit trail. */
  filedBy?: ActionBy | undefined;
}

/** The intake's answer with the reporter's receipt, shown to them only. */
export type SubmitOutcome = IntakeOutcome & { receipt: string };

/**
 * The receipt of a report: the private capability its reporter uses to rate and to say
 * "still there". Derived from the report id with the server's key, so a retried request gets the
 * same receipt again; the database keeps only its SHA-256.
 */
export async function receiptOf(secret: string, reportId: string): Promise<string> {
  return `rcp_${(await hmacSha256Hex(secret, `receipt:${reportId}`)).slice(0, 48)}`;
}

/** The receipt's hash as stored with the report. */
export const receiptHash = (receipt: string) => sha256Hex(`receipt:${receipt}`);

/** Validates a report against the catalogue, routes it and ingests it in one atomic write. */
export async function submitReport(db: Db, input: ReportInput, ctx: SubmitContext): Promise<SubmitOutcome> {
  // Ids that sort by time: each table's primary key (and the outbox's index of events) then
  // grows at its end, where a group commit's reports share a page, instead of dirtying a page
  // at random per row (issue 18: ~45 of a group's ~230 pages written). Every one of these rows
  // shows its time publicly anyway; the receipt, not the id, is what a reporter keeps secret.
  const fresh = newTimeOrderedIds(7, ctx.now);
  const reportId = fresh[0] as string;
  const receipt = await receiptOf(ctx.receiptSecret, reportId);
  const withReceipt = async (o: IntakeOutcome) => ({
    ...o,
    receipt: o.report.id === reportId ? receipt : await receiptOf(ctx.receiptSecret, o.report.id),
  });
  if (ctx.idempotency) {
    const earlier = await replay(db, ctx.idempotency);
    if (earlier) return withReceipt(earlier);
  }
  const catalog = await serviceForIntake(db, input.service);
  if (!catalog?.service.active)
    throw invalid("service", `unknown service: ${input.service}`, "unknown_service");
  const { service, candidates, areas } = catalog;
  // Every intake path comes through here, so the service's questions are checked once for all.
  // Open311 clients are other cities' systems, which send fields of their own: kept, not refused.
  const attributes = validateAnswers(serviceAttributes(service), input.attributes ?? {}, {
    keepUnknown: ctx.source === "open311",
  });

  // Refused rather than left off, so an answer never says a report was taken whole without them.
  if (input.photoIds?.length && !(await photosFree(db, input.photoIds))) throw photosRefused();

  const point = { lat: input.lat, lon: input.lon };
  const outside = serviceAreaFault(areas, point);
  if (outside)
    throw invalid(
      outside,
      `the place is outside the area this city serves: more than ${SERVICE_MARGIN_M / 1000} km from every department's area`,
      "outside_service_area",
    );
  const outcome = await ingestReport(db, {
    ids: {
      report: reportId,
      cluster: fresh[1] as string,
      workOrder: fresh[2] as string,
      outbox: fresh[3] as string,
      openedEvent: fresh[4] as string,
      addedEvent: fresh[5] as string,
      workOrderEvent: fresh[6] as string,
    },
    service,
    departmentCode: routeDepartment(candidates, point),
    areas: areasHolding(areas, point),
    areaVersion: catalog.areaVersion,
    ...point,
    description: input.description,
    attributes,
    mediaUrl: ctx.mediaUrl ?? null,
    address: ctx.address ?? null,
    source: ctx.source,
    // An app's own id for the phone: kept as privately as a contact.
    deviceId: await sealedValue(ctx.contactKey, reportId, "device_id", input.deviceId),
    contact: await sealedContact(input.contact, reportId, ctx.contactKey),
    contactMailbox: input.contact?.email ? await mailboxKey(ctx.receiptSecret, input.contact.email) : null,
    reporterKey: ctx.reporter.key,
    countKey: ctx.reporter.countKey,
    receiptHash: await receiptHash(receipt),
    now: ctx.now,
    idempotency: ctx.idempotency,
    photoIds: input.photoIds,
    filedBy: ctx.filedBy,
  });
  if (!outcome) {
    // Nothing written: another request claimed the key (answered as it was, unless the reporter
    // is blocked now), another report or a move took a photo since the check above, or the batch
    // found the reporter blocked. A block is said plainly, and nothing more: not when or why, nor
    // anything about the reporter's reports; one lifted since does not write the report after the fact.
    if (!(await isReporterBlocked(db, ctx.reporter.key, ctx.now))) {
      const earlier = ctx.idempotency && (await replay(db, ctx.idempotency));
      if (earlier) return withReceipt(earlier);
      if (input.photoIds?.length && !(await photosFree(db, input.photoIds))) throw photosRefused();
    }
    throw new AppError(403, "reporter_blocked", "reports from this reporter are not accepted");
  }
  if (!ctx.idempotency) return withReceipt(outcome);
  // The stored answer leaves the receipt out: it is derived again for a replay.
  await db
    .update(idempotencyKeys)
    .set({ response: outcome })
    .where(eq(idempotencyKeys.key, ctx.idempotency.key));
  return withReceipt(outcome);
}

/**
 * Whether this key and request were answered already: a retry after a lost answer is answered
 * from what was written, even past the reporter's spent budget (`limitReports`).
 */
export async function answeredAlready(db: Db, idem: { key: string; requestHash: string } | null) {
  if (!idem) return false;
  const row = await db
    .select({ hash: idempotencyKeys.requestHash })
    .from(idempotencyKeys)
    .where(eq(idempotencyKeys.key, idem.key))
    .get();
  return row?.hash === idem.requestHash;
}

async function replay(db: Db, idem: { key: string; requestHash: string }): Promise<IntakeOutcome | null> {
  const row = await db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, idem.key)).get();
  if (!row) return null;
  if (row.requestHash !== idem.requestHash) {
    throw keyReused(
      "another request, or by another reporter: a retry must come with the same body and the same device credential, contact or caller (without one, from the same network)",
    );
  }
  if (row.response) return row.response as IntakeOutcome;
  return currentOutcome(db, row.reportId);
}

/** The intake answer for a report as things stand now (for a replay whose first answer was not kept). */
async function currentOutcome(db: Db, reportId: string): Promise<IntakeOutcome | null> {
  const [row] = await outcomeQuery(db, reportId);
  return row ? outcomeFrom(row) : null;
}

/** The contact as stored: each field sealed for this report with the key (none with a null key). */
async function sealedContact(
  contact: ReportInput["contact"],
  reportId: string,
  key: string | null | undefined,
) {
  if (!contact || key === null) return null;
  if (key === undefined) return contact;
  const seal = async (field: string, v: string | undefined) =>
    (await sealedValue(key, reportId, `contact_${field}`, v)) ?? undefined;
  return {
    name: await seal("name", contact.name),
    email: await seal("email", contact.email),
    phone: await seal("phone", contact.phone),
  };
}

/** Answers in words (a text question's) with the contact details in them masked. */
const maskedAnswers = (answers: Record<string, unknown>) =>
  Object.fromEntries(
    Object.entries(answers).map(([k, v]) => [k, typeof v === "string" ? maskContacts(v) : v]),
  );

/**
 * A report as anyone may see it: no contact, device id or reporter key, no answer to no question,
 * and no phone number or e-mail address typed into its words.
 */
export async function findPublicReport(db: Db, id: string) {
  const row = await db
    .select({
      questions: services.attributes,
      id: reports.id,
      service: reports.serviceCode,
      clusterId: reports.clusterId,
      lat: reports.lat,
      lon: reports.lon,
      description: reports.description,
      attributes: reports.attributes,
      mediaUrl: reports.mediaUrl,
      address: reports.address,
      source: reports.source,
      createdAt: reports.createdAt,
      hiddenAt: reports.hiddenAt,
    })
    .from(reports)
    .innerJoin(services, eq(services.code, reports.serviceCode))
    .where(eq(reports.id, id))
    .get();
  if (!row) return null;
  // A report moderators hid keeps its place and time, never its words.
  const { hiddenAt, questions, ...report } = row;
  return hiddenAt === null
    ? {
        ...report,
        description: maskContacts(report.description),
        // A client app's link, as any words: a wa.me or ?phone= link is a contact.
        mediaUrl: report.mediaUrl === null ? null : maskContacts(report.mediaUrl),
        address: report.address === null ? null : maskContacts(report.address),
        attributes: maskedAnswers(publicAnswers(questions as AttributeDefinition[], report.attributes)),
        hidden: false,
      }
    : { ...report, description: "", attributes: {}, mediaUrl: null, address: null, hidden: true };
}

const photosRefused = () =>
  invalid(
    "photoIds",
    "a photo is unknown, expired (uploads no report links within 24 hours are deleted) or attached elsewhere: upload it again with POST /api/photos",
  );
