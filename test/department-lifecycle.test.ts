import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { workOrders } from "../src/db/schema";
import { distanceM } from "../src/domain/geo";
import { applyMove } from "../src/store/transitions";
import { makeClock, makeTestApp, type TestApp } from "./support/app";
import {
  asAdmin,
  CHANGSHA,
  east,
  makeDepartment,
  makeService,
  north,
  reportAt,
  squareAround,
} from "./support/fixtures";
import { ADMIN_TOKEN, asToken, departmentToken, move, stillThere, workOrderAt } from "./support/work-orders";

const DAY = 86_400_000;
const HOUR = 3_600_000;

describe("work-order lifecycle effects", () => {
  let t: TestApp;
  let roads: string;
  let parks: string;
  let n = 0;
  const spot = () => east(CHANGSHA, 80 * ++n);

  beforeAll(async () => {
    t = await makeTestApp({ clock: makeClock() });
    await makeService(t, { code: "pothole", threshold: 3 });
    // Roads cover the city; the park inside it also fixes potholes.
    await makeDepartment(t, { code: "roads", services: ["pothole"], area: squareAround(CHANGSHA, 50_000) });
    await makeDepartment(t, {
      code: "parks",
      services: ["pothole"],
      area: squareAround(east(CHANGSHA, 20_000), 4000),
    });
    await makeDepartment(t, { code: "water", services: ["pothole"] });
    roads = await departmentToken(t, "roads");
    parks = await departmentToken(t, "parks");
  });

  const cluster = async (id: string) => {
    const res = await t.app.request(`/api/clusters/${id}`);
    // biome-ignore lint/suspicious/noExplicitAny: inspected field by field
    return ((await res.json()) as any).cluster;
  };
  /** The events a work order's department was sent (follow-ups: test/dispatch-follow-ups.test.ts). */
  const outboxFor = async (wo: string) =>
    (
      await t.db.all<{
        type: string;
        to: string | null;
        dept: string;
      }>(sql`SELECT e.type, e.to_status AS "to",
        e.department_code AS dept FROM outbox o JOIN events e ON e.id = o.event_id
        WHERE o.work_order_id = ${wo} AND e.type NOT IN ('report_added', 'update_posted')
        ORDER BY o.created_at, o.rowid`)
    ).map((r) => `${r.type}:${r.to}:${r.dept}`);

  it("records every move on the public timeline with its department and role, never a token", async () => {
    const wo = await workOrderAt(t, spot());
    expect((await move(t, roads, wo.id, { to: "acknowledged", note: "crew assigned" })).status).toBe(200);
    const scheduled = await move(t, roads, wo.id, { to: "scheduled", scheduledFor: "2026-03-03T01:00:00Z" });
    expect(scheduled.body.workOrder).toMatchObject({
      status: "scheduled",
      scheduledFor: "2026-03-03T01:00:00.000Z",
    });
    const c = await cluster(wo.clusterId);
    const moves = c.timeline.filter((e: { type: string }) => e.type === "status_changed");
    expect(moves).toEqual([
      expect.objectContaining({
        from: "dispatched",
        to: "acknowledged",
        department: "roads",
        actor: "department",
        note: "crew assigned",
        scheduledFor: null,
      }),
      expect.objectContaining({
        from: "acknowledged",
        to: "scheduled",
        department: "roads",
        actor: "department",
        // The date planned then stays on the entry, whatever the work order's later dates.
        scheduledFor: "2026-03-03T01:00:00.000Z",
      }),
    ]);
    expect(JSON.stringify(c)).not.toContain(roads);
    // Open311 says it too: the request is expected on the date planned, and its update says the date.
    const [first] = await t.db.all<{ id: string }>(
      sql`SELECT id FROM reports WHERE cluster_id = ${wo.clusterId} ORDER BY created_at LIMIT 1`,
    );
    const [request] = (await (
      await t.app.request(`/open311/v2/requests.json?service_request_id=${first?.id}`)
    ).json()) as {
      expected_datetime: string;
    }[];
    expect(request?.expected_datetime).toBe("2026-03-03T01:00:00Z");
    const updates = (await (
      await t.app.request(
        `/open311/v2/servicerequestupdates.json?service_request_id=${first?.id}&start_date=2026-01-01T00:00:00Z`,
      )
    ).json()) as { status: string; description: string }[];
    expect(updates.map((u) => u.description)).toContain(
      "Status changed: work order scheduled. Planned for 2026-03-03T01:00:00Z.",
    );
    // A department's note without its full stop is a sentence before the date, not run into it.
    const other = await workOrderAt(t, spot());
    await move(t, roads, other.id, { to: "acknowledged" });
    const booked = { to: "scheduled", scheduledFor: "2026-03-04T01:00:00Z", note: "Crew booked:" };
    expect((await move(t, roads, other.id, booked)).status).toBe(200);
    const [its] = await t.db.all<{ id: string }>(
      sql`SELECT id FROM reports WHERE cluster_id = ${other.clusterId} LIMIT 1`,
    );
    const notes = (await (
      await t.app.request(`/open311/v2/requests.json?service_request_id=${its?.id}&extensions=true`)
    ).json()) as { extended_attributes: { notes: { description: string }[] } }[];
    expect(notes[0]?.extended_attributes.notes.map((n) => n.description)).toContain(
      "Crew booked. Planned for 2026-03-04T01:00:00Z.",
    );
    // The department made these moves itself: nothing more is queued for it.
    expect(await outboxFor(wo.id)).toEqual(["work_order_created:dispatched:roads"]);
  });

  it("names the missing field for scheduled and rejected", async () => {
    const wo = await workOrderAt(t, spot());
    await move(t, roads, wo.id, { to: "acknowledged" });
    const s = await move(t, roads, wo.id, { to: "scheduled" });
    expect(s).toMatchObject({ status: 400, body: { error: { field: "scheduledFor" } } });
    const r = await move(t, roads, wo.id, { to: "rejected" });
    expect(r).toMatchObject({ status: 400, body: { error: { field: "reason" } } });
    const bad = await move(t, roads, wo.id, { to: "scheduled", scheduledFor: "next tuesday" });
    expect(bad).toMatchObject({ status: 400, body: { error: { field: "scheduledFor" } } });
    // A bare date is refused saying what is wanted, not only that it is not "the expected form".
    const day = await move(t, roads, wo.id, { to: "scheduled", scheduledFor: "2026-12-07" });
    expect(day.body.error.message).toBe(
      "scheduledFor: must be a date and time with its zone, such as 2026-12-07T09:00:00+08:00 or 2026-12-07T01:00:00Z",
    );
    expect((await move(t, roads, wo.id, { to: "nowhere" })).status).toBe(400);
    // A field only another move takes is refused, not dropped: the work order stays as it was.
    const planned = new Date(t.clock() + DAY).toISOString();
    const early = await move(t, roads, wo.id, { to: "in_progress", scheduledFor: planned });
    expect(early).toMatchObject({ status: 400, body: { error: { field: "scheduledFor" } } });
    const original = await move(t, roads, wo.id, { to: "in_progress", duplicateOf: wo.clusterId });
    expect(original).toMatchObject({ status: 400, body: { error: { field: "duplicateOf" } } });
    const c = await t.app.request(`/api/clusters/${wo.clusterId}`);
    expect(
      ((await c.json()) as { cluster: { workOrder: { status: string } } }).cluster.workOrder.status,
    ).toBe("acknowledged");
  });

  it("refuses a planned date in the past or years ahead, and moves nothing", async () => {
    const wo = await workOrderAt(t, spot());
    await move(t, roads, wo.id, { to: "acknowledged" });
    const at = (days: number) => new Date(t.clock() + days * DAY).toISOString();
    for (const scheduledFor of [at(-3), at(800)]) {
      const refused = await move(t, roads, wo.id, { to: "scheduled", scheduledFor });
      expect(refused).toMatchObject({ status: 400, body: { error: { field: "scheduledFor" } } });
    }
    const c = await t.app.request(`/api/clusters/${wo.clusterId}`);
    expect(
      ((await c.json()) as { cluster: { workOrder: { status: string } } }).cluster.workOrder.status,
    ).toBe("acknowledged");
    // Earlier the same day (told late) and next year are plans.
    expect((await move(t, roads, wo.id, { to: "scheduled", scheduledFor: at(-0.25) })).status).toBe(200);
    expect((await move(t, roads, wo.id, { to: "scheduled", scheduledFor: at(300) })).status).toBe(200);
  });

  it("lets only one of two moves made from the same reading win", async () => {
    const wo = await workOrderAt(t, spot());
    // Both callers read the work order while it was dispatched; both moves are legal from there.
    const seen = await t.db.select().from(workOrders).where(eq(workOrders.id, wo.id)).get();
    if (!seen) throw new Error("no work order");
    const base = { workOrderId: wo.id, actor: "department" as const, department: "roads", now: t.clock() };
    const won = await Promise.all([
      applyMove(t.db, seen, { ...base, to: "acknowledged" }),
      applyMove(t.db, seen, { ...base, to: "rejected", reason: "not ours" }),
    ]);
    expect(won.filter(Boolean)).toHaveLength(1);
    const events = await t.db.all<{ to: string }>(
      sql`SELECT to_status AS "to" FROM events WHERE work_order_id = ${wo.id} AND type = 'status_changed'`,
    );
    const [row] = await t.db.all<{ status: string }>(sql`SELECT status FROM work_orders WHERE id = ${wo.id}`);
    expect(events).toEqual([{ to: row?.status }]);
    // The loser, made again from its stale reading, still writes nothing.
    expect(await applyMove(t.db, seen, { ...base, to: "acknowledged" })).toBe(false);
  });

  it("answers concurrent HTTP moves with one 200 and 409s naming the allowed moves", async () => {
    const wo = await workOrderAt(t, spot());
    const results = await Promise.all(
      Array.from({ length: 6 }, () => move(t, roads, wo.id, { to: "acknowledged" })),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    const loser = results.find((r) => r.status === 409);
    expect(loser?.body).toMatchObject({
      error: {
        code: "illegal_transition",
        field: "to",
        allowed: ["scheduled", "in_progress", "resolved", "rejected", "duplicate"],
      },
    });
  });

  it("resolving makes the cluster resolved (new reports start a successor); a resident's reopen brings it back", async () => {
    const p = spot();
    const wo = await workOrderAt(t, p);
    await move(t, roads, wo.id, { to: "acknowledged" });
    const planned = new Date(t.clock() + DAY).toISOString();
    await move(t, roads, wo.id, { to: "scheduled", scheduledFor: planned });
    await move(t, roads, wo.id, { to: "resolved", note: "patched" });
    expect(await cluster(wo.clusterId)).toMatchObject({ state: "resolved", status: "resolved" });
    const later = await reportAt(t, p, { deviceId: "device-after-fix-0001" });
    expect(later.body.cluster.id).not.toBe(wo.clusterId);

    t.clock.advance(2 * DAY);
    const reopened = await stillThere(t, wo.clusterId, wo.receipts[0], "still there");
    expect(reopened.status).toBe(200);
    const c = await cluster(wo.clusterId);
    // The visit planned for the fix that did not hold is past: no date is planned for the new work.
    expect(c).toMatchObject({
      state: "dispatched",
      workOrder: { status: "reopened", flag: "none", scheduledFor: null },
    });
    expect(c.timeline.at(-1)).toMatchObject({
      type: "status_changed",
      to: "reopened",
      actor: "resident",
      note: "still there",
    });
    // Not the department's own move: it is told.
    expect(await outboxFor(wo.id)).toEqual([
      "work_order_created:dispatched:roads",
      "status_changed:reopened:roads",
    ]);
    // A second "still there" on an open problem is refused.
    const again = await stillThere(t, wo.clusterId, wo.receipts[1]);
    expect(again.status).toBe(409);
  });

  it("refuses a reopen more than 30 days after resolution, and of a cluster never resolved", async () => {
    const wo = await workOrderAt(t, spot());
    const open = await stillThere(t, wo.clusterId, wo.receipts[0]);
    expect(open.status).toBe(409);
    await move(t, roads, wo.id, { to: "acknowledged" });
    await move(t, roads, wo.id, { to: "resolved" });
    t.clock.advance(31 * DAY);
    const late = await stillThere(t, wo.clusterId, wo.receipts[0]);
    expect(late.status).toBe(409);
    expect((await stillThere(t, "nope", wo.receipts[0])).status).toBe(404);
  });

  it("reroutes a rejected work order automatically to the department whose area fits", async () => {
    // Inside the park: routed to parks (smallest area); parks says no, roads' area also fits.
    const wo = await workOrderAt(t, east(CHANGSHA, 20_000));
    expect(wo.department).toBe("parks");
    const res = await move(t, parks, wo.id, { to: "rejected", reason: "this is a public road" });
    expect(res.status).toBe(200);
    // Roads' now: parks is shown where it went, with no move left to make on it.
    expect(res.body.workOrder).toMatchObject({
      status: "dispatched",
      department: "roads",
      allowedTransitions: [],
    });
    const c = await cluster(wo.clusterId);
    expect(c.timeline.slice(-2)).toEqual([
      expect.objectContaining({
        to: "rejected",
        department: "parks",
        actor: "department",
        note: "this is a public road",
      }),
      expect.objectContaining({
        type: "rerouted",
        from: "rejected",
        to: "dispatched",
        department: "roads",
        actor: "system",
      }),
    ]);
    expect(await outboxFor(wo.id)).toEqual([
      "work_order_created:dispatched:parks",
      "rerouted:dispatched:roads",
    ]);
    // Parks no longer sees it; roads does. If roads rejects too, nobody else fits: it waits for the admin.
    expect((await t.app.request(`/api/department/work-orders/${wo.id}`, asToken(parks))).status).toBe(404);
    const again = await move(t, roads, wo.id, { to: "rejected", reason: "parks land" });
    expect(again.body.workOrder).toMatchObject({ status: "rejected", department: "roads" });
    // Stranded with the last department that fitted: in the admin's queue of work nobody took.
    const queue = async (routed: string) =>
      (
        (await (await t.app.request(`/api/admin/work-orders?routed=${routed}`, asAdmin())).json()) as {
          workOrders: { id: string }[];
        }
      ).workOrders.map((w) => w.id);
    expect(await queue("false")).toContain(wo.id);
    expect(await queue("true")).not.toContain(wo.id);

    const reroute = await t.app.request(`/api/admin/work-orders/${wo.id}/reroute`, {
      method: "POST",
      ...asAdmin({ department: "water", note: "water main broke the road" }),
    });
    expect(reroute.status).toBe(200);
    expect(((await reroute.json()) as { workOrder: unknown }).workOrder).toMatchObject({
      status: "dispatched",
      department: "water",
      flag: "none",
    });
    expect((await outboxFor(wo.id)).at(-1)).toBe("rerouted:dispatched:water");
    const stranger = await t.app.request(`/api/admin/work-orders/${wo.id}/reroute`, {
      method: "POST",
      ...asAdmin({ department: "nosuch" }),
    });
    expect(stranger.status).toBe(400);
    expect(((await stranger.json()) as { error: { message: string } }).error.message).toBe(
      "there is no department nosuch",
    );
    // To the department holding it: refused, its deadlines kept (a reroute would start them over).
    t.clock.advance(DAY / 24);
    const before = await t.app.request(`/api/department/work-orders/${wo.id}`, asAdmin());
    const same = await t.app.request(`/api/admin/work-orders/${wo.id}/reroute`, {
      method: "POST",
      ...asAdmin({ department: "water" }),
    });
    expect(same.status).toBe(400);
    expect(((await same.json()) as { error: { field: string } }).error.field).toBe("department");
    const after = await t.app.request(`/api/department/work-orders/${wo.id}`, asAdmin());
    expect(await after.json()).toEqual(await before.json());
  });

  it("dates a rerouted work order's sending from the hand-over, for how long the department named took", async () => {
    const wo = await workOrderAt(t, east(CHANGSHA, 21_000));
    expect(wo.department).toBe("parks");
    const created = t.clock();
    t.clock.advance(2 * HOUR);
    expect((await move(t, parks, wo.id, { to: "rejected", reason: "a public road" })).status).toBe(200);
    t.clock.advance(HOUR);
    expect((await move(t, roads, wo.id, { to: "acknowledged" })).status).toBe(200);
    expect((await cluster(wo.clusterId)).workOrder).toMatchObject({
      department: "roads",
      createdAt: new Date(created).toISOString(),
      sentAt: new Date(created + 2 * HOUR).toISOString(),
      acknowledgedAt: new Date(created + 3 * HOUR).toISOString(),
    });
    // Never rerouted: sent when it was made.
    const plain = await workOrderAt(t, east(CHANGSHA, 19_000));
    const first = (await cluster(plain.clusterId)).workOrder;
    expect(first.sentAt).toBe(first.createdAt);
  });

  it("gives a request merged twice its first problem's updates, then its last one's, never a 'duplicate'", async () => {
    const first = await workOrderAt(t, north(CHANGSHA, 21000));
    const second = await workOrderAt(t, east(north(CHANGSHA, 21000), 120));
    const third = await workOrderAt(t, east(north(CHANGSHA, 21000), 240));
    t.clock.advance(60_000);
    expect((await move(t, roads, first.id, { to: "duplicate", duplicateOf: second.clusterId })).status).toBe(
      200,
    );
    t.clock.advance(60_000);
    expect((await move(t, roads, second.id, { to: "duplicate", duplicateOf: third.clusterId })).status).toBe(
      200,
    );
    const [filed] = await t.db.all<{ id: string; movedAt: number }>(
      sql`SELECT id, moved_at AS movedAt FROM reports WHERE moved_from = ${first.clusterId} LIMIT 1`,
    );
    const updates = (await (
      await t.app.request(
        `/open311/v2/servicerequestupdates.json?service_request_id=${filed?.id}&start_date=2026-01-01T00:00:00Z`,
      )
    ).json()) as { update_id: string; status: string }[];
    const shown = new Set(updates.map((u) => u.update_id.slice(0, u.update_id.lastIndexOf("-"))));
    const events = await t.db.all<{ id: string; cluster: string; at: number; type: string }>(
      sql`SELECT id, cluster_id AS cluster, at, type FROM events
        WHERE cluster_id IN (${first.clusterId}, ${second.clusterId}, ${third.clusterId})`,
    );
    const created = (cluster: string) =>
      events.find((e) => e.cluster === cluster && e.type === "work_order_created");
    expect(shown.has(created(first.clusterId)?.id ?? "")).toBe(true);
    expect(shown.has(created(second.clusterId)?.id ?? "")).toBe(false);
    expect(shown.has(created(third.clusterId)?.id ?? "")).toBe(false);
    const lastMerge = events.find((e) => e.cluster === third.clusterId && e.type === "merged");
    expect(shown.has(lastMerge?.id ?? "")).toBe(true);
    expect(updates.map((u) => u.status)).not.toContain("duplicate");
  });

  it("lists what changed since a time, whoever changed it, closed ones too: a ticket system mirrors the console's moves", async () => {
    const p = north(CHANGSHA, 8200);
    const moved = await workOrderAt(t, p);
    const joined = await workOrderAt(t, east(p, 300));
    const untouched = await workOrderAt(t, east(p, 600));
    const closed = await workOrderAt(t, east(p, 900));
    t.clock.advance(60_000);
    const since = new Date(t.clock()).toISOString();
    t.clock.advance(1000);
    expect((await move(t, roads, moved.id, { to: "acknowledged", note: "by a clerk" })).status).toBe(200);
    t.clock.advance(1000);
    await reportAt(t, east(p, 300), { deviceId: "device-joins-later-01" });
    t.clock.advance(1000);
    for (const to of ["acknowledged", "resolved", "closed"])
      expect((await move(t, ADMIN_TOKEN, closed.id, { to })).status).toBe(200);
    const listed = async (query: string) => {
      const res = await t.app.request(`/api/department/work-orders?${query}`, asToken(roads));
      expect(res.status).toBe(200);
      return ((await res.json()) as { workOrders: { id: string }[] }).workOrders.map((w) => w.id).sort();
    };
    expect(await listed(`updatedSince=${encodeURIComponent(since)}`)).toEqual(
      [moved.id, joined.id, closed.id].sort(),
    );
    expect(await listed(`updatedSince=${encodeURIComponent(since)}&status=open`)).toEqual(
      [moved.id, joined.id].sort(),
    );
    expect(await listed(`status=open,done,closed`)).toEqual(expect.arrayContaining([untouched.id]));
    // In the order they changed, each saying when: a mirror behind by more than `limit` goes on
    // from the last one's `changedAt`.
    const page = async (query: string) => {
      const res = await t.app.request(`/api/department/work-orders?${query}`, asToken(roads));
      return (await res.json()) as { workOrders: { id: string; changedAt: string }[]; truncated: boolean };
    };
    const first = await page(`updatedSince=${encodeURIComponent(since)}&limit=2`);
    expect(first.truncated).toBe(true);
    expect(first.workOrders.map((w) => w.id)).toEqual([moved.id, joined.id]);
    expect(String(first.workOrders[0]?.changedAt) < String(first.workOrders[1]?.changedAt)).toBe(true);
    const last = first.workOrders[1];
    const next = await page(
      `updatedSince=${encodeURIComponent(String(last?.changedAt))}&afterId=${last?.id}&limit=2`,
    );
    expect(next.workOrders.map((w) => w.id)).toEqual([closed.id]);
    // Many changed at one instant, more than a page: each page goes on after the last id.
    t.clock.advance(5000);
    const instant = new Date(t.clock()).toISOString();
    for (const w of [untouched, joined])
      expect((await move(t, roads, w.id, { to: "acknowledged" })).status).toBe(200);
    const ids: string[] = [];
    let after = "";
    for (let i = 0; i < 3; i++) {
      const p = await page(
        `updatedSince=${encodeURIComponent(instant)}${after ? `&afterId=${after}` : ""}&limit=1`,
      );
      ids.push(...p.workOrders.map((w) => w.id));
      after = p.workOrders.at(-1)?.id ?? after;
    }
    expect(ids).toEqual([untouched.id, joined.id].sort());
    expect((await t.app.request("/api/department/work-orders?afterId=x", asToken(roads))).status).toBe(400);
    const bad = await t.app.request("/api/department/work-orders?updatedSince=yesterday", asToken(roads));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { field: string } }).error.field).toBe("updatedSince");
    // Spelled as the exports spell theirs: refused, naming the right one, rather than ignored (which
    // had answered every work order, as if all had changed); and the exports' own the other way.
    const later = encodeURIComponent("2030-01-01T00:00:00Z");
    const misspelled = await t.app.request(
      `/api/department/work-orders?updated_since=${later}`,
      asToken(roads),
    );
    expect(misspelled.status).toBe(400);
    expect(await misspelled.json()).toMatchObject({
      error: {
        field: "updated_since",
        message: "updated_since: is not a parameter here; did you mean updatedSince?",
      },
    });
    const exported = await t.app.request(`/api/exports/work-orders.csv?updatedSince=${later}`);
    expect(exported.status).toBe(400);
    expect(await exported.json()).toMatchObject({ error: { field: "updatedSince" } });
    // A parameter nothing is spelled like (a cache-buster) is still left alone.
    expect((await t.app.request("/api/department/work-orders?_=1733500000", asToken(roads))).status).toBe(
      200,
    );
  });

  it("keeps a problem where it is when merging a duplicate from beyond the service's radius, and a new report there joins it", async () => {
    const centre = async (id: string) => {
      const c = await cluster(id);
      return { lat: c.lat as number, lon: c.lon as number };
    };
    const p = north(CHANGSHA, 7000);
    const keep = await workOrderAt(t, p);
    const far = await workOrderAt(t, east(p, 1400));
    expect((await move(t, roads, far.id, { to: "duplicate", duplicateOf: keep.clusterId })).status).toBe(200);
    // The mean of both would lie 700 m from each, where there is no problem.
    expect(distanceM(await centre(keep.clusterId), p)).toBeLessThan(1);
    const again = await reportAt(t, p, { deviceId: "device-at-the-kept-hole" });
    expect(again.body.cluster.id).toBe(keep.clusterId);
    // A duplicate within the radius (its centre drifted 10 m from the kept one's) moves the centre
    // only between the two: the far reports merged before do not pull it 700 m away.
    const near = await workOrderAt(t, east(p, 300));
    const drifted = east(p, 10);
    await t.db.run(
      sql`UPDATE clusters SET lat = ${drifted.lat}, lon = ${drifted.lon} WHERE id = ${near.clusterId}`,
    );
    expect((await move(t, roads, near.id, { to: "duplicate", duplicateOf: keep.clusterId })).status).toBe(
      200,
    );
    expect(distanceM(await centre(keep.clusterId), p)).toBeLessThan(10);
  });

  it("merges a duplicate counting the network of an address typed on both, as the intake counts it", async () => {
    const p = north(CHANGSHA, 5600);
    const keep = await workOrderAt(t, p, { reporters: 3 });
    const dupe = await workOrderAt(t, east(p, 100), { reporters: 3 });
    // One address typed from two networks, once on each problem.
    const contact = { email: "both.networks@example.com" };
    await reportAt(t, p, { contact, headers: { "x-forwarded-for": "10.201.1.7" } });
    await reportAt(t, east(p, 100), { contact, headers: { "x-forwarded-for": "10.201.2.7" } });
    expect((await cluster(keep.clusterId)).reporters).toBe(4);
    expect((await cluster(dupe.clusterId)).reporters).toBe(4);
    const res = await move(t, roads, dupe.id, { to: "duplicate", duplicateOf: keep.clusterId });
    expect(res.status).toBe(200);
    // Eight networks: the address proves no one person, so its second network is not dropped.
    expect((await cluster(keep.clusterId)).reporters).toBe(8);
  });

  it("merges a duplicate: reports and reporters move over and the counts stay exact", async () => {
    const p = north(CHANGSHA, 5000);
    const keep = await workOrderAt(t, p, { reporters: 4 });
    const dupe = await workOrderAt(t, east(p, 100), { reporters: 3 });
    // One resident reported both: after the merge they count once.
    await reportAt(t, p, { deviceId: "device-both-places-01" });
    await reportAt(t, east(p, 100), { deviceId: "device-both-places-01" });
    await reportAt(t, east(p, 100), { deviceId: "device-both-places-01" });

    // A minute on: each problem's own history is before the merge.
    t.clock.advance(60_000);
    const res = await move(t, roads, dupe.id, {
      to: "duplicate",
      duplicateOf: keep.clusterId,
      note: "same hole",
    });
    expect(res.status).toBe(200);
    const [counts] = await t.db.all<Record<string, number>>(sql`SELECT
      (SELECT count(*) FROM reports WHERE cluster_id = ${keep.clusterId}) AS reports,
      (SELECT count(DISTINCT reporter_key) FROM reports WHERE cluster_id = ${keep.clusterId}) AS reporters,
      (SELECT count(*) FROM reports WHERE cluster_id = ${dupe.clusterId}) AS leftBehind`);
    expect(counts).toEqual({ reports: 4 + 3 + 3, reporters: 4 + 3 + 1, leftBehind: 0 });
    const kept = await cluster(keep.clusterId);
    const merged = await cluster(dupe.clusterId);
    expect(kept).toMatchObject({
      reports: counts?.reports,
      reporters: counts?.reporters,
      state: "dispatched",
    });
    expect(kept.timeline.at(-1)).toMatchObject({ type: "merged" });
    // To Open311's clients the kept problem's requests stay open: the merge closed the other one.
    const [keptReport] = await t.db.all<{ id: string }>(
      sql`SELECT id FROM reports WHERE cluster_id = ${keep.clusterId} ORDER BY created_at LIMIT 1`,
    );
    const updates = (await (
      await t.app.request(
        `/open311/v2/servicerequestupdates.json?service_request_id=${keptReport?.id}&start_date=2026-01-01T00:00:00Z`,
      )
    ).json()) as { status: string; description: string }[];
    expect(updates.at(-1)?.description).toMatch(/merged|same hole/i);
    expect(new Set(updates.map((u) => u.status))).toEqual(new Set(["open"]));
    // A request the merge moved keeps its own problem's history until the merge, then the one it
    // joined: not the other problem's past, dated before it joined (a client polling by date never
    // saw those), and its own problem's closing as a duplicate is not its end.
    const [moved] = await t.db.all<{ id: string; movedAt: number }>(
      sql`SELECT id, moved_at AS movedAt FROM reports WHERE moved_from = ${dupe.clusterId} ORDER BY created_at LIMIT 1`,
    );
    const eventsOf = async (cluster: string, when: "before" | "since") =>
      (
        await t.db.all<{ id: string }>(
          when === "before"
            ? sql`SELECT id FROM events WHERE cluster_id = ${cluster} AND at < ${moved?.movedAt}`
            : sql`SELECT id FROM events WHERE cluster_id = ${cluster} AND at >= ${moved?.movedAt}`,
        )
      ).map((e) => e.id);
    const its = (await (
      await t.app.request(
        `/open311/v2/servicerequestupdates.json?service_request_id=${moved?.id}&start_date=2026-01-01T00:00:00Z`,
      )
    ).json()) as { update_id: string; status: string }[];
    const shown = its.map((u) => u.update_id.slice(0, u.update_id.lastIndexOf("-")));
    const [itsWorkOrder] = await t.db.all<{ id: string }>(
      sql`SELECT id FROM events WHERE cluster_id = ${dupe.clusterId} AND type = 'work_order_created'`,
    );
    expect(shown).toContain(itsWorkOrder?.id);
    expect(shown).toEqual(expect.arrayContaining(await eventsOf(keep.clusterId, "since")));
    for (const id of await eventsOf(keep.clusterId, "before")) expect(shown).not.toContain(id);
    for (const id of await eventsOf(dupe.clusterId, "since")) expect(shown).not.toContain(id);
    expect(its.map((u) => u.status)).not.toContain("duplicate");
    expect(merged).toMatchObject({ state: "merged", mergedIntoId: keep.clusterId, reports: 0, reporters: 0 });
    expect(merged.workOrder.status).toBe("duplicate");

    // Roads merged it itself, so it is not told; an admin's merge into the same cluster is sent.
    expect(await outboxFor(keep.id)).toEqual(["work_order_created:dispatched:roads"]);
    const third = await workOrderAt(t, north(p, 100));
    expect(
      (await move(t, ADMIN_TOKEN, third.id, { to: "duplicate", duplicateOf: keep.clusterId })).status,
    ).toBe(200);
    expect(await outboxFor(keep.id)).toEqual(["work_order_created:dispatched:roads", "merged:null:roads"]);
    expect(await cluster(keep.clusterId)).toMatchObject({ reports: 13, reporters: 11 });

    // A kept cluster below its threshold crosses it with the merged reporters: it gets its work order.
    const lone = await reportAt(t, north(CHANGSHA, 9000), { deviceId: "device-lonely-report-1" });
    expect(lone.body.cluster.workOrder).toBeNull();
    const fourth = await workOrderAt(t, east(north(CHANGSHA, 9000), 100));
    await move(t, roads, fourth.id, { to: "duplicate", duplicateOf: lone.body.cluster.id });
    const grown = await cluster(lone.body.cluster.id);
    expect(grown).toMatchObject({ state: "dispatched", reports: 4, reporters: 4 });
    expect(grown.workOrder).toMatchObject({ status: "dispatched", department: "roads" });

    // Another department's problem, or one no department holds across the city, is not roads' to merge into.
    await makeDepartment(t, { code: "parks-merge", services: [] });
    const theirs = await workOrderAt(t, north(CHANGSHA, 8000));
    await t.db.run(sql`UPDATE work_orders SET department_code = 'parks-merge' WHERE id = ${theirs.id}`);
    const far = await reportAt(t, north(CHANGSHA, 11000), { deviceId: "device-far-lonely-01" });
    for (const target of [theirs.clusterId, far.body.cluster.id]) {
      const mine = await workOrderAt(t, north(CHANGSHA, 7500));
      const refused = await move(t, roads, mine.id, { to: "duplicate", duplicateOf: target });
      expect(refused).toMatchObject({
        status: 400,
        body: { error: { field: "duplicateOf", code: "unknown_cluster" } },
      });
      expect((await cluster(mine.clusterId)).state).not.toBe("merged");
    }
    // The admin may merge across departments.
    const adminMerge = await workOrderAt(t, north(CHANGSHA, 7600));
    expect(
      (await move(t, ADMIN_TOKEN, adminMerge.id, { to: "duplicate", duplicateOf: theirs.clusterId })).status,
    ).toBe(200);

    const self = await workOrderAt(t, north(CHANGSHA, 7000));
    const bad = await move(t, roads, self.id, { to: "duplicate", duplicateOf: dupe.clusterId });
    expect(bad).toMatchObject({ status: 400, body: { error: { field: "duplicateOf" } } });
    const none = await move(t, roads, self.id, { to: "duplicate" });
    expect(none).toMatchObject({ status: 400, body: { error: { field: "duplicateOf" } } });
  });

  it("takes the work order's id for the problem a duplicate joins, as the console shows it", async () => {
    const p = north(CHANGSHA, 13000);
    const keep = await workOrderAt(t, p);
    const dupe = await workOrderAt(t, east(p, 100));
    const res = await move(t, roads, dupe.id, { to: "duplicate", duplicateOf: keep.id });
    expect(res.status).toBe(200);
    expect(await cluster(dupe.clusterId)).toMatchObject({ state: "merged", mergedIntoId: keep.clusterId });
    // Another department's, named by its work order, is still not roads' to merge into.
    await makeDepartment(t, { code: "parks-by-order", services: [] });
    const theirs = await workOrderAt(t, north(p, 300));
    await t.db.run(sql`UPDATE work_orders SET department_code = 'parks-by-order' WHERE id = ${theirs.id}`);
    const mine = await workOrderAt(t, north(p, 600));
    expect(await move(t, roads, mine.id, { to: "duplicate", duplicateOf: theirs.id })).toMatchObject({
      status: 400,
      body: { error: { field: "duplicateOf", code: "unknown_cluster" } },
    });
  });

  it("merges into a problem already fixed only what was reported at its place, never a problem elsewhere", async () => {
    const p = north(CHANGSHA, 14000);
    const fixed = await workOrderAt(t, p);
    for (const to of ["acknowledged", "resolved"] as const)
      expect((await move(t, roads, fixed.id, { to })).status).toBe(200);
    // 100 m away: another problem, which would read as fixed though nobody fixed it.
    const elsewhere = await workOrderAt(t, east(p, 100));
    for (const who of [roads, ADMIN_TOKEN]) {
      const refused = await move(t, who, elsewhere.id, { to: "duplicate", duplicateOf: fixed.clusterId });
      expect(refused).toMatchObject({
        status: 400,
        body: { error: { field: "duplicateOf", message: expect.stringMatching(/already fixed or closed/) } },
      });
    }
    expect(await cluster(elsewhere.clusterId)).toMatchObject({
      state: "dispatched",
      workOrder: { status: "dispatched" },
    });
    // Reported at the spot just after the fix (a successor): a duplicate of the fixed one.
    const after = await workOrderAt(t, p);
    expect(after.clusterId).not.toBe(fixed.clusterId);
    expect((await move(t, roads, after.id, { to: "duplicate", duplicateOf: fixed.clusterId })).status).toBe(
      200,
    );
    // Back at the spot long after the fix (past the service's 30 days): a new problem, not fixed.
    const fixedAgain = await workOrderAt(t, north(p, 2000));
    for (const to of ["acknowledged", "resolved"] as const)
      expect((await move(t, roads, fixedAgain.id, { to })).status).toBe(200);
    const then = t.clock();
    t.clock.advance(31 * 86_400_000);
    const monthsLater = await workOrderAt(t, north(p, 2000));
    const late = await move(t, roads, monthsLater.id, { to: "duplicate", duplicateOf: fixedAgain.clusterId });
    t.clock.set(then);
    expect(late).toMatchObject({ status: 400, body: { error: { field: "duplicateOf" } } });
    // Reopened, the fixed one takes the problem elsewhere too.
    expect((await move(t, ADMIN_TOKEN, fixed.id, { to: "reopened" })).status).toBe(200);
    expect(
      (await move(t, roads, elsewhere.id, { to: "duplicate", duplicateOf: fixed.clusterId })).status,
    ).toBe(200);
  });

  it("an admin's move on the department API is queued for the department", async () => {
    const wo = await workOrderAt(t, spot());
    expect((await move(t, ADMIN_TOKEN, wo.id, { to: "acknowledged" })).status).toBe(200);
    expect((await outboxFor(wo.id)).at(-1)).toBe("status_changed:acknowledged:roads");
  });

  it("shows a work order with its cluster, public reports and deliveries, without private fields", async () => {
    const wo = await workOrderAt(t, spot());
    await reportAt(t, east(CHANGSHA, 80 * n), {
      deviceId: "device-private-check-1",
      contact: { email: "someone@example.org", name: "Private Person" },
    });
    const res = await t.app.request(`/api/department/work-orders/${wo.id}`, asToken(roads));
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      workOrder: {
        id: wo.id,
        status: "dispatched",
        allowedTransitions: ["acknowledged", "rejected", "duplicate"],
      },
      cluster: { id: wo.clusterId },
      deliveries: [],
    });
    expect((body.reports as unknown[]).length).toBe(4);
    const text = JSON.stringify(body);
    for (const secret of ["someone@example.org", "Private Person", "device-private-check-1", "reporterKey"]) {
      expect(text).not.toContain(secret);
    }
  });

  it("publishes department stats: open, overdue, medians and share within deadline", async () => {
    const res = await t.app.request("/api/stats/departments");
    expect(res.status).toBe(200);
    const { departments } = (await res.json()) as { departments: Record<string, unknown>[] };
    const r = departments.find((d) => d.code === "roads");
    expect(r).toMatchObject({ open: expect.any(Number), overdue: expect.any(Number) });
    expect(r?.last30Days).toMatchObject({
      resolved: expect.any(Number),
      medianHoursToAcknowledge: expect.any(Number),
    });
  });

  it("lists one department's work for the admin, and refuses a department another's", async () => {
    const inPark = await workOrderAt(t, east(CHANGSHA, 20_100));
    expect(inPark.department).toBe("parks");
    const admin = { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } };
    const departmentsOf = async (path: string) => {
      const res = await t.app.request(path, admin);
      expect(res.status).toBe(200);
      const { workOrders } = (await res.json()) as { workOrders: { id: string; department: string }[] };
      return new Set(workOrders.map((w) => w.department));
    };
    for (const path of ["/api/admin/work-orders", "/api/department/work-orders"]) {
      expect(await departmentsOf(`${path}?department=parks`)).toEqual(new Set(["parks"]));
      expect((await departmentsOf(path)).size).toBeGreaterThan(1);
    }
    const theirs = await t.app.request("/api/department/work-orders?department=roads", asToken(parks));
    expect(theirs.status).toBe(403);
    expect((await theirs.json()).error.field).toBe("department");
    const own = await t.app.request("/api/department/work-orders?department=parks", asToken(parks));
    expect(own.status).toBe(200);
  });
});
