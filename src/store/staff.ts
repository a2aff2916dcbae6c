/** Staff accounts: create, list, change; the password hash never leaves this module. */
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { departments, staff } from "../db/schema";
import { auditDetail } from "../domain/audit-detail";
import { AppError, conflict, invalid, notFound } from "../domain/errors";
import { newId } from "../domain/ids";
import { iso } from "../domain/iso-time";
import { hashPassword } from "../domain/password";
import { accountEmail } from "../domain/staff";
import type { StaffInput, StaffUpdate } from "../schemas/staff";
import { type AuditEntry, auditAfter } from "./writes";

export type StaffRow = typeof staff.$inferSelect;

/** A staff row as the API shows it. */
export const presentStaff = (s: StaffRow) => ({
  id: s.id,
  email: s.email,
  name: s.name,
  role: s.role,
  department: s.departmentCode,
  disabled: s.disabled,
  hasPassword: s.passwordHash !== null,
  createdAt: iso(s.createdAt),
  updatedAt: iso(s.updatedAt),
});

async function checkDepartment(db: Db, code: string | null | undefined) {
  if (!code) return;
  const found = await db
    .select({ code: departments.code })
    .from(departments)
    .where(eq(departments.code, code))
    .get();
  if (!found) throw invalid("department", `there is no department ${code}`, "unknown_department");
}

/** Creates an account; 409 `staff_exists` when the e-mail (in any case) has one. */
export async function createStaff(
  db: Db,
  input: StaffInput,
  now: number,
  audit?: AuditEntry,
): Promise<StaffRow> {
  await checkDepartment(db, input.department);
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  const id = newId();
  const insert = db
    .insert(staff)
    .values({
      id,
      email: accountEmail(input.email),
      name: input.name,
      role: input.role,
      departmentCode: input.role === "department" ? (input.department ?? null) : null,
      passwordHash,
      createdAt: now,
      updatedAt: now,
    })
    .onConflictDoNothing()
    .returning();
  const [[row]] = await db.batch([
    insert,
    ...auditAfter(db, audit && { ...audit, subject: { type: "staff", id } }, now),
  ]);
  if (!row) throw new AppError(409, "staff_exists", "an account with this e-mail exists", "email");
  return row;
}

export const listStaff = (db: Db) => db.select().from(staff).orderBy(asc(staff.email));

export const findStaff = (db: Db, id: string) => db.select().from(staff).where(eq(staff.id, id)).get();

export const findStaffByEmail = (db: Db, email: string) =>
  db
    .select()
    .from(staff)
    .where(eq(staff.email, accountEmail(email)))
    .get();

/**
 * Changes an account. A new password (an admin's reset), a disabling or a change of role or
 * department ends its sessions, so nobody keeps rights the account no longer has. A new password
 * also spends the account's outstanding reset links: none may replace the admin's password. A new
 * password or a disabling ends the trust in its browsers (its device epoch grows).
 * A change that changes nothing writes nothing and answers the account as it is.
 */
export async function updateStaff(
  db: Db,
  id: string,
  change: StaffUpdate,
  now: number,
  audit?: AuditEntry,
  tries = 3,
): Promise<StaffRow> {
  const current = await findStaff(db, id);
  if (!current) throw notFound("staff member");
  const role = change.role ?? current.role;
  const department = role === "department" ? (change.department ?? current.departmentCode) : null;
  if (role === "department" && !department)
    throw invalid("department", "a department member needs a department");
  if (role !== "department" && change.department)
    throw invalid("department", "only the department role has a department");
  // Nothing to change (an empty body, or the console saving what is already there): nothing is
  // written, no session ends and the trail gets no entry, as hiding a hidden photo writes none.
  const email = change.email === undefined ? current.email : accountEmail(change.email);
  const unchanged =
    change.password === undefined &&
    email === current.email &&
    (change.name ?? current.name) === current.name &&
    role === current.role &&
    department === current.departmentCode &&
    (change.disabled ?? current.disabled) === current.disabled;
  if (unchanged) return current;
  await checkDepartment(db, department);
  const passwordHash = change.password ? await hashPassword(change.password) : current.passwordHash;
  // A new address: whoever held the old one (mistyped, someone else's) may have signed in by a
  // link mailed there, so their sessions, trusted browsers and unused links all end with it.
  const newEmail = email !== current.email;
  const endSessions =
    change.password !== undefined ||
    change.disabled === true ||
    newEmail ||
    role !== current.role ||
    department !== current.departmentCode;
  const revokesDevices = change.password !== undefined || change.disabled === true || newEmail;
  // The city keeps an enabled admin: a change that would take away the last one writes nothing
  // (decided in the batch, so two admins demoting each other at once cannot both succeed).
  const demotes =
    current.role === "admin" && !current.disabled && (role !== "admin" || change.disabled === true);
  // The role and department as read, which the checks above were made against: every statement
  // of the batch holds to them, so a change that lost to another changes nothing at all.
  const asRead = sql`EXISTS (SELECT 1 FROM staff WHERE id = ${id} AND role = ${current.role}
    AND department_code IS ${current.departmentCode})`;
  const keepsAdmin = demotes
    ? sql`EXISTS (SELECT 1 FROM staff WHERE role = ${"admin"} AND disabled = 0 AND id <> ${id}) AND ${asRead}`
    : asRead;
  // A new address another account has: nothing is written (the unique index would fail the batch).
  const holds =
    email === current.email
      ? keepsAdmin
      : sql`${keepsAdmin} AND NOT EXISTS (SELECT 1 FROM staff WHERE email = ${email} AND id <> ${id})`;
  const [, , [row]] = await db.batch([
    db.run(
      endSessions
        ? sql`UPDATE staff_sessions SET revoked_at = ${now}
            WHERE staff_id = ${id} AND revoked_at IS NULL AND ${holds}`
        : sql`SELECT 1`,
    ),
    // A new password, or a disabling, spends the links mailed before: re-enabled, the account
    // is not opened by a link its owner asked for before it was closed. A new address too: the
    // old one (perhaps mistyped, someone else's) no longer opens it.
    db.run(
      revokesDevices
        ? sql`UPDATE password_resets SET used_at = ${now}, sealed_token = NULL
            WHERE staff_id = ${id} AND used_at IS NULL AND ${holds}`
        : sql`SELECT 1`,
    ),
    db
      .update(staff)
      .set({
        // Only what the change names: another change landing meanwhile (a rename beside a
        // disabling, a password reset) keeps its own columns.
        ...(change.name === undefined ? {} : { name: change.name }),
        ...(email === current.email ? {} : { email }),
        ...(change.password === undefined ? {} : { passwordHash }),
        ...(change.disabled === undefined ? {} : { disabled: change.disabled }),
        ...(role === current.role && department === current.departmentCode
          ? {}
          : { role, departmentCode: department }),
        // The browsers trusted with the old password, or before the disabling, are no longer.
        deviceEpoch: sql`${staff.deviceEpoch} + ${revokesDevices ? 1 : 0}`,
        updatedAt: now,
      })
      .where(and(eq(staff.id, id), holds))
      .returning(),
    ...auditAfter(db, newEmail ? withPreviousEmail(audit, current.email) : audit, now),
  ]);
  if (row) return row;
  const still = await findStaff(db, id);
  if (!still) throw notFound("staff member");
  if (email !== current.email && (await findStaffByEmail(db, email))?.id !== undefined)
    throw new AppError(409, "staff_exists", "another account has this e-mail", "email");
  // Its role or department changed meanwhile: the change is checked again against them.
  if (still.role !== current.role || still.departmentCode !== current.departmentCode) {
    if (tries > 1) return updateStaff(db, id, change, now, audit, tries - 1);
    throw conflict("staff_changed", "the account kept changing while this change was written; try again");
  }
  throw new AppError(
    409,
    "last_admin",
    "the city needs another enabled admin before this one is disabled or given another role",
    change.disabled ? "disabled" : "role",
  );
}

/** The trail keeps the address a correction replaced: "who had this account before" stays answerable. */
function withPreviousEmail(audit: AuditEntry | undefined, previousEmail: string): AuditEntry | undefined {
  if (!audit) return audit;
  const detail = audit.detail ? (JSON.parse(audit.detail) as Record<string, unknown>) : {};
  return { ...audit, detail: auditDetail({ ...detail, previousEmail }) };
}
