/** Staff sign-in and sign-out (e-mail and password for a bearer session token), and password resets by e-mail. */
import { type Context, Hono } from "hono";
import { sealContact } from "../domain/contact-seal";
import { sha256Hex } from "../domain/crypto";
import { AppError } from "../domain/errors";
import { newId, newSecret } from "../domain/ids";
import { iso } from "../domain/iso-time";
import { networkTag } from "../domain/network";
import { DUMMY_HASH, hashPassword, verifyPassword } from "../domain/password";
import { RESET_PREFIX } from "../domain/password-reset";
import { accountEmail } from "../domain/staff";
import { attemptRecorder, recordAfterAnswer } from "../http/attempts";
import { bearerToken, requireRole } from "../http/auth";
import type { AppEnv } from "../http/context";
import { CROSS_SITE_ANSWER, enforceLimit, limitWrites, refundLimit } from "../http/rate-limit";
import { sendsIssuedDevice, trustDevice, trustedDevice } from "../http/staff-device";
import { invalidBody, jsonBody } from "../http/validate";
import { describe } from "../openapi/describe";
import {
  newPassword,
  passwordResetAccepted,
  passwordResetBody,
  passwordResetDone,
  passwordResetInput,
  signedIn,
  signedOut,
  signInInput,
  whoAmI,
} from "../schemas/staff";
import { requestReset, usableReset, useReset } from "../store/password-resets";
import { findStaff, findStaffByEmail, presentStaff } from "../store/staff";
import { openSession, revokeSession } from "../store/staff-sessions";

/**
 * Puts a failed sign-in in the audit trail and the server's log, after the answer
 * (`recordAfterAnswer`). The log names the account by its id, never an e-mail.
 */
const recordFailure = (c: Context<AppEnv>, email: string, staffId: string | null) =>
  recordAfterAnswer(c, "recording a failed sign-in", async () => ({
    action: staffId ? "sign_in_failed" : "sign_in_failed_unknown",
    byName: accountEmail(email),
    log: `failed sign-in for ${staffId ? `staff account ${staffId}` : "an e-mail without an account"}`,
  }));

export const authRoutes = new Hono<AppEnv>()
  .post(
    "/sign-in",
    describe({
      tag: "Staff",
      summary: "Sign in with e-mail and password",
      description:
        "Answers a bearer token for the staff APIs, valid for 12 hours or until sign-out, and trusts the browser for the account: an HttpOnly, `SameSite=Strict` cookie `civicloop_staff_device` (`Path=/api/auth`, 180 days from the latest sign-in, `Secure` over https) holding a credential signed by the server for this account (a browser keeps those of its 5 latest accounts). Failed attempts are counted per client network (20 in 10 minutes) and, for the account, per trusted browser (5 in 15 minutes each, for attempts sending that account's credential) or together for all other attempts (5 in 15 minutes): beyond a budget, `429` with `Retry-After`, the right password included. So guesses from elsewhere cannot lock the account's owner out of a browser they signed in from; such a browser's attempts are not counted against its network either. A session or department token is let through even from a network over its budget (only `ADMIN_TOKEN`, chosen by a person, waits for it). A new password (an admin's or a reset) or disabling the account ends the trust in its browsers. Each `401` is recorded in the audit trail after the answer: the e-mail tried (never the password) and a tag of the client's network; a sign-in's `signed_in` entry has the same tag.",
      responses: { 200: { description: "The session", json: signedIn } },
      errors: {
        401: "`invalid_credentials`: unknown e-mail, wrong password or disabled account (not said which)",
        403: CROSS_SITE_ANSWER,
        429: "`rate_limited`: too many failed sign-ins for this account (from this trusted browser, or from untrusted ones) or from this network; see `Retry-After`",
      },
    }),
    // Every attempt is counted as a failure of its network before its password is checked, and
    // given back if the password is right: over budget, even the right one is refused. Counted
    // only after the (slow) check, a burst of guesses sent at once would all pass before any was
    // counted, and every one of them would be checked. A browser trusted for the account is held
    // to its own budget instead: junk from a shared network must not keep its staff out. So a
    // request sending a credential this server issued is counted once its account is known, any
    // other (a made-up cookie too) before its body is read (a body that cannot be read counts too).
    async (c, next) => {
      c.set("deviceSent", await sendsIssuedDevice(c));
      return c.get("deviceSent") ? next() : limitWrites("sign_in")(c, next);
    },
    jsonBody(signInInput),
    async (c) => {
      const { email, password } = c.req.valid("json");
      const account = await sha256Hex(accountEmail(email));
      const s = await findStaffByEmail(c.var.db, email);
      // The account's failures likewise, looked at, then counted before the check: those of a
      // browser its owner signed in from against its own budget, all others against the shared
      // one, which anyone may spend (a lockout of the owner, were it theirs too).
      const device = await trustedDevice(c, account, async () => s?.deviceEpoch);
      const [kind, key] = device ? (["device", device.key] as const) : (["account", account] as const);
      if (!device && c.get("deviceSent")) await enforceLimit(c, "sign_in", "network", c.var.network);
      await enforceLimit(c, "sign_in", kind, key, 0);
      await enforceLimit(c, "sign_in", kind, key);
      // An unknown e-mail costs the same hashing time as a known one.
      const matches = await verifyPassword(password, s?.passwordHash ?? DUMMY_HASH);
      if (!s?.passwordHash || !matches || s.disabled) {
        recordFailure(c, email, s?.id ?? null);
        throw new AppError(
          401,
          "invalid_credentials",
          "the e-mail or the password is wrong, or the account is disabled",
        );
      }
      if (!device) await refundLimit(c, "sign_in", "network", c.var.network);
      await refundLimit(c, "sign_in", kind, key);
      await trustDevice(c, account, s.deviceEpoch, device);
      const now = c.var.now();
      const tag = await networkTag(c.var.config.reporterSecret, c.var.network);
      const by = { staffId: s.id, name: s.name, via: "staff" } as const;
      const session = await openSession(c.var.db, by, tag, now);
      return c.json({ token: session.token, expiresAt: iso(session.expiresAt), staff: presentStaff(s) });
    },
  )
  .post(
    "/sign-out",
    describe({
      tag: "Staff",
      summary: "End this session",
      description:
        "Revokes the bearer session token sent; it is refused from then on. A department token or `ADMIN_TOKEN` is no session: `400 not_a_session`, and it goes on working (an admin revokes a department token).",
      responses: { 200: { description: "Signed out", json: signedOut } },
      errors: {
        400: "`not_a_session`: the token is a department token or `ADMIN_TOKEN`, which sign-out cannot end",
      },
    }),
    requireRole("any"),
    async (c) => {
      // Answering "signed out" to a machine token would leave its holder believing it ended.
      if (!c.var.caller.staff)
        throw new AppError(
          400,
          "not_a_session",
          "this token is no staff session and stays valid: an admin revokes a department token (DELETE /api/admin/departments/{code}/tokens/{id}); ADMIN_TOKEN ends when the server's setting changes",
          "Authorization",
        );
      const token = bearerToken(c) ?? "";
      const now = c.var.now();
      await revokeSession(c.var.db, token, now, c.var.caller.by);
      return c.json({ signedOut: true as const });
    },
  )
  .post(
    "/password-reset",
    describe({
      tag: "Staff",
      summary: "Ask for a password-reset link by e-mail",
      description:
        "Always `202`, whether or not the e-mail has an account (nobody learns which do). When it has one, enabled, and this server can send mail (`SMTP_URL` or an HTTP mail API, and a `CONTACT_KEY` on Workers), a link to `/admin#reset=<token>` is mailed through the outbox: it works once, for an hour, and a newer link replaces it. Without mail, an admin sets a new password (`PATCH /api/admin/staff/:id` with `password`). Limited per network (10 an hour) and per account (3 an hour), except that a browser trusted for the account (see sign-in) has 3 an hour of its own instead of the account's, so requests from elsewhere cannot keep its owner from getting a link. Each request is recorded in the audit trail after the answer: the e-mail asked for (`password_reset_requested` when an account has it, `password_reset_requested_unknown` when none does) and a tag of the client's network.",
      responses: { 202: { description: "Accepted", json: passwordResetAccepted } },
      errors: {
        403: CROSS_SITE_ANSWER,
        429: "`rate_limited`: too many reset requests from this network or for this account (from this trusted browser, or from untrusted ones)",
      },
    }),
    // The network's budget before the body is read: a request that cannot be read counts too.
    limitWrites("password_reset"),
    jsonBody(passwordResetInput),
    async (c) => {
      const { email } = c.req.valid("json");
      const account = await sha256Hex(accountEmail(email));
      // The account is looked up only for a browser holding a credential of it, issued when it
      // existed: for anyone else, a known address still answers no later than an unknown one.
      const device = await trustedDevice(
        c,
        account,
        async () => (await findStaffByEmail(c.var.db, email))?.deviceEpoch,
      );
      await enforceLimit(c, "password_reset", device ? "device" : "account", device?.key ?? account);
      const { mail, contactKey } = c.var.config;
      const { db } = c.var;
      const now = c.var.now();
      const record = attemptRecorder(c);
      // Looked up, recorded and made after the answer: a known address must not answer later than
      // an unknown one.
      c.var.afterAnswer.run(c, "a password reset request", async () => {
        const s = await findStaffByEmail(db, email);
        await record({
          action: s ? "password_reset_requested" : "password_reset_requested_unknown",
          byName: accountEmail(email),
        });
        // A Worker without CONTACT_KEY cannot keep the token for the mailer: no mail, as without a sender.
        if (!s || s.disabled || !mail || contactKey === null) return;
        const id = newId();
        const token = newSecret(RESET_PREFIX);
        await requestReset(db, {
          id,
          staffId: s.id,
          tokenHash: await sha256Hex(token),
          // Without a contact key (tests), kept as given, as contacts are.
          sealedToken: contactKey ? await sealContact(contactKey, id, "reset_token", token) : token,
          now,
        });
      });
      return c.json({ accepted: true as const }, 202);
    },
  )
  .post(
    "/password-reset/confirm",
    describe({
      tag: "Staff",
      summary: "Set a new password with a mailed reset link's token",
      description:
        "The password follows the same rules as an admin's (10 to 200 characters) and is stored the same way. Every session of the account ends, and the trust in its browsers; the token cannot be used again. The browser that sets the password is trusted for the account (the sign-in's cookie), as after a sign-in. Each attempt counts as a failed sign-in of the network before the new password is hashed, and is given back when its token is good: unknown, used or expired tokens stay counted.",
      responses: { 200: { description: "The password is set", json: passwordResetDone } },
      errors: {
        400: "`invalid_token`: the link is unknown, used or expired (ask for a new one)",
        403: CROSS_SITE_ANSWER,
        429: "`rate_limited`: too many failed attempts from this network",
      },
    }),
    // Counted as a failed sign-in before the body is read and the new password hashed (slow),
    // given back when the token is good: counted only after, a burst of made-up tokens sent at
    // once would all be hashed for before any was counted.
    limitWrites("sign_in"),
    jsonBody(passwordResetBody),
    async (c) => {
      const { token, password } = c.req.valid("json");
      const now = c.var.now();
      const badLink = () =>
        new AppError(400, "invalid_token", "this reset link is unknown, used or expired", "token");
      if (!(await usableReset(c.var.db, token, now))) throw badLink();
      // The link is good: given back before the password is judged, so an owner's tries at one
      // the rules take spend nothing of the network's budget.
      await refundLimit(c, "sign_in", "network", c.var.network);
      const judged = newPassword.safeParse({ password });
      if (!judged.success) throw invalidBody(judged.error);
      const done = await useReset(c.var.db, token, await hashPassword(judged.data.password), now);
      if (!done) throw badLink();
      // Its holder has the mailbox and now the password: trusted as after a sign-in, or guesses
      // from elsewhere could keep them from the sign-in this reset was for.
      const s = await findStaff(c.var.db, done.staffId);
      if (s) await trustDevice(c, await sha256Hex(accountEmail(s.email)), s.deviceEpoch, null);
      return c.json({ reset: true as const });
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
