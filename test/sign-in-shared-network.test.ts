/**
 * Junk from a shared network (city hall's guest Wi-Fi, one NAT) spends that network's budget of
 * failed sign-ins, but does not lock out the staff behind it: their sessions and department
 * tokens still work, and a browser trusted for an account still signs in. Only what a person
 * could guess (a password from an untrusted browser, `ADMIN_TOKEN`) waits for the window. The
 * residents here are networks of this machine's local proxy (`fromResident`), said explicitly.
 */
import { describe, expect, it } from "vitest";
import { STAFF_DEVICE_COOKIE } from "../src/domain/staff-device";
import { ADMIN_TOKEN, makeTestApp } from "./support/app";
import { makeDepartment, makeService } from "./support/fixtures";
import { fromResident } from "./support/residents";
import { makeStaff, STAFF_PASSWORD, signInAs } from "./support/staff";
import { departmentToken } from "./support/work-orders";

const HALL = "city-hall-wifi";
const asFrom = (token: string) => ({ authorization: `Bearer ${token}`, ...fromResident(HALL) });

describe("sign-in limits on a shared network", () => {
  it("keeps live sessions, department tokens and trusted browsers working while junk spends the network's budget", async () => {
    const t = await makeTestApp();
    await makeService(t, { code: "pothole" });
    await makeDepartment(t, { code: "kaifu", services: ["pothole"] });
    const clerk = await makeStaff(t, "department", { department: "kaifu" });
    const office = await signInAs(t, clerk.email, STAFF_PASSWORD, HALL);
    expect(office.status).toBe(200);
    const cookie = (office.headers.get("set-cookie") ?? "").match(
      new RegExp(`${STAFF_DEVICE_COOKIE}=([^;]+)`),
    )?.[1];
    expect(cookie).toBeTruthy();
    const machine = await departmentToken(t, "kaifu");

    // Someone on the same Wi-Fi sends junk: made-up accounts, made-up tokens.
    for (let i = 0; i < 20; i++) {
      const status = (await signInAs(t, `nobody-${i}@example.org`, "guess guess guess", HALL)).status;
      expect([401, 429]).toContain(status);
    }
    const junk = await t.app.request("/api/department/me", { headers: asFrom("stf_madeup") });
    expect(junk.status).toBe(429);

    // The network is over its budget, yet the staff already in keep working.
    expect((await t.app.request("/api/department/me", { headers: asFrom(clerk.token) })).status).toBe(200);
    expect((await t.app.request("/api/department/me", { headers: asFrom(office.body.token) })).status).toBe(
      200,
    );
    expect((await t.app.request("/api/department/me", { headers: asFrom(machine) })).status).toBe(200);
    // A browser trusted for the account signs in again; an untrusted one, even right, waits.
    const again = await signInAs(t, clerk.email, STAFF_PASSWORD, HALL, {
      cookie: `${STAFF_DEVICE_COOKIE}=${cookie}`,
    });
    expect(again.status).toBe(200);
    expect((await signInAs(t, clerk.email, STAFF_PASSWORD, HALL)).status).toBe(429);
    // A made-up cookie is no trusted browser: refused before its body is even read.
    const junkCookie = await t.app.request("/api/auth/sign-in", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        cookie: `${STAFF_DEVICE_COOKIE}=x`,
        ...fromResident(HALL),
      },
      body: "{not json",
    });
    expect(junkCookie.status).toBe(429);
    // A browser trusted for this clerk is none for another account: that guess waits too.
    const other = await makeStaff(t, "viewer");
    expect(
      (await signInAs(t, other.email, STAFF_PASSWORD, HALL, { cookie: `${STAFF_DEVICE_COOKIE}=${cookie}` }))
        .status,
    ).toBe(429);
    // ADMIN_TOKEN is chosen by a person, so guessable: from this network it waits too.
    expect((await t.app.request("/api/admin/services", { headers: asFrom(ADMIN_TOKEN) })).status).toBe(429);
    // From another network it works.
    expect(
      (await t.app.request("/api/admin/services", { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } }))
        .status,
    ).toBe(200);
  });

  it("tells a script still sending a replaced ADMIN_TOKEN it has ended, without locking the network out", async () => {
    const before = await makeTestApp();
    const old = { authorization: `Bearer ${ADMIN_TOKEN}`, ...fromResident(HALL) };
    expect((await before.app.request("/api/admin/services", { headers: old })).status).toBe(200);
    const clerk = await makeStaff(before, "admin");
    // The operator restarts the server with a new ADMIN_TOKEN; a nightly script was not told.
    const NEW_TOKEN = "a-new-admin-token-after-rotation-42";
    const after = await makeTestApp({ url: before.url, config: { adminToken: NEW_TOKEN } });
    for (let i = 0; i < 30; i++) {
      expect((await after.app.request("/api/admin/services", { headers: old })).status).toBe(403);
    }
    // The network is not held up: the admin signs in, the new token works, from the same Wi-Fi.
    expect((await signInAs(after, clerk.email, STAFF_PASSWORD, HALL)).status).toBe(200);
    const fresh = { authorization: `Bearer ${NEW_TOKEN}`, ...fromResident(HALL) };
    expect((await after.app.request("/api/admin/services", { headers: fresh })).status).toBe(200);
    // A guess is still a guess: made-up tokens spend the budget, and then even the right one waits.
    for (let i = 0; i < 20; i++) {
      const guess = { authorization: `Bearer guess-${i}-0123456789`, ...fromResident(HALL) };
      expect([403, 429]).toContain(
        (await after.app.request("/api/admin/services", { headers: guess })).status,
      );
    }
    expect((await after.app.request("/api/admin/services", { headers: fresh })).status).toBe(429);
  });
});
