/**
 * Open work a department holds that routing would now give elsewhere, after its services or area
 * changed: said when the department is saved, listed for the admin (`elsewhere=true`), and gone
 * from the list once rerouted. Routing never moves such work by itself.
 */
import { describe, expect, it } from "vitest";
import { makeTestApp, type TestApp } from "./support/app";
import { asAdmin, CHANGSHA, east, makeDepartment, makeService, squareAround } from "./support/fixtures";
import { departmentToken, move, workOrderAt } from "./support/work-orders";

type Listed = { id: string; department: string; routesTo?: string | null };

const elsewhere = async (t: TestApp, query = "") =>
  (
    (await (await t.app.request(`/api/admin/work-orders?elsewhere=true${query}`, asAdmin())).json()) as {
      workOrders: Listed[];
    }
  ).workOrders;

async function city() {
  const t = await makeTestApp();
  await makeService(t, { threshold: 1 });
  await makeService(t, { code: "light", name: { en: "Light", zh: "路灯" }, threshold: 1 });
  await makeDepartment(t, {
    code: "roads",
    services: ["pothole", "light"],
    area: squareAround(CHANGSHA, 20_000),
  });
  return t;
}

describe("work routed elsewhere", () => {
  it("says and lists the work a new, smaller department would now take, until it is rerouted", async () => {
    const t = await city();
    const inPark = await workOrderAt(t, CHANGSHA, { reporters: 1 });
    const outside = await workOrderAt(t, east(CHANGSHA, 3000), { reporters: 1 });
    expect([inPark.department, outside.department]).toEqual(["roads", "roads"]);
    expect(await elsewhere(t)).toEqual([]);

    const parks = await makeDepartment(t, {
      code: "parks",
      services: ["pothole"],
      area: squareAround(CHANGSHA, 1000),
    });
    // Routing moved nothing by itself: the work is still the roads department's.
    expect(parks).toMatchObject({ workRoutedElsewhere: 1 });
    const listed = await elsewhere(t);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ id: inPark.id, department: "roads", routesTo: "parks" });
    expect(await elsewhere(t, "&department=parks")).toEqual([]);
    expect(await elsewhere(t, "&department=roads")).toHaveLength(1);
    // The admin's whole list carries no `routesTo`.
    const all = (await (await t.app.request("/api/admin/work-orders", asAdmin())).json())
      .workOrders as Listed[];
    expect(all.every((w) => !("routesTo" in w))).toBe(true);

    const rerouted = await t.app.request(`/api/admin/work-orders/${inPark.id}/reroute`, {
      method: "POST",
      ...asAdmin({ department: "parks" }),
    });
    expect(rerouted.status).toBe(200);
    expect(await elsewhere(t)).toEqual([]);
  });

  it("lists work whose service its department no longer takes, with nobody to give it to, and not once resolved", async () => {
    const t = await city();
    const light = await workOrderAt(t, CHANGSHA, { service: "light", reporters: 1 });
    const fixed = await workOrderAt(t, east(CHANGSHA, 500), { service: "light", reporters: 1 });
    const token = await departmentToken(t, "roads");
    for (const to of ["acknowledged", "resolved"])
      expect((await move(t, token, fixed.id, { to })).status).toBe(200);
    const department = (
      await (await t.app.request("/api/admin/departments", asAdmin())).json()
    ).departments.find((d: { code: string }) => d.code === "roads");
    const saved = await t.app.request("/api/admin/departments/roads", {
      method: "PUT",
      ...asAdmin({ ...department, services: ["pothole"] }),
    });
    expect(saved.status).toBe(200);
    expect(await saved.json()).toMatchObject({ workRoutedElsewhere: 1 });
    expect(await elsewhere(t)).toMatchObject([{ id: light.id, department: "roads", routesTo: null }]);
  });

  it("leaves out work a department takes as the service's fallback, outside its own area", async () => {
    const t = await makeTestApp();
    await makeService(t, { threshold: 1 });
    await makeDepartment(t, {
      code: "district",
      services: ["pothole"],
      fallbackFor: ["pothole"],
      area: squareAround(CHANGSHA, 2000),
    });
    const far = await workOrderAt(t, east(CHANGSHA, 10_000), { reporters: 1 });
    expect(far.department).toBe("district");
    expect(await elsewhere(t)).toEqual([]);
  });
});
