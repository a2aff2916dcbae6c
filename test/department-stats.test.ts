import { describe, expect, it } from "vitest";
import { makeClock, makeTestApp } from "./support/app";
import { CHANGSHA, east, makeDepartment, makeService, squareAround } from "./support/fixtures";
import { departmentToken, move, workOrderAt } from "./support/work-orders";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.parse("2026-06-01T00:00:00Z");

describe("GET /api/stats/departments", () => {
  it("counts open and overdue work and reports medians and on-time share over 30 and 90 days", async () => {
    const t = await makeTestApp({ clock: makeClock(T0 - 60 * DAY) });
    await makeService(t, { code: "pothole", threshold: 3, ackHours: 24, resolveHours: 168 });
    await makeDepartment(t, { code: "roads", services: ["pothole"], area: squareAround(CHANGSHA, 20_000) });
    await makeDepartment(t, { code: "parks", services: [] });
    const token = await departmentToken(t, "roads");
    const handle = async (id: string, start: number, ackAfter: number, resolveAfter: number) => {
      t.clock.set(start + ackAfter * HOUR);
      expect((await move(t, token, id, { to: "acknowledged" })).status).toBe(200);
      t.clock.set(start + resolveAfter * HOUR);
      expect((await move(t, token, id, { to: "resolved" })).status).toBe(200);
    };

    // Two months ago: acknowledged in 1 h, resolved in 5 h.
    const old = await workOrderAt(t, east(CHANGSHA, 0));
    await handle(old.id, T0 - 60 * DAY, 1, 5);
    t.clock.set(T0);
    const [a, b, c] = [
      await workOrderAt(t, east(CHANGSHA, 100)),
      await workOrderAt(t, east(CHANGSHA, 200)),
      await workOrderAt(t, east(CHANGSHA, 300)),
    ];
    await handle(a.id, T0, 2, 10);
    await handle(b.id, T0, 6, 200); // resolved after its 168 h deadline
    expect(c.id).toBeTruthy(); // never acknowledged: overdue by now

    t.clock.set(T0 + 200 * HOUR);
    const res = await t.app.request("/api/stats/departments");
    const { departments } = (await res.json()) as { departments: unknown[] };
    expect(departments).toMatchObject([
      {
        code: "parks",
        name: { en: "parks", zh: "parks" },
        open: 0,
        overdue: 0,
        last30Days: {
          acknowledged: 0,
          resolved: 0,
          medianHoursToAcknowledge: null,
          medianHoursToResolve: null,
          shareResolvedWithinDeadline: null,
          rating: { count: 0, average: null },
        },
        last90Days: {
          acknowledged: 0,
          resolved: 0,
          medianHoursToAcknowledge: null,
          medianHoursToResolve: null,
          shareResolvedWithinDeadline: null,
          rating: { count: 0, average: null },
        },
      },
      {
        code: "roads",
        name: { en: "roads", zh: "roads" },
        open: 1,
        overdue: 1,
        last30Days: {
          acknowledged: 2,
          resolved: 2,
          medianHoursToAcknowledge: 4,
          medianHoursToResolve: 105,
          shareResolvedWithinDeadline: 0.5,
          rating: { count: 0, average: null },
        },
        last90Days: {
          acknowledged: 3,
          resolved: 3,
          medianHoursToAcknowledge: 2,
          medianHoursToResolve: 10,
          shareResolvedWithinDeadline: 0.667,
          rating: { count: 0, average: null },
        },
      },
    ]);
  });
});
