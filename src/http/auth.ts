/**
 * Who a request acts as, and the guards that let a role through. A bearer token is one of:
 * a staff session (`stf_…`, from `POST /api/auth/sign-in`), a department token (a machine, acting
 * as its department), or `ADMIN_TOKEN` (the bootstrap, acting as an admin). Each becomes a
 * `Caller` with a role; the guards ask `domain/staff.ts` whether that role may do what the route
 * does. Open311 API keys are checked by the Open311 routes themselves.
 */
import type { Context, MiddlewareHandler } from "hono";
import { hmacSha256Hex, sha256Hex, timingSafeEqual } from "../domain/crypto";
import { AppError } from "../domain/errors";
import { type Capability, mayDo } from "../domain/staff";
import { ACCESS_KEY, documents } from "../openapi/describe";
import { noteAdminToken, wasAdminToken } from "../store/admin-tokens";
import { departmentForToken } from "../store/department-tokens";
import { findDepartment } from "../store/departments";
import { presentStaff } from "../store/staff";
import { tokenWasIssued } from "../store/staff-actions";
import { SESSION_PREFIX, staffForSession } from "../store/staff-sessions";
import { recordAfterAnswer } from "./attempts";
import { routeOf } from "./audit";
import type { AppEnv, Caller, DepartmentCaller } from "./context";
import { enforceLimit } from "./rate-limit";

/** The bearer token of a request, if it sent one. */
export function bearerToken(c: Context): string | null {
  const header = c.req.header("authorization") ?? "";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

/**
 * Guessing tokens is limited per network: a network over its budget of failed attempts is
 * refused (429) before a guessable token is looked at, the right one included, until the window
 * ends. Only `ADMIN_TOKEN` is guessable (an operator chose it); sessions and department tokens
 * are 192 random bits the server issued, so one that resolves is let through whatever the budget:
 * junk sent from a shared network (city hall's guest Wi-Fi) must not lock out the staff behind it.
 */
const signInAllowed = (c: Context<AppEnv>) => enforceLimit(c, "sign_in", "network", c.var.network, 0);
const failedSignIn = (c: Context<AppEnv>) => enforceLimit(c, "sign_in", "network", c.var.network);

/**
 * Puts a refused token in the audit trail and the log, after the answer: one the server never
 * issued, a guess at `ADMIN_TOKEN` or a department's. The trail and the log name the route it was
 * sent to, never the token, nor any part of it.
 */
function recordRefusedToken(c: Context<AppEnv>) {
  const route = routeOf(c);
  recordAfterAnswer(c, "recording a refused token", async () => ({
    action: "sign_in_failed_token",
    byName: route,
    log: `unknown bearer token on ${route}`,
  }));
}

/** A token's digest as `ADMIN_TOKEN`'s values are remembered (`store/admin-tokens.ts`). */
const adminDigest = (c: Context<AppEnv>, token: string) =>
  hmacSha256Hex(c.var.config.reporterSecret, `admin-token:${token}`);

const isAdminToken = (c: Context<AppEnv>, token: string) => {
  const admin = c.var.config.adminToken;
  return !!admin && timingSafeEqual(token, admin);
};

/** The database whose record of `ADMIN_TOKEN` this process has brought up to date. */
const notedIn = new WeakMap<object, string>();

/** The admin, for `ADMIN_TOKEN` (recorded the first time, so that the one it replaced is known); otherwise null. */
async function adminOf(c: Context<AppEnv>, token: string): Promise<Caller | null> {
  if (!isAdminToken(c, token)) return null;
  if (notedIn.get(c.var.db) !== token) {
    await noteAdminToken(c.var.db, await adminDigest(c, token));
    notedIn.set(c.var.db, token);
  }
  return {
    role: "admin",
    department: null,
    staff: null,
    by: { staffId: null, name: "ADMIN_TOKEN", via: "admin_token" },
  };
}

/** The caller a token the server issued stands for (a session, a department's), or null. */
async function issuedCallerOf(c: Context<AppEnv>, token: string): Promise<Caller | null> {
  if (token.startsWith(`${SESSION_PREFIX}_`)) {
    const s = await staffForSession(c.var.db, token, c.var.now());
    if (!s) return null;
    const dept = s.departmentCode ? await findDepartment(c.var.db, s.departmentCode) : undefined;
    return {
      role: s.role,
      department: s.departmentCode,
      departmentName: dept?.name,
      staff: presentStaff(s),
      by: { staffId: s.id, name: s.name, via: "staff" },
    };
  }
  const dept = await departmentForToken(c.var.db, token);
  if (!dept) return null;
  return {
    role: "department",
    department: dept.code,
    departmentName: dept.name,
    staff: null,
    by: { staffId: null, name: dept.name.en, via: "department_token" },
  };
}

/**
 * Who a bearer token stands for; `ended` for one the server issued that no longer holds (a
 * session ended, a department token revoked), which a page left open or a machine not yet told
 * sends again and again: no guess, so neither held up by the network's budget nor spending it (a
 * stale poller behind city hall's one address had locked every colleague out of signing in, with
 * nothing in the trail to say why); null for a token never issued, after the budget is checked.
 */
async function identify(c: Context<AppEnv>): Promise<Caller | "ended" | null> {
  const token = bearerToken(c);
  if (!token) throw new AppError(401, "unauthorized", "send Authorization: Bearer <token>", "Authorization");
  const issued = await issuedCallerOf(c, token);
  if (issued) return issued;
  if (await tokenWasIssued(c.var.db, await sha256Hex(token))) return "ended";
  // A replaced ADMIN_TOKEN (a script not yet told) is no guess either; the one in use is looked
  // at only within the budget, as any guess.
  if (!isAdminToken(c, token) && (await wasAdminToken(c.var.db, await adminDigest(c, token)))) return "ended";
  await signInAllowed(c);
  return adminOf(c, token);
}

/** A refused token as the API document describes it. */
const REFUSED = "one unknown, expired or revoked (one never issued is recorded in the audit trail)";

const ACCESS: Record<Capability, string> = {
  any: "staff",
  admin: "admin",
  department_read: "department",
  department_write: "department",
  desk: "desk",
};

/**
 * A guard letting through callers whose role may `capability`, and setting `c.var.caller`:
 * 401 without a token or with an unknown, expired or revoked one (403 on the admin API, as
 * before staff accounts); 403 for a known caller whose role may not.
 */
export function requireRole(capability: Capability): MiddlewareHandler<AppEnv> {
  const unknownStatus = capability === "admin" ? 403 : 401;
  return documents(
    async (c, next) => {
      // A second guard on a route (reads, then a write) reuses what the first found.
      const caller = (c.get("caller") as Caller | undefined) ?? (await identify(c));
      if (!caller || caller === "ended") {
        if (!caller) {
          await failedSignIn(c);
          recordRefusedToken(c);
        }
        throw unknownStatus === 403
          ? new AppError(403, "forbidden", "this token may not use the admin API")
          : new AppError(401, "unauthorized", "this token is unknown, expired or revoked", "Authorization");
      }
      if (!mayDo(caller.role, capability))
        throw new AppError(403, "forbidden", `the ${caller.role} role may not do this`);
      c.set("caller", caller);
      c.set("department", departmentView(caller));
      await next();
    },
    {
      spec: {
        [ACCESS_KEY]: ACCESS[capability],
        responses: {
          401: { description: `No bearer token${unknownStatus === 401 ? `, or ${REFUSED}` : ""}` },
          403: {
            description: `The caller's role may not do this${unknownStatus === 403 ? `, or the token is ${REFUSED}` : ""}`,
          },
        },
      },
    },
  );
}

/** The department API's view of a caller: one department's work, or all of it. */
function departmentView(caller: Caller): DepartmentCaller {
  if (caller.role === "department" && caller.department)
    return {
      role: "department",
      code: caller.department,
      name: caller.departmentName ?? { en: caller.department, zh: caller.department },
    };
  return { role: caller.role === "viewer" ? "viewer" : "admin", code: null, name: null };
}

/** Admin endpoints: admin staff, or `ADMIN_TOKEN`. */
export const requireAdmin = requireRole("admin");
/** Department reads: department staff or tokens (their own work), admins and viewers (all of it). */
export const requireDepartment = requireRole("department_read");
/** Department moves: as reads, without viewers. */
export const requireDepartmentWrite = requireRole("department_write");
/** The call-taker desk: call-takers and admins. */
export const requireDesk = requireRole("desk");
