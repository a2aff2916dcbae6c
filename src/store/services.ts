import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { services } from "../db/schema";
import type { AttributeDefinition } from "../domain/attributes";
import { AppError, notFound } from "../domain/errors";
import type { ServiceInput, ServiceUpdate } from "../schemas/service";
import { forgetCatalog } from "./catalog-cache";
import { type AuditEntry, auditAfter, sameColumns } from "./writes";

export type ServiceRow = typeof services.$inferSelect;

/** A service as the API shows it. */
export const presentService = (s: ServiceRow) => ({
  code: s.code,
  name: { en: s.nameEn, zh: s.nameZh },
  group: s.group,
  description: s.description,
  radiusM: s.radiusM,
  windowDays: s.windowDays,
  threshold: s.threshold,
  ackHours: s.ackHours,
  resolveHours: s.resolveHours,
  keywords: s.keywords,
  askAfterDays: s.askAfterDays,
  active: s.active,
  attributes: serviceAttributes(s),
  sensor: s.sensor ?? null,
});
export type Service = ReturnType<typeof presentService>;

const columns = (s: ServiceUpdate) => ({
  nameEn: s.name.en,
  nameZh: s.name.zh,
  group: s.group,
  description: s.description,
  radiusM: s.radiusM,
  windowDays: s.windowDays,
  threshold: s.threshold,
  ackHours: s.ackHours,
  resolveHours: s.resolveHours,
  keywords: s.keywords,
  // The column's default, as the migration set it for services made before.
  askAfterDays: s.askAfterDays ?? 3,
  active: s.active,
  attributes: (s.attributes ?? []) satisfies AttributeDefinition[],
  sensor: s.sensor ?? null,
});

/** The service's questions, as validated by `attributeDefinitions` when they were saved. */
export const serviceAttributes = (s: ServiceRow): AttributeDefinition[] =>
  (s.attributes ?? []) as AttributeDefinition[];

export async function listServices(db: Db, opts: { activeOnly?: boolean } = {}): Promise<ServiceRow[]> {
  const rows = await db.select().from(services).orderBy(asc(services.code));
  return opts.activeOnly ? rows.filter((s) => s.active) : rows;
}

/** Which of these services have a problem on record (one probe of the clusters' index each). */
export async function servicesWithProblems(db: Db, codes: string[]): Promise<Set<string>> {
  if (codes.length === 0) return new Set();
  const rows = await db.all<{
    code: string;
  }>(sql`SELECT value AS code FROM json_each(${JSON.stringify(codes)})
    WHERE EXISTS (SELECT 1 FROM clusters WHERE service_code = value)`);
  return new Set(rows.map((r) => r.code));
}

export async function findService(db: Db, code: string): Promise<ServiceRow | undefined> {
  return db.select().from(services).where(eq(services.code, code)).get();
}

/** Creates a service; `audit` (an admin's change) is written with it, in its batch. */
export async function createService(
  db: Db,
  input: ServiceInput,
  now: number,
  audit?: AuditEntry,
): Promise<ServiceRow> {
  const [[row]] = await db.batch([
    db
      .insert(services)
      .values({ code: input.code, ...columns(input), createdAt: now, updatedAt: now })
      .onConflictDoNothing()
      .returning(),
    ...auditAfter(db, audit, now),
  ]);
  if (!row) throw new AppError(409, "service_exists", `service ${input.code} already exists`, "code");
  forgetCatalog(db);
  return row;
}

/** When any service was last created or changed (withdrawn, renamed, its questions), ms; null: none yet. */
export async function servicesChangedAt(db: Db): Promise<number | null> {
  const [row] = await db.all<{ at: number | null }>(sql`SELECT max(updated_at) AS at FROM services`);
  return row?.at ?? null;
}

/**
 * Replaces a service; returns it and the service as it was before (read for the comparison). One
 * saved as it was writes nothing: neither an audit entry nor a new `updated_at`, which Open311's
 * discovery gives clients as its `changeset` (a console's "Save" with nothing changed had told
 * every client to read the definitions again).
 */
export async function updateService(
  db: Db,
  code: string,
  input: ServiceUpdate,
  now: number,
  audit?: AuditEntry,
): Promise<{ service: ServiceRow; before: ServiceRow | undefined }> {
  const before = await findService(db, code);
  if (before && sameColumns(columns(input), before)) return { service: before, before };
  const [[row]] = await db.batch([
    db
      .update(services)
      .set({ ...columns(input), updatedAt: now })
      .where(eq(services.code, code))
      .returning(),
    ...auditAfter(db, audit, now),
  ]);
  if (!row) throw notFound(`service ${code}`);
  forgetCatalog(db);
  return { service: row, before };
}
