/**
 * Writes that race: each test lands a second write between the first one's read and its batch
 * (concurrent requests, a second server process on the same file, or a hook on the store's
 * database that runs the other write after the first read), and checks that the outcome is one
 * of the orders the writes could have run in: nothing lost, nothing applied from a stale read.
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { recordAttempts } from "../src/store/outbox";
import { checkDeadlines } from "../src/store/overdue";
import { reopenCluster, rerouteWorkOrder } from "../src/store/transitions";
import { makeClock, makeTestApp, type TestApp } from "./support/app";
import {
  asAdmin,
  CHANGSHA,
  east,
  makeDepartment,
  makeService,
  reportAt,
  squareAround,
  uploadPhoto,
} from "./support/fixtures";
import { interleaved } from "./support/interleave";
import { fromResident } from "./support/residents";
import { departmentToken, move, stillThere, workOrderAt } from "./support/work-orders";

const HOUR = 3_600_000;

const reportWithPhotos = (t: TestApp, p: { lat: number; lon: number }, who: string, photoIds: string[]) =>
  t.app.request("/api/reports", {
    method: "POST",
    headers: { "content-type": "application/json", ...fromResident(who) },
    body: JSON.stringify({
      service: "pothole",
      ...p,
      description: "A hole",
      deviceId: `${who}-abcdef`,
      photoIds,
    }),
  });

const photoRow = async (t: TestApp, id: string) =>
  (
    await t.db.all<{ report_id: string | null; event_id: string | null }>(
      sql`SELECT report_id, event_id FROM photos WHERE id = ${id}`,
    )
  )[0];

describe("races between writes", () => {
  let t: TestApp;
  let roads: string;
  beforeAll(async () => {
    t = await makeTestApp({ clock: makeClock(Date.parse("2026-05-04T02:00:00Z")) });
    await makeService(t, { code: "pothole", threshold: 3, ackHours: 24, resolveHours: 48 });
    await makeDepartment(t, { code: "roads", services: ["pothole"], area: squareAround(CHANGSHA, 20_000) });
    await makeDepartment(t, { code: "parks", services: ["pothole"] });
    roads = await departmentToken(t, "roads");
  });

  it("an admin's reroute crossing the department's acknowledgement is checked again and made, not refused", async () => {
    const wo = await workOrderAt(t, east(CHANGSHA, 1_500));
    const acknowledged = interleaved(t.db, "batch", () => move(t, roads, wo.id, { to: "acknowledged" }));
    const moved = await rerouteWorkOrder(acknowledged, {
      workOrderId: wo.id,
      department: "parks",
      actor: "admin",
      now: t.clock(),
    });
    expect(moved).toMatchObject({ departmentCode: "parks", status: "dispatched" });
    const moves = await t.db.all<{ type: string; to: string; department: string }>(
      sql`SELECT type, to_status AS "to", department_code AS department FROM events
        WHERE work_order_id = ${wo.id} AND type IN ('status_changed', 'rerouted') ORDER BY at, rowid`,
    );
    expect(moves).toEqual([
      { type: "status_changed", to: "acknowledged", department: "roads" },
      { type: "rerouted", to: "dispatched", department: "parks" },
    ]);
  });

  it("an admin's reroute crossing another reroute is refused, not carried on from the new holder", async () => {
    const wo = await workOrderAt(t, east(CHANGSHA, 1_700));
    const elsewhere = interleaved(t.db, "batch", async () =>
      t.app.request(`/api/admin/work-orders/${wo.id}/reroute`, {
        method: "POST",
        ...asAdmin({ department: "parks", note: "the other admin's" }),
      }),
    );
    await expect(
      rerouteWorkOrder(elsewhere, {
        workOrderId: wo.id,
        department: "parks",
        actor: "admin",
        now: t.clock(),
      }),
    ).rejects.toMatchObject({ status: 409, code: "work_order_changed" });
    const [reroutes] = await t.db.all<{ n: number }>(
      sql`SELECT count(*) AS n FROM events WHERE work_order_id = ${wo.id} AND type = 'rerouted'`,
    );
    expect(reroutes?.n).toBe(1);
  });

  it("a deadline check does not flag a work order rerouted after it read it", async () => {
    const wo = await workOrderAt(t, east(CHANGSHA, 1_000));
    t.clock.advance(25 * HOUR);
    const reroute = async () =>
      t.app.request(`/api/admin/work-orders/${wo.id}/reroute`, {
        method: "POST",
        ...asAdmin({ department: "parks" }),
      });
    await checkDeadlines(interleaved(t.db, "all", reroute), t.clock());
    const [row] = await t.db.all<{
      department_code: string;
      overdue_notified_for: string | null;
      missed: string | null;
    }>(
      sql`SELECT department_code, overdue_notified_for,
          (SELECT group_concat(department_code) FROM events WHERE work_order_id = w.id AND type = 'deadline_missed') AS missed
        FROM work_orders w WHERE id = ${wo.id}`,
    );
    // Rerouted, with fresh deadlines: nothing is late at parks, and its deadline will be flagged when it
    // passes. The acknowledgement roads let pass is roads' miss, recorded once, by the reroute.
    expect(row).toEqual({ department_code: "parks", overdue_notified_for: null, missed: "roads" });
    t.clock.advance(25 * HOUR);
    expect(await checkDeadlines(t.db, t.clock())).toBeGreaterThanOrEqual(1);
    const [late] = await t.db.all<{ overdue_notified_for: string | null }>(
      sql`SELECT overdue_notified_for FROM work_orders WHERE id = ${wo.id}`,
    );
    expect(late?.overdue_notified_for).toBe("acknowledge");
  });

  it("a resident's 'still there' as the department closes the work order reopens it", async () => {
    const wo = await workOrderAt(t, east(CHANGSHA, 2_000));
    for (const to of ["acknowledged", "resolved"])
      expect((await move(t, roads, wo.id, { to })).status).toBe(200);
    const [reporter] = await t.db.all<{ reporter_key: string }>(
      sql`SELECT reporter_key FROM reports WHERE cluster_id = ${wo.clusterId} LIMIT 1`,
    );
    const close = async () => move(t, roads, wo.id, { to: "closed" });
    const reopened = await reopenCluster(
      interleaved(t.db, "batch", close),
      wo.clusterId,
      reporter?.reporter_key as string,
      "Still a hole",
      t.clock(),
    );
    expect(reopened.status).toBe("reopened");
    // Said once: the same reporter saying it again is told so.
    expect((await stillThere(t, wo.clusterId, wo.receipts[0])).body.error.code).toMatch(
      /already_said|not_reopenable/,
    );
  });

  it("a resident's 'still there' crossing another's is answered not_reopenable, as after it, not as a department's move", async () => {
    const wo = await workOrderAt(t, east(CHANGSHA, 2_500));
    for (const to of ["acknowledged", "resolved"])
      expect((await move(t, roads, wo.id, { to })).status).toBe(200);
    const [a, b] = await t.db.all<{ reporter_key: string }>(
      sql`SELECT reporter_key FROM reports WHERE cluster_id = ${wo.clusterId} ORDER BY rowid LIMIT 2`,
    );
    const first = async () => reopenCluster(t.db, wo.clusterId, a?.reporter_key as string, null, t.clock());
    await expect(
      reopenCluster(
        interleaved(t.db, "batch", first),
        wo.clusterId,
        b?.reporter_key as string,
        null,
        t.clock(),
      ),
    ).rejects.toMatchObject({ code: "not_reopenable" });
    const [row] = await t.db.all<{ status: string }>(sql`SELECT status FROM work_orders WHERE id = ${wo.id}`);
    expect(row?.status).toBe("reopened");
  });

  it("a move whose request began before the timeline's latest was written is stamped after it, not before", async () => {
    const wo = await workOrderAt(t, east(CHANGSHA, 3_000));
    // Another process's reopening, its request begun now, waits for the database while this one resolves.
    const began = t.clock();
    t.clock.advance(5_000);
    for (const to of ["acknowledged", "resolved"])
      expect((await move(t, roads, wo.id, { to })).status).toBe(200);
    const [reporter] = await t.db.all<{ reporter_key: string }>(
      sql`SELECT reporter_key FROM reports WHERE cluster_id = ${wo.clusterId} LIMIT 1`,
    );
    await reopenCluster(t.db, wo.clusterId, reporter?.reporter_key as string, null, began);
    const written = await t.db.all<{ to_status: string | null; at: number }>(
      sql`SELECT to_status, at FROM events WHERE cluster_id = ${wo.clusterId} ORDER BY rowid`,
    );
    expect(written.at(-1)?.to_status).toBe("reopened");
    expect(written.map((e) => e.at)).toEqual([...written.map((e) => e.at)].sort((a, b) => a - b));
    const page = await (await t.app.request(`/api/clusters/${wo.clusterId}`)).json();
    expect(page.cluster.timeline.at(-1)).toMatchObject({ to: "reopened" });
  });

  it("two edits of one staff account at once both hold: a disabling is not undone by a rename", async () => {
    const made = await t.app.request("/api/admin/staff", {
      method: "POST",
      ...asAdmin({
        email: "clerk@example.test",
        name: "Clerk",
        role: "viewer",
        password: "correct horse battery",
      }),
    });
    expect(made.status).toBe(201);
    const { staff } = (await made.json()) as { staff: { id: string } };
    const patch = (body: unknown) =>
      t.app.request(`/api/admin/staff/${staff.id}`, { method: "PATCH", ...asAdmin(body) });
    const answers = await Promise.all([patch({ disabled: true }), patch({ name: "Renamed" })]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    const [row] = await t.db.all<{ name: string; disabled: number }>(
      sql`SELECT name, disabled FROM staff WHERE id = ${staff.id}`,
    );
    expect(row).toEqual({ name: "Renamed", disabled: 1 });
  });

  it("one photo named by two reports at once goes with one; the other is refused and writes nothing", async () => {
    const photo = await uploadPhoto(t);
    const [a, b] = await Promise.all([
      reportWithPhotos(t, east(CHANGSHA, 3_000), "photo-a", [photo]),
      reportWithPhotos(t, east(CHANGSHA, 4_000), "photo-b", [photo, photo]),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 400]);
    const refused = (await (a.status === 400 ? a : b).json()) as { error: { field: string } };
    expect(refused.error.field).toBe("photoIds");
    const taken = (await (a.status === 201 ? a : b).json()) as { report: { id: string } };
    expect(await photoRow(t, photo)).toEqual({ report_id: taken.report.id, event_id: null });
    // The refused report left nothing behind.
    const [n] = await t.db.all<{
      n: number;
    }>(sql`SELECT count(*) AS n FROM reports WHERE device_id IS NOT NULL
      AND id != ${taken.report.id} AND description = 'A hole'`);
    expect(n?.n).toBe(0);
  });

  it("one photo named by a report and a department's move at once goes with one; the other is refused", async () => {
    const wo = await workOrderAt(t, east(CHANGSHA, 5_000));
    const photo = await uploadPhoto(t);
    const [report, moved] = await Promise.all([
      reportWithPhotos(t, east(CHANGSHA, 6_000), "photo-c", [photo]),
      move(t, roads, wo.id, { to: "acknowledged", photoIds: [photo] }),
    ]);
    // Exactly one of them was taken.
    expect([report.status === 201, moved.status === 200].filter(Boolean)).toHaveLength(1);
    const row = await photoRow(t, photo);
    // Linked to exactly one of them.
    expect([row?.report_id, row?.event_id].filter((x) => x !== null)).toHaveLength(1);
    if (moved.status === 400) expect(moved.body.error.field).toBe("photoIds");
    else expect(((await report.json()) as { error: { field: string } }).error.field).toBe("photoIds");
  });

  it("one photo named by two moves at once goes with one; the other is refused and moves nothing", async () => {
    const one = await workOrderAt(t, east(CHANGSHA, 7_000));
    const two = await workOrderAt(t, east(CHANGSHA, 8_000));
    const photo = await uploadPhoto(t);
    const answers = await Promise.all([
      move(t, roads, one.id, { to: "acknowledged", photoIds: [photo] }),
      move(t, roads, two.id, { to: "acknowledged", photoIds: [photo] }),
    ]);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 400]);
    const refused = answers.findIndex((a) => a.status === 400);
    expect(answers[refused]?.body.error.field).toBe("photoIds");
    const [status] = await t.db.all<{ status: string }>(
      sql`SELECT status FROM work_orders WHERE id = ${[one, two][refused]?.id}`,
    );
    expect(status?.status).toBe("dispatched");
  });

  it("two dispatchers settling one outbox row (a lease lapsed during a slow attempt) count both attempts", async () => {
    const wo = await workOrderAt(t, east(CHANGSHA, 9_000));
    const [row] = await t.db.all<{ id: string; attempts: number }>(
      sql`SELECT id, attempts FROM outbox WHERE work_order_id = ${wo.id} LIMIT 1`,
    );
    // Both claimed the row as it stood, and both attempts failed.
    const failedAttempt = {
      row: { outboxId: row?.id as string, attempts: row?.attempts as number, workOrderId: wo.id },
      at: t.clock(),
      httpStatus: 503,
      latencyMs: 10,
      error: "HTTP 503",
      state: "pending" as const,
      nextAttemptAt: t.clock() + 60_000,
    };
    await recordAttempts(t.db, [failedAttempt]);
    await recordAttempts(t.db, [failedAttempt]);
    const [after] = await t.db.all<{ attempts: number }>(
      sql`SELECT attempts FROM outbox WHERE id = ${row?.id}`,
    );
    expect(after?.attempts).toBe((row?.attempts as number) + 2);
  });

  it("two admins giving a department its first webhook at once: a secret shown is the one stored", async () => {
    await makeDepartment(t, { code: "lights", services: ["pothole"] });
    const list = (await (await t.app.request("/api/admin/departments", asAdmin())).json()) as {
      departments: { code: string }[];
    };
    const lights = list.departments.find((d) => d.code === "lights");
    const put = (url: string) =>
      t.app.request("/api/admin/departments/lights", {
        method: "PUT",
        ...asAdmin({ ...lights, webhookUrl: url }),
      });
    const answers = await Promise.all([
      put("https://a.example.test/hook"),
      put("https://b.example.test/hook"),
    ]);
    expect(answers.map((r) => r.status)).toEqual([200, 200]);
    const shown = (
      await Promise.all(
        answers.map(async (r) => ((await r.json()) as { webhookSecret?: string }).webhookSecret),
      )
    ).filter((s) => s !== undefined);
    const [stored] = await t.db.all<{ webhook_secret: string }>(
      sql`SELECT webhook_secret FROM departments WHERE code = 'lights'`,
    );
    expect(shown).toEqual([stored?.webhook_secret]);
  });
});

describe("the catalogue changed in another server process", () => {
  /** Two processes on one file; the second has cached the service's catalogue with a report. */
  async function twoProcesses(threshold: number) {
    const first = await makeTestApp();
    const second = await makeTestApp({ url: first.url, clock: first.clock });
    await makeService(first, { code: "pothole", threshold, ackHours: 24, resolveHours: 48 });
    await makeDepartment(first, {
      code: "roads",
      services: ["pothole"],
      area: squareAround(CHANGSHA, 20_000),
    });
    expect((await reportAt(second, CHANGSHA, { deviceId: "cached-a" })).status).toBe(201);
    return { first, second };
  }
  /** The admin's edit of one of `kind`'s rows, as read back from its list. */
  async function edit(t: TestApp, kind: "services" | "departments", code: string, changes: object) {
    const list = (await (await t.app.request(`/api/admin/${kind}`, asAdmin())).json()) as Record<
      string,
      { code: string }[]
    >;
    const res = await t.app.request(`/api/admin/${kind}/${code}`, {
      method: "PUT",
      ...asAdmin({ ...list[kind]?.find((row) => row.code === code), ...changes }),
    });
    expect(res.status).toBe(200);
  }
  const workOrderOf = async (t: TestApp, cluster: string) =>
    (
      await t.db.all<{ department_code: string | null; status: string; ack_due_at: number }>(
        sql`SELECT department_code, status, ack_due_at FROM work_orders WHERE cluster_id = ${cluster}`,
      )
    )[0];

  it("a threshold lowered counts for the next report the first process takes", async () => {
    const { first, second } = await twoProcesses(3);
    await edit(first, "services", "pothole", { threshold: 2 });
    const next = await reportAt(second, CHANGSHA, { deviceId: "cached-b" });
    expect(next.status).toBe(201);
    expect(next.body.cluster.reporters).toBe(2);
    expect(next.body.cluster.workOrder).not.toBeNull();
  });

  it("a smaller area made since takes the work order, with the deadline the service has now", async () => {
    const { first, second } = await twoProcesses(2);
    await makeDepartment(first, { code: "park", services: ["pothole"], area: squareAround(CHANGSHA, 500) });
    await edit(first, "services", "pothole", { ackHours: 2 });
    const crossing = await reportAt(second, CHANGSHA, { deviceId: "cached-b" });
    expect(crossing.status).toBe(201);
    expect(await workOrderOf(first, crossing.body.cluster.id)).toEqual({
      department_code: "park",
      status: "dispatched",
      ack_due_at: first.clock() + 2 * HOUR,
    });
  });

  it("a service no longer taken by the department whose area holds the place leaves it unrouted", async () => {
    const { first, second } = await twoProcesses(2);
    // The area stays as it was: only who takes the service changed.
    await edit(first, "departments", "roads", { services: [] });
    const crossing = await reportAt(second, CHANGSHA, { deviceId: "cached-b" });
    expect(crossing.status).toBe(201);
    expect(await workOrderOf(first, crossing.body.cluster.id)).toMatchObject({
      department_code: null,
      status: "unrouted",
    });
  });

  it("a department saved with its services as they were leaves the version, so caches stay good", async () => {
    const { first } = await twoProcesses(2);
    const version = async () =>
      (await first.db.all<{ version: number }>(sql`SELECT version FROM area_version WHERE id = 1`))[0]
        ?.version;
    const before = await version();
    await edit(first, "departments", "roads", { name: { en: "Roads office", zh: "道路办" } });
    expect(await version()).toBe(before);
    await edit(first, "departments", "roads", { fallbackFor: ["pothole"] });
    expect(await version()).toBeGreaterThan(before ?? 0);
  });
});

describe("a department replaced as it is deleted", () => {
  it("answers 404 for the replacement, never a 500, and leaves no half of it", async () => {
    const t = await makeTestApp();
    await makeService(t, { code: "pothole" });
    for (let i = 0; i < 8; i++) {
      const code = `typo${i}`;
      // With services (the batch's rows then break their reference) and without (it writes nothing).
      await makeDepartment(t, { code, services: i % 2 ? [] : ["pothole"] });
      const list = (await (await t.app.request("/api/admin/departments", asAdmin())).json()) as {
        departments: { code: string }[];
      };
      const department = list.departments.find((d) => d.code === code);
      const [put, gone] = await Promise.all([
        t.app.request(`/api/admin/departments/${code}`, {
          method: "PUT",
          ...asAdmin({ ...department, name: { en: "Renamed", zh: "改名" } }),
        }),
        t.app.request(`/api/admin/departments/${code}`, { method: "DELETE", ...asAdmin() }),
      ]);
      expect(gone.status).toBe(200);
      expect(put.status, await put.clone().text()).toBe(put.status === 200 ? 200 : 404);
      const [left] = await t.db.all<{ n: number }>(
        sql`SELECT (SELECT count(*) FROM departments WHERE code = ${code})
          + (SELECT count(*) FROM department_services WHERE department_code = ${code}) AS n`,
      );
      expect(left?.n).toBe(0);
    }
  });
});
