/**
 * A clerk's day on the edge deployment: the real Worker (src/worker.ts) in workerd on a local D1.
 * An admin account made with the bootstrap token; the clerk signs in with e-mail and password
 * (the password hashed and checked in workerd, where Web Crypto refuses 600,000 PBKDF2 iterations
 * and the pure-JS fallback of src/domain/password.ts does the work), acknowledges a work order of
 * the department with the session, sees the move under their name, and signs out; the session is
 * refused from then on. Sessions are bearer tokens: no cookie carries one (the sign-in's device
 * cookie, which only trusts the browser for the account's failed-attempt budget, is no session).
 */
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PASSWORD_KDF, pbkdf2Native } from "../src/domain/password";
import { ADMIN_TOKEN, LOCAL_PROXIES, type TestApp } from "./support/app";
import { asAdmin, CHANGSHA, makeDepartment, makeService, north, squareAround } from "./support/fixtures";
import { fromResident } from "./support/residents";
import { STAFF_PASSWORD, signInAs } from "./support/staff";
import { asToken, workOrderAt } from "./support/work-orders";
import { type EdgeWorker, ROOT, startEdgeWorker, startScriptWorker, workerAsTestApp } from "./support/worker";

const CLERK = { email: "wang.clerk@kaifu.example", name: "Wang Clerk" };

describe("staff sign-in on the Worker in workerd", () => {
  let worker: EdgeWorker;
  let t: TestApp;
  let clerkId = "";

  beforeAll(async () => {
    worker = await startEdgeWorker({
      assets: false,
      vars: { PUBLIC_URL: "http://civicloop.test", TRUSTED_PROXIES: LOCAL_PROXIES },
      secrets: { ADMIN_TOKEN, REPORTER_KEY_SECRET: "edge-staff-reporter-secret" },
    });
    t = workerAsTestApp(worker);
    await makeService(t, { code: "pothole", threshold: 3, radiusM: 25 });
    await makeDepartment(t, { code: "kaifu", services: ["pothole"], area: squareAround(CHANGSHA, 20_000) });
    const res = await worker.fetch("/api/admin/staff", {
      method: "POST",
      ...asAdmin({ ...CLERK, role: "department", department: "kaifu", password: STAFF_PASSWORD }),
    });
    expect(res.status, await res.clone().text()).toBe(201);
    clerkId = ((await res.json()) as { staff: { id: string } }).staff.id;
  }, 300_000);

  afterAll(async () => {
    await worker?.stop();
  });

  it("stores the password as PBKDF2-SHA256 with 600,000 iterations, never in plain text", async () => {
    // The hash is not served; what the Worker stored is checked by signing in below, and the
    // account it answers must carry no trace of the password or its hash.
    const res = await worker.fetch(`/api/admin/staff`, asAdmin());
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).toContain(clerkId);
    expect(text).not.toContain(STAFF_PASSWORD);
    expect(text).not.toContain("pbkdf2");
  });

  it("refuses a wrong password and an unknown e-mail alike, with 401 invalid_credentials", async () => {
    const wrong = await signInAs(t, CLERK.email, "not the password at all", "edge-wrong");
    const unknown = await signInAs(t, "nobody@kaifu.example", STAFF_PASSWORD, "edge-unknown");
    for (const r of [wrong, unknown]) {
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe("invalid_credentials");
    }
    // Both reach the audit trail on D1 too, written after the answer (`waitUntil`).
    const failed = async () => {
      const res = await worker.fetch("/api/admin/audit?subjectType=network", asAdmin());
      const { actions } = (await res.json()) as { actions: { action: string; by: { name: string } }[] };
      return actions.map((a) => [a.action, a.by.name]);
    };
    await expect.poll(failed).toEqual([
      ["sign_in_failed_unknown", "nobody@kaifu.example"],
      ["sign_in_failed", CLERK.email],
    ]);
  });

  it("signs the clerk in, acknowledges a work order with the session, names the clerk, signs out", async () => {
    const wo = await workOrderAt(t, north(CHANGSHA, 300));
    expect(wo.department).toBe("kaifu");

    const signIn = await signInAs(t, CLERK.email, STAFF_PASSWORD, "edge-clerk");
    expect(signIn.status, JSON.stringify(signIn.body)).toBe(200);
    const cookie = signIn.headers.get("set-cookie") ?? "";
    expect(cookie).toMatch(
      /^civicloop_staff_device=sd1\.[^;]+; Max-Age=\d+; Path=\/api\/auth; HttpOnly; SameSite=Strict$/,
    );
    expect(cookie).not.toContain(signIn.body.token);
    const { token, expiresAt, staff } = signIn.body;
    expect(staff).toMatchObject({ id: clerkId, name: CLERK.name, role: "department", department: "kaifu" });
    expect(Date.parse(expiresAt)).toBeGreaterThan(Date.now());

    const me = await worker.fetch("/api/auth/me", asToken(token));
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ role: "department", via: "staff", name: CLERK.name });

    const list = await worker.fetch("/api/department/work-orders", asToken(token));
    expect(list.status).toBe(200);
    const { workOrders } = (await list.json()) as { workOrders: { id: string }[] };
    expect(workOrders.map((w) => w.id)).toContain(wo.id);

    const ack = await worker.fetch(`/api/department/work-orders/${wo.id}/transitions`, {
      method: "POST",
      ...asToken(token, { to: "acknowledged" }),
    });
    expect(ack.status, await ack.clone().text()).toBe(200);
    expect(((await ack.json()) as { workOrder: { status: string } }).workOrder.status).toBe("acknowledged");

    const detail = await worker.fetch(`/api/department/work-orders/${wo.id}`, asToken(token));
    const { history } = (await detail.json()) as { history: { action: string; by: { name: string } }[] };
    expect(history.find((h) => h.action === "acknowledged")?.by?.name).toBe(CLERK.name);

    const out = await worker.fetch("/api/auth/sign-out", { method: "POST", ...asToken(token) });
    expect(out.status).toBe(200);
    expect(await out.json()).toEqual({ signedOut: true });
    for (const path of ["/api/auth/me", "/api/department/work-orders"]) {
      expect((await worker.fetch(path, asToken(token))).status).toBe(401);
    }

    // A guessed token is recorded after the answer (the route, never the token); the signed-out
    // session, sent twice above, was a real one and is not.
    const guess = await worker.fetch("/api/admin/staff", asToken("Zq8xT3vKp0LmW9rY2bNcQ"));
    expect(guess.status).toBe(403);
    const refused = async () => {
      const res = await worker.fetch("/api/admin/audit", asAdmin());
      const { actions } = (await res.json()) as { actions: { action: string; by: { name: string } }[] };
      return actions.filter((a) => a.action === "sign_in_failed_token").map((a) => a.by.name);
    };
    await expect.poll(refused).toEqual(["GET /api/admin/staff"]);

    const audit = await worker.fetch("/api/admin/audit", asAdmin());
    const { actions } = (await audit.json()) as {
      actions: { action: string; by: { name: string }; subject: { type: string | null } }[];
    };
    const clerks = actions.filter((a) => a.by.name === CLERK.name);
    expect(clerks.map((a) => a.action)).toEqual(["signed_out", "acknowledged", "signed_in"]);
    // The sign-in names its network by its tag, as failures do.
    expect(clerks[2]?.subject.type).toBe("network");
  });

  it("slows down repeated failures for the account on the Worker too (429 with Retry-After)", async () => {
    const email = CLERK.email;
    let last = await signInAs(t, email, "still not the password", "edge-guess-0");
    for (let i = 1; i < 8 && last.status !== 429; i++) {
      last = await signInAs(t, email, "still not the password", `edge-guess-${i}`);
    }
    expect(last.status).toBe(429);
    expect(Number(last.headers.get("retry-after"))).toBeGreaterThan(0);
    // Even the right password waits now.
    const right = await worker.fetch("/api/auth/sign-in", {
      method: "POST",
      headers: { "content-type": "application/json", ...fromResident("edge-guess-right") },
      body: JSON.stringify({ email, password: STAFF_PASSWORD }),
    });
    expect(right.status).toBe(429);
  });
});

describe("the password KDF's fallback in workerd", () => {
  it("derives in pure JS inside a Worker the same 600,000-iteration key as Web Crypto on Node", async () => {
    // Cloudflare's Workers refuse this many iterations in Web Crypto; the local workerd does not,
    // so the fallback that runs there is called by name here.
    const worker = await startScriptWorker(join(ROOT, "test/support/password-worker.ts"));
    try {
      const salt = crypto.getRandomValues(new Uint8Array(PASSWORD_KDF.saltBytes));
      const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
      const res = await fetch(
        new URL(
          `/?how=js&iterations=${PASSWORD_KDF.iterations}&salt=${hex(salt)}&password=${encodeURIComponent(STAFF_PASSWORD)}`,
          worker.url,
        ),
        { signal: AbortSignal.timeout(60_000) },
      );
      expect(res.status).toBe(200);
      const expected = await pbkdf2Native(
        new TextEncoder().encode(STAFF_PASSWORD),
        salt,
        PASSWORD_KDF.iterations,
        PASSWORD_KDF.keyBytes,
      );
      expect(await res.text()).toBe(hex(expected));
    } finally {
      await worker.stop();
    }
  }, 120_000);
});
