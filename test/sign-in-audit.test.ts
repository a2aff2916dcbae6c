/**
 * Failed sign-ins in the audit trail and the server's log, as an admin looking for password
 * guessing needs them: the e-mail tried, when, and a tag of the network (never the address, the
 * network itself or the password); the answers stay alike whatever the e-mail; made-up e-mails
 * cannot flood the trail.
 */
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it, vi } from "vitest";
import { networkOf } from "../src/domain/network";
import { UNKNOWN_SIGN_IN_CAP } from "../src/store/staff-actions";
import { makeClock, makeTestApp, type TestApp } from "./support/app";
import { asAdmin } from "./support/fixtures";
import { residentAddress } from "./support/residents";
import { auditTrail, makeStaff, STAFF_PASSWORD, signInAs } from "./support/staff";

const failures = async (t: TestApp) =>
  (await auditTrail(t)).filter((a) => a.action.startsWith("sign_in_fail"));

afterEach(() => {
  vi.restoreAllMocks();
});

describe("failed sign-ins", () => {
  it("are in the trail and the log with the e-mail tried, the time and a network tag, never the password or address", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const clock = makeClock("2026-03-01T08:10:00Z");
    const t = await makeTestApp({ clock });
    const s = await makeStaff(t, "viewer");
    const wrong = "Tr0ub4dor&3 wrong";
    const known = await signInAs(t, s.email, wrong, "guesser");
    const unknown = await signInAs(t, "no.such.person@city.example", wrong, "guesser");
    const elsewhere = await signInAs(t, s.email.toUpperCase(), "another wrong one", "elsewhere");
    // The answers say nothing about which e-mails have accounts.
    expect([known.status, unknown.status, elsewhere.status]).toEqual([401, 401, 401]);
    expect(unknown.body).toEqual(known.body);
    await t.drain();

    const entries = await failures(t);
    expect(entries.map((e) => [e.action, e.by.name, e.by.via, e.by.staffId, e.subject.type])).toEqual([
      ["sign_in_failed", s.email, "unauthenticated", null, "network"],
      ["sign_in_failed_unknown", "no.such.person@city.example", "unauthenticated", null, "network"],
      ["sign_in_failed", s.email, "unauthenticated", null, "network"],
    ]);
    expect(entries.every((e) => e.at === "2026-03-01T08:10:00.000Z")).toBe(true);
    const [third, second, first] = entries.map((e) => e.subject.id ?? "");
    expect(first).toMatch(/^[0-9a-f]{12}$/);
    expect(second).toBe(first);
    expect(third).not.toBe(first);
    // One network's entries, by its tag.
    expect((await auditTrail(t, `?subjectType=network&subjectId=${first}`)).map((e) => e.by.name)).toEqual([
      "no.such.person@city.example",
      s.email,
    ]);

    const logged = warn.mock.calls.map((c) => c.join(" "));
    expect(logged).toEqual([
      `failed sign-in for staff account ${s.id} from network ${first}`,
      `failed sign-in for an e-mail without an account from network ${first}`,
      `failed sign-in for staff account ${s.id} from network ${third}`,
    ]);
    const stored = JSON.stringify(await t.db.all(sql`SELECT * FROM staff_actions`));
    const address = residentAddress("guesser");
    for (const secret of [
      wrong,
      "another wrong one",
      address,
      networkOf(address),
      address.replace(/\.7$/, ""),
    ]) {
      expect(stored).not.toContain(secret);
      expect(logged.join("\n")).not.toContain(secret);
    }
    // Nor any e-mail in the log.
    expect(logged.join("\n")).not.toMatch(/@/);
  });

  it("tags a successful sign-in with its network as failures are, so one from an unusual network stands out", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const t = await makeTestApp();
    const s = await makeStaff(t, "viewer");
    expect((await signInAs(t, s.email, "a wrong one first", "office")).status).toBe(401);
    expect((await signInAs(t, s.email, STAFF_PASSWORD, "office")).status).toBe(200);
    expect((await signInAs(t, s.email, STAFF_PASSWORD, "far-away")).status).toBe(200);
    await t.drain();
    const [away, office, failure] = (await auditTrail(t)).filter((e) => e.action !== "POST /admin/staff");
    expect(failure).toMatchObject({ action: "sign_in_failed", subject: { type: "network" } });
    expect(office).toMatchObject({
      action: "signed_in",
      by: { staffId: s.id, via: "staff" },
      subject: { type: "network", id: failure?.subject.id },
    });
    expect(away).toMatchObject({ action: "signed_in", subject: { type: "network" } });
    expect(away?.subject.id).toMatch(/^[0-9a-f]{12}$/);
    expect(away?.subject.id).not.toBe(office?.subject.id);
    // One network's sign-ins and failures together, by its tag.
    const fromOffice = await auditTrail(t, `?subjectType=network&subjectId=${office?.subject.id}`);
    expect(fromOffice.map((e) => e.action)).toEqual(["signed_in", "sign_in_failed"]);
    const stored = JSON.stringify(await t.db.all(sql`SELECT * FROM staff_actions`));
    expect(stored).not.toContain(residentAddress("far-away"));
    expect(stored).not.toContain(networkOf(residentAddress("far-away")));
  });

  it("records a disabled account's sign-in, the right password included, as a failure", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const t = await makeTestApp();
    const s = await makeStaff(t, "viewer");
    await t.app.request(`/api/admin/staff/${s.id}`, { method: "PATCH", ...asAdmin({ disabled: true }) });
    expect((await signInAs(t, s.email, STAFF_PASSWORD)).status).toBe(401);
    await t.drain();
    expect((await failures(t)).map((e) => [e.action, e.by.name])).toEqual([["sign_in_failed", s.email]]);
  });

  it("keeps at most the cap of made-up e-mails an hour, says the rest went unrecorded, and always records real accounts", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const clock = makeClock("2026-03-01T08:00:00Z");
    const t = await makeTestApp({ clock });
    const s = await makeStaff(t, "viewer");
    // All but one of this hour's made-up e-mails recorded already (as from many networks).
    for (let i = 0; i < UNKNOWN_SIGN_IN_CAP - 1; i++)
      await t.db.run(sql`INSERT INTO staff_actions (id, at, by_name, via, action, subject_type, subject_id)
        VALUES (${`old-${i}`}, ${clock() + i}, ${`made-up-${i}@city.example`}, ${"unauthenticated"},
          ${"sign_in_failed_unknown"}, ${"network"}, ${"0123456789ab"})`);
    clock.advance(30 * 60_000);
    const tryAs = async (email: string, from: string) => {
      expect((await signInAs(t, email, "a wrong guess", from)).status).toBe(401);
      await t.drain();
    };
    await tryAs("last-one@city.example", "net-1");
    await tryAs("one-too-many@city.example", "net-2");
    await tryAs("and-another@city.example", "net-3");
    await tryAs(s.email, "net-4");
    const count = async (action: string) =>
      (
        await t.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM staff_actions WHERE action = ${action}`)
      )[0]?.n;
    expect(await count("sign_in_failed_unknown")).toBe(UNKNOWN_SIGN_IN_CAP);
    expect(await count("sign_in_failures_unrecorded")).toBe(1);
    expect(await count("sign_in_failed")).toBe(1);
    const names = (await auditTrail(t)).map((e) => e.by.name);
    expect(names).toContain("last-one@city.example");
    expect(names).not.toContain("one-too-many@city.example");
    expect(names).not.toContain("and-another@city.example");
    // The next hour starts again.
    clock.advance(30 * 60_000);
    await tryAs("next-hour@city.example", "net-5");
    expect((await auditTrail(t))[0]).toMatchObject({
      action: "sign_in_failed_unknown",
      by: { name: "next-hour@city.example" },
    });
  });
});
