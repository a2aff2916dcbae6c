import { z } from "zod";
import { PASSWORD_MAX, PASSWORD_MIN, passwordFault } from "../domain/password";
import { STAFF_ROLES } from "../domain/staff";
import { code, emailAddress, instant, optionalQueryInt, text } from "./common";

const password = z
  .string()
  .min(PASSWORD_MIN, `must be at least ${PASSWORD_MIN} characters`)
  .max(PASSWORD_MAX, `must be at most ${PASSWORD_MAX} characters`)
  .superRefine((p, ctx) => {
    const fault = passwordFault(p);
    if (fault) ctx.addIssue({ code: "custom", message: fault });
  });

/** `POST /api/admin/staff`: a new account; without a password it cannot sign in until one is set. */
export const staffInput = z
  .strictObject({
    email: emailAddress().max(254),
    name: text().trim().min(1).max(200),
    role: z.enum(STAFF_ROLES),
    /** Required for (and only for) the `department` role. */
    department: code.optional(),
    password: password.optional(),
  })
  .superRefine((s, ctx) => {
    if (s.role === "department" && !s.department)
      ctx.addIssue({
        code: "custom",
        path: ["department"],
        message: "a department member needs a department",
      });
    if (s.role !== "department" && s.department)
      ctx.addIssue({
        code: "custom",
        path: ["department"],
        message: "only the department role has a department",
      });
  });
export type StaffInput = z.infer<typeof staffInput>;

/** `PATCH /api/admin/staff/:id`: what changes; the rest stays. `password` resets it (by an admin). */
export const staffUpdate = z.strictObject({
  /** Put right (a typo, a new address): unique as on creation; the reset links mailed to the old one are spent. */
  email: emailAddress().max(254).optional(),
  name: text().trim().min(1).max(200).optional(),
  role: z.enum(STAFF_ROLES).optional(),
  department: code.nullable().optional(),
  password: password.optional(),
  /** A disabled account cannot sign in, and its sessions end. */
  disabled: z.boolean().optional(),
});
export type StaffUpdate = z.infer<typeof staffUpdate>;

/** A staff account as answered: never its password hash. */
export const staffMember = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(STAFF_ROLES),
  department: z.string().nullable(),
  disabled: z.boolean(),
  hasPassword: z.boolean(),
  createdAt: instant,
  updatedAt: instant,
});
export const staffAnswer = z.object({ staff: staffMember });
export const staffList = z.object({ staff: z.array(staffMember) });

export const signInInput = z.strictObject({
  email: emailAddress().max(254),
  password: z.string().min(1).max(PASSWORD_MAX),
});
export const signedIn = z.object({
  /** The session's bearer token, shown this once: send it as `Authorization: Bearer <token>`. */
  token: z.string(),
  expiresAt: instant,
  staff: staffMember,
});
export const signedOut = z.object({ signedOut: z.literal(true) });

/** `POST /api/auth/password-reset`: the account's e-mail. */
export const passwordResetInput = z.strictObject({ email: emailAddress().max(254) });
/** The same answer whether or not the account exists (nobody learns which e-mails have one). */
export const passwordResetAccepted = z.object({ accepted: z.literal(true) });
/**
 * `POST /api/auth/password-reset/confirm`: the mailed link's token and the new password, read as
 * any text: its rules (`newPassword`) are judged once the link is known good, so an owner's tries
 * at an acceptable one spend none of the network's budget.
 */
export const passwordResetBody = z.strictObject({
  token: z.string().min(1).max(200),
  password: z.string().describe("10 to 200 characters, as an admin's (judged once the token is known good)"),
});
export const newPassword = z.strictObject({ password });
export const passwordResetDone = z.object({ reset: z.literal(true) });

/** `GET /api/auth/me`: who the bearer token acts as, for any staff session or machine token. */
export const whoAmI = z.object({
  role: z.enum(STAFF_ROLES),
  via: z.enum(["staff", "department_token", "admin_token"]),
  name: z.string(),
  department: z.string().nullable(),
  staff: staffMember.nullable(),
});

/** One entry of the staff audit trail. */
export const staffAction = z.object({
  id: z.string(),
  at: instant,
  action: z.string(),
  by: z.object({ name: z.string(), staffId: z.string().nullable(), via: z.string() }),
  subject: z.object({ type: z.string().nullable(), id: z.string().nullable() }),
  detail: z
    .record(z.string(), z.unknown())
    .nullable()
    .describe(
      "What an admin change set: its request body, a secret or password only as `(set)`, long lists as their count; null for an entry without one (a deletion, a sign-in, a move, entries before migration 0075)",
    ),
});
export const staffActionList = z.object({
  actions: z.array(staffAction),
  next: z.string().nullable().describe("`before` for the next (older) page; null on the last page"),
});
export const auditQuery = z.object({
  subjectType: z.string().max(40).optional(),
  subjectId: z.string().max(100).optional(),
  limit: optionalQueryInt(1, 200, 200).describe("How many entries per page (1-200, 200 by default)"),
  before: z
    .string()
    .min(1)
    .max(100)
    .optional()
    .describe(
      "The `next` of the page before (an entry's id): the entries older than it; the first page without it",
    ),
});
