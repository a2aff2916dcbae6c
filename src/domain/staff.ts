/**
 * Staff accounts, pure: the roles and what each may do, e-mail as a key, session lifetime.
 * The guards in `src/http/auth.ts` apply these rules; nothing here touches a request.
 */

import { mailboxForm } from "./mailbox";

/**
 * `admin` runs the city (every admin endpoint); `department` works one department's work
 * orders; `call_taker` files reports for hotline callers (the desk); `viewer` reads the staff
 * side without changing anything (an inspector).
 */
export const STAFF_ROLES = ["admin", "department", "call_taker", "viewer"] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/** What a route needs of its caller. */
export type Capability = "any" | "admin" | "department_read" | "department_write" | "desk";

/** Which roles each capability lets through (machine tokens are mapped to roles first). */
const ALLOWED: Record<Capability, readonly StaffRole[]> = {
  any: STAFF_ROLES,
  admin: ["admin"],
  department_read: ["admin", "department", "viewer"],
  department_write: ["admin", "department"],
  desk: ["admin", "call_taker"],
};

export const mayDo = (role: StaffRole, capability: Capability) => ALLOWED[capability].includes(role);

/** How long a sign-in lasts: one working shift and a half. */
export const SESSION_MS = 12 * 60 * 60 * 1000;

/** E-mail as an account key: trimmed and in lower case (unique whatever its case). */
export const accountEmail = (email: string) => mailboxForm(email);
