/**
 * Password reset by e-mail, through the outbox and a real SMTP server: the same answer for any
 * address, one mail with a single-use link for an account, the new password set and every old
 * session ended; used, replaced and expired links refused; nothing mailed without a mail sender.
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { runDispatch } from "../src/dispatch/run";
import { sha256Hex } from "../src/domain/crypto";
import { smtpMailSender } from "../src/node/smtp-mail";
import { requestReset } from "../src/store/password-resets";
import { ADMIN_TOKEN, makeClock, makeTestApp, type TestApp } from "./support/app";
import { fromResident } from "./support/residents";
import { type Inbox, startSmtp } from "./support/smtp";
import { makeStaff, type SignedInStaff, STAFF_PASSWORD, signInAs } from "./support/staff";
import { asToken } from "./support/work-orders";

const CONTACT_KEY = "a-contact-key-for-tests-0123456789abcdef";
const NEW_PASSWORD = "a brand new passphrase 42";

let inbox: Inbox;
let mail: ReturnType<typeof smtpMailSender>;

beforeAll(async () => {
  inbox = await startSmtp();
  mail = smtpMailSender(inbox.url, "CivicLoop <no-reply@civicloop.test>");
});
afterAll(async () => {
  mail.close();
  await inbox.close();
});

const post = (t: TestApp, path: string, body: unknown, from = "reset-network") =>
  t.app.request(path, {
    method: "POST",
    headers: { "content-type": "application/json", ...fromResident(from) },
    body: JSON.stringify(body),
  });
/** Asks for a reset, then waits for the work the app does after answering (the reset and its mail). */
async function askReset(t: TestApp, email: string, from?: string) {
  const res = await post(t, "/api/auth/password-reset", { email }, from);
  await t.drain();
  return res;
}
const confirm = (t: TestApp, token: string, password = NEW_PASSWORD) =>
  post(t, "/api/auth/password-reset/confirm", { token, password });
const deliver = (t: TestApp) =>
  runDispatch(t.db, { now: t.clock(), fetch, config: t.config, senders: { mail } });

/** The token of the latest reset link mailed to `email`. */
function mailedToken(email: string): string {
  const last = inbox.to(email).at(-1);
  const link = /https?:\/\/\S+\/admin#reset=(\S+)/.exec(last?.text ?? "");
  if (!link?.[1]) throw new Error(`no reset link mailed to ${email}`);
  return decodeURIComponent(link[1]);
}

describe("password reset by e-mail", () => {
  let t: TestApp;
  let clerk: SignedInStaff;

  beforeAll(async () => {
    t = await makeTestApp({ clock: makeClock(), config: { mail: true, contactKey: CONTACT_KEY } });
    clerk = await makeStaff(t, "viewer", { name: "Zhou Forgetful" });
  });

  it("answers 202 alike for an unknown address, and mails nothing for it", async () => {
    const before = inbox.messages.length;
    const unknown = await askReset(t, "nobody@city.example", "unknown-net");
    expect(unknown.status).toBe(202);
    expect(await unknown.json()).toEqual({ accepted: true });
    await deliver(t);
    expect(inbox.messages.length).toBe(before);
  });

  it("mails a single-use link; the new password works, the old one and old sessions do not", async () => {
    const res = await askReset(t, clerk.email.toUpperCase());
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: true });
    // Queued through the outbox: nothing leaves before a dispatch round.
    expect(inbox.to(clerk.email)).toHaveLength(0);
    await deliver(t);
    const mails = inbox.to(clerk.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]?.subject).toContain("Reset your CivicLoop password");
    expect(mails[0]?.text).toContain("重置");
    const token = mailedToken(clerk.email);
    expect(token).toMatch(/^pwr_/);

    // Hashed at rest: neither the reset row nor the outbox keeps the token as it was mailed.
    const dump = JSON.stringify(
      await t.db.all(sql`SELECT r.*, o.* FROM password_resets r JOIN outbox o ON o.password_reset_id = r.id`),
    );
    expect(dump).not.toContain(token);

    const done = await confirm(t, token);
    expect(done.status).toBe(200);
    expect(await done.json()).toEqual({ reset: true });

    expect((await signInAs(t, clerk.email, STAFF_PASSWORD, "after-reset-1")).status).toBe(401);
    expect((await signInAs(t, clerk.email, NEW_PASSWORD, "after-reset-2")).status).toBe(200);
    const oldSession = await t.app.request("/api/auth/me", asToken(clerk.token));
    expect(oldSession.status).toBe(401);

    // Single use: the same link again changes nothing.
    const again = await confirm(t, token, "yet another passphrase 7");
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ error: { code: "invalid_token", field: "token" } });
    expect((await signInAs(t, clerk.email, NEW_PASSWORD, "after-reset-3")).status).toBe(200);

    // The reset is in the audit trail, by the staff member.
    const audit = (await (
      await t.app.request(`/api/admin/audit?subjectType=staff&subjectId=${clerk.id}`, asToken(ADMIN_TOKEN))
    ).json()) as { actions: { action: string; by: { name: string } }[] };
    expect(audit.actions[0]).toMatchObject({ action: "password_reset", by: { name: "Zhou Forgetful" } });
  });

  it("holds the new password to the same rules", async () => {
    const other = await makeStaff(t, "viewer");
    await askReset(t, other.email, "rules-net");
    await deliver(t);
    const short = await confirm(t, mailedToken(other.email), "short");
    expect(short.status).toBe(400);
    expect(await short.json()).toMatchObject({ error: { field: "password" } });
  });

  it("spends none of the network's budget on the owner's tries at a password the rules take", async () => {
    const owner = await makeStaff(t, "viewer");
    await askReset(t, owner.email, "owner-home");
    await deliver(t);
    const token = mailedToken(owner.email);
    // More tries than the network's budget of failed sign-ins (20): each told why, none a 429.
    const answers = new Set<string>();
    for (let i = 0; i < 25; i++) {
      const res = await post(
        t,
        "/api/auth/password-reset/confirm",
        { token, password: `1234567890` },
        "owner-home",
      );
      answers.add(`${res.status} ${((await res.json()) as { error: { field: string } }).error.field}`);
    }
    expect([...answers]).toEqual(["400 password"]);
    const set = await post(
      t,
      "/api/auth/password-reset/confirm",
      { token, password: NEW_PASSWORD },
      "owner-home",
    );
    expect(set.status).toBe(200);
    // A made-up link is still counted: past the budget, refused before it is read.
    const made = new Set<number>();
    for (let i = 0; i < 25; i++)
      made.add(
        (
          await post(
            t,
            "/api/auth/password-reset/confirm",
            { token: `made-up-${i}`, password: NEW_PASSWORD },
            "guesser",
          )
        ).status,
      );
    expect([...made].sort()).toEqual([400, 429]);
  });

  it("refuses an expired link, and a link replaced by a newer one", async () => {
    const other = await makeStaff(t, "viewer");
    await askReset(t, other.email, "expiry-net");
    await deliver(t);
    const first = mailedToken(other.email);
    await askReset(t, other.email, "expiry-net");
    await deliver(t);
    const second = mailedToken(other.email);
    expect(second).not.toBe(first);
    expect((await confirm(t, first)).status).toBe(400);

    t.clock.advance(60 * 60 * 1000 + 1);
    const late = await confirm(t, second);
    expect(late.status).toBe(400);
    expect(await late.json()).toMatchObject({ error: { code: "invalid_token" } });
    expect((await signInAs(t, other.email, STAFF_PASSWORD, "after-expiry")).status).toBe(200);
  });

  it("lets exactly one of two racing confirmations use a link", async () => {
    const other = await makeStaff(t, "viewer");
    await askReset(t, other.email, "race-net");
    await deliver(t);
    const token = mailedToken(other.email);
    const answers = await Promise.all([
      confirm(t, token, "first racing passphrase"),
      confirm(t, token, "second racing passphrase"),
    ]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 400]);
    const winner = answers[0]?.status === 200 ? "first racing passphrase" : "second racing passphrase";
    const loser = winner.startsWith("first") ? "second racing passphrase" : "first racing passphrase";
    expect((await signInAs(t, other.email, winner, "race-a")).status).toBe(200);
    expect((await signInAs(t, other.email, loser, "race-b")).status).toBe(401);
    const entries = await t.db.all(
      sql`SELECT id FROM staff_actions WHERE action = 'password_reset' AND subject_id = ${other.id}`,
    );
    expect(entries).toHaveLength(1);
  });

  it("limits requests per account and per network, answering the same for any address", async () => {
    const target = await makeStaff(t, "call_taker");
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await askReset(t, target.email, `acct-net-${i}`)).status);
    expect(statuses).toEqual([202, 202, 202, 429]);
    // The same budget for an address with no account: nothing tells them apart.
    const ghost: number[] = [];
    for (let i = 0; i < 4; i++)
      ghost.push((await askReset(t, "ghost@city.example", `ghost-net-${i}`)).status);
    expect(ghost).toEqual(statuses);

    const fromOne: number[] = [];
    for (let i = 0; i < 11; i++)
      fromOne.push((await askReset(t, `walker-${i}@city.example`, "one-net")).status);
    expect(fromOne.slice(0, 10).every((s) => s === 202)).toBe(true);
    expect(fromOne[10]).toBe(429);
  });

  it("spends an outstanding link when an admin sets the password", async () => {
    await askReset(t, clerk.email, "admin-set-net");
    await deliver(t);
    const token = mailedToken(clerk.email);
    const byAdmin = await t.app.request(`/api/admin/staff/${clerk.id}`, {
      method: "PATCH",
      ...asToken(ADMIN_TOKEN, { password: "the admin's own passphrase 7" }),
    });
    expect(byAdmin.status).toBe(200);
    const late = await confirm(t, token);
    expect(late.status).toBe(400);
    expect(((await late.json()) as { error: { code: string } }).error.code).toBe("invalid_token");
    expect((await signInAs(t, clerk.email, "the admin's own passphrase 7")).status).toBe(200);
  });

  it("spends an outstanding link when the account is disabled, so re-enabling it does not revive it", async () => {
    const leaver = await makeStaff(t, "viewer", { name: "Wu Leaving" });
    await askReset(t, leaver.email, "disable-net");
    await deliver(t);
    const token = mailedToken(leaver.email);
    const patch = (body: unknown) =>
      t.app.request(`/api/admin/staff/${leaver.id}`, { method: "PATCH", ...asToken(ADMIN_TOKEN, body) });
    expect((await patch({ disabled: true })).status).toBe(200);
    expect((await patch({ disabled: false })).status).toBe(200);
    const late = await confirm(t, token);
    expect(late.status).toBe(400);
    expect(((await late.json()) as { error: { code: string } }).error.code).toBe("invalid_token");
  });

  it("makes no link and no mail for an account disabled after the request looked it up", async () => {
    const leaver = await makeStaff(t, "viewer", { name: "Qian Racing" });
    const patch = (body: unknown) =>
      t.app.request(`/api/admin/staff/${leaver.id}`, { method: "PATCH", ...asToken(ADMIN_TOKEN, body) });
    expect((await patch({ disabled: true })).status).toBe(200);
    // The request's work after the answer found the account enabled, then the disabling committed.
    const token = "a-reset-token-made-too-late";
    await requestReset(t.db, {
      id: "reset-after-disable",
      staffId: leaver.id,
      tokenHash: await sha256Hex(token),
      sealedToken: token,
      now: t.clock(),
    });
    const made = await t.db.all(sql`SELECT 1 FROM password_resets WHERE id = 'reset-after-disable'
      UNION ALL SELECT 1 FROM outbox WHERE dedupe_key = 'reset:reset-after-disable'`);
    expect(made).toHaveLength(0);
    expect((await patch({ disabled: false })).status).toBe(200);
    expect((await confirm(t, token)).status).toBe(400);
  });
});

describe("a reset whose work fails after the answer", () => {
  it("has answered 202 already, and logs the failure without the address", async () => {
    const t = await makeTestApp({ config: { mail: true, contactKey: CONTACT_KEY } });
    const clerk = await makeStaff(t, "viewer");
    // The reset cannot be written: its table is gone.
    await t.db.run(sql`DROP TABLE password_resets`);
    const logged = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      expect((await askReset(t, clerk.email)).status).toBe(202);
      const lines = logged.mock.calls.map((call) => call.join(" "));
      expect(lines.some((l) => l.startsWith("a password reset request failed after the answer"))).toBe(true);
      expect(lines.join("\n")).not.toContain(clerk.email);
    } finally {
      logged.mockRestore();
    }
  });
});

describe("without a mail sender", () => {
  it("answers 202 and queues nothing: an admin sets the password instead", async () => {
    const t = await makeTestApp({ config: { mail: false, contactKey: CONTACT_KEY } });
    const clerk = await makeStaff(t, "viewer");
    expect((await askReset(t, clerk.email)).status).toBe(202);
    expect(await t.db.all(sql`SELECT id FROM password_resets`)).toHaveLength(0);
    expect(await t.db.all(sql`SELECT id FROM outbox WHERE kind = 'mail'`)).toHaveLength(0);
    const byAdmin = await t.app.request(`/api/admin/staff/${clerk.id}`, {
      method: "PATCH",
      ...asToken(ADMIN_TOKEN, { password: NEW_PASSWORD }),
    });
    expect(byAdmin.status).toBe(200);
    expect((await signInAs(t, clerk.email, NEW_PASSWORD)).status).toBe(200);
    expect((await t.app.request("/api/auth/me", asToken(clerk.token))).status).toBe(401);
  });
});
