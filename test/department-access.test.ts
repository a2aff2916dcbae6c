import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { makeTestApp, type TestApp } from "./support/app";
import {
  asAdmin,
  CHANGSHA,
  east,
  makeDepartment,
  makeService,
  north,
  squareAround,
} from "./support/fixtures";
import { fromResident } from "./support/residents";
import { ADMIN_TOKEN, asToken, departmentToken, workOrderAt } from "./support/work-orders";

type Caller = "anonymous" | "deptA" | "deptB" | "admin";
const CALLERS: Caller[] = ["anonymous", "deptA", "deptB", "admin"];

interface Fresh {
  wo: string;
  token: string;
  deadLetter: string;
  n: number;
}

interface Endpoint {
  name: string;
  method: string;
  path: (f: Fresh) => string;
  body?: (f: Fresh) => unknown;
  expected: Record<Caller, number>;
}

const DEPT = { anonymous: 401, deptA: 200, deptB: 200, admin: 200 };
const OWN = { anonymous: 401, deptA: 200, deptB: 404, admin: 200 };
const ADMIN_ONLY = (ok: number) => ({ anonymous: 401, deptA: 403, deptB: 403, admin: ok });

const service = (code: string) => ({
  code,
  name: { en: code, zh: code },
  radiusM: 25,
  windowDays: 30,
  threshold: 3,
  ackHours: 24,
  resolveHours: 168,
});
const department = (f: Fresh) => ({
  name: { en: "Parks", zh: "公园" },
  services: ["pothole"],
  code: `parks${f.n}`,
});

const ENDPOINTS: Endpoint[] = [
  { name: "who am I", method: "GET", path: () => "/api/department/me", expected: DEPT },
  { name: "list work orders", method: "GET", path: () => "/api/department/work-orders", expected: DEPT },
  {
    name: "read a work order",
    method: "GET",
    path: (f) => `/api/department/work-orders/${f.wo}`,
    expected: OWN,
  },
  {
    name: "move a work order",
    method: "POST",
    path: (f) => `/api/department/work-orders/${f.wo}/transitions`,
    body: () => ({ to: "acknowledged" }),
    expected: OWN,
  },
  {
    name: "create a service",
    method: "POST",
    path: () => "/api/admin/services",
    body: (f) => service(`svc${f.n}`),
    expected: ADMIN_ONLY(201),
  },
  {
    name: "update a service",
    method: "PUT",
    path: () => "/api/admin/services/pothole",
    body: () => {
      const { code: _code, ...rest } = service("pothole");
      return rest;
    },
    expected: ADMIN_ONLY(200),
  },
  {
    name: "create a department",
    method: "POST",
    path: () => "/api/admin/departments",
    body: department,
    expected: ADMIN_ONLY(201),
  },
  {
    name: "update a department",
    method: "PUT",
    path: () => "/api/admin/departments/roads_b",
    body: () => ({
      name: { en: "B", zh: "B" },
      services: ["pothole"],
      area: squareAround(north(CHANGSHA, 30_000), 5000),
    }),
    expected: ADMIN_ONLY(200),
  },
  {
    name: "list all work orders",
    method: "GET",
    path: () => "/api/admin/work-orders",
    expected: ADMIN_ONLY(200),
  },
  {
    name: "make a token",
    method: "POST",
    path: () => "/api/admin/departments/roads_a/tokens",
    body: () => ({ label: "night shift" }),
    expected: ADMIN_ONLY(201),
  },
  {
    name: "list tokens",
    method: "GET",
    path: () => "/api/admin/departments/roads_a/tokens",
    expected: ADMIN_ONLY(200),
  },
  {
    name: "revoke a token",
    method: "DELETE",
    path: (f) => `/api/admin/departments/roads_a/tokens/${f.token}`,
    expected: ADMIN_ONLY(200),
  },
  {
    name: "list dead letters",
    method: "GET",
    path: () => "/api/admin/outbox/dead",
    expected: ADMIN_ONLY(200),
  },
  {
    name: "retry a dead letter",
    method: "POST",
    path: (f) => `/api/admin/outbox/${f.deadLetter}/retry`,
    expected: ADMIN_ONLY(200),
  },
  {
    name: "dismiss a dead letter",
    method: "POST",
    path: (f) => `/api/admin/outbox/${f.deadLetter}/dismiss`,
    expected: ADMIN_ONLY(200),
  },
  {
    name: "reroute",
    method: "POST",
    path: (f) => `/api/admin/work-orders/${f.wo}/reroute`,
    body: () => ({ department: "roads_b" }),
    expected: ADMIN_ONLY(200),
  },
  {
    name: "admin move",
    method: "POST",
    path: (f) => `/api/admin/work-orders/${f.wo}/transitions`,
    body: () => ({ to: "acknowledged" }),
    expected: ADMIN_ONLY(200),
  },
  {
    name: "department stats (public)",
    method: "GET",
    path: () => "/api/stats/departments",
    expected: { anonymous: 200, deptA: 200, deptB: 200, admin: 200 },
  },
];

describe("access matrix: anonymous, department A, department B and admin", () => {
  let t: TestApp;
  const tokens: Record<Caller, string | null> = {
    anonymous: null,
    deptA: null,
    deptB: null,
    admin: ADMIN_TOKEN,
  };
  let n = 0;

  beforeAll(async () => {
    t = await makeTestApp();
    await makeService(t, { code: "pothole", threshold: 3 });
    await makeDepartment(t, { code: "roads_a", services: ["pothole"], area: squareAround(CHANGSHA, 20_000) });
    await makeDepartment(t, {
      code: "roads_b",
      services: ["pothole"],
      area: squareAround(north(CHANGSHA, 30_000), 5000),
    });
    tokens.deptA = await departmentToken(t, "roads_a");
    tokens.deptB = await departmentToken(t, "roads_b");
  });

  /** Resources made fresh for each request, so no case depends on another. */
  async function fresh(): Promise<Fresh> {
    n++;
    const wo = await workOrderAt(t, east(CHANGSHA, 60 * n));
    const res = await t.app.request("/api/admin/departments/roads_a/tokens", {
      method: "POST",
      ...asAdmin({}),
    });
    const { id } = (await res.json()) as { id: string };
    // A dead letter to retry or dismiss: the outbox row of this work order, given up.
    const [row] = await t.db.all<{ id: string }>(
      sql`UPDATE outbox SET state = 'dead' WHERE work_order_id = ${wo.id} RETURNING id`,
    );
    return { wo: wo.id, token: id, deadLetter: row?.id as string, n };
  }

  for (const e of ENDPOINTS) {
    it(`${e.method} ${e.name}`, async () => {
      for (const caller of CALLERS) {
        const f = await fresh();
        const token = tokens[caller];
        const body = e.body?.(f);
        const res = await t.app.request(e.path(f), {
          method: e.method,
          headers: {
            // Each caller is its own client on its own network: a department trying admin routes
            // spends its own budget of failed sign-ins, not the others'.
            ...fromResident(`caller-${caller}`),
            ...(body === undefined ? {} : { "content-type": "application/json" }),
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        expect(res.status, `${caller} ${e.method} ${e.path(f)}: ${await res.clone().text()}`).toBe(
          e.expected[caller],
        );
        if (res.status >= 400)
          expect(((await res.json()) as { error: { code: string } }).error.code).toBeTruthy();
      }
    });
  }

  it("answers 401 for an unknown or a revoked token, and a department only lists its own", async () => {
    const unknown = await t.app.request("/api/department/me", asToken("dept_not-a-real-token"));
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toMatchObject({ error: { code: "unauthorized", field: "Authorization" } });
    const none = await t.app.request("/api/department/me");
    expect(await none.json()).toMatchObject({ error: { code: "unauthorized", field: "Authorization" } });

    const made = await t.app.request("/api/admin/departments/roads_b/tokens", {
      method: "POST",
      ...asAdmin({}),
    });
    const { id, token } = (await made.json()) as { id: string; token: string };
    const me = await t.app.request("/api/department/me", asToken(token));
    expect(await me.json()).toMatchObject({ role: "department", department: { code: "roads_b" } });
    const revoke = await t.app.request(`/api/admin/departments/roads_b/tokens/${id}`, {
      method: "DELETE",
      ...asAdmin(),
    });
    expect(revoke.status).toBe(200);
    expect((await t.app.request("/api/department/me", asToken(token))).status).toBe(401);

    // Tokens are listed without any secret, and stored only hashed.
    const list = await t.app.request("/api/admin/departments/roads_b/tokens", asAdmin());
    expect(JSON.stringify(await list.json())).not.toContain(token);
    const [stored] = await t.db.all<{ n: number }>(
      sql`SELECT count(*) AS n FROM department_tokens WHERE token_hash = ${token}`,
    );
    expect(stored?.n).toBe(0);

    const wo = await workOrderAt(t, east(CHANGSHA, 60 * ++n));
    const listA = await t.app.request("/api/department/work-orders", asToken(tokens.deptA as string));
    const listB = await t.app.request("/api/department/work-orders", asToken(tokens.deptB as string));
    const ids = async (r: Response) =>
      ((await r.json()) as { workOrders: { id: string }[] }).workOrders.map((w) => w.id);
    expect(await ids(listA)).toContain(wo.id);
    expect(await ids(listB)).not.toContain(wo.id);
  });
});
