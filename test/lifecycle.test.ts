import { beforeAll, describe, expect, it } from "vitest";
import { allowedTransitions, canTransition, TRANSITIONS } from "../src/domain/lifecycle";
import { ACTORS, WORK_ORDER_STATUSES, type WorkOrderStatus } from "../src/domain/states";
import { makeTestApp, type TestApp } from "./support/app";
import { CHANGSHA, east, makeDepartment, makeService, north, squareAround } from "./support/fixtures";
import { ADMIN_TOKEN, departmentToken, move, workOrderAt } from "./support/work-orders";

/** The shortest legal path from `dispatched` (or `unrouted`) to each status, any actor allowed. */
function pathsFrom(start: WorkOrderStatus) {
  const paths = new Map<WorkOrderStatus, WorkOrderStatus[]>([[start, []]]);
  const queue: WorkOrderStatus[] = [start];
  while (queue.length) {
    const from = queue.shift() as WorkOrderStatus;
    for (const to of WORK_ORDER_STATUSES) {
      if (paths.has(to) || !TRANSITIONS[from][to]) continue;
      paths.set(to, [...(paths.get(from) ?? []), to]);
      queue.push(to);
    }
  }
  return paths;
}

/** The body a move to `to` needs. */
const bodyFor = (to: WorkOrderStatus, duplicateOf: string) => ({
  to,
  ...(to === "scheduled" ? { scheduledFor: "2026-03-05T09:00:00+08:00" } : {}),
  ...(to === "rejected" ? { reason: "not a road we maintain" } : {}),
  ...(to === "duplicate" ? { duplicateOf } : {}),
});

describe("the transition table", () => {
  it("lists exactly the moves canTransition allows, for every status and actor", () => {
    for (const from of WORK_ORDER_STATUSES) {
      for (const actor of ACTORS) {
        const allowed = allowedTransitions(from, actor);
        for (const to of WORK_ORDER_STATUSES)
          expect(canTransition(from, to, actor)).toBe(allowed.includes(to));
      }
    }
  });

  it("lets the system move nothing by itself and a resident only reopen", () => {
    for (const from of WORK_ORDER_STATUSES) {
      expect(allowedTransitions(from, "system")).toEqual([]);
      expect(allowedTransitions(from, "resident").every((to) => to === "reopened")).toBe(true);
    }
  });

  it("reaches every status from dispatched or unrouted", () => {
    const reached = new Set([...pathsFrom("dispatched").keys(), ...pathsFrom("unrouted").keys()]);
    expect([...reached].sort()).toEqual([...WORK_ORDER_STATUSES].sort());
  });
});

describe("every legal and illegal move over HTTP", () => {
  let t: TestApp;
  let token: string;
  let target: string;
  let orphanTarget: string;
  let n = 0;
  // Each case gets its own spot, so its own cluster and work order.
  const nextSpot = () => east(CHANGSHA, 60 * ++n);

  beforeAll(async () => {
    t = await makeTestApp();
    await makeService(t, { code: "pothole", threshold: 3 });
    await makeService(t, { code: "orphan", threshold: 3 });
    await makeDepartment(t, { code: "roads", services: ["pothole"], area: squareAround(CHANGSHA, 100_000) });
    token = await departmentToken(t, "roads");
    target = (await workOrderAt(t, north(CHANGSHA, 3000))).clusterId;
    orphanTarget = (await workOrderAt(t, north(CHANGSHA, 3000), { service: "orphan" })).clusterId;
  });

  /** Drives a fresh work order along a path, each step by an actor allowed to make it. */
  async function workOrderIn(status: WorkOrderStatus) {
    const start = status === "unrouted" ? "unrouted" : "dispatched";
    const wo = await workOrderAt(t, nextSpot(), { service: start === "unrouted" ? "orphan" : "pothole" });
    const dup = start === "unrouted" ? orphanTarget : target;
    let from: WorkOrderStatus = start;
    for (const to of pathsFrom(start).get(status) ?? []) {
      const actors = TRANSITIONS[from][to] ?? [];
      const res = actors.includes("department")
        ? await move(t, token, wo.id, bodyFor(to, dup))
        : await move(t, ADMIN_TOKEN, wo.id, bodyFor(to, dup));
      expect(res.status, `${from} -> ${to}: ${JSON.stringify(res.body)}`).toBe(200);
      from = to;
    }
    return { ...wo, dup };
  }

  const cases = WORK_ORDER_STATUSES.flatMap((from) =>
    // An unrouted work order belongs to no department: only the admin reaches it.
    (from === "unrouted" ? (["admin"] as const) : (["department", "admin"] as const)).map((actor) => ({
      from,
      actor,
    })),
  );
  for (const { from, actor } of cases) {
    it(`from ${from}, the ${actor} may make exactly the table's moves`, async () => {
      for (const to of WORK_ORDER_STATUSES) {
        const wo = await workOrderIn(from);
        const caller = actor === "admin" ? ADMIN_TOKEN : token;
        const res = await move(t, caller, wo.id, bodyFor(to, wo.dup));
        if (canTransition(from, to, actor)) {
          expect(res.status, `${from} -> ${to} by ${actor}`).toBe(200);
          expect(res.body.workOrder.status).toBe(to);
        } else {
          expect(res.status, `${from} -> ${to} by ${actor}`).toBe(409);
          expect(res.body.error.code).toBe("illegal_transition");
          expect(res.body.error.allowed).toEqual(allowedTransitions(from, actor));
        }
      }
    });
  }
});
