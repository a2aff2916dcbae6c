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
