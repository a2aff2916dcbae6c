/** Staff accounts: password storage, sign-in slow-down, session expiry and revocation, the CLI. */
import { execFile, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { promisify } from "node:util";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../src/domain/crypto";
import { PASSWORD_KDF, passwordFault, pbkdf2Js, pbkdf2Native, verifyPassword } from "../src/domain/password";
import { SESSION_MS } from "../src/domain/staff";
import { requestReset } from "../src/store/password-resets";
import { ADMIN_TOKEN, makeClock, makeDatabase, makeTestApp, type TestApp } from "./support/app";
import { asAdmin, makeDepartment } from "./support/fixtures";
import { makeStaff, STAFF_PASSWORD, signInAs } from "./support/staff";
import { asToken } from "./support/work-orders";

const me = (t: TestApp, token: string) =>
  t.app.request("/api/auth/me", { headers: { authorization: `Bearer ${token}` } });

const createStaff = (t: TestApp, body: Record<string, unknown>) =>
  t.app.request("/api/admin/staff", { method: "POST", ...asAdmin(body) });

describe("password rules", () => {
  it("names what makes a long enough password the first one guessed", () => {
    expect(passwordFault("          ")).toBe("must not be only spaces");
    expect(passwordFault("aaaaaaaaaa")).toMatch(/4 different/);
    expect(passwordFault("abcdefghij")).toMatch(/consecutive/);
    expect(passwordFault("9876543210")).toMatch(/consecutive/);
    expect(passwordFault("QWERTYUIOP")).toMatch(/consecutive/);
    expect(passwordFault("1234567890")).toMatch(/consecutive/);
    expect(passwordFault("correct horse battery")).toBeNull();
    expect(passwordFault("1234567890x")).toBeNull();
  });
});

describe("password storage", () => {
  it("derives the same key by Web Crypto and by the pure-JS fallback Workers use above 100,000 iterations", async () => {
    const enc = (s: string) => new TextEncoder().encode(s);
    const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
    // RFC 7914's PBKDF2-HMAC-SHA256 vector: "passwd", "salt", c = 1, 64 bytes.
    const vector =
      "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783";
    for (const derive of [pbkdf2Native, pbkdf2Js]) {
      expect(hex(await derive(enc("passwd"), enc("salt"), 1, 64))).toBe(vector);
    }
    const salt = crypto.getRandomValues(new Uint8Array(PASSWORD_KDF.saltBytes));
    const [native, js] = await Promise.all(
      [pbkdf2Native, pbkdf2Js].map((derive) =>
        derive(enc(STAFF_PASSWORD), salt, PASSWORD_KDF.iterations, PASSWORD_KDF.keyBytes),
      ),
    );
    expect(hex(js as Uint8Array)).toBe(hex(native as Uint8Array));
  });

  it("keeps no plaintext, only PBKDF2-SHA256 with the documented parameters, and never answers the hash", async () => {
    const t = await makeTestApp();
    const res = await createStaff(t, {
      email: "Clerk@City.Example",
      name: "Li Wei",
      role: "viewer",
      password: STAFF_PASSWORD,
    });
    expect(res.status).toBe(201);
    const text = await res.clone().text();
    const { staff } = (await res.json()) as { staff: Record<string, unknown> };
    expect(staff).toMatchObject({ email: "clerk@city.example", role: "viewer", hasPassword: true });
    expect(text).not.toContain("pbkdf2");
    expect(text).not.toContain(STAFF_PASSWORD);

    const [row] = await t.db.all<{ password_hash: string }>(sql`SELECT password_hash FROM staff`);
    const stored = row?.password_hash ?? "";
    expect(stored).not.toContain(STAFF_PASSWORD);
    const [name, iterations, salt, key] = stored.split("$");
    expect(name).toBe("pbkdf2-sha256");
    expect(Number(iterations)).toBe(600_000);
    expect(PASSWORD_KDF.iterations).toBe(600_000);
    expect(Buffer.from(salt ?? "", "base64url")).toHaveLength(16);
    expect(Buffer.from(key ?? "", "base64url")).toHaveLength(32);
    expect(await verifyPassword(STAFF_PASSWORD, stored)).toBe(true);
    expect(await verifyPassword("not the password", stored)).toBe(false);
    // The whole database holds the password nowhere.
    const dump = JSON.stringify(await t.db.all(sql`SELECT * FROM staff`));
    expect(dump).not.toContain(STAFF_PASSWORD);

    const list = await t.app.request("/api/admin/staff", asAdmin());
    expect(await list.text()).not.toContain("pbkdf2");
    const signedIn = await signInAs(t, "CLERK@city.example", STAFF_PASSWORD);
    expect(signedIn.status).toBe(200);
    expect(JSON.stringify(signedIn.body)).not.toContain("pbkdf2");
    // The session token is stored only hashed.
    const tokens = await t.db.all<{ token_hash: string }>(sql`SELECT token_hash FROM staff_sessions`);
    expect(tokens.map((r) => r.token_hash)).not.toContain(signedIn.body.token);
  });

  it("creates one account when requests for one e-mail race", async () => {
    const t = await makeTestApp();
    const answers = await Promise.all(
      [
        "race@city.example",
        "Race@City.example",
        "RACE@city.EXAMPLE",
        "race@CITY.example",
        "rAce@city.example",
      ].map((email) => createStaff(t, { email, name: email, role: "viewer", password: STAFF_PASSWORD })),
    );
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
    const rows = await t.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM staff`);
    expect(rows[0]?.n).toBe(1);
  });

  it("makes e-mails unique whatever their case, and checks roles against departments", async () => {
    const t = await makeTestApp();
    await makeDepartment(t, { code: "roads", services: [] });
    expect((await createStaff(t, { email: "a@city.example", name: "A", role: "viewer" })).status).toBe(201);
    const again = await createStaff(t, { email: "A@CITY.example", name: "A2", role: "viewer" });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: { code: "staff_exists", field: "email" } });
    const noDept = await createStaff(t, { email: "d@city.example", name: "D", role: "department" });
    expect(noDept.status).toBe(400);
    expect(await noDept.json()).toMatchObject({ error: { field: "department" } });
    const unknown = await createStaff(t, {
      email: "d@city.example",
      name: "D",
      role: "department",
      department: "nope",
    });
    expect(await unknown.json()).toMatchObject({
      error: { code: "unknown_department", field: "department" },
    });
    const short = await createStaff(t, {
      email: "s@city.example",
      name: "S",
      role: "admin",
      password: "short",
    });
    expect(await short.json()).toMatchObject({ error: { field: "password" } });
    // Long enough, and still the first thing guessed: refused with the reason, nothing created.
    for (const [password, reason] of [
      ["aaaaaaaaaaaa", "4 different characters"],
      ["abababababab", "4 different characters"],
      ["1234567890", "consecutive"],
      ["zyxwvutsrqpo", "consecutive"],
    ] as const) {
      const weak = await createStaff(t, { email: "w@city.example", name: "W", role: "admin", password });
      expect(weak.status).toBe(400);
      expect(await weak.json()).toMatchObject({
        error: { field: "password", message: expect.stringContaining(reason) },
      });
    }
    expect(
      (await createStaff(t, { email: "w@city.example", name: "W", role: "admin", password: "1234567890x" }))
        .status,
    ).toBe(201);
    // No password: cannot sign in until an admin sets one.
    const none = await signInAs(t, "a@city.example", "anything at all");
    expect(none.status).toBe(401);
  });

  it("puts an account's e-mail right: signs in by the new one only, unique whatever its case, old reset links spent", async () => {
    const t = await makeTestApp();
    const clerk = await makeStaff(t, "viewer");
    const other = await makeStaff(t, "viewer");
    const patch = (body: unknown) =>
      t.app.request(`/api/admin/staff/${clerk.id}`, { method: "PATCH", ...asAdmin(body) });
    const token = "a-reset-link-mailed-to-the-old-address";
    await requestReset(t.db, {
      id: "reset-before-new-email",
      staffId: clerk.id,
      tokenHash: await sha256Hex(token),
      sealedToken: token,
      now: t.clock(),
    });
    // Another account's address, in any case, or not an address: refused, naming it, nothing written.
    for (const [email, status] of [
      [other.email.toUpperCase(), 409],
      ["not an address", 400],
    ] as const) {
      const res = await patch({ email, name: "Renamed" });
      expect(res.status).toBe(status);
      expect(await res.json()).toMatchObject({ error: { field: "email" } });
    }
    const unused = () =>
      t.db.all(sql`SELECT 1 FROM password_resets WHERE id = 'reset-before-new-email' AND used_at IS NULL`);
    expect(await unused()).toHaveLength(1);
    expect(
      (await (await t.app.request(`/api/admin/staff/${clerk.id}`, asAdmin())).json()) as object,
    ).toMatchObject({
      staff: { email: clerk.email, name: clerk.name },
    });

    const before = await t.app.request("/api/auth/me", asToken(clerk.token));
    expect(before.status).toBe(200);
    const done = await patch({ email: "Clerk.Wang@City.example" });
    expect(done.status).toBe(200);
    expect(await done.json()).toMatchObject({ staff: { email: "clerk.wang@city.example" } });
    expect((await signInAs(t, "clerk.wang@city.example", STAFF_PASSWORD)).status).toBe(200);
    expect((await signInAs(t, clerk.email, STAFF_PASSWORD)).status).toBe(401);
    expect(await unused()).toEqual([]);
    // Whoever signed in while it had the old address is signed out.
    expect((await t.app.request("/api/auth/me", asToken(clerk.token))).status).toBe(401);
    // The address it has already, however written: nothing to change.
    expect((await patch({ email: "CLERK.WANG@city.example" })).status).toBe(200);
    // The trail keeps both addresses: who had the account before the correction stays answerable.
    const trail = await t.db.all<{ detail: string }>(
      sql`SELECT detail FROM staff_actions WHERE subject_id = ${clerk.id} AND action LIKE 'PATCH %'`,
    );
    expect(trail.map((a) => JSON.parse(a.detail))).toEqual([
      { email: "Clerk.Wang@City.example", previousEmail: clerk.email },
    ]);
  });
});

describe("sign-in slow-down", () => {
  it("refuses an account beyond 5 failures from many networks, with Retry-After, even the right password", async () => {
    const t = await makeTestApp();
    const s = await makeStaff(t, "viewer");
    for (let i = 0; i < 5; i++) {
      const r = await signInAs(t, s.email, `wrong password ${i}`, `attacker-${i}`);
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe("invalid_credentials");
    }
    // No sixth password is checked, not even the right one: a 200 there would tell the guess was right.
    expect((await signInAs(t, s.email, STAFF_PASSWORD, "attacker-6")).status).toBe(429);
    expect((await signInAs(t, s.email, "wrong again", "attacker-7")).status).toBe(429);
    const blocked = await signInAs(t, s.email, STAFF_PASSWORD, "the-real-clerk");
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("retry-after"))).toBeGreaterThan(0);
    // Another account is not slowed by it.
    const other = await makeStaff(t, "viewer");
    expect((await signInAs(t, other.email, STAFF_PASSWORD, "the-real-clerk")).status).toBe(200);
  });

  it("refuses a network beyond 20 failures over many accounts", async () => {
    const t = await makeTestApp();
    const s = await makeStaff(t, "viewer");
    for (let i = 0; i < 20; i++) {
      expect((await signInAs(t, `nobody-${i}@city.example`, "guess guess", "one-network")).status).toBe(401);
    }
    expect((await signInAs(t, "nobody-21@city.example", "guess guess", "one-network")).status).toBe(429);
    const blocked = await signInAs(t, s.email, STAFF_PASSWORD, "one-network");
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get("retry-after")).toBeTruthy();
    expect((await signInAs(t, s.email, STAFF_PASSWORD, "elsewhere")).status).toBe(200);
  });

  it("does not say whether an e-mail exists", async () => {
    const t = await makeTestApp();
    const s = await makeStaff(t, "viewer");
    const wrong = await signInAs(t, s.email, "wrong password");
    const unknown = await signInAs(t, "nobody@city.example", "wrong password");
    expect(wrong.body).toEqual(unknown.body);
  });
});

describe("sessions", () => {
  it("expire after 12 hours (injected clock)", async () => {
    const clock = makeClock("2026-03-01T08:00:00Z");
    const t = await makeTestApp({ clock });
    const s = await makeStaff(t, "call_taker");
    const signed = await signInAs(t, s.email, STAFF_PASSWORD);
    expect(signed.body.expiresAt).toBe(new Date(clock() + SESSION_MS).toISOString());
    clock.advance(SESSION_MS - 1000);
    expect((await me(t, s.token)).status).toBe(200);
    clock.advance(2000);
    const expired = await me(t, s.token);
    expect(expired.status).toBe(401);
    expect(await expired.json()).toMatchObject({ error: { code: "unauthorized" } });
  });

  it("end at sign-out, at a password reset by an admin and when the account is disabled", async () => {
    const t = await makeTestApp();
    const s = await makeStaff(t, "department", { department: await dept(t) });
    const patch = (body: unknown) =>
      t.app.request(`/api/admin/staff/${s.id}`, { method: "PATCH", ...asAdmin(body) });

    const out = await t.app.request("/api/auth/sign-out", {
      method: "POST",
      headers: { authorization: `Bearer ${s.token}` },
    });
    expect(out.status).toBe(200);
    expect((await me(t, s.token)).status).toBe(401);
    expect(
      (await t.app.request("/api/department/me", { headers: { authorization: `Bearer ${s.token}` } })).status,
    ).toBe(401);

    const second = (await signInAs(t, s.email, STAFF_PASSWORD)).body.token as string;
    expect((await patch({ name: "Renamed only" })).status).toBe(200);
    expect((await me(t, second)).status).toBe(200);
    expect((await patch({ password: "a brand new password" })).status).toBe(200);
    expect((await me(t, second)).status).toBe(401);
    expect((await signInAs(t, s.email, STAFF_PASSWORD)).status).toBe(401);
    const third = await signInAs(t, s.email, "a brand new password");
    expect(third.status).toBe(200);

    expect((await patch({ disabled: true })).status).toBe(200);
    expect((await me(t, third.body.token)).status).toBe(401);
    expect((await signInAs(t, s.email, "a brand new password")).status).toBe(401);
    expect((await patch({ disabled: false })).status).toBe(200);
    expect((await signInAs(t, s.email, "a brand new password")).status).toBe(200);
  });

  it("keeps an enabled admin: the last one may be neither demoted nor disabled, also by two admins at once", async () => {
    const t = await makeTestApp();
    const a = await makeStaff(t, "admin");
    const b = await makeStaff(t, "admin");
    const patch = (id: string, body: unknown) =>
      t.app.request(`/api/admin/staff/${id}`, { method: "PATCH", ...asAdmin(body) });
    // Each demotes the other at once: one wins, the other is refused, and an admin remains.
    const answers = await Promise.all([patch(a.id, { role: "viewer" }), patch(b.id, { disabled: true })]);
    expect(answers.map((r) => r.status).sort()).toEqual([200, 409]);
    const refused = answers.find((r) => r.status === 409) as Response;
    // Named by what it would change: the demotion's role, or the disabling.
    const error = ((await refused.json()) as { error: { code: string; field: string } }).error;
    expect(error.code).toBe("last_admin");
    expect(error.field).toBe(answers[0]?.status === 409 ? "role" : "disabled");
    const admins = await t.db.all<{ id: string }>(
      sql`SELECT id FROM staff WHERE role = 'admin' AND disabled = 0`,
    );
    expect(admins).toHaveLength(1);
    // The one left keeps its session and cannot demote itself either; a rename still works.
    const last = admins[0]?.id === a.id ? a : b;
    expect((await patch(last.id, { role: "viewer" })).status).toBe(409);
    expect((await patch(last.id, { disabled: true })).status).toBe(409);
    expect((await me(t, last.token)).status).toBe(200);
    expect((await patch(last.id, { name: "Still the admin" })).status).toBe(200);
  });
});

async function dept(t: TestApp) {
  await makeDepartment(t, { code: "roads", services: [] });
  return "roads";
}

describe("npm run admin -- create-admin", () => {
  it("makes the first admin from the password on stdin, who can then sign in", async () => {
    const { url, client } = await makeDatabase();
    client.close();
    const run = promisify(execFile);
    const child = run(
      "npx",
      ["tsx", "scripts/admin.ts", "create-admin", "Boss@City.example", "--name", "The Boss"],
      {
        env: { ...process.env, DATABASE_URL: url, ADMIN_PASSWORD: "" },
      },
    );
    child.child.stdin?.end("a long admin password\n");
    const { stdout } = await child;
    expect(JSON.parse(stdout)).toMatchObject({
      staff: { email: "boss@city.example", role: "admin", name: "The Boss" },
    });
    expect(stdout).not.toContain("a long admin password");

    const { openDatabase } = await import("../src/node/database");
    const { db } = await openDatabase(url);
    const [row] = await db.all<{ password_hash: string }>(sql`SELECT password_hash FROM staff`);
    expect(await verifyPassword("a long admin password", row?.password_hash ?? "")).toBe(true);
    // The trail says how the first admin came about.
    const audit = await db.all<{ action: string; by_name: string; via: string; subject_id: string }>(
      sql`SELECT action, by_name, via, subject_id FROM staff_actions`,
    );
    expect(audit).toEqual([
      {
        action: "create-admin",
        by_name: "npm run admin",
        via: "admin_token",
        subject_id: JSON.parse(stdout).staff.id,
      },
    ]);
    expect(ADMIN_TOKEN).toBeTruthy();
  }, 60_000);

  it("refuses a DATABASE_URL naming no database, rather than make the account in a new, empty one", async () => {
    const { url, client } = await makeDatabase();
    client.close();
    const typo = url.replace(/\.db$/, "-typo.db");
    const run = promisify(execFile);
    const failed = await run("npx", ["tsx", "scripts/admin.ts", "create-admin", "boss@city.example"], {
      env: { ...process.env, DATABASE_URL: typo, ADMIN_PASSWORD: "a long admin password" },
    }).catch((e: { code: number; stderr: string }) => e);
    expect(failed).toMatchObject({ code: 2 });
    expect((failed as { stderr: string }).stderr).toContain(`no database at ${typo.slice("file:".length)}`);
    expect(existsSync(typo.slice("file:".length))).toBe(false);
  }, 60_000);

  // A real terminal (util-linux `script` gives the CLI a pty): what the admin types is not echoed.
  it.skipIf(!existsSync("/usr/bin/script"))(
    "does not show a password typed at the terminal",
    async () => {
      const { url, client } = await makeDatabase();
      client.close();
      const child = spawn(
        "/usr/bin/script",
        ["-qec", "npx tsx scripts/admin.ts create-admin tty@city.example --name Tty", "/dev/null"],
        { env: { ...process.env, DATABASE_URL: url, ADMIN_PASSWORD: "" } },
      );
      let seen = "";
      let typed = false;
      child.stdout.on("data", (chunk: Buffer) => {
        seen += chunk.toString();
        // Typed only once the prompt is up (the terminal is then the CLI's, in raw mode).
        if (!typed && seen.includes("Password for the new admin")) {
          typed = true;
          child.stdin.write("a password typed unseen\r");
        }
      });
      const code = await new Promise<number | null>((done) => child.on("exit", done));
      expect(code).toBe(0);
      expect(seen).toContain('"email":"tty@city.example"');
      expect(seen).not.toContain("a password typed unseen");
    },
    60_000,
  );
});
