/**
 * An admin change and its audit entry are one write: with the audit trail made to refuse every
 * entry (a trigger, standing in for a crash between two statements), each change of services,
 * departments, staff, department tokens and API keys is refused whole and leaves nothing behind;
 * with the trail working again, the same change is made and its entry names who made it.
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { makeTestApp, type TestApp } from "./support/app";
import { makeDepartment, makeService, POTHOLE_SERVICE } from "./support/fixtures";
import { makeStaff, type SignedInStaff } from "./support/staff";
import { asToken } from "./support/work-orders";

const ADMIN = "Wu Auditname";

interface Change {
  name: string;
  method: string;
  path: () => string;
  body?: unknown;
  /** Whether the change is in the database. */
  made: () => Promise<boolean>;
  /** The audit entry's subject. */
  subject: { type: string; id?: () => string };
}

describe("admin changes and their audit entries", () => {
  let t: TestApp;
  let admin: SignedInStaff;
  let clerkId = "";
  let tokenId = "";
  let keyId = "";
  const get = async <T>(path: string) =>
    (await (await t.app.request(path, asToken(admin.token))).json()) as T;
  const services = () => get<{ services: { code: string; threshold: number }[] }>("/api/admin/services");
  const departments = () =>
    get<{ departments: { code: string; name: { en: string } }[] }>("/api/admin/departments");
  const staff = () => get<{ staff: { id: string; email: string; name: string }[] }>("/api/admin/staff");
  const tokens = () =>
    get<{ tokens: { id: string; revokedAt: string | null }[] }>("/api/admin/departments/kaifu/tokens");
  const keys = () => get<{ apiKeys: { id: string; revokedAt: string | null }[] }>("/api/admin/api-keys");

  const CHANGES: Change[] = [
    {
      name: "create a service",
      method: "POST",
      path: () => "/api/admin/services",
      body: { ...POTHOLE_SERVICE, code: "streetlight", name: { en: "Streetlight", zh: "路灯" } },
      made: async () => (await services()).services.some((s) => s.code === "streetlight"),
      subject: { type: "services", id: () => "streetlight" },
    },
    {
      name: "change a service",
      method: "PUT",
      path: () => "/api/admin/services/pothole",
      body: { ...POTHOLE_SERVICE, code: undefined, threshold: 7 },
      made: async () => (await services()).services.find((s) => s.code === "pothole")?.threshold === 7,
      subject: { type: "services", id: () => "pothole" },
    },
    {
      name: "create a department",
      method: "POST",
      path: () => "/api/admin/departments",
      body: { code: "yuelu", name: { en: "Yuelu", zh: "岳麓" }, services: ["pothole"] },
      made: async () => (await departments()).departments.some((d) => d.code === "yuelu"),
      subject: { type: "departments", id: () => "yuelu" },
    },
    {
      name: "change a department",
      method: "PUT",
      path: () => "/api/admin/departments/kaifu",
      body: { name: { en: "Kaifu office", zh: "开福区" }, services: ["pothole"] },
      made: async () =>
        (await departments()).departments.find((d) => d.code === "kaifu")?.name.en === "Kaifu office",
      subject: { type: "departments", id: () => "kaifu" },
    },
    {
      name: "create a staff account",
      method: "POST",
      path: () => "/api/admin/staff",
      body: { email: "li.clerk@city.example", name: "Li Clerk", role: "department", department: "kaifu" },
      made: async () => {
        clerkId = (await staff()).staff.find((s) => s.email === "li.clerk@city.example")?.id ?? "";
        return clerkId !== "";
      },
      subject: { type: "staff", id: () => clerkId },
    },
    {
      name: "change a staff account",
      method: "PATCH",
      path: () => `/api/admin/staff/${clerkId}`,
      body: { name: "Li Renamed" },
      made: async () => (await staff()).staff.some((s) => s.name === "Li Renamed"),
      subject: { type: "staff", id: () => clerkId },
    },
    {
      name: "issue a department token",
      method: "POST",
      path: () => "/api/admin/departments/kaifu/tokens",
      body: { label: "integration" },
      made: async () => {
        tokenId = (await tokens()).tokens[0]?.id ?? "";
        return tokenId !== "";
      },
      subject: { type: "departments", id: () => "kaifu" },
    },
    {
      name: "revoke a department token",
      method: "DELETE",
      path: () => `/api/admin/departments/kaifu/tokens/${tokenId}`,
      made: async () => (await tokens()).tokens.find((k) => k.id === tokenId)?.revokedAt != null,
      subject: { type: "departments", id: () => "kaifu" },
    },
    {
      name: "issue an API key",
      method: "POST",
      path: () => "/api/admin/api-keys",
      body: { name: "Street app" },
      made: async () => {
        keyId = (await keys()).apiKeys[0]?.id ?? "";
        return keyId !== "";
      },
      subject: { type: "api-keys", id: () => keyId },
    },
    {
      name: "revoke an API key",
      method: "DELETE",
      path: () => `/api/admin/api-keys/${keyId}`,
      made: async () => (await keys()).apiKeys.find((k) => k.id === keyId)?.revokedAt != null,
      subject: { type: "api-keys", id: () => keyId },
    },
  ];

  beforeAll(async () => {
    t = await makeTestApp();
    await makeService(t);
    await makeDepartment(t, { code: "kaifu", services: ["pothole"] });
    admin = await makeStaff(t, "admin", { name: ADMIN });
  });

  const send = (c: Change) => t.app.request(c.path(), { method: c.method, ...asToken(admin.token, c.body) });
  const entries = async () =>
    (
      await get<{
        actions: { action: string; by: { name: string }; subject: { type: string; id: string } }[];
      }>("/api/admin/audit")
    ).actions;

  for (const change of CHANGES)
    it(`${change.name}: refused whole when its entry cannot be written, then made with it`, async () => {
      await t.db.run(sql`CREATE TRIGGER audit_down BEFORE INSERT ON staff_actions
        BEGIN SELECT RAISE(ABORT, 'the audit trail is down'); END`);
      try {
        const refused = await send(change);
        expect(refused.status).toBeGreaterThanOrEqual(500);
        expect(await change.made()).toBe(false);
      } finally {
        await t.db.run(sql`DROP TRIGGER audit_down`);
      }
      const before = (await entries()).length;
      const res = await send(change);
      expect(res.status, await res.clone().text()).toBeLessThan(300);
      expect(await change.made()).toBe(true);
      const after = await entries();
      expect(after.length).toBe(before + 1);
      expect(after[0]).toMatchObject({
        action: expect.stringMatching(new RegExp(`^${change.method} /admin/`)),
        by: { name: ADMIN },
        subject: { type: change.subject.type, id: change.subject.id?.() },
      });
    });

  it("writes no entry for a change that changed nothing (revoking a revoked key)", async () => {
    const before = (await entries()).length;
    const again = await t.app.request(`/api/admin/api-keys/${keyId}`, {
      method: "DELETE",
      ...asToken(admin.token),
    });
    expect(again.status).toBe(204);
    expect((await entries()).length).toBe(before);
  });
});
