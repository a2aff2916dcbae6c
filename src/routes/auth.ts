/** Staff sign-in and sign-out: e-mail and password for a bearer session token. */
import { Hono } from "hono";
import { sha256Hex } from "../domain/crypto";
import { AppError } from "../domain/errors";
import { DUMMY_HASH, verifyPassword } from "../domain/password";
import { accountEmail } from "../domain/staff";
import { bearerToken, requireRole } from "../http/auth";
import type { AppEnv } from "../http/context";
import { enforceLimit } from "../http/rate-limit";
import { jsonBody } from "../http/validate";
import { describe } from "../openapi/describe";
import { signedIn, signedOut, signInInput, whoAmI } from "../schemas/staff";
import { findStaffByEmail, presentStaff } from "../store/staff";
import { recordAction } from "../store/staff-actions";
import { openSession, revokeSession } from "../store/staff-sessions";

const iso = (ms: number) => new Date(ms).toISOString();

export const authRoutes = new Hono<AppEnv>()
  .post(
    "/sign-in",
    describe({
      tag: "Staff",
      summary: "Sign in with e-mail and password",
      description:
        "Answers a bearer token for the staff APIs, valid for 12 hours or until sign-out. Failed attempts are counted per account (5 in 15 minutes) and per client network (20 in 10 minutes); beyond either, `429` with `Retry-After`, the right password included.",
      responses: { 200: { description: "The session", json: signedIn } },
      errors: {
        401: "`invalid_credentials`: unknown e-mail, wrong password or disabled account (not said which)",
        429: "`rate_limited`: too many failed sign-ins for this account or network; see `Retry-After`",
      },
    }),
    jsonBody(signInInput),
    async (c) => {
      const { email, password } = c.req.valid("json");
      const account = await sha256Hex(accountEmail(email));
      // Looked at before the password is: over budget, even the right one is refused.
      await enforceLimit(c, "sign_in", "network", c.var.network, 0);
      await enforceLimit(c, "sign_in", "account", account, 0);
      const s = await findStaffByEmail(c.var.db, email);
      // An unknown e-mail costs the same hashing time as a known one.
      const matches = await verifyPassword(password, s?.passwordHash ?? DUMMY_HASH);
      if (!s?.passwordHash || !matches || s.disabled) {
        await enforceLimit(c, "sign_in", "network", c.var.network);
        await enforceLimit(c, "sign_in", "account", account);
        throw new AppError(
          401,
          "invalid_credentials",
          "the e-mail or the password is wrong, or the account is disabled",
        );
      }
      const now = c.var.now();
      const session = await openSession(c.var.db, s.id, now);
      await recordAction(c.var.db, { staffId: s.id, name: s.name, via: "staff" }, "signed_in", null, now);
      return c.json({ token: session.token, expiresAt: iso(session.expiresAt), staff: presentStaff(s) });
    },
  )
  .post(
    "/sign-out",
    describe({
      tag: "Staff",
      summary: "End this session",
      description: "Revokes the bearer session token sent; it is refused from then on.",
      responses: { 200: { description: "Signed out", json: signedOut } },
    }),
    requireRole("any"),
    async (c) => {
      const token = bearerToken(c) ?? "";
      const now = c.var.now();
      await revokeSession(c.var.db, token, now);
      if (c.var.caller.staff) await recordAction(c.var.db, c.var.caller.by, "signed_out", null, now);
      return c.json({ signedOut: true as const });
    },
  )
  .get(
    "/me",
    describe({
      tag: "Staff",
      summary: "Who this token acts as",
      responses: { 200: { description: "The caller's role, name and department", json: whoAmI } },
    }),
    requireRole("any"),
    (c) => {
      const caller = c.var.caller;
      return c.json({
        role: caller.role,
        via: caller.by.via,
        name: caller.by.name,
        department: caller.department,
        staff: caller.staff,
      });
    },
  );
