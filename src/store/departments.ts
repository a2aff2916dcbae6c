import { and, asc, eq, isNotNull, ne, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { rowsChanged } from "../db/rows-changed";
import {
  areaVersion as areaVersionTable,
  departmentServices,
  departments,
  open311ServiceCodes,
  services,
} from "../db/schema";
import { checkDispatchSettings } from "../domain/dispatch-config";
import { AppError, conflict, invalid, notFound } from "../domain/errors";
import { type Area, areaM2 } from "../domain/geo";
import { newSecret } from "../domain/ids";
import { iso } from "../domain/iso-time";
import { looksSwapped, type PlacedArea, placedArea, type RoutingCandidate } from "../domain/routing";
import type { DepartmentInput, DepartmentUpdate } from "../schemas/department";
import { forgetCatalog } from "./catalog-cache";
import { wakeParked } from "./outbox";
import { type AuditEntry, auditAfter, sameColumns } from "./writes";

type DepartmentRow = typeof departments.$inferSelect;
type Link = typeof departmentServices.$inferSelect;

/** A department as the public sees it: no webhook address, never its secret. */
export interface Department {
  code: string;
  name: { en: string; zh: string };
  services: string[];
  fallbackFor: string[];
  area: Area | null;
}

const present = (d: DepartmentRow, links: Link[]): Department => ({
  code: d.code,
  name: { en: d.nameEn, zh: d.nameZh },
  services: links.filter((l) => l.departmentCode === d.code).map((l) => l.serviceCode),
  fallbackFor: links.filter((l) => l.departmentCode === d.code && l.fallback).map((l) => l.serviceCode),
  area: (d.area as Area | null) ?? null,
});

export async function listDepartments(db: Db): Promise<Department[]> {
  const [rows, links] = await db.batch([
    db.select().from(departments).orderBy(asc(departments.code)),
    db.select().from(departmentServices).orderBy(asc(departmentServices.serviceCode)),
  ]);
  return rows.map((d) => present(d, links));
}

export async function findDepartment(db: Db, code: string): Promise<Department | undefined> {
  const [rows, links] = await db.batch([
    db.select().from(departments).where(eq(departments.code, code)),
    db.select().from(departmentServices).where(eq(departmentServices.departmentCode, code)),
  ]);
  return rows[0] && present(rows[0], links);
}

/**
 * Every department (or the one of `code`) with what only the admin sees: population and webhook
 * address (never its secret). What a `PUT` of it takes back as it is.
 */
export async function listDepartmentsForAdmin(db: Db, now: number, code?: string) {
  const [rows, links, codes] = await db.batch([
    db
      .select()
      .from(departments)
      .where(code === undefined ? undefined : eq(departments.code, code))
      .orderBy(asc(departments.code)),
    db.select().from(departmentServices).orderBy(asc(departmentServices.serviceCode)),
    db.select().from(open311ServiceCodes),
  ]);
  return rows.map((d) => ({
    ...present(d, links),
    population: d.population,
    webhookUrl: d.webhookUrl,
    hasWebhookSecret: d.webhookSecret !== null,
    previousSecretUntil:
      d.webhookPreviousUntil !== null && d.webhookPreviousUntil > now ? iso(d.webhookPreviousUntil) : null,
    dispatch: presentDispatch(d, codes),
  }));
}

/** The departments that handle a service, as routing needs them. */
export async function routingCandidates(db: Db, serviceCode: string): Promise<RoutingCandidate[]> {
  const rows = await db
    .select({
      code: departments.code,
      area: departments.area,
      areaM2: departments.areaM2,
      fallback: departmentServices.fallback,
    })
    .from(departmentServices)
    .innerJoin(departments, eq(departments.code, departmentServices.departmentCode))
    .where(eq(departmentServices.serviceCode, serviceCode));
  return rows.map((r) => ({ ...r, area: (r.area as Area | null) ?? null }));
}

/** Every department's area, with its box: where the intake places each report. */
/** The version every change of an area moves (`area_version`, kept by triggers). */
export async function areaVersion(db: Db): Promise<number | null> {
  const row = await db.select({ version: areaVersionTable.version }).from(areaVersionTable).get();
  return row?.version ?? null;
}

export async function departmentAreas(db: Db): Promise<PlacedArea[]> {
  const rows = await db
    .select({ code: departments.code, area: departments.area })
    .from(departments)
    .where(isNotNull(departments.area));
  return rows.map((r) => placedArea(r.code, r.area as Area));
}

/**
 * A list as one bound JSON value, as a set to test membership in or rows to insert: D1 binds at most
 * 100 values a statement, and a department may take 200 services (34 had failed there with a 500).
 */
const jsonRows = (values: unknown[]) => sql`(SELECT value FROM json_each(${JSON.stringify(values)}))`;

async function checkServicesExist(db: Db, codes: string[]) {
  if (codes.length === 0) return;
  const found = await db
    .select({ code: services.code })
    .from(services)
    .where(sql`${services.code} IN ${jsonRows(codes)}`);
  const missing = codes.filter((c) => !found.some((f) => f.code === c));
  if (missing.length) throw invalid("services", `unknown service: ${missing.join(", ")}`, "unknown_service");
}

/**
 * A service takes one fallback department: another's setting would do nothing (routing takes
 * the first by code), so it is refused with the department that holds it. The unique index
 * (migration 0067) keeps two admins saving at once from both getting it.
 */
async function checkFallbacksFree(db: Db, code: string, fallbackFor: string[]) {
  if (fallbackFor.length === 0) return;
  const taken = await db
    .select({ service: departmentServices.serviceCode, department: departmentServices.departmentCode })
    .from(departmentServices)
    .where(
      and(
        eq(departmentServices.fallback, true),
        sql`${departmentServices.serviceCode} IN ${jsonRows(fallbackFor)}`,
        ne(departmentServices.departmentCode, code),
      ),
    )
    .get();
  if (taken) throw fallbackTaken(taken.service, taken.department);
}

const fallbackTaken = (service: string, department: string) =>
  new AppError(
    409,
    "fallback_taken",
    `department ${department} already takes ${service}'s reports outside every area: one department per service does; take it off there first`,
    "fallbackFor",
  );

/** A save that lost the race for a service's fallback to another admin's (the index refused it). */
async function fallbackRaced<T>(
  db: Db,
  code: string,
  fallbackFor: string[],
  batch: () => Promise<T>,
): Promise<T> {
  try {
    return await batch();
  } catch (e) {
    const said = `${(e as Error).message} ${((e as Error).cause as Error | undefined)?.message ?? ""}`;
    if (!said.includes("department_services.service_code")) throw e;
    await checkFallbacksFree(db, code, fallbackFor);
    throw e;
  }
}

const columns = (d: DepartmentUpdate) => ({
  nameEn: d.name.en,
  nameZh: d.name.zh,
  area: d.area,
  areaM2: d.area ? areaM2(d.area as Area) : null,
  population: d.population,
  webhookUrl: d.webhookUrl,
  // `email` is stored as `webhook` with a mailbox (the column's CHECK predates it; see schema.ts).
  dispatchMethod: d.dispatch.method === "email" ? "webhook" : d.dispatch.method,
  mailTo: d.dispatch.method === "email" ? d.dispatch.to : null,
  mailReplyTo: d.dispatch.method === "email" ? d.dispatch.replyTo : null,
  ...(d.dispatch.method === "open311"
    ? {
        open311Endpoint: d.dispatch.endpoint,
        open311Jurisdiction: d.dispatch.jurisdictionId,
        // Absent from a PUT: the stored key stays (it is never shown, so it cannot be sent back).
        ...(d.dispatch.apiKey ? { open311ApiKey: d.dispatch.apiKey } : {}),
      }
    : { open311Endpoint: null, open311Jurisdiction: null, open311ApiKey: null }),
});

const serviceCodeRows = (code: string, d: DepartmentUpdate) =>
  d.dispatch.method === "open311"
    ? Object.entries(d.dispatch.serviceCodes).map(([serviceCode, remoteCode]) => ({
        departmentCode: code,
        serviceCode,
        remoteCode,
      }))
    : [];

/** Whether work orders can go out: a webhook department with an address, an Open311 or e-mail one. */
const canReceive = (d: DepartmentUpdate) => d.dispatch.method !== "webhook" || d.webhookUrl !== null;

/** Where a department's work orders go: a save that changes nothing here wakes no waiting row. */
const receiverOf = (
  d: Pick<DepartmentRow, "webhookUrl" | "dispatchMethod" | "mailTo" | "open311Endpoint" | "open311ApiKey">,
) => JSON.stringify([d.webhookUrl, d.dispatchMethod, d.mailTo, d.open311Endpoint, d.open311ApiKey]);

/** A department's dispatch settings as the admin reads them back: never the API key. */
const presentDispatch = (
  d: typeof departments.$inferSelect,
  codes: (typeof open311ServiceCodes.$inferSelect)[],
) => ({
  method: d.mailTo ? ("email" as const) : d.dispatchMethod,
  endpoint: d.open311Endpoint,
  to: d.mailTo,
  replyTo: d.mailReplyTo,
  jurisdictionId: d.open311Jurisdiction,
  serviceCodes: Object.fromEntries(
    codes.filter((c) => c.departmentCode === d.code).map((c) => [c.serviceCode, c.remoteCode]),
  ),
  apiKeySet: d.open311ApiKey !== null,
});

const linksOf = (code: string, d: DepartmentUpdate) =>
  [...new Set(d.services)].map((serviceCode) => ({
    departmentCode: code,
    serviceCode,
    fallback: d.fallbackFor.includes(serviceCode),
  }));

/**
 * The department's service links, from one JSON value, written where `when` holds (on a create,
 * only if the department's own row was); a link already there keeps its row, its fallback set.
 */
const insertLinks = (db: Db, code: string, links: { serviceCode: string; fallback: boolean }[], when: SQL) =>
  db.run(sql`INSERT INTO department_services (department_code, service_code, fallback)
    SELECT ${code}, json_extract(value, '$[0]'), json_extract(value, '$[1]')
    FROM json_each(${JSON.stringify(links.map((l) => [l.serviceCode, l.fallback ? 1 : 0]))}) WHERE ${when}
    ON CONFLICT (department_code, service_code) DO UPDATE SET fallback = excluded.fallback
      WHERE fallback IS NOT excluded.fallback`);

/** The department's Open311 service codes, from one JSON value, written where `when` holds. */
const insertServiceCodes = (
  db: Db,
  code: string,
  rows: { serviceCode: string; remoteCode: string }[],
  when: SQL,
) =>
  db.run(sql`INSERT INTO open311_service_codes (department_code, service_code, remote_code)
    SELECT ${code}, json_extract(value, '$[0]'), json_extract(value, '$[1]')
    FROM json_each(${JSON.stringify(rows.map((r) => [r.serviceCode, r.remoteCode]))}) WHERE ${when}`);

const departmentExists = (code: string) =>
  new AppError(409, "department_exists", `department ${code} already exists`, "code");

/**
 * Refuses an area written as [latitude, longitude] pairs (`looksSwapped`): saved, it would route
 * none of the city's reports to the department, and take reports an ocean away.
 */
async function checkAreaOrder(db: Db, code: string, area: Area | null | undefined) {
  if (!area) return;
  const others = (await departmentAreas(db)).filter((a) => a.code !== code);
  if (looksSwapped(others, area))
    throw invalid(
      "area.coordinates",
      "its positions read as [latitude, longitude]: GeoJSON's are [longitude, latitude], and read so the area is far from every other department's",
    );
}

/** Creates a department. Its webhook secret, when it has a webhook, is returned this once. */
export async function createDepartment(db: Db, input: DepartmentInput, now: number, audit?: AuditEntry) {
  await checkServicesExist(db, input.services);
  await checkAreaOrder(db, input.code, input.area as Area | null);
  // Said before anything is checked against it (its fallbacks are its own, not another's).
  if (await findDepartment(db, input.code)) throw departmentExists(input.code);
  await checkFallbacksFree(db, input.code, input.fallbackFor);
  checkDispatchSettings(input.dispatch, input.services, null);
  const secret = input.webhookUrl ? newSecret("whsec") : null;
  const links = linksOf(input.code, input);
  const insert = db
    .insert(departments)
    .values({ code: input.code, ...columns(input), webhookSecret: secret, createdAt: now, updatedAt: now })
    .onConflictDoNothing()
    .returning();
  const codes = serviceCodeRows(input.code, input);
  // Each row after the department's is written only if the one before it was (`changes()`): a
  // second POST of the same new code at once adds nothing to the first's department.
  const [inserted] = await fallbackRaced(db, input.code, input.fallbackFor, () =>
    db.batch([
      insert,
      ...(links.length ? [insertLinks(db, input.code, links, sql`changes() > 0`)] : []),
      ...(codes.length ? [insertServiceCodes(db, input.code, codes, sql`changes() > 0`)] : []),
      ...auditAfter(db, audit, now),
    ]),
  );
  if (!inserted[0]) throw departmentExists(input.code);
  forgetCatalog(db);
  return { department: (await findDepartment(db, input.code)) as Department, webhookSecret: secret };
}

/** Deletes the secrets renewals replaced once they sign no more, so no later row or backup keeps them. */
export async function forgetPreviousWebhookSecrets(db: Db, now: number) {
  await db.run(sql`UPDATE departments SET webhook_previous_secret = NULL, webhook_previous_until = NULL
    WHERE webhook_previous_until <= ${now}`);
}

/**
 * Gives a department's webhook a new secret, returned this once. The secret is shown only when it
 * is made, so without this a secret lost (or leaked) could never be replaced. Every later
 * delivery, retries of earlier events included, is signed with the new one when it is sent. The
 * old one stops at once, or (`keepPreviousMs`, a planned change) goes on signing beside it until
 * then, so the department's system can switch at its own moment without refusing a delivery; a
 * renewal within that time replaces it with the secret it renewed.
 */
export async function renewWebhookSecret(
  db: Db,
  code: string,
  now: number,
  keepPreviousMs: number,
  audit?: AuditEntry,
) {
  const secret = newSecret("whsec");
  const keep = keepPreviousMs > 0;
  const [[row]] = await db.batch([
    db
      .update(departments)
      .set({
        webhookSecret: secret,
        // The column as it was before this statement: the secret being replaced.
        webhookPreviousSecret: keep ? sql`${departments.webhookSecret}` : null,
        webhookPreviousUntil: keep ? now + keepPreviousMs : null,
        updatedAt: now,
      })
      .where(and(eq(departments.code, code), isNotNull(departments.webhookUrl)))
      .returning({ code: departments.code }),
    ...auditAfter(db, audit, now),
  ]);
  if (row) return { webhookSecret: secret, previousSecretUntil: keep ? iso(now + keepPreviousMs) : null };
  const exists = await db
    .select({ code: departments.code })
    .from(departments)
    .where(eq(departments.code, code))
    .get();
  if (!exists) throw notFound(`department ${code}`);
  throw new AppError(
    409,
    "no_webhook",
    `department ${code} has no webhook to sign for: give it a webhookUrl first`,
    "webhookUrl",
  );
}

/**
 * Runs a department's batch; if it fails because the department was deleted since it was read
 * (its services' rows then break their reference), answers 404 as a later request would.
 */
async function goneAsNotFound<T>(db: Db, code: string, batch: () => Promise<T>): Promise<T> {
  try {
    return await batch();
  } catch (e) {
    if (await findDepartment(db, code)) throw e;
    throw notFound(`department ${code}`);
  }
}

/** Whether saving `input` would leave the department, who takes which service and its Open311 codes as they are. */
async function savedAsItWas(db: Db, existing: DepartmentRow, input: DepartmentUpdate): Promise<boolean> {
  if (!sameColumns(columns(input), existing)) return false;
  const [links, codes] = await Promise.all([
    db.select().from(departmentServices).where(eq(departmentServices.departmentCode, existing.code)),
    db.select().from(open311ServiceCodes).where(eq(open311ServiceCodes.departmentCode, existing.code)),
  ]);
  const sorted = (rows: unknown[]) => JSON.stringify(rows.map((r) => JSON.stringify(r)).sort());
  return (
    sorted(links.map((l) => [l.serviceCode, l.fallback])) ===
      sorted(linksOf(existing.code, input).map((l) => [l.serviceCode, l.fallback])) &&
    sorted(codes.map((c) => [c.serviceCode, c.remoteCode])) ===
      sorted(serviceCodeRows(existing.code, input).map((c) => [c.serviceCode, c.remoteCode]))
  );
}

/**
 * Replaces a department. A webhook secret is made (and returned once) when it first gets a webhook.
 * One saved as it was writes nothing, not even an audit entry (a console's Save with nothing changed).
 */
export async function updateDepartment(
  db: Db,
  code: string,
  input: DepartmentUpdate,
  now: number,
  audit?: AuditEntry,
) {
  await checkServicesExist(db, input.services);
  const existing = await db.select().from(departments).where(eq(departments.code, code)).get();
  if (!existing) throw notFound(`department ${code}`);
  await checkAreaOrder(db, code, input.area as Area | null);
  checkDispatchSettings(input.dispatch, input.services, existing.open311ApiKey);
  await checkFallbacksFree(db, code, input.fallbackFor);
  const secret = input.webhookUrl && !existing.webhookSecret ? newSecret("whsec") : null;
  if (!secret && (await savedAsItWas(db, existing, input)))
    return { department: (await findDepartment(db, code)) as Department, webhookSecret: null };
  const links = linksOf(code, input);
  const codes = serviceCodeRows(code, input);
  const [updated] = await goneAsNotFound(db, code, () =>
    fallbackRaced(db, code, input.fallbackFor, () =>
      db.batch([
        db
          .update(departments)
          .set({
            ...columns(input),
            // Kept if another change gave the webhook its secret meanwhile: only the stored one is shown.
            ...(secret ? { webhookSecret: sql`coalesce(${departments.webhookSecret}, ${secret})` } : {}),
            updatedAt: now,
          })
          .where(eq(departments.code, code))
          .returning({ webhookSecret: departments.webhookSecret }),
        ...auditAfter(db, audit, now),
        // Only what changed is written: each change of who takes which service moves `area_version`,
        // which sends other processes' intakes the slow way for a few seconds.
        db
          .delete(departmentServices)
          .where(
            and(
              eq(departmentServices.departmentCode, code),
              sql`${departmentServices.serviceCode} NOT IN ${jsonRows(links.map((l) => l.serviceCode))}`,
            ),
          ),
        ...(links.length ? [insertLinks(db, code, links, sql`true`)] : []),
        db.delete(open311ServiceCodes).where(eq(open311ServiceCodes.departmentCode, code)),
        ...(codes.length ? [insertServiceCodes(db, code, codes, sql`true`)] : []),
        // Work orders that waited for a way out go out now.
        ...(canReceive(input) && receiverOf(existing) !== receiverOf({ ...existing, ...columns(input) })
          ? [wakeParked(db, code, now)]
          : []),
      ]),
    ),
  );
  forgetCatalog(db);
  // Deleted since it was read, by a batch with no row to break a reference: as a later request would.
  if (updated.length === 0) throw notFound(`department ${code}`);
  const made = secret !== null && updated[0]?.webhookSecret === secret ? secret : null;
  return { department: (await findDepartment(db, code)) as Department, webhookSecret: made };
}

/**
 * Deletes a department made by mistake (a test, a typo), which the public league table would list
 * for good: one that no work order, event, delivery, rating or staff account has ever named, so no
 * history loses its department. Its services, Open311 codes and tokens go with it, its area's
 * counts by trigger (migration 0025), in one batch whose every statement re-checks that, so a work
 * order routed to it meanwhile keeps it. Else a 409 `department_in_use`.
 */
export async function deleteDepartment(db: Db, code: string, now: number, audit?: AuditEntry) {
  const exists = async () =>
    (await db.select({ code: departments.code }).from(departments).where(eq(departments.code, code))).length >
    0;
  if (!(await exists())) throw notFound(`department ${code}`);
  const unused = sql`NOT EXISTS (SELECT 1 FROM work_orders WHERE department_code = ${code})
    AND NOT EXISTS (SELECT 1 FROM events WHERE department_code = ${code})
    AND NOT EXISTS (SELECT 1 FROM outbox WHERE department_code = ${code})
    AND NOT EXISTS (SELECT 1 FROM ratings WHERE department_code = ${code})
    AND NOT EXISTS (SELECT 1 FROM staff WHERE department_code = ${code})`;
  // Its rows in the figures: zeros at most, as nothing was ever counted for it.
  const figures = ["performance_windows", "performance_blocks", "rater_days", "department_open"];
  const results = await db.batch([
    db.run(sql`DELETE FROM department_tokens WHERE department_code = ${code} AND ${unused}`),
    ...figures.map((table) =>
      db.run(sql`DELETE FROM ${sql.identifier(table)} WHERE department_code = ${code} AND ${unused}`),
    ),
    db.run(sql`DELETE FROM departments WHERE code = ${code} AND ${unused}`),
    ...auditAfter(db, audit, now),
  ]);
  forgetCatalog(db);
  if (rowsChanged(results[figures.length + 1]) > 0) return;
  // Deleted meanwhile by another request: gone, not in use.
  if (!(await exists())) throw notFound(`department ${code}`);
  throw conflict(
    "department_in_use",
    "this department has work orders or staff accounts (now or in its history), which keep its name: take its services and area away instead, and it is sent no more work",
  );
}
