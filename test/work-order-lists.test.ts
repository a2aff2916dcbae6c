/**
 * The staff lists of work orders choose in SQL which rows they hold: a department's list is the
 * most urgent (as `compareUrgency` orders them) however long its backlog, and the admin's the
 * oldest, so that a list cut at its bound never drops an overdue work order for a random one.
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { compareUrgency } from "../src/domain/deadlines";
import { WORK_ORDER_GROUPS } from "../src/domain/states";
import { listDepartmentWorkOrders, listWorkOrders, type WorkOrderView } from "../src/store/work-orders";
import type { TestApp } from "./support/app";
import { sampleCity } from "./support/sample-city";
import { asToken, departmentToken } from "./support/work-orders";

const ALL = 1_000_000;

describe("work order lists at their bound", () => {
  let t: TestApp;
  let department: string;
  beforeAll(async () => {
    t = await sampleCity(2500);
    const [busiest] = await t.db.all<{ code: string }>(
      sql`SELECT department_code AS code FROM work_orders GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
    );
    department = busiest?.code ?? "";
  });

  const urgency = (w: WorkOrderView) => ({
    flag: w.flag,
    deadlineAt: w.nextDeadline ? Date.parse(w.nextDeadline.at) : null,
  });
  const byUrgency = (a: WorkOrderView, b: WorkOrderView) =>
    compareUrgency(urgency(a), urgency(b)) || a.createdAt.localeCompare(b.createdAt);

  it("holds a department's most urgent work orders, most urgent first", async () => {
    const now = t.clock();
    const every = await listDepartmentWorkOrders(t.db, { department }, now, ALL);
    const flags = new Set(every.map((w) => w.flag));
    expect(flags.has("red") && flags.has("none"), [...flags].join()).toBe(true);
    expect(every.map((w) => w.id)).toEqual([...every].sort(byUrgency).map((w) => w.id));
    for (const w of every) expect([...WORK_ORDER_GROUPS.open, ...WORK_ORDER_GROUPS.done]).toContain(w.status);
    const cut = await listDepartmentWorkOrders(t.db, { department }, now, 12);
    expect(cut.map((w) => w.id)).toEqual(every.slice(0, 12).map((w) => w.id));
    const red = every.filter((w) => w.flag === "red");
    expect(red.length).toBeGreaterThan(5);
    const overdue = await listDepartmentWorkOrders(t.db, { department, overdue: true }, now, ALL);
    expect(overdue.map((w) => w.id)).toEqual(red.map((w) => w.id));
    const someOverdue = await listDepartmentWorkOrders(t.db, { department, overdue: true }, now, 5);
    expect(someOverdue.map((w) => w.id)).toEqual(red.slice(0, 5).map((w) => w.id));
  });

  it("answers a department how many match, and lets it choose the status and the flag", async () => {
    const token = await departmentToken(t, department);
    const list = async (query: string) =>
      (await (await t.app.request(`/api/department/work-orders?${query}`, asToken(token))).json()) as {
        total: number;
        truncated: boolean;
        workOrders: WorkOrderView[];
      };
    const now = t.clock();
    const every = await listDepartmentWorkOrders(t.db, { department }, now, ALL);
    // Cut at its bound: the most urgent, and how many there are.
    const cut = await list("limit=7");
    expect(cut).toMatchObject({ total: every.length, truncated: true });
    expect(cut.workOrders.map((w) => w.id)).toEqual(every.slice(0, 7).map((w) => w.id));
    expect(await list("")).toMatchObject({ total: every.length, truncated: false });
    // Chosen by the server, not among the listed: closed work is not in the default list at all.
    const [closed] = await t.db.all<{ n: number }>(
      sql`SELECT count(*) AS n FROM work_orders WHERE department_code = ${department} AND status IN ('closed', 'duplicate')`,
    );
    expect(closed?.n).toBeGreaterThan(0);
    const closedList = await list("status=closed,duplicate&limit=1");
    expect(closedList).toMatchObject({ total: closed?.n, truncated: (closed?.n ?? 0) > 1 });
    expect(["closed", "duplicate"]).toContain(closedList.workOrders[0]?.status);
    for (const flag of ["red", "yellow"] as const) {
      const flagged = await list(`flag=${flag}`);
      const expected = every.filter((w) => w.flag === flag);
      expect(expected.length, flag).toBeGreaterThan(0);
      expect(flagged.workOrders.map((w) => w.id)).toEqual(expected.map((w) => w.id));
      expect(flagged.total).toBe(expected.length);
    }
    const refused = await t.app.request("/api/department/work-orders?limit=5001", asToken(token));
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { field: string } }).error.field).toBe("limit");
  });

  it("holds the admin's oldest work orders, oldest first", async () => {
    const list = await listWorkOrders(t.db, {}, t.clock());
    const [n] = await t.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM work_orders`);
    expect(list).toHaveLength(Math.min(1000, n?.n ?? 0));
    const times = list.map((w) => w.createdAt);
    expect(times).toEqual([...times].sort());
    const [oldest] = await t.db.all<{ id: string }>(
      sql`SELECT id FROM work_orders ORDER BY created_at, id LIMIT 1`,
    );
    expect(list[0]?.id).toBe(oldest?.id);
    expect(list[0]?.said).not.toBe("");
  });
});
