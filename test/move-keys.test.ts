/**
 * A department's move sent with an `Idempotency-Key`: its retry (the answer lost on a weak
 * connection, a second tap, both at once) is answered with the work order and moves nothing
 * again; the same key with another move is refused, and another caller's key is their own.
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { MOVE_KEY_DAYS, moveKeyOf } from "../src/store/move-keys";
import { moveWorkOrderOnce } from "../src/store/transitions";
import { makeClock, makeTestApp, type TestApp, type TestClock } from "./support/app";
import { CHANGSHA, east, makeDepartment, makeService, squareAround } from "./support/fixtures";
import { interleaved } from "./support/interleave";
import { makeStaff, type SignedInStaff } from "./support/staff";
import { departmentToken, move, workOrderAt } from "./support/work-orders";

const DAY = 86_400_000;

describe("a move with an Idempotency-Key", () => {
  let t: TestApp;
  let clock: TestClock;
  let roads: string;
  let clerk: SignedInStaff;
  let n = 0;
  const spot = () => east(CHANGSHA, 90 * ++n);
  /** The work order's moves on its public timeline, as `to`. */
  const moves = async (clusterId: string) => {
    const res = await t.app.request(`/api/clusters/${clusterId}`);
    const { cluster } = (await res.json()) as { cluster: { timeline: { type: string; to: string }[] } };
    return cluster.timeline.filter((e) => e.type === "status_changed").map((e) => e.to);
  };
  const audited = async (workOrderId: string) =>
    (
      await t.db.all(sql`SELECT id FROM staff_actions WHERE subject_type = 'work_order'
        AND subject_id = ${workOrderId} AND event_id IS NOT NULL`)
    ).length;

  beforeAll(async () => {
    clock = makeClock();
    t = await makeTestApp({ clock });
    await makeService(t, { code: "pothole", threshold: 3 });
    await makeDepartment(t, { code: "roads", services: ["pothole"], area: squareAround(CHANGSHA, 50_000) });
    await makeDepartment(t, { code: "parks", services: ["pothole"], area: squareAround(CHANGSHA, 60_000) });
    roads = await departmentToken(t, "roads");
    clerk = await makeStaff(t, "department", { department: "roads", name: "Sun Scheduler" });
  });

  /** A work order at a new spot, acknowledged by roads. */
  const acknowledged = async () => {
    const wo = await workOrderAt(t, spot());
    expect((await move(t, roads, wo.id, { to: "acknowledged" })).status).toBe(200);
    return wo;
  };

  it("is made once when retried after its answer was lost, and the retry answers with the work order", async () => {
    const wo = await acknowledged();
    const booked = { to: "scheduled", scheduledFor: "2026-03-04T01:00:00Z", note: "Crew booked" };
    const first = await move(t, roads, wo.id, booked, "book-1");
    const retry = await move(t, roads, wo.id, booked, "book-1");
    expect([first.status, retry.status]).toEqual([200, 200]);
    expect(retry.body.workOrder).toEqual(first.body.workOrder);
    // Without its key, scheduling again is a second move (allowed: a new date), as before.
    expect(await moves(wo.clusterId)).toEqual(["acknowledged", "scheduled"]);
    expect(await audited(wo.id)).toBe(2);
  });

  it("is made once when tapped twice at once, where without a key the second is refused", async () => {
    const wo = await acknowledged();
    const resolve = { to: "resolved", note: "Patched" };
    const both = await Promise.all([1, 2].map(() => move(t, roads, wo.id, resolve, "fix-1")));
    expect(both.map((r) => r.status)).toEqual([200, 200]);
    expect(both.map((r) => r.body.workOrder.status)).toEqual(["resolved", "resolved"]);
    expect(await moves(wo.clusterId)).toEqual(["acknowledged", "resolved"]);

    const other = await acknowledged();
    const unkeyed = await Promise.all([1, 2].map(() => move(t, roads, other.id, resolve)));
    expect(unkeyed.map((r) => r.status).sort()).toEqual([200, 409]);
  });

  it("refuses the same key with another move, moving nothing, and names the header", async () => {
    const wo = await workOrderAt(t, spot());
    expect((await move(t, roads, wo.id, { to: "acknowledged" }, "ack-1")).status).toBe(200);
    for (const [id, body] of [
      [wo.id, { to: "scheduled", scheduledFor: "2026-03-05T01:00:00Z" }],
      [wo.id, { to: "acknowledged", note: "other words" }],
      [(await workOrderAt(t, spot())).id, { to: "acknowledged" }],
    ] as const) {
      const reused = await move(t, roads, id, body, "ack-1");
      expect(reused.status).toBe(422);
      expect(reused.body.error).toMatchObject({ code: "idempotency_key_reused", field: "Idempotency-Key" });
    }
    expect(await moves(wo.clusterId)).toEqual(["acknowledged"]);
    const long = await move(
      t,
      roads,
      wo.id,
      { to: "scheduled", scheduledFor: "2026-03-05T01:00:00Z" },
      "k".repeat(256),
    );
    expect(long.status).toBe(400);
    expect(long.body.error.field).toBe("Idempotency-Key");
  });

  it("is the caller's own: a colleague's same key and move is their move", async () => {
    const wo = await acknowledged();
    const booked = { to: "scheduled", scheduledFor: "2026-03-06T01:00:00Z" };
    expect((await move(t, roads, wo.id, booked, "same-key")).status).toBe(200);
    expect((await move(t, clerk.token, wo.id, booked, "same-key")).status).toBe(200);
    expect(await moves(wo.clusterId)).toEqual(["acknowledged", "scheduled", "scheduled"]);
  });

  it("answers a retried rejection the city sent on at once with the work order, not a 404", async () => {
    const wo = await workOrderAt(t, spot());
    const reject = { to: "rejected", reason: "Not our road" };
    const first = await move(t, roads, wo.id, reject, "reject-1");
    expect(first.status).toBe(200);
    expect(first.body.workOrder.department).toBe("parks");
    const retry = await move(t, roads, wo.id, reject, "reject-1");
    expect(retry.status).toBe(200);
    expect(retry.body.workOrder).toEqual(first.body.workOrder);
    expect(await moves(wo.clusterId)).toEqual(["rejected"]);
    // Without the key, the retry no longer finds a work order of this department's.
    expect((await move(t, roads, wo.id, reject)).status).toBe(404);
  });

  it("is each token's own: two integrations of one department with one key make their own moves", async () => {
    const other = await departmentToken(t, "roads");
    const [a, b] = [await workOrderAt(t, spot()), await workOrderAt(t, spot())];
    expect((await move(t, roads, a.id, { to: "acknowledged" }, "sync-1")).status).toBe(200);
    const second = await move(t, other, b.id, { to: "acknowledged" }, "sync-1");
    expect(second.status).toBe(200);
    expect(second.body.workOrder.status).toBe("acknowledged");
  });

  it("is made once when its first try lands between the retry's look-up and its checks", async () => {
    const wo = await acknowledged();
    const resolve = { to: "resolved", note: "Patched" };
    const moveKey = await moveKeyOf("roads", { via: "department_token", id: `Bearer ${roads}` }, "fix-race", {
      workOrderId: wo.id,
      body: resolve,
    });
    // The first send commits right after the second has looked its key up and found none.
    const first = interleaved(t.db, "all", () => move(t, roads, wo.id, resolve, "fix-race"));
    await moveWorkOrderOnce(first, {
      workOrderId: wo.id,
      to: "resolved",
      note: "Patched",
      actor: "department",
      department: "roads",
      moveKey,
      now: clock(),
    });
    expect(await moves(wo.clusterId)).toEqual(["acknowledged", "resolved"]);
  });

  it(`keeps a key ${MOVE_KEY_DAYS} days, then it is free for another move, and swept`, async () => {
    const keys = async () => (await t.db.all(sql`SELECT key FROM work_order_move_keys`)).length;
    expect(await keys()).toBeGreaterThan(1);
    clock.advance((MOVE_KEY_DAYS + 1) * DAY);
    // "ack-1" acknowledged another work order over a week ago: now it names this move.
    const wo = await workOrderAt(t, spot());
    const reused = await move(t, roads, wo.id, { to: "acknowledged", note: "A week later" }, "ack-1");
    expect(reused.status).toBe(200);
    expect(reused.body.workOrder.status).toBe("acknowledged");
    expect(await keys()).toBe(1);
  });
});
