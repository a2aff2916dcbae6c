/**
 * Password-reset requests in the audit trail: only a used link was recorded, so an admin could
 * not see who asked for links, for which accounts, from where. Each request is recorded after the
 * answer (which stays the same whatever the e-mail): the e-mail asked for, whether an account has
 * it (in the trail only), and a network tag; those for e-mails without an account share the
 * hourly cap of the other attempts naming no account.
 */
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { networkOf } from "../src/domain/network";
import { UNKNOWN_SIGN_IN_CAP } from "../src/store/staff-actions";
import { makeClock, makeTestApp, type TestApp } from "./support/app";
import { asAdmin } from "./support/fixtures";
import { fromResident, residentAddress } from "./support/residents";
import { auditTrail, makeStaff } from "./support/staff";

const requests = async (t: TestApp) =>
  (await auditTrail(t)).filter((a) => a.action.startsWith("password_reset_requested"));

const askReset = async (t: TestApp, email: string, from = "forgetful") => {
  const res = await t.app.request("/api/auth/password-reset", {
    method: "POST",
    headers: { "content-type": "application/json", ...fromResident(from) },
    body: JSON.stringify({ email }),
  });
  return { status: res.status, body: await res.text() };
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe("password-reset requests", () => {
  it("are in the trail with the e-mail asked for and a network tag, the answers alike", async () => {
    const t = await makeTestApp({
      clock: makeClock("2026-03-01T08:10:00Z"),
      config: { mail: true, contactKey: "a-contact-key-for-tests-0123456789abcdef" },
    });
    const s = await makeStaff(t, "viewer");
    const off = await makeStaff(t, "viewer");
    await t.app.request(`/api/admin/staff/${off.id}`, { method: "PATCH", ...asAdmin({ disabled: true }) });
    const known = await askReset(t, s.email.toUpperCase());
    const unknown = await askReset(t, "no.such.person@city.example");
    const disabled = await askReset(t, off.email, "elsewhere");
    expect([known.status, unknown.status, disabled.status]).toEqual([202, 202, 202]);
    expect(new Set([known.body, unknown.body, disabled.body]).size).toBe(1);
    await t.drain();

    const entries = await requests(t);
    expect(entries.map((e) => [e.action, e.by.name, e.by.via, e.by.staffId, e.subject.type])).toEqual([
      ["password_reset_requested", off.email, "unauthenticated", null, "network"],
      ["password_reset_requested_unknown", "no.such.person@city.example", "unauthenticated", null, "network"],
      ["password_reset_requested", s.email, "unauthenticated", null, "network"],
    ]);
    expect(entries.every((e) => e.at === "2026-03-01T08:10:00.000Z")).toBe(true);
    const [elsewhere, second, first] = entries.map((e) => e.subject.id ?? "");
    expect(first).toMatch(/^[0-9a-f]{12}$/);
    expect(second).toBe(first);
    expect(elsewhere).not.toBe(first);
    // The link made for the account is no part of the trail.
    const stored = JSON.stringify(await t.db.all(sql`SELECT * FROM staff_actions`));
    expect(stored).not.toContain(residentAddress("forgetful"));
    expect(stored).not.toContain(networkOf(residentAddress("forgetful")));
    const [link] = await t.db.all<{ sealed_token: string }>(sql`SELECT sealed_token FROM password_resets`);
    expect(link).toBeDefined();
    expect(stored).not.toContain(link?.sealed_token);
  });

  it("are recorded where no mail can be sent too, and not when refused with 429", async () => {
    const t = await makeTestApp();
    const s = await makeStaff(t, "viewer");
    // 3 an hour for one account: the fourth is refused, and so not recorded.
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await askReset(t, s.email, `net-${i}`)).status);
    expect(statuses).toEqual([202, 202, 202, 429]);
    await t.drain();
    expect((await requests(t)).map((e) => e.action)).toEqual(Array(3).fill("password_reset_requested"));
  });

  it("share the hourly cap of attempts naming no account; those for accounts are always kept", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const clock = makeClock("2026-03-01T08:00:00Z");
    const t = await makeTestApp({ clock });
    const s = await makeStaff(t, "viewer");
    for (let i = 0; i < UNKNOWN_SIGN_IN_CAP - 1; i++)
      await t.db.run(sql`INSERT INTO staff_actions (id, at, by_name, via, action, subject_type, subject_id)
        VALUES (${`old-${i}`}, ${clock() + i}, ${`made-up-${i}@city.example`}, ${"unauthenticated"},
          ${"sign_in_failed_unknown"}, ${"network"}, ${"0123456789ab"})`);
    clock.advance(30 * 60_000);
    for (const [email, from] of [
      ["last-one@city.example", "net-1"],
      ["one-too-many@city.example", "net-2"],
      [s.email, "net-3"],
    ] as const) {
      expect((await askReset(t, email, from)).status).toBe(202);
      await t.drain();
    }
    expect((await requests(t)).map((e) => [e.action, e.by.name])).toEqual([
      ["password_reset_requested", s.email],
      ["password_reset_requested_unknown", "last-one@city.example"],
    ]);
    const [marker] = await t.db.all<{ n: number }>(
      sql`SELECT count(*) AS n FROM staff_actions WHERE action = 'sign_in_failures_unrecorded'`,
    );
    expect(marker?.n).toBe(1);
  });
});
