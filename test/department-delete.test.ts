/**
 * A department made by mistake can be deleted, so it leaves the public league table; one whose
 * history names it (a work order, a staff account) cannot, and nothing of it changes.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { makeTestApp, type TestApp } from "./support/app";
import { asAdmin, CHANGSHA, makeDepartment, makeService, reportAt, squareAround } from "./support/fixtures";
import { makeStaff } from "./support/staff";

const remove = (t: TestApp, code: string) =>
  t.app.request(`/api/admin/departments/${code}`, { method: "DELETE", ...asAdmin() });

const leagueCodes = async (t: TestApp) =>
  (
    (await (await t.app.request("/api/stats/departments")).json()) as { departments: { code: string }[] }
  ).departments.map((d) => d.code);

const rowsNaming = async (t: TestApp, code: string) =>
  t.db.get<Record<string, number>>(sql`SELECT
    (SELECT count(*) FROM departments WHERE code = ${code}) AS departments,
    (SELECT count(*) FROM department_services WHERE department_code = ${code}) AS services,
    (SELECT count(*) FROM department_tokens WHERE department_code = ${code}) AS tokens,
    (SELECT count(*) FROM area_boxes WHERE department_code = ${code}) AS boxes,
    (SELECT count(*) FROM area_blocks WHERE department_code = ${code}) AS blocks,
    (SELECT count(*) FROM performance_windows WHERE department_code = ${code}) AS windows`);

describe("DELETE /api/admin/departments/:code", () => {
  it("deletes a department never sent work, with its services, tokens and area's counts, and the league table forgets it", async () => {
    const t = await makeTestApp();
    await makeService(t, { code: "pothole", threshold: 1 });
    await makeDepartment(t, { code: "roads", services: ["pothole"], area: squareAround(CHANGSHA, 3000) });
    // A typo's department: an area over the same streets, a service it never got, a token.
    await makeDepartment(t, { code: "raods", services: [], area: squareAround(CHANGSHA, 2000) });
    const token = await t.app.request("/api/admin/departments/raods/tokens", {
      method: "POST",
      ...asAdmin({ label: "test" }),
    });
    expect(token.status).toBe(201);
    expect((await reportAt(t, CHANGSHA)).status).toBe(201);
    expect(await leagueCodes(t)).toContain("raods");
    expect((await rowsNaming(t, "raods"))?.blocks).toBeGreaterThan(0);

    const res = await remove(t, "raods");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ deleted: true });
    expect(await rowsNaming(t, "raods")).toEqual({
      departments: 0,
      services: 0,
      tokens: 0,
      boxes: 0,
      blocks: 0,
      windows: 0,
    });
    expect(await leagueCodes(t)).toEqual(["roads"]);
    const areas = (await (await t.app.request("/api/stats/areas")).json()) as { areas: { code: string }[] };
    expect(areas.areas.map((a) => a.code)).toEqual(["roads"]);
    // In the audit trail, and the code is free again.
    const [entry] = await t.db.all<{ action: string; subject_id: string }>(
      sql`SELECT action, subject_id FROM staff_actions ORDER BY at DESC, rowid DESC LIMIT 1`,
    );
    expect(entry).toEqual({ action: "DELETE /admin/departments/:code", subject_id: "raods" });
    await makeDepartment(t, { code: "raods", services: [] });
    expect((await remove(t, "nowhere")).status).toBe(404);
  });

  it("refuses one whose history names it, a work order or a staff account, and changes nothing", async () => {
    const t = await makeTestApp();
    await makeService(t, { code: "pothole", threshold: 1 });
    await makeDepartment(t, { code: "roads", services: ["pothole"], area: squareAround(CHANGSHA, 3000) });
    await makeDepartment(t, { code: "parks", services: [] });
    expect((await reportAt(t, CHANGSHA)).status).toBe(201);
    await makeStaff(t, "department", { department: "parks" });
    for (const code of ["roads", "parks"]) {
      const before = await rowsNaming(t, code);
      const res = await remove(t, code);
      expect(res.status, code).toBe(409);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("department_in_use");
      expect(await rowsNaming(t, code)).toEqual(before);
    }
    expect(await leagueCodes(t)).toEqual(["parks", "roads"]);
  });

  it("leaves unrouted a report another server still routes there from its cached catalogue, and answers a second delete 404", async () => {
    const a = await makeTestApp();
    await makeService(a, { code: "pothole", threshold: 2 });
    await makeDepartment(a, { code: "raods", services: ["pothole"], area: squareAround(CHANGSHA, 3000) });
    // One report, below the threshold: no work order names it yet, and this server's catalogue routes there.
    expect((await reportAt(a, CHANGSHA, { deviceId: "stale-catalogue-1" })).status).toBe(201);
    // Another server on the same database deletes it.
    const b = await makeTestApp({ url: a.url });
    const both = await Promise.all([remove(b, "raods"), remove(b, "raods")]);
    expect(both.map((r) => r.status).sort()).toEqual([200, 404]);
    // The second reporter crosses the threshold here: the work order waits for a department.
    const next = await reportAt(a, CHANGSHA, { deviceId: "stale-catalogue-2" });
    expect(next.status).toBe(201);
    expect(next.body.cluster.workOrder).toMatchObject({ department: null, status: "unrouted" });
  });

  it("is for admins only", async () => {
    const t = await makeTestApp();
    await makeDepartment(t, { code: "parks", services: [] });
    const res = await t.app.request("/api/admin/departments/parks", { method: "DELETE" });
    expect(res.status).toBe(401);
  });
});
