/**
 * A deadline missed and then met late, before the deadline check ran (it runs every 2 s on Node,
 * every minute on the Worker's cron, not at all while the server is down): the move itself records
 * the miss, once, as the check would have, whichever of the two writes lands first.
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { checkDeadlines } from "../src/store/overdue";
import { moveWorkOrder } from "../src/store/transitions";
import { makeClock, makeTestApp, type TestApp } from "./support/app";
import { asAdmin, CHANGSHA, east, makeDepartment, makeService, squareAround } from "./support/fixtures";
import { interleaved } from "./support/interleave";
import { departmentToken, move, workOrderAt } from "./support/work-orders";

const HOUR = 3_600_000;
/** The auditor's acknowledgement deadline: its work order was sent a day before. */
const ACK_DUE = Date.parse("2026-12-17T16:38:55.848Z");
const SENT = ACK_DUE - 24 * HOUR;

let t: TestApp;
let roads: string;
let spots = 0;
const spot = () => east(CHANGSHA, 100 * ++spots);

beforeAll(async () => {
  t = await makeTestApp({ clock: makeClock(SENT) });
  await makeService(t, { code: "pothole", threshold: 3, ackHours: 24, resolveHours: 48 });
  await makeDepartment(t, { code: "roads", services: ["pothole"], area: squareAround(CHANGSHA, 20_000) });
  await makeDepartment(t, { code: "parks", services: ["pothole"] });
  roads = await departmentToken(t, "roads");
});

/** A work order sent to roads at `SENT`, its acknowledgement due at `ACK_DUE`. */
async function sentWorkOrder() {
  t.clock.set(SENT);
  return workOrderAt(t, spot());
}

const misses = (workOrderId: string) =>
  t.db.all<{
    note: string;
    department: string;
    queued: number;
  }>(sql`SELECT e.note, e.department_code AS department,
      (SELECT count(*) FROM outbox o WHERE o.event_id = e.id) AS queued
    FROM events e WHERE e.work_order_id = ${workOrderId} AND e.type = 'deadline_missed'`);

async function get(path: string) {
  const res = await t.app.request(path);
  expect(res.status).toBe(200);
  // biome-ignore lint/suspicious/noExplicitAny: answers are inspected field by field
  return (await res.json()) as any;
}

const cardsOf = async (code: string): Promise<number> =>
  (await get("/api/stats/departments")).departments.find((d: { code: string }) => d.code === code).cards;

describe("a deadline missed before a late move, with no deadline check between", () => {
  it("records the missed acknowledgement with the move: timeline, red card, Open311, the department's webhook", async () => {
    const wo = await sentWorkOrder();
    const cardsBefore = await cardsOf("roads");
    t.clock.set(ACK_DUE + HOUR);
    expect((await move(t, roads, wo.id, { to: "acknowledged" })).status).toBe(200);

    expect(await misses(wo.id)).toEqual([
      { note: "acknowledge deadline missed", department: "roads", queued: 1 },
    ]);
    // Missed first, then acknowledged, on the public timeline.
    const { cluster } = await get(`/api/clusters/${wo.clusterId}`);
    const steps = cluster.timeline.map((e: { type: string; to: string | null }) => `${e.type}:${e.to ?? ""}`);
    expect(steps.slice(-2)).toEqual(["deadline_missed:dispatched", "status_changed:acknowledged"]);
    // The league table's red cards count it, and its list names the work order.
    expect(await cardsOf("roads")).toBe(cardsBefore + 1);
    const behind = await get("/api/stats/departments/roads/work-orders?figure=cards");
    expect(behind.workOrders.map((w: { workOrderId: string }) => w.workOrderId)).toContain(wo.id);
    // Open311 clients read it among the request's updates.
    const [report] = await t.db.all<{ id: string }>(
      sql`SELECT id FROM reports WHERE cluster_id = ${wo.clusterId} LIMIT 1`,
    );
    const updates = (await get(
      `/open311/v2/servicerequestupdates.json?service_request_id=${report?.id}&start_date=2026-01-01T00:00:00Z`,
    )) as { description: string; external_status_code: string }[];
    // Missed, then acknowledged: the request's latest update is the acknowledgement.
    expect(updates.slice(-2).map((u) => [u.description, u.external_status_code])).toEqual([
      ["acknowledge deadline missed", "dispatched"],
      ["Status changed: work order acknowledged.", "acknowledged"],
    ]);

    // The check that runs next finds it flagged already.
    await checkDeadlines(t.db, t.clock() + 1000);
    expect(await misses(wo.id)).toHaveLength(1);
  });

  it("records the missed resolution with a resolution made after its deadline", async () => {
    const wo = await sentWorkOrder();
    t.clock.set(SENT + HOUR);
    expect((await move(t, roads, wo.id, { to: "acknowledged" })).status).toBe(200);
    t.clock.set(SENT + 48 * HOUR + HOUR);
    expect((await move(t, roads, wo.id, { to: "resolved" })).status).toBe(200);
    await checkDeadlines(t.db, t.clock() + 1000);
    expect((await misses(wo.id)).map((m) => m.note)).toEqual(["resolve deadline missed"]);
  });

  it("lists each miss before its move in Open311 when two late moves land in one millisecond (a city's system closing a request)", async () => {
    // The second miss is lifted to the first move's instant, where the updates follow the order
    // they were written in (by random ids, one in two came out of order: eight work orders show it).
    const late = SENT + 48 * HOUR + HOUR;
    for (let i = 0; i < 8; i++) {
      const wo = await sentWorkOrder();
      for (const to of ["acknowledged", "resolved"] as const)
        await moveWorkOrder(t.db, {
          workOrderId: wo.id,
          to,
          actor: "department",
          department: "roads",
          now: late,
        });
      const [report] = await t.db.all<{ id: string }>(
        sql`SELECT id FROM reports WHERE cluster_id = ${wo.clusterId} ORDER BY created_at LIMIT 1`,
      );
      const updates = (await get(
        `/open311/v2/servicerequestupdates.json?service_request_id=${report?.id}&start_date=2026-01-01T00:00:00Z&end_date=2027-06-01T00:00:00Z`,
      )) as { description: string; external_status_code: string }[];
      expect(updates.slice(-4).map((u) => u.external_status_code)).toEqual([
        "dispatched",
        "acknowledged",
        "acknowledged",
        "resolved",
      ]);
      expect(updates.slice(-4).map((u) => u.description)).toEqual([
        "acknowledge deadline missed",
        expect.stringMatching(/acknowledged/),
        "resolve deadline missed",
        expect.stringMatching(/resolved/),
      ]);
    }
  });

  it("records nothing for a move made on time, nor twice for a miss the check flagged first", async () => {
    const onTime = await sentWorkOrder();
    t.clock.set(ACK_DUE);
    expect((await move(t, roads, onTime.id, { to: "acknowledged" })).status).toBe(200);
    expect(await misses(onTime.id)).toEqual([]);

    const flagged = await sentWorkOrder();
    t.clock.set(ACK_DUE + HOUR);
    await checkDeadlines(t.db, t.clock());
    expect((await move(t, roads, flagged.id, { to: "acknowledged" })).status).toBe(200);
    expect(await misses(flagged.id)).toHaveLength(1);
  });

  it("records the holder's miss when the admin reroutes the work order after its deadline", async () => {
    const wo = await sentWorkOrder();
    t.clock.set(ACK_DUE + HOUR);
    const res = await t.app.request(`/api/admin/work-orders/${wo.id}/reroute`, {
      method: "POST",
      ...asAdmin({ department: "parks" }),
    });
    expect(res.status).toBe(200);
    expect(await misses(wo.id)).toMatchObject([{ note: "acknowledge deadline missed", department: "roads" }]);
  });
});

describe("the deadline check and a late move racing", () => {
  const lateAck = (workOrderId: string) => ({
    workOrderId,
    to: "acknowledged" as const,
    actor: "department" as const,
    department: "roads",
    now: ACK_DUE + HOUR,
  });

  it("records the miss once when the check lands between the move's read and its write", async () => {
    const wo = await sentWorkOrder();
    t.clock.set(ACK_DUE + HOUR);
    const checkFirst = interleaved(t.db, "batch", () => checkDeadlines(t.db, ACK_DUE + HOUR));
    await moveWorkOrder(checkFirst, lateAck(wo.id));
    expect(await misses(wo.id)).toHaveLength(1);
  });

  it("records the miss once when the move lands between the check's read and its write", async () => {
    const wo = await sentWorkOrder();
    t.clock.set(ACK_DUE + HOUR);
    const moveFirst = interleaved(t.db, "batch", () => moveWorkOrder(t.db, lateAck(wo.id)));
    expect(await checkDeadlines(moveFirst, ACK_DUE + HOUR)).toBe(0);
    expect(await misses(wo.id)).toHaveLength(1);
  });

  it("records each miss once when checks and moves are sent together", async () => {
    const sent = [await sentWorkOrder(), await sentWorkOrder(), await sentWorkOrder()];
    t.clock.set(ACK_DUE + HOUR);
    const results = await Promise.all([
      checkDeadlines(t.db, ACK_DUE + HOUR),
      ...sent.map((wo) => move(t, roads, wo.id, { to: "acknowledged" })),
      checkDeadlines(t.db, ACK_DUE + HOUR),
    ]);
    expect(results.slice(1, -1).map((r) => (r as { status: number }).status)).toEqual([200, 200, 200]);
    for (const wo of sent) expect(await misses(wo.id)).toHaveLength(1);
  });
});
