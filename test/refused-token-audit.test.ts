/**
 * Bearer tokens refused by the staff guards, in the audit trail and the log: a guess at
 * `ADMIN_TOKEN` or a department's token used up the network's budget and left no trace. A token
 * never issued is recorded (the route it was sent to and a network tag, never the token or any
 * part of it); one that was a real session or department token (expired, signed out, revoked, its
 * account disabled: a page or a machine left behind) is not, and guesses share the hourly cap
 * of made-up e-mails.
 */
import { sql } from "drizzle-orm";
import { Hono } from "hono";
import { afterEach, describe, expect, it, vi } from "vitest";
import { UNKNOWN_SIGN_IN_CAP } from "../src/store/staff-actions";
import { makeClock, makeTestApp, type TestApp } from "./support/app";
import { asAdmin, makeDepartment, makeService } from "./support/fixtures";
import { fromResident, residentAddress } from "./support/residents";
import { auditTrail, makeStaff, STAFF_PASSWORD, signInAs } from "./support/staff";
import { departmentToken } from "./support/work-orders";

const refused = async (t: TestApp) =>
  (await auditTrail(t)).filter((a) => a.action === "sign_in_failed_token");

/** A request with `token` from resident `from`'s network. */
const withToken = (t: TestApp, path: string, token: string, from = "prober") =>
  t.app.request(path, { headers: { authorization: `Bearer ${token}`, ...fromResident(from) } });

/** A department's token, issued and then revoked by the admin: what a machine not yet told sends. */
async function revokedToken(t: TestApp, department: string) {
  const machine = await departmentToken(t, department);
  const listed = (await (
    await t.app.request(`/api/admin/departments/${department}/tokens`, asAdmin())
  ).json()) as { tokens: { id: string }[] };
  for (const { id } of listed.tokens)
    await t.app.request(`/api/admin/departments/${department}/tokens/${id}`, {
      method: "DELETE",
      ...asAdmin(),
    });
  return machine;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("refused bearer tokens", () => {
  it("records a token never issued with the route and a network tag, never the token", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const t = await makeTestApp({ clock: makeClock("2026-03-01T08:10:00Z") });
    // Random-looking, so no piece of one is a word the trail uses anyway.
    const guesses = ["Zq8xT3vKp0LmW9rY2bNcQ", "hJ4uE7sD1fG6kA5wX0zRV", "stf_oP3iU8yT2rE5wQ9aSd"];
    expect((await withToken(t, "/api/admin/staff", guesses[0] as string)).status).toBe(403);
    expect((await withToken(t, "/api/department/work-orders/wo-1", guesses[1] as string)).status).toBe(401);
    expect((await withToken(t, "/api/auth/me", guesses[2] as string, "elsewhere")).status).toBe(401);
    await t.drain();

    const entries = await refused(t);
    expect(entries.map((e) => [e.by.name, e.by.via, e.by.staffId, e.subject.type])).toEqual([
      ["GET /api/auth/me", "unauthenticated", null, "network"],
      ["GET /api/department/work-orders/:id", "unauthenticated", null, "network"],
      ["GET /api/admin/staff", "unauthenticated", null, "network"],
    ]);
    expect(entries.every((e) => e.at === "2026-03-01T08:10:00.000Z")).toBe(true);
    const [elsewhere, second, first] = entries.map((e) => e.subject.id ?? "");
    expect(first).toMatch(/^[0-9a-f]{12}$/);
    expect(second).toBe(first);
    expect(elsewhere).not.toBe(first);

    const logged = warn.mock.calls.map((c) => c.join(" "));
    expect(logged).toEqual([
      `unknown bearer token on GET /api/admin/staff from network ${first}`,
      `unknown bearer token on GET /api/department/work-orders/:id from network ${first}`,
      `unknown bearer token on GET /api/auth/me from network ${elsewhere}`,
    ]);
    const stored = JSON.stringify(await t.db.all(sql`SELECT * FROM staff_actions`));
    const address = residentAddress("prober");
    for (const guess of guesses) {
      // Not even a part of one: any 6 characters of it (past a session's prefix).
      for (let i = 4; i + 6 <= guess.length; i++) {
        expect(stored).not.toContain(guess.slice(i, i + 6));
        expect(logged.join("\n")).not.toContain(guess.slice(i, i + 6));
      }
    }
    expect(stored).not.toContain(address);
    expect(logged.join("\n")).not.toContain(address);
  });

  it("names the route inside an app whose own routes answer any other GET, as the Node server's web app does", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const t = await makeTestApp();
    // As `src/node/start-server.ts` mounts the API: the web app's `GET *` comes after its routes.
    const server = new Hono();
    server.route("/", t.app);
    server.get("*", (c) => c.text("the web app"));
    for (const path of ["/api/admin/staff", "/api/admin/no-such-thing", "/api/admin/audit"])
      expect(
        (await server.request(path, { headers: { authorization: "Bearer Zq8xT3vKp0LmW9rY2bNcQ" } })).status,
      ).toBe(403);
    await t.drain();
    expect((await refused(t)).map((e) => e.by.name)).toEqual([
      "GET /api/admin/audit",
      "GET /api/admin/*",
      "GET /api/admin/staff",
    ]);
  });

  it("records nothing for tokens that once were real: expired, signed out, revoked, of a disabled account", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const clock = makeClock("2026-03-01T08:00:00Z");
    const t = await makeTestApp({ clock });
    await makeService(t, { code: "pothole" });
    await makeDepartment(t, { code: "roads", services: ["pothole"] });
    const signedOut = await makeStaff(t, "viewer");
    const disabled = await makeStaff(t, "viewer");
    const expiring = await makeStaff(t, "viewer");
    expect((await withToken(t, "/api/auth/me", signedOut.token)).status).toBe(200);
    const out = await t.app.request("/api/auth/sign-out", {
      method: "POST",
      headers: { authorization: `Bearer ${signedOut.token}` },
    });
    expect(out.status).toBe(200);
    await t.app.request(`/api/admin/staff/${disabled.id}`, {
      method: "PATCH",
      ...asAdmin({ disabled: true }),
    });
    const machine = await revokedToken(t, "roads");
    clock.advance(13 * 60 * 60_000);

    expect((await withToken(t, "/api/auth/me", signedOut.token)).status).toBe(401);
    expect((await withToken(t, "/api/auth/me", disabled.token)).status).toBe(401);
    expect((await withToken(t, "/api/auth/me", expiring.token)).status).toBe(401);
    expect((await withToken(t, "/api/department/work-orders", machine)).status).toBe(401);
    expect((await withToken(t, "/api/admin/staff", signedOut.token)).status).toBe(403);
    await t.drain();
    expect(await refused(t)).toEqual([]);
    expect(warn).not.toHaveBeenCalled();
  });

  it("spends no budget on a token once real: a stale poller leaves its network's sign-ins and ADMIN_TOKEN alone", async () => {
    const t = await makeTestApp();
    await makeService(t, { code: "pothole" });
    await makeDepartment(t, { code: "roads", services: ["pothole"] });
    const machine = await revokedToken(t, "roads");
    // An integration nobody told, polling from city hall's one address: more than the budget of 20.
    const answers = new Set<number>();
    for (let i = 0; i < 30; i++)
      answers.add((await withToken(t, "/api/department/work-orders", machine, "city-hall")).status);
    expect([...answers]).toEqual([401]);
    // The colleagues behind that address still sign in, and the admin token still works there.
    const clerk = await makeStaff(t, "viewer");
    expect((await signInAs(t, clerk.email, STAFF_PASSWORD, "city-hall")).status).toBe(200);
    const admin = await t.app.request("/api/admin/staff", {
      headers: { ...asAdmin().headers, ...fromResident("city-hall") },
    });
    expect(admin.status).toBe(200);
  });

  it("shares the hourly cap with made-up e-mails, then says the rest went unrecorded", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const clock = makeClock("2026-03-01T08:00:00Z");
    const t = await makeTestApp({ clock });
    for (let i = 0; i < UNKNOWN_SIGN_IN_CAP - 1; i++)
      await t.db.run(sql`INSERT INTO staff_actions (id, at, by_name, via, action, subject_type, subject_id)
        VALUES (${`old-${i}`}, ${clock() + i}, ${`made-up-${i}@city.example`}, ${"unauthenticated"},
          ${"sign_in_failed_unknown"}, ${"network"}, ${"0123456789ab"})`);
    clock.advance(30 * 60_000);
    expect((await withToken(t, "/api/admin/staff", "guess-number-one-000", "net-1")).status).toBe(403);
    await t.drain();
    expect((await withToken(t, "/api/admin/staff", "guess-number-two-000", "net-2")).status).toBe(403);
    await t.drain();
    expect((await signInAs(t, "made-up@city.example", "a wrong guess", "net-3")).status).toBe(401);
    await t.drain();
    const count = async (action: string) =>
      (
        await t.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM staff_actions WHERE action = ${action}`)
      )[0]?.n;
    expect(await count("sign_in_failed_token")).toBe(1);
    expect(await count("sign_in_failed_unknown")).toBe(UNKNOWN_SIGN_IN_CAP - 1);
    expect(await count("sign_in_failures_unrecorded")).toBe(1);
  });
});
