/**
 * Every staff action records who did it: the work order's internal history names the staff member
 * (or the department for its token), the audit trail holds each admin change, moderation and desk
 * report; the public side names only the department.
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, makeTestApp, type TestApp } from "./support/app";
import {
  asAdmin,
  CHANGSHA,
  east,
  makeDepartment,
  makeService,
  north,
  squareAround,
} from "./support/fixtures";
import { makeStaff, type SignedInStaff } from "./support/staff";
import { asToken, departmentToken, move, workOrderAt } from "./support/work-orders";

const CLERK = "Zhao Clerkname";
const ADMIN = "Qian Adminname";
const CALL_TAKER = "Sun Deskname";

interface Action {
  action: string;
  by: { name: string; via: string; staffId: string | null };
  subject: { type: string | null; id: string | null };
}

describe("audit trail", () => {
  let t: TestApp;
  let clerk: SignedInStaff;
  let admin: SignedInStaff;
  let callTaker: SignedInStaff;
  let deptToken: string;
  let wo: Awaited<ReturnType<typeof workOrderAt>>;

  const audit = async (query = ""): Promise<Action[]> =>
    ((await (await t.app.request(`/api/admin/audit${query}`, asAdmin())).json()) as { actions: Action[] })
      .actions;
  const history = async (id: string, token: string) =>
    (
      (await (await t.app.request(`/api/department/work-orders/${id}`, asToken(token))).json()) as {
        history: { at: string; action: string; by: { name: string } }[];
      }
    ).history;

  beforeAll(async () => {
    t = await makeTestApp();
    await makeService(t, { code: "pothole", threshold: 3 });
    await makeDepartment(t, { code: "kaifu", services: ["pothole"], area: squareAround(CHANGSHA, 20_000) });
    await makeDepartment(t, {
      code: "yuelu",
      services: ["pothole"],
      area: squareAround(north(CHANGSHA, 30_000), 5000),
    });
    clerk = await makeStaff(t, "department", { department: "kaifu", name: CLERK });
    admin = await makeStaff(t, "admin", { name: ADMIN });
    callTaker = await makeStaff(t, "call_taker", { name: CALL_TAKER });
    deptToken = await departmentToken(t, "kaifu");
    wo = await workOrderAt(t, east(CHANGSHA, 100));
  });

  it("names the clerk, the department's token and the admin in the work order's history, in order", async () => {
    expect((await move(t, clerk.token, wo.id, { to: "acknowledged" })).status).toBe(200);
    expect(
      (await move(t, deptToken, wo.id, { to: "scheduled", scheduledFor: "2026-03-05T08:00:00Z" })).status,
    ).toBe(200);
    const byAdmin = await t.app.request(`/api/admin/work-orders/${wo.id}/transitions`, {
      method: "POST",
      ...asToken(admin.token, { to: "in_progress" }),
    });
    expect(byAdmin.status).toBe(200);
    const h = await history(wo.id, clerk.token);
    expect(h.map((e) => [e.action, e.by.name])).toEqual([
      ["work_order_created", "system"],
      ["acknowledged", CLERK],
      ["scheduled", "kaifu"],
      ["in_progress", ADMIN],
    ]);
    const entries = await audit(`?subjectType=work_order&subjectId=${wo.id}`);
    expect(entries.map((a) => [a.action, a.by.name, a.by.via])).toEqual([
      ["in_progress", ADMIN, "staff"],
      ["scheduled", "kaifu", "department_token"],
      ["acknowledged", CLERK, "staff"],
    ]);
    expect(entries[2]?.by.staffId).toBe(clerk.id);
  });

  it("records a refused move nowhere", async () => {
    const before = (await audit()).length;
    expect((await move(t, clerk.token, wo.id, { to: "acknowledged" })).status).toBe(409);
    expect(await audit()).toHaveLength(before);
  });

  it("records a staff change that changes nothing nowhere, and keeps the account as it was", async () => {
    const before = await audit();
    const patch = (body: unknown) =>
      t.app.request(`/api/admin/staff/${callTaker.id}`, { method: "PATCH", ...asToken(admin.token, body) });
    const account = async () =>
      (
        (await (await t.app.request(`/api/admin/staff/${callTaker.id}`, asAdmin())).json()) as {
          staff: { updatedAt: string };
        }
      ).staff;
    const was = await account();
    // An empty body, and what the console's Staff tab sends when saved without a change.
    for (const body of [{}, { role: "call_taker", disabled: false }, { name: CALL_TAKER }]) {
      const res = await patch(body);
      expect(res.status, JSON.stringify(body)).toBe(200);
      expect(await res.json()).toMatchObject({
        staff: { id: callTaker.id, role: "call_taker", name: CALL_TAKER },
      });
    }
    expect(await account()).toEqual(was);
    expect(await audit()).toEqual(before);
    // The session goes on.
    expect((await t.app.request("/api/auth/me", asToken(callTaker.token))).status).toBe(200);
  });

  it("records reroutes, moderation, admin changes, sign-ins and desk reports with who did them", async () => {
    const other = await workOrderAt(t, east(CHANGSHA, 400));
    const as = (body?: unknown) => asToken(admin.token, body);
    const post = (path: string, body?: unknown) => t.app.request(path, { method: "POST", ...as(body ?? {}) });
    expect((await post(`/api/admin/work-orders/${other.id}/reroute`, { department: "yuelu" })).status).toBe(
      200,
    );
    const report = (await (await t.app.request(`/api/clusters/${other.clusterId}`)).json()) as {
      cluster: { id: string };
    };
    expect(report.cluster.id).toBe(other.clusterId);
    const [first] = await t.db.all<{ id: string }>(
      sql`SELECT id FROM reports WHERE cluster_id = ${other.clusterId} LIMIT 1`,
    );
    const reportId = first?.id as string;
    expect((await post(`/api/admin/moderation/reports/${reportId}/hide`)).status).toBe(200);
    expect(
      (
        await post("/api/admin/services", {
          code: "lamp",
          name: { en: "Lamp", zh: "路灯" },
          radiusM: 25,
          windowDays: 30,
          threshold: 1,
          ackHours: 24,
          resolveHours: 72,
        })
      ).status,
    ).toBe(201);
    const patched = await t.app.request(`/api/admin/staff/${clerk.id}`, {
      method: "PATCH",
      ...as({ name: `${CLERK} (Kaifu)` }),
    });
    expect(patched.status).toBe(200);
    const desk = await t.app.request("/api/desk/reports", {
      method: "POST",
      ...asToken(callTaker.token, {
        service: "pothole",
        ...east(CHANGSHA, 900),
        description: "Caller: a hole",
        caller: { name: "Old Wang", phone: "0731 8888 6666" },
      }),
    });
    expect(desk.status).toBe(201);
    const deskReport = ((await desk.json()) as { report: { id: string } }).report.id;
    // The bootstrap token is named as such.
    await t.app.request("/api/admin/staff", {
      method: "POST",
      ...asToken(ADMIN_TOKEN, { email: "boot@city.example", name: "Boot", role: "viewer" }),
    });

    const all = await audit();
    const find = (action: string) => all.find((a) => a.action === action);
    expect(find("rerouted")).toMatchObject({
      by: { name: ADMIN },
      subject: { type: "work_order", id: other.id },
    });
    expect(find("POST /admin/moderation/reports/:id/hide")).toMatchObject({
      by: { name: ADMIN },
      subject: { type: "reports", id: reportId },
    });
    expect(find("POST /admin/services")).toMatchObject({ by: { name: ADMIN, via: "staff" } });
    expect(find("PATCH /admin/staff/:id")).toMatchObject({
      by: { name: ADMIN },
      subject: { type: "staff", id: clerk.id },
    });
    expect(find("desk_report")).toMatchObject({
      by: { name: CALL_TAKER },
      subject: { type: "report", id: deskReport },
    });
    expect(find("POST /admin/staff")).toMatchObject({
      by: { name: "ADMIN_TOKEN", via: "admin_token", staffId: null },
    });
    expect(all.filter((a) => a.action === "signed_in").map((a) => a.by.name)).toEqual(
      expect.arrayContaining([CLERK, ADMIN, CALL_TAKER]),
    );
    // Reads leave no entry.
    expect(all.some((a) => a.action.startsWith("GET"))).toBe(false);
  });

  it("never names a staff member in public answers, exports or feeds", async () => {
    const paths = [
      `/api/clusters/${wo.clusterId}`,
      "/api/clusters?bbox=112,28,114,29",
      "/api/map?bbox=112,28,114,29&zoom=16",
      "/api/exports/clusters.csv",
      "/api/exports/clusters.geojson",
      "/api/exports/work-orders.csv",
      "/api/exports/work-orders.geojson",
      `/api/feeds/clusters/${wo.clusterId}.atom`,
      "/api/feeds/area.atom?bbox=112,28,114,29",
      "/api/feeds/departments/kaifu.atom",
      "/open311/v2/requests.json?extensions=true",
      "/open311/v2/requests.xml?extensions=true",
      "/api/stats/departments",
      "/api/stats/overdue",
    ];
    for (const path of paths) {
      const res = await t.app.request(path);
      expect(res.status, path).toBe(200);
      const body = await res.text();
      for (const name of [CLERK, ADMIN, CALL_TAKER, "Old Wang", "8888"])
        expect(body, `${path} leaks ${name}`).not.toContain(name);
      expect(body, path).not.toMatch(/city\.example/);
    }
    // The public timeline shows the move, by the department.
    const cluster = (await (await t.app.request(`/api/clusters/${wo.clusterId}`)).json()) as {
      cluster: { timeline: { type: string }[] };
    };
    expect(cluster.cluster.timeline.length).toBeGreaterThan(2);
  });
});

describe("audit trail pages", () => {
  interface Page {
    actions: (Action & { id: string; at: string })[];
    next: string | null;
  }
  const page = async (t: TestApp, query: string) => {
    const res = await t.app.request(`/api/admin/audit${query}`, asAdmin());
    return { status: res.status, body: (await res.json()) as Page & { error?: { field?: string } } };
  };

  it("gives every entry once, newest first, a page at a time, ties at one instant too", async () => {
    const t = await makeTestApp();
    // 205 sign-ins, three at each instant: more than one page of 200.
    for (let i = 0; i < 205; i++)
      await t.db.run(sql`INSERT INTO staff_actions (id, at, by_name, via, action)
        VALUES (${`entry-${String(i).padStart(3, "0")}`}, ${1_780_000_000_000 + Math.floor(i / 3) * 1000}, ${"Clerk"}, ${"staff"}, ${"signed_in"})`);
    const first = await page(t, "");
    expect(first.status).toBe(200);
    expect(first.body.actions).toHaveLength(200);
    expect(first.body.actions[0]?.id).toBe("entry-204");
    expect(first.body.next).toBe(first.body.actions[199]?.id);
    const second = await page(t, `?before=${first.body.next}`);
    expect(second.body.actions.map((a) => a.id)).toEqual([
      "entry-004",
      "entry-003",
      "entry-002",
      "entry-001",
      "entry-000",
    ]);
    expect(second.body.next).toBeNull();
    // Smaller pages walk the same list, none skipped or repeated where an instant is split.
    const seen: string[] = [];
    let before = "";
    for (let n = 0; n < 100; n++) {
      const p = await page(t, `?limit=7${before && `&before=${before}`}`);
      seen.push(...p.body.actions.map((a) => a.id));
      if (!p.body.next) break;
      before = p.body.next;
    }
    expect(seen).toEqual([...first.body.actions, ...second.body.actions].map((a) => a.id));
  });

  it("pages one subject's entries, and refuses a cursor that names no entry", async () => {
    const t = await makeTestApp();
    for (let i = 0; i < 5; i++)
      await t.db.run(sql`INSERT INTO staff_actions (id, at, by_name, via, action, subject_type, subject_id)
        VALUES (${`e${i}`}, ${1_780_000_000_000 + i}, ${"Clerk"}, ${"staff"}, ${"acknowledged"}, ${"work_order"}, ${i % 2 ? "wo-odd" : "wo-even"})`);
    const odd = await page(t, "?subjectType=work_order&subjectId=wo-odd&limit=1");
    expect(odd.body.actions.map((a) => a.id)).toEqual(["e3"]);
    const rest = await page(t, `?subjectType=work_order&subjectId=wo-odd&limit=1&before=${odd.body.next}`);
    expect(rest.body).toMatchObject({ actions: [{ id: "e1" }], next: null });
    const unknown = await page(t, "?before=no-such-entry");
    expect(unknown.status).toBe(400);
    expect(unknown.body.error?.field).toBe("before");
    expect((await page(t, "?limit=0")).status).toBe(400);
  });
});
