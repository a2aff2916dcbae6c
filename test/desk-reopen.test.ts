/**
 * A caller who phones to say a problem marked fixed is still there: the desk reopens it for them
 * by their phone number, under the same rules as a resident's receipt (their own problem, within
 * 30 days, once each time it is resolved), and the call-taker is kept in the audit trail.
 */
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { makeTestApp, type TestApp } from "./support/app";
import { asAdmin, CHANGSHA, east, makeDepartment, makeService, squareAround } from "./support/fixtures";
import { makeStaff } from "./support/staff";
import { asToken, departmentToken, move } from "./support/work-orders";

// biome-ignore lint/suspicious/noExplicitAny: test bodies are inspected field by field
const body = async (res: Response | Promise<Response>) => (await (await res).json()) as any;
const DAY = 86_400_000;

describe("desk: a caller says a fixed problem is still there", () => {
  let t: TestApp;
  let desk: string;
  let dept: string;
  const call = (metres: number, phone: string) =>
    body(
      t.app.request("/api/desk/reports", {
        method: "POST",
        ...asToken(desk, {
          service: "pothole",
          ...east(CHANGSHA, metres),
          description: "The caller says a wheel went into a hole",
          caller: { name: "Old Wang", phone },
        }),
      }),
    );
  const reopen = (clusterId: string, payload: Record<string, unknown>) =>
    t.app.request(`/api/desk/clusters/${clusterId}/reopen`, { method: "POST", ...asToken(desk, payload) });
  const lookup = async (phone: string) =>
    (await body(t.app.request(`/api/desk/callers/reports?phone=${encodeURIComponent(phone)}`, asToken(desk))))
      .reports;
  /** A problem three callers reported, resolved by its department; its cluster and work order. */
  const resolvedProblem = async (metres: number, phones: string[]) => {
    let last: Awaited<ReturnType<typeof call>> | undefined;
    for (const phone of phones) last = await call(metres, phone);
    const wo = last.cluster.workOrder;
    expect((await move(t, dept, wo.id, { to: "acknowledged" })).status).toBe(200);
    expect((await move(t, dept, wo.id, { to: "resolved", note: "Filled" })).status).toBe(200);
    return { clusterId: last.cluster.id as string, workOrderId: wo.id as string };
  };

  beforeAll(async () => {
    t = await makeTestApp();
    await makeService(t, { code: "pothole", threshold: 3 });
    await makeDepartment(t, { code: "kaifu", services: ["pothole"], area: squareAround(CHANGSHA, 20_000) });
    dept = await departmentToken(t, "kaifu");
  });
  // A staff session lapses when the clock jumps days ahead: each test signs a call-taker in.
  const signIn = async () => {
    desk = (await makeStaff(t, "call_taker", { name: "Desk Li" })).token;
  };
  beforeEach(signIn);

  it("reopens it for a caller who reported it, says until when, and keeps the call-taker in the trail", async () => {
    const p = await resolvedProblem(0, ["+86 139 1000 0001", "+86 139 1000 0002", "+86 139 1000 0003"]);
    const resolvedAt = t.clock();
    const [mine] = await lookup("139 1000 0001");
    expect(mine).toMatchObject({ clusterState: "resolved", workOrder: { status: "resolved" } });
    expect(Date.parse(mine.reopenableUntil)).toBe(resolvedAt + 30 * DAY);

    t.clock.advance(2 * DAY);
    await signIn();
    const res = await reopen(p.clusterId, {
      phone: "0086 139-1000-0001",
      note: "Still a hole, says the caller",
    });
    expect(res.status).toBe(200);
    const { cluster } = await body(res);
    expect(cluster.workOrder.status).toBe("reopened");
    expect(cluster.timeline.at(-1)).toMatchObject({
      to: "reopened",
      actor: "resident",
      note: "Still a hole, says the caller",
    });
    // The caller's number never shows on the problem's public page.
    expect(JSON.stringify(cluster)).not.toMatch(/139\D?1000\D?0001|8613910000001/);
    expect((await lookup("+86 139 1000 0001"))[0].reopenableUntil).toBeNull();
    // Fixed again, it may be said again: once each time it is fixed.
    expect((await move(t, dept, p.workOrderId, { to: "resolved", note: "Filled again" })).status).toBe(200);
    expect((await lookup("+86 139 1000 0001"))[0].reopenableUntil).not.toBeNull();
    expect((await reopen(p.clusterId, { phone: "+86 139 1000 0001" })).status).toBe(200);

    const trail = await body(
      t.app.request(`/api/admin/audit?subjectType=work_order&subjectId=${p.workOrderId}`, asAdmin()),
    );
    expect(trail.actions[0]).toMatchObject({ action: "reopened", by: { name: "Desk Li" } });
  });

  it("refuses a caller who did not report it, naming the phone, and changes nothing", async () => {
    const p = await resolvedProblem(3000, ["+86 139 2000 0001", "+86 139 2000 0002", "+86 139 2000 0003"]);
    const res = await reopen(p.clusterId, { phone: "+86 139 2000 0009" });
    expect(res.status).toBe(403);
    expect((await body(res)).error).toMatchObject({ code: "forbidden", field: "phone" });
    const missing = await reopen(p.clusterId, {});
    expect(missing.status).toBe(400);
    expect((await body(missing)).error.field).toBe("phone");
    const unknown = await reopen("nosuchcluster", { phone: "+86 139 2000 0001" });
    expect(unknown.status).toBe(404);
    const page = await body(t.app.request(`/api/clusters/${p.clusterId}`));
    expect(page.cluster.workOrder.status).toBe("resolved");
  });

  it("says no once the 30 days since the fix are over, and lists it as no longer reopenable", async () => {
    const p = await resolvedProblem(6000, ["+86 139 3000 0001", "+86 139 3000 0002", "+86 139 3000 0003"]);
    t.clock.advance(31 * DAY);
    await signIn();
    expect((await lookup("+86 139 3000 0001"))[0].reopenableUntil).toBeNull();
    const res = await reopen(p.clusterId, { phone: "+86 139 3000 0001" });
    expect(res.status).toBe(409);
    expect((await body(res)).error.code).toBe("not_reopenable");
  });
});
