/**
 * Who may call what, for every staff role and machine token: every staff, admin-staff, department
 * and desk endpoint, table-driven. Unknown tokens are covered by department-access.test.ts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, makeTestApp, type TestApp } from "./support/app";
import { CHANGSHA, east, makeDepartment, makeService, north, squareAround } from "./support/fixtures";
import { fromResident } from "./support/residents";
import { makeStaff, STAFF_PASSWORD, signInAs } from "./support/staff";
import { departmentToken, workOrderAt } from "./support/work-orders";

const CALLERS = [
  "anonymous",
  "adminToken",
  "admin",
  "deptToken",
  "deptA",
  "deptB",
  "callTaker",
  "viewer",
] as const;
type Caller = (typeof CALLERS)[number];
type Expected = Record<Caller, number>;

interface Made {
  n: number;
  wo?: string;
  staffId?: string;
}

interface Endpoint {
  name: string;
  method: string;
  path: (m: Made) => string;
  body?: (m: Made) => unknown;
  /** What the request needs made first (fresh for each caller, so no case depends on another). */
  make?: "workOrder" | "staff";
  expected: Expected;
}

const ADMIN_ONLY = (ok: number): Expected => ({
  anonymous: 401,
  adminToken: ok,
  admin: ok,
  deptToken: 403,
  deptA: 403,
  deptB: 403,
  callTaker: 403,
  viewer: 403,
});
const DEPT_READ: Expected = {
  anonymous: 401,
  adminToken: 200,
  admin: 200,
  deptToken: 200,
  deptA: 200,
  deptB: 200,
  callTaker: 403,
  viewer: 200,
};
const OWN_READ: Expected = { ...DEPT_READ, deptB: 404 };
const OWN_WRITE: Expected = { ...OWN_READ, viewer: 403 };
const DESK = (ok: number): Expected => ({ ...ADMIN_ONLY(ok), callTaker: ok });
const ANY_STAFF: Expected = {
  anonymous: 401,
  adminToken: 200,
  admin: 200,
  deptToken: 200,
  deptA: 200,
  deptB: 200,
  callTaker: 200,
  viewer: 200,
};

const ENDPOINTS: Endpoint[] = [
  {
    name: "create a staff account",
    method: "POST",
    path: () => "/api/admin/staff",
    body: (m) => ({ email: `new-${m.n}@city.example`, name: `New ${m.n}`, role: "viewer" }),
    expected: ADMIN_ONLY(201),
  },
  { name: "list staff", method: "GET", path: () => "/api/admin/staff", expected: ADMIN_ONLY(200) },
  {
    name: "read a staff account",
    method: "GET",
    make: "staff",
    path: (m) => `/api/admin/staff/${m.staffId}`,
    expected: ADMIN_ONLY(200),
  },
  {
    name: "edit a staff account",
    method: "PATCH",
    make: "staff",
    path: (m) => `/api/admin/staff/${m.staffId}`,
    body: () => ({ name: "Renamed", password: "a new password 42" }),
    expected: ADMIN_ONLY(200),
  },
  {
    name: "disable a staff account",
    method: "PATCH",
    make: "staff",
    path: (m) => `/api/admin/staff/${m.staffId}`,
    body: () => ({ disabled: true }),
    expected: ADMIN_ONLY(200),
  },
  { name: "read the audit trail", method: "GET", path: () => "/api/admin/audit", expected: ADMIN_ONLY(200) },
  {
    name: "create a service",
    method: "POST",
    path: () => "/api/admin/services",
    body: (m) => ({
      code: `svc${m.n}`,
      name: { en: "S", zh: "S" },
      radiusM: 25,
      windowDays: 30,
      threshold: 3,
      ackHours: 24,
      resolveHours: 168,
    }),
    expected: ADMIN_ONLY(201),
  },
  {
    name: "list all work orders",
    method: "GET",
    path: () => "/api/admin/work-orders",
    expected: ADMIN_ONLY(200),
  },
  {
    name: "admin move",
    method: "POST",
    make: "workOrder",
    path: (m) => `/api/admin/work-orders/${m.wo}/transitions`,
    body: () => ({ to: "acknowledged" }),
    expected: ADMIN_ONLY(200),
  },
  { name: "moderation queue", method: "GET", path: () => "/api/admin/flags", expected: ADMIN_ONLY(200) },
  {
    name: "make an API key",
    method: "POST",
    path: () => "/api/admin/api-keys",
    body: (m) => ({ name: `app ${m.n}` }),
    expected: ADMIN_ONLY(201),
  },
  { name: "department: who am I", method: "GET", path: () => "/api/department/me", expected: DEPT_READ },
  {
    name: "department: list work orders",
    method: "GET",
    path: () => "/api/department/work-orders",
    expected: DEPT_READ,
  },
  {
    name: "department: read a work order",
    method: "GET",
    make: "workOrder",
    path: (m) => `/api/department/work-orders/${m.wo}`,
    expected: OWN_READ,
  },
  {
    name: "department: move a work order",
    method: "POST",
    make: "workOrder",
    path: (m) => `/api/department/work-orders/${m.wo}/transitions`,
    body: () => ({ to: "acknowledged" }),
    expected: OWN_WRITE,
  },
  {
    name: "department: add an internal note",
    method: "POST",
    make: "workOrder",
    path: (m) => `/api/department/work-orders/${m.wo}/notes`,
    body: () => ({ note: "Crew booked for Thursday" }),
    expected: { ...OWN_WRITE, adminToken: 201, admin: 201, deptToken: 201, deptA: 201 },
  },
  {
    name: "desk: file a call",
    method: "POST",
    path: () => "/api/desk/reports",
    body: (m) => ({
      service: "pothole",
      ...north(CHANGSHA, 40 * m.n),
      description: "A caller says the road has a hole",
      caller: { name: "Caller", phone: `+86 139 0000 ${String(m.n).padStart(4, "0")}` },
    }),
    expected: DESK(201),
  },
  {
    name: "desk: a caller's reports",
    method: "GET",
    path: () => "/api/desk/callers/reports?phone=%2B8613900000001",
    expected: DESK(200),
  },
  { name: "who am I (any staff)", method: "GET", path: () => "/api/auth/me", expected: ANY_STAFF },
];

describe("access matrix: every role and machine token on every staff endpoint", () => {
  let t: TestApp;
  const tokens: Partial<Record<Caller, string>> = { adminToken: ADMIN_TOKEN };
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
    tokens.deptToken = await departmentToken(t, "roads_a");
    tokens.admin = (await makeStaff(t, "admin")).token;
    tokens.deptA = (await makeStaff(t, "department", { department: "roads_a" })).token;
    tokens.deptB = (await makeStaff(t, "department", { department: "roads_b" })).token;
    tokens.callTaker = (await makeStaff(t, "call_taker")).token;
    tokens.viewer = (await makeStaff(t, "viewer")).token;
  });

  async function make(what: Endpoint["make"]): Promise<Made> {
    const m: Made = { n: ++n };
    if (what === "workOrder") m.wo = (await workOrderAt(t, east(CHANGSHA, 60 * m.n))).id;
    if (what === "staff") {
      const res = await t.app.request("/api/admin/staff", {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${ADMIN_TOKEN}` },
        body: JSON.stringify({ email: `made-${m.n}@city.example`, name: "Made", role: "viewer" }),
      });
      m.staffId = ((await res.json()) as { staff: { id: string } }).staff.id;
    }
    return m;
  }

  for (const e of ENDPOINTS) {
    it(`${e.method} ${e.name}`, async () => {
      for (const caller of CALLERS) {
        const m = await make(e.make);
        const token = tokens[caller];
        const body = e.body?.(m);
        const res = await t.app.request(e.path(m), {
          method: e.method,
          headers: {
            ...fromResident(`caller-${caller}`),
            ...(body === undefined ? {} : { "content-type": "application/json" }),
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        expect(res.status, `${caller} ${e.method} ${e.path(m)}: ${await res.clone().text()}`).toBe(
          e.expected[caller],
        );
        if (res.status >= 400)
          expect(((await res.json()) as { error: { code: string } }).error.code).toBeTruthy();
      }
    });
  }

  it("every guarded route the API document lists refuses the roles it does not name", async () => {
    const doc = (await (await t.app.request("/openapi.json")).json()) as {
      paths: Record<string, Record<string, { "x-civicloop-access"?: string }>>;
    };
    /**
     * Who the guards let through, per access mark; everyone else with a good token gets 403.
     * (Viewers pass the department API's guard; its moves refuse them, as the matrix above shows.)
     */
    const LETS: Record<string, Caller[]> = {
      admin: ["adminToken", "admin"],
      desk: ["adminToken", "admin", "callTaker"],
      department: ["adminToken", "admin", "deptToken", "deptA", "deptB", "viewer"],
      staff: CALLERS.filter((c) => c !== "anonymous"),
    };
    let checked = 0;
    for (const [path, item] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(item)) {
        const lets = LETS[op["x-civicloop-access"] ?? ""];
        if (!lets) continue;
        for (const caller of CALLERS.filter((c) => !lets.includes(c))) {
          const token = tokens[caller];
          const res = await t.app.request(path.replace(/\{[^}]+\}/g, "x0"), {
            method: method.toUpperCase(),
            headers: {
              ...fromResident(`doc-${caller}`),
              "content-type": "application/json",
              ...(token ? { authorization: `Bearer ${token}` } : {}),
            },
            ...(method === "get" || method === "delete" ? {} : { body: "{}" }),
          });
          expect(res.status, `${caller} ${method} ${path}`).toBe(caller === "anonymous" ? 401 : 403);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it("POST sign-out: any staff session ends; anonymous is 401", async () => {
    const signOut = (token?: string) =>
      t.app.request("/api/auth/sign-out", {
        method: "POST",
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
    expect((await signOut()).status).toBe(401);
    for (const role of ["admin", "department", "call_taker", "viewer"] as const) {
      const s = await makeStaff(t, role, role === "department" ? { department: "roads_a" } : {});
      const again = await signInAs(t, s.email, STAFF_PASSWORD);
      expect((await signOut(s.token)).status, role).toBe(200);
      const me = (token: string) =>
        t.app.request("/api/auth/me", { headers: { authorization: `Bearer ${token}` } });
      expect((await me(s.token)).status, role).toBe(401);
      // Only that session ended.
      expect((await me(again.body.token)).status, role).toBe(200);
    }
    // A machine token is no session: sign-out says so rather than "signed out", and it still works.
    for (const token of [ADMIN_TOKEN, tokens.deptToken as string]) {
      const res = await signOut(token);
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: "not_a_session", field: "Authorization" } });
      const me = await t.app.request("/api/auth/me", { headers: { authorization: `Bearer ${token}` } });
      expect(me.status).toBe(200);
    }
  });
});
