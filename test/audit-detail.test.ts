/**
 * The audit trail says what an admin change set, not only that one was made: a role given, a
 * webhook pointed somewhere, a service withdrawn. Passwords and secrets are never in it, only
 * that one was set; an area's corners are counted, not copied.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { makeTestApp, type TestApp } from "./support/app";
import { asAdmin, CHANGSHA, makeDepartment, makeService, squareAround } from "./support/fixtures";

let t: TestApp;

type Entry = { action: string; subject: { id: string | null }; detail: Record<string, unknown> | null };

async function trail(): Promise<Entry[]> {
  const res = await t.app.request("/api/admin/audit?limit=50", asAdmin());
  expect(res.status).toBe(200);
  return ((await res.json()) as { actions: Entry[] }).actions;
}

async function admin(method: string, path: string, body?: unknown) {
  const res = await t.app.request(path, { method, ...asAdmin(body) });
  expect(res.status, `${method} ${path}: ${await res.clone().text()}`).toBeLessThan(300);
  return res.json().catch(() => null);
}

beforeAll(async () => {
  t = await makeTestApp();
  await makeService(t);
});

describe("the audit trail's detail", () => {
  it("says what each change set, never a password or a secret", async () => {
    const password = "a-password-nobody-reads-9";
    const made = (await admin("POST", "/api/admin/staff", {
      email: "zhao@city.example",
      name: "Inspector Zhao",
      role: "viewer",
      password,
    })) as { staff: { id: string } };
    await admin("PATCH", `/api/admin/staff/${made.staff.id}`, { role: "admin" });
    await admin("PATCH", `/api/admin/staff/${made.staff.id}`, { password: "another-password-9" });
    await makeDepartment(t, { code: "roads", services: ["pothole"], area: squareAround(CHANGSHA, 5000) });
    const department = (await (await t.app.request("/api/admin/departments", asAdmin())).json()) as {
      departments: Record<string, unknown>[];
    };
    const roads = department.departments.find((d) => d.code === "roads");
    // An area of 30 corners, as a survey's boundary has many.
    const ring = Array.from({ length: 30 }, (_, i) => [
      CHANGSHA.lon + 0.02 * Math.cos((2 * Math.PI * i) / 30),
      CHANGSHA.lat + 0.02 * Math.sin((2 * Math.PI * i) / 30),
    ]);
    await admin("PUT", "/api/admin/departments/roads", {
      code: "roads",
      name: roads?.name,
      services: ["pothole"],
      area: { type: "Polygon", coordinates: [[...ring, ring[0]]] },
      webhookUrl: "https://hooks.elsewhere.example/services/T000/SECRET-IN-PATH?token=abc",
    });
    const renewed = (await admin("POST", "/api/admin/departments/roads/webhook-secret")) as {
      webhookSecret: string;
    };

    const entries = await trail();
    const text = JSON.stringify(entries);
    for (const secret of [
      password,
      "another-password-9",
      renewed.webhookSecret,
      "SECRET-IN-PATH",
      "token=abc",
    ])
      expect(text).not.toContain(secret);
    const of = (action: string) => entries.filter((e) => e.action === action).map((e) => e.detail);
    expect(of("POST /admin/staff")).toEqual([
      { email: "zhao@city.example", name: "Inspector Zhao", role: "viewer", password: "(set)" },
    ]);
    expect(of("PATCH /admin/staff/:id")).toEqual([{ password: "(set)" }, { role: "admin" }]);
    const put = of("PUT /admin/departments/:code")[0];
    // Where the webhook points, its site: its path and query may hold a secret.
    expect(put).toMatchObject({ webhookUrl: "https://hooks.elsewhere.example/…", services: ["pothole"] });
    // An area's corners are counted, not copied.
    expect(put?.area).toEqual({ type: "Polygon", coordinates: ["(31 items)"] });
    expect(JSON.stringify(put).length).toBeLessThan(4100);
    // A change without a body says only what it was.
    expect(of("POST /admin/departments/:code/webhook-secret")).toEqual([null]);
  });

  it("keeps a small area's corners, so the trail shows where a boundary moved", async () => {
    await makeDepartment(t, { code: "parks", services: ["pothole"] });
    const square = squareAround(CHANGSHA, 1000);
    await admin("PUT", "/api/admin/departments/parks", {
      code: "parks",
      name: { en: "Parks", zh: "园林" },
      services: ["pothole"],
      area: square,
    });
    const [put] = (await trail()).filter((e) => e.action === "PUT /admin/departments/:code");
    expect(put?.detail?.area).toEqual(square);
  });

  it("names which of a department's tokens was issued and which revoked", async () => {
    const issued = (await admin("POST", "/api/admin/departments/roads/tokens", { label: "night shift" })) as {
      id: string;
    };
    await admin("POST", "/api/admin/departments/roads/tokens", { label: "day shift" });
    await admin("DELETE", `/api/admin/departments/roads/tokens/${issued.id}`);
    const entries = await trail();
    const of = (action: string) => entries.filter((e) => e.action === action).map((e) => e.detail);
    expect(of("POST /admin/departments/:code/tokens")).toContainEqual({
      id: issued.id,
      label: "night shift",
    });
    expect(of("DELETE /admin/departments/:code/tokens/:id")).toEqual([{ id: issued.id }]);
  });
});
