/**
 * Trusted browsers against lockout (OWASP's "device cookie"): guesses from many networks (each
 * its own, through the local proxy: `fromResident`) spend an account's shared budget of failed
 * sign-ins, but not the budget of a browser its owner signed in from before. A new password, a
 * reset or a disabling ends the trust; a forged, altered or borrowed credential never had any.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../src/domain/crypto";
import { issueStaffDevice, STAFF_DEVICE_COOKIE } from "../src/domain/staff-device";
import { makeTestApp, type TestApp } from "./support/app";
import { asAdmin } from "./support/fixtures";
import { fromResident } from "./support/residents";
import { makeStaff, STAFF_PASSWORD, signInAs } from "./support/staff";

const NEW_PASSWORD = "a brand new passphrase 42";

/** The trusted-device cookie an answer sets, as the browser would keep it. */
function deviceCookie(res: { headers: Headers }): string {
  const set = res.headers.get("set-cookie") ?? "";
  const value = new RegExp(`${STAFF_DEVICE_COOKIE}=([^;]+)`).exec(set)?.[1];
  if (!value) throw new Error(`no device cookie set: ${set}`);
  return value;
}
const sending = (cookie: string) => ({ cookie: `${STAFF_DEVICE_COOKIE}=${cookie}` });

/** The clerk signs in from their office browser and keeps what it is given. */
async function officeBrowser(t: TestApp, email: string, password = STAFF_PASSWORD): Promise<string> {
  const res = await signInAs(t, email, password, "the-office");
  expect(res.status).toBe(200);
  return deviceCookie(res);
}

/** Wrong passwords for `email` from five networks, as an attacker would send them: its budget is spent. */
async function attackerLocksOut(t: TestApp, email: string) {
  for (let i = 0; i < 5; i++)
    expect((await signInAs(t, email, `wrong password ${i}`, `attacker-${i}`)).status).toBe(401);
  // A browser the account never signed in from waits, even with the right password.
  expect((await signInAs(t, email, STAFF_PASSWORD, "a-new-browser")).status).toBe(429);
}

const patchStaff = (t: TestApp, id: string, body: unknown) =>
  t.app.request(`/api/admin/staff/${id}`, { method: "PATCH", ...asAdmin(body) });

const askReset = async (t: TestApp, email: string, from: string, headers: Record<string, string> = {}) => {
  const res = await t.app.request("/api/auth/password-reset", {
    method: "POST",
    headers: { "content-type": "application/json", ...fromResident(from), ...headers },
    body: JSON.stringify({ email }),
  });
  await t.drain();
  return res.status;
};
const resetsOf = async (t: TestApp, staffId: string) =>
  (
    await t.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM password_resets WHERE staff_id = ${staffId}`)
  )[0]?.n;

describe("sign-in from a trusted browser", () => {
  it("lets the owner sign in from a browser they used while guesses from elsewhere lock the account", async () => {
    const t = await makeTestApp();
    const clerk = await makeStaff(t, "viewer");
    const signedIn = await signInAs(t, clerk.email, STAFF_PASSWORD, "the-office");
    const set = signedIn.headers.get("set-cookie") ?? "";
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Strict/);
    expect(set).toMatch(/Path=\/api\/auth(;|$)/);
    expect(set).toMatch(/Max-Age=15552000/);
    // Plain http here; the e-mail, the password and the session token are not in it.
    expect(set).not.toMatch(/Secure/);
    const cookie = deviceCookie(signedIn);
    for (const secret of [clerk.email, STAFF_PASSWORD, signedIn.body.token])
      expect(cookie).not.toContain(secret);

    await attackerLocksOut(t, clerk.email);
    const back = await signInAs(t, clerk.email, STAFF_PASSWORD, "the-office", sending(cookie));
    expect(back.status).toBe(200);
    // From another network too (a laptop taken home), and the attacker is still refused.
    expect((await signInAs(t, clerk.email, STAFF_PASSWORD, "home", sending(cookie))).status).toBe(200);
    expect((await signInAs(t, clerk.email, STAFF_PASSWORD, "attacker-9")).status).toBe(429);
  });

  it("keeps the credentials of a shared desk's few accounts, and marks the cookie Secure over https", async () => {
    const t = await makeTestApp({ config: { publicUrl: "https://civicloop.example" } });
    const first = await makeStaff(t, "call_taker");
    const second = await makeStaff(t, "call_taker");
    const one = await officeBrowser(t, first.email);
    const signedIn = await signInAs(t, second.email, STAFF_PASSWORD, "the-office", sending(one));
    expect(signedIn.headers.get("set-cookie")).toMatch(/; Secure/);
    const both = deviceCookie(signedIn);
    await attackerLocksOut(t, first.email);
    await attackerLocksOut(t, second.email);
    expect((await signInAs(t, first.email, STAFF_PASSWORD, "the-office", sending(both))).status).toBe(200);
    expect((await signInAs(t, second.email, STAFF_PASSWORD, "the-office", sending(both))).status).toBe(200);
  });

  it("limits wrong passwords from a trusted browser to that browser's own budget", async () => {
    const t = await makeTestApp();
    const clerk = await makeStaff(t, "viewer");
    const cookie = await officeBrowser(t, clerk.email);
    const other = await officeBrowser(t, clerk.email);
    for (let i = 0; i < 5; i++)
      expect((await signInAs(t, clerk.email, `typo ${i}`, `cafe-${i}`, sending(cookie))).status).toBe(401);
    const refused = await signInAs(t, clerk.email, STAFF_PASSWORD, "the-office", sending(cookie));
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    // Not the account's budget: its other browser and an untrusted one still sign in.
    expect((await signInAs(t, clerk.email, STAFF_PASSWORD, "the-office", sending(other))).status).toBe(200);
    expect((await signInAs(t, clerk.email, STAFF_PASSWORD, "a-new-browser")).status).toBe(200);
  });

  it("gives a forged or altered credential, or another account's, no budget of its own", async () => {
    const t = await makeTestApp();
    const clerk = await makeStaff(t, "viewer");
    const colleague = await makeStaff(t, "viewer");
    const genuine = await officeBrowser(t, clerk.email);
    const colleagues = await officeBrowser(t, colleague.email);
    const account = await sha256Hex(clerk.email);
    const last = genuine.at(-1) === "0" ? "1" : "0";
    const forged = [
      `${genuine.slice(0, -1)}${last}`,
      genuine.replace(/\.(\d+)\./, (_, e) => `.${Number(e) + 1}.`),
      await issueStaffDevice("not-the-server-secret", account, 0),
      colleagues,
      `${genuine.split(".").slice(0, 2).join(".")}`,
      "sd1.nonsense",
    ];
    await attackerLocksOut(t, clerk.email);
    for (const cookie of forged)
      expect((await signInAs(t, clerk.email, STAFF_PASSWORD, "the-office", sending(cookie))).status).toBe(
        429,
      );
    expect((await signInAs(t, clerk.email, STAFF_PASSWORD, "the-office", sending(genuine))).status).toBe(200);
  });

  it("trusts the browsers no longer after an admin's new password, a reset or a disabling", async () => {
    const t = await makeTestApp({ config: { mail: true } });
    const byAdmin = await makeStaff(t, "viewer");
    const byReset = await makeStaff(t, "viewer");
    const disabled = await makeStaff(t, "viewer");
    const cookies = {
      byAdmin: await officeBrowser(t, byAdmin.email),
      byReset: await officeBrowser(t, byReset.email),
      disabled: await officeBrowser(t, disabled.email),
    };

    expect((await patchStaff(t, byAdmin.id, { password: NEW_PASSWORD })).status).toBe(200);
    expect(await askReset(t, byReset.email, "the-office")).toBe(202);
    // Without CONTACT_KEY (tests) the token is kept as given for the mailer.
    const [reset] = await t.db.all<{ token: string }>(
      sql`SELECT sealed_token AS token FROM password_resets WHERE staff_id = ${byReset.id}`,
    );
    const confirmed = await t.app.request("/api/auth/password-reset/confirm", {
      method: "POST",
      headers: { "content-type": "application/json", ...fromResident("the-office") },
      body: JSON.stringify({ token: reset?.token, password: NEW_PASSWORD }),
    });
    expect(confirmed.status).toBe(200);
    expect((await patchStaff(t, disabled.id, { disabled: true })).status).toBe(200);
    expect((await patchStaff(t, disabled.id, { disabled: false })).status).toBe(200);

    const answers: Record<string, number> = {};
    for (const [name, who, password] of [
      ["byAdmin", byAdmin, NEW_PASSWORD],
      ["byReset", byReset, NEW_PASSWORD],
      ["disabled", disabled, STAFF_PASSWORD],
    ] as const) {
      await attackerLocksOut(t, who.email);
      answers[name] = (await signInAs(t, who.email, password, "the-office", sending(cookies[name]))).status;
    }
    expect(answers).toEqual({ byAdmin: 429, byReset: 429, disabled: 429 });
  });
});

describe("password resets and trusted browsers", () => {
  it("trusts the browser that sets a new password with a mailed link, as a sign-in would", async () => {
    const t = await makeTestApp({ config: { mail: true } });
    const clerk = await makeStaff(t, "viewer");
    expect(await askReset(t, clerk.email, "home")).toBe(202);
    const [reset] = await t.db.all<{ token: string }>(
      sql`SELECT sealed_token AS token FROM password_resets WHERE staff_id = ${clerk.id}`,
    );
    const confirmed = await t.app.request("/api/auth/password-reset/confirm", {
      method: "POST",
      headers: { "content-type": "application/json", ...fromResident("home") },
      body: JSON.stringify({ token: reset?.token, password: NEW_PASSWORD }),
    });
    expect(confirmed.status).toBe(200);
    const cookie = deviceCookie(confirmed);
    // Guesses from elsewhere after the reset keep a new browser out, not the one that reset.
    for (let i = 0; i < 5; i++)
      expect((await signInAs(t, clerk.email, `wrong password ${i}`, `attacker-${i}`)).status).toBe(401);
    expect((await signInAs(t, clerk.email, NEW_PASSWORD, "a-new-browser")).status).toBe(429);
    expect((await signInAs(t, clerk.email, NEW_PASSWORD, "home", sending(cookie))).status).toBe(200);
  });

  it("have a budget of their own, so requests from elsewhere cannot keep the owner from a link", async () => {
    const t = await makeTestApp({ config: { mail: true } });
    const clerk = await makeStaff(t, "viewer");
    const cookie = await officeBrowser(t, clerk.email);
    for (let i = 0; i < 3; i++) expect(await askReset(t, clerk.email, `prankster-${i}`)).toBe(202);
    expect(await askReset(t, clerk.email, "a-new-browser")).toBe(429);
    expect(await resetsOf(t, clerk.id)).toBe(3);

    expect(await askReset(t, clerk.email, "the-office", sending(cookie))).toBe(202);
    expect(await resetsOf(t, clerk.id)).toBe(4);
    // Its own few: 3 an hour.
    expect(await askReset(t, clerk.email, "the-office", sending(cookie))).toBe(202);
    expect(await askReset(t, clerk.email, "the-office", sending(cookie))).toBe(202);
    expect(await askReset(t, clerk.email, "the-office", sending(cookie))).toBe(429);
    // Another account's credential gives no relief.
    const colleague = await makeStaff(t, "viewer");
    const colleagues = await officeBrowser(t, colleague.email);
    expect(await askReset(t, clerk.email, "elsewhere", sending(colleagues))).toBe(429);
  });
});
