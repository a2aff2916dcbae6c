import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { compareUrgency, deadlineFlag, nextDeadline } from "../src/domain/deadlines";
import { checkDeadlines, holdDeadlineChecks, releaseDeadlineChecks } from "../src/store/overdue";
import { makeClock, makeTestApp, type TestApp } from "./support/app";
import { CHANGSHA, east, makeDepartment, makeService, squareAround } from "./support/fixtures";
import { asToken, departmentToken, move, workOrderAt } from "./support/work-orders";

const HOUR = 3_600_000;
const T0 = Date.parse("2026-03-01T08:00:00Z");

describe("deadline flags (pure)", () => {
  const wo = {
    status: "dispatched" as const,
    ackDueAt: T0 + 24 * HOUR,
    resolveDueAt: T0 + 168 * HOUR,
    deadlinesFrom: T0,
  };

  it("turns yellow at exactly 75% of the time to the next deadline and red just after it", () => {
    expect(deadlineFlag(wo, T0)).toBe("none");
    expect(deadlineFlag(wo, T0 + 18 * HOUR - 1)).toBe("none");
    expect(deadlineFlag(wo, T0 + 18 * HOUR)).toBe("yellow");
    expect(deadlineFlag(wo, T0 + 24 * HOUR)).toBe("yellow");
    expect(deadlineFlag(wo, T0 + 24 * HOUR + 1)).toBe("red");
  });

  it("measures from the resolve deadline once acknowledged, and flags nothing done or unassigned", () => {
    const acked = { ...wo, status: "in_progress" as const };
    expect(nextDeadline(acked)).toEqual({ kind: "resolve", at: T0 + 168 * HOUR, from: T0 });
    expect(deadlineFlag(acked, T0 + 126 * HOUR - 1)).toBe("none");
    expect(deadlineFlag(acked, T0 + 126 * HOUR)).toBe("yellow");
    expect(deadlineFlag(acked, T0 + 168 * HOUR + 1)).toBe("red");
    for (const status of ["resolved", "closed", "duplicate", "unrouted", "rejected"] as const) {
      expect(deadlineFlag({ ...wo, status }, T0 + 1000 * HOUR)).toBe("none");
      expect(nextDeadline({ ...wo, status })).toBeNull();
    }
  });

  it("sorts red, then yellow, then the nearest deadline, then none", () => {
    const items = [
      { flag: "none" as const, deadlineAt: null },
      { flag: "none" as const, deadlineAt: 5 },
      { flag: "yellow" as const, deadlineAt: 9 },
      { flag: "red" as const, deadlineAt: 1 },
      { flag: "none" as const, deadlineAt: 3 },
    ];
    expect([...items].sort(compareUrgency)).toEqual([items[3], items[2], items[4], items[1], items[0]]);
  });
});

describe("deadline flags through the API, with an injected clock", () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await makeTestApp({ clock: makeClock(T0) });
    await makeService(t, { code: "pothole", threshold: 3, ackHours: 24, resolveHours: 168 });
    await makeDepartment(t, { code: "roads", services: ["pothole"], area: squareAround(CHANGSHA, 20_000) });
    token = await departmentToken(t, "roads");
  });

  const publicFlag = async (clusterId: string) => {
    const res = await t.app.request(`/api/clusters/${clusterId}`);
    // biome-ignore lint/suspicious/noExplicitAny: inspected field by field
    return ((await res.json()) as any).cluster.workOrder;
  };

  it("shows the flag and next deadline on the public page and in the department list, and turns red once", async () => {
    t.clock.set(T0);
    const wo = await workOrderAt(t, CHANGSHA);
    expect(await publicFlag(wo.clusterId)).toMatchObject({
      flag: "none",
      nextDeadline: { kind: "acknowledge", at: new Date(T0 + 24 * HOUR).toISOString() },
    });
    t.clock.set(T0 + 18 * HOUR);
    expect((await publicFlag(wo.clusterId)).flag).toBe("yellow");
    t.clock.set(T0 + 24 * HOUR + 1);
    expect((await publicFlag(wo.clusterId)).flag).toBe("red");

    const list = await t.app.request("/api/department/work-orders?overdue=true", asToken(token));
    const body = (await list.json()) as { workOrders: { id: string; flag: string }[] };
    expect(body.workOrders.map((w) => [w.id, w.flag])).toEqual([[wo.id, "red"]]);
    // And `overdue=false` keeps it out (it had been read as no filter).
    const notLate = await t.app.request("/api/department/work-orders?overdue=false", asToken(token));
    const others = (await notLate.json()) as { workOrders: { id: string; flag: string }[] };
    expect(others.workOrders.map((w) => w.id)).not.toContain(wo.id);
    expect(others.workOrders.every((w) => w.flag !== "red")).toBe(true);

    // Turning red is an event, written once however often the check runs, and queued for the department.
    expect(await checkDeadlines(t.db, t.clock())).toBe(1);
    expect(await checkDeadlines(t.db, t.clock() + 1000)).toBe(0);
    const [missed] = await t.db.all<{ n: number; queued: number }>(sql`SELECT count(*) AS n,
      (SELECT count(*) FROM outbox o JOIN events e ON e.id = o.event_id WHERE e.type = 'deadline_missed') AS queued
      FROM events WHERE type = 'deadline_missed' AND work_order_id = ${wo.id}`);
    expect(missed).toEqual({ n: 1, queued: 1 });
    const timeline = (await (await t.app.request(`/api/clusters/${wo.clusterId}`)).json()) as {
      cluster: { timeline: { type: string; department: string; note: string }[] };
    };
    expect(timeline.cluster.timeline.at(-1)).toMatchObject({
      type: "deadline_missed",
      department: "roads",
      note: "acknowledge deadline missed",
    });

    // Acknowledged late: the flag now follows the resolve deadline, which can turn red again later.
    expect((await move(t, token, wo.id, { to: "acknowledged" })).body.workOrder.flag).toBe("none");
    t.clock.set(T0 + 168 * HOUR + 1);
    expect(await checkDeadlines(t.db, t.clock())).toBe(1);
    expect(await checkDeadlines(t.db, t.clock())).toBe(0);
  });

  it("sorts the department's list by urgency", async () => {
    t.clock.set(T0 + 1000 * HOUR);
    const late = await workOrderAt(t, east(CHANGSHA, 500)); // created first: oldest
    t.clock.advance(10 * HOUR);
    const soon = await workOrderAt(t, east(CHANGSHA, 1000));
    t.clock.advance(10 * HOUR);
    const fresh = await workOrderAt(t, east(CHANGSHA, 1500));
    t.clock.advance(5 * HOUR); // late: 25h (red); soon: 15h of 24 (none, 62%); fresh: 5h (none)
    await move(t, token, soon.id, {}); // invalid body: changes nothing
    const res = await t.app.request("/api/department/work-orders?status=dispatched", asToken(token));
    const { workOrders } = (await res.json()) as { workOrders: { id: string; flag: string }[] };
    expect(workOrders.map((w) => [w.id, w.flag])).toEqual([
      [late.id, "red"],
      [soon.id, "none"],
      [fresh.id, "none"],
    ]);
    t.clock.advance(3 * HOUR); // soon: 18h of 24: yellow
    const again = await t.app.request("/api/department/work-orders?status=dispatched", asToken(token));
    const second = (await again.json()) as { workOrders: { id: string; flag: string }[] };
    expect(second.workOrders.map((w) => w.flag)).toEqual(["red", "yellow", "none"]);
  });
});

describe("deadline checks held by replays (npm run sample)", () => {
  it("stays held while any of two overlapping replays holds the checks", async () => {
    const t = await makeTestApp({ clock: makeClock(T0) });
    await makeService(t, { code: "pothole", threshold: 3, ackHours: 24, resolveHours: 168 });
    await makeDepartment(t, { code: "roads", services: ["pothole"], area: squareAround(CHANGSHA, 20_000) });
    const wo = await workOrderAt(t, CHANGSHA);
    t.clock.set(T0 + 25 * HOUR);
    const first = await holdDeadlineChecks(t.db, t.clock() + HOUR);
    const second = await holdDeadlineChecks(t.db, t.clock() + HOUR);
    expect(await checkDeadlines(t.db, t.clock())).toBe(0);
    // The first replay ends: the second still replays the past, so nothing is flagged at today's date.
    await releaseDeadlineChecks(t.db, first);
    expect(await checkDeadlines(t.db, t.clock())).toBe(0);
    await releaseDeadlineChecks(t.db, second);
    expect(await checkDeadlines(t.db, t.clock())).toBe(1);
    const [missed] = await t.db.all<{ n: number }>(
      sql`SELECT count(*) AS n FROM events WHERE type = 'deadline_missed' AND work_order_id = ${wo.id}`,
    );
    expect(missed?.n).toBe(1);
  });
});

describe("a backlog of passed deadlines", () => {
  it("flags every one up to the round's limit, in batches the server answers between, each once", async () => {
    const t = await makeTestApp({ clock: makeClock(T0) });
    await makeService(t, { code: "pothole", threshold: 1, ackHours: 24, resolveHours: 168 });
    await makeDepartment(t, { code: "roads", services: ["pothole"], area: squareAround(CHANGSHA, 20_000) });
    // 130 work orders (a server back from a stop), written directly: the intake is not what is measured.
    await t.db.run(sql`WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 130)
      INSERT INTO clusters (id, service_code, lat, lon, state, report_count, reporter_count, first_report_at,
        last_report_at, created_at, updated_at)
      SELECT 'c' || i, 'pothole', ${CHANGSHA.lat} + i * 0.001, ${CHANGSHA.lon}, 'dispatched', 1, 1, ${T0}, ${T0}, ${T0}, ${T0} FROM k`);
    await t.db.run(sql`INSERT INTO work_orders (id, cluster_id, service_code, department_code, status, ack_due_at,
        resolve_due_at, deadlines_from, created_at, updated_at)
      SELECT 'w' || id, id, 'pothole', 'roads', 'dispatched', ${T0 + 24 * HOUR}, ${T0 + 168 * HOUR}, ${T0}, ${T0}, ${T0}
      FROM clusters`);
    t.clock.set(T0 + 25 * HOUR);
    expect(await checkDeadlines(t.db, t.clock(), 120)).toBe(120);
    expect(await checkDeadlines(t.db, t.clock(), 120)).toBe(10);
    expect(await checkDeadlines(t.db, t.clock(), 120)).toBe(0);
    const [missed] = await t.db.all<{ n: number; orders: number; queued: number }>(
      sql`SELECT count(*) AS n, count(DISTINCT work_order_id) AS orders,
        (SELECT count(*) FROM outbox o JOIN events e ON e.id = o.event_id WHERE e.type = 'deadline_missed') AS queued
      FROM events WHERE type = 'deadline_missed'`,
    );
    expect(missed).toEqual({ n: 130, orders: 130, queued: 130 });
  });
});
