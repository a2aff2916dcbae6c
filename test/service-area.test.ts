/**
 * A report tens of kilometres from every department's area is another city's, a slip of the map
 * or junk: refused on every intake path with the field and the reason, and nothing written. Near
 * the areas (a ring road beyond a district's edge) reports are taken and wait to be routed; a city
 * with no area drawn yet takes reports anywhere.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { placedArea, SERVICE_MARGIN_M, withinServiceArea } from "../src/domain/routing";
import { makeTestApp } from "./support/app";
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
import { fromResident } from "./support/residents";
import { hitAt, makeSensorCity, upload } from "./support/sensor";

const counts = async (t: Awaited<ReturnType<typeof makeTestApp>>) =>
  t.db.get<{ reports: number; clusters: number; workOrders: number }>(sql`SELECT
    (SELECT count(*) FROM reports) AS reports, (SELECT count(*) FROM clusters) AS clusters,
    (SELECT count(*) FROM work_orders) AS workOrders`);

describe("the area the city serves", () => {
  it("takes reports near the departments' areas and refuses those far from all of them", async () => {
    const t = await makeTestApp();
    await makeService(t, { code: "pothole", threshold: 1 });
    await makeDepartment(t, { code: "roads", services: ["pothole"], area: squareAround(CHANGSHA, 3000) });
    // Beyond the area but near it: taken, and waits for a department.
    const near = await reportAt(t, north(CHANGSHA, 40_000));
    expect(near.status).toBe(201);
    expect(near.body.cluster.workOrder.department).toBeNull();
    const before = await counts(t);
    // The field at fault is the coordinate that is wrong: a longitude alone out (mistyped, or
    // sent as 0) names `lon`, so a form marks that box.
    for (const [far, field] of [
      [north(CHANGSHA, 3000 + SERVICE_MARGIN_M + 1000), "lat"],
      [east(CHANGSHA, 3000 + SERVICE_MARGIN_M + 1000), "lon"],
      [{ lat: CHANGSHA.lat, lon: -1 }, "lon"],
      [{ lat: 39.9042, lon: 116.4074 }, "lat"], // Beijing
      [{ lat: -28.19, lon: 112.98 }, "lat"],
    ] as const) {
      const res = await reportAt(t, far);
      expect(res.status, JSON.stringify(far)).toBe(400);
      expect(res.body.error, JSON.stringify(far)).toMatchObject({ code: "outside_service_area", field });
      expect(res.body.error.message).toMatch(/outside the area this city serves/);
    }
    expect(await counts(t)).toEqual(before);
  });

  it("promises no department, in the routing the report form shows, where the intake would refuse", async () => {
    const t = await makeTestApp();
    await makeService(t, { code: "pothole", threshold: 1 });
    await makeDepartment(t, { code: "roads", services: ["pothole"], area: squareAround(CHANGSHA, 3000) });
    // The fallback takes what no area holds: near the city, not in another one.
    await makeDepartment(t, { code: "city", services: ["pothole"], fallbackFor: ["pothole"] });
    const routing = async (p: { lat: number; lon: number }) => {
      const res = await t.app.request(`/api/routing?service=pothole&lat=${p.lat}&lon=${p.lon}`);
      expect(res.status).toBe(200);
      return res.json();
    };
    expect(await routing(north(CHANGSHA, 40_000))).toMatchObject({
      department: "city",
      outsideServiceArea: false,
    });
    expect(await routing({ lat: 39.9042, lon: 116.4074 })).toMatchObject({
      department: null,
      outsideServiceArea: true,
    });
    expect((await reportAt(t, { lat: 39.9042, lon: 116.4074 })).status).toBe(400);
  });

  it("refuses them through Open311 as a 400 saying why", async () => {
    const t = await makeTestApp();
    await makeService(t, { code: "pothole", threshold: 1 });
    await makeDepartment(t, { code: "roads", services: ["pothole"], area: squareAround(CHANGSHA, 3000) });
    const key = await t.app.request("/api/admin/api-keys", {
      method: "POST",
      ...asAdmin({ name: "FixMyStreet" }),
    });
    const { key: apiKey } = (await key.json()) as { key: string };
    const res = await t.app.request("/open311/v2/requests.json", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", ...fromResident("open311-far") },
      body: new URLSearchParams({
        api_key: apiKey,
        service_code: "pothole",
        lat: "39.9042",
        long: "116.4074",
        description: "A hole in Beijing",
      }).toString(),
    });
    expect(res.status).toBe(400);
    const [error] = (await res.json()) as { code: number; description: string }[];
    expect(error?.description).toMatch(/place is outside the area this city serves/);
    expect((await counts(t))?.reports).toBe(0);
  });

  it("takes reports anywhere while no department has an area", async () => {
    const t = await makeTestApp();
    await makeService(t, { code: "pothole", threshold: 1 });
    await makeDepartment(t, { code: "roads", services: ["pothole"] });
    expect((await reportAt(t, { lat: 39.9042, lon: 116.4074 })).status).toBe(201);
  });

  it("keeps no spot of phones driving in another city, so none files a report there", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    const beijing = { lat: 39.9042, lon: 116.4074 };
    for (const phone of ["far-phone-1", "far-phone-2", "far-phone-3"]) {
      const res = await upload(t, { deviceId: phone, events: [hitAt(beijing, t.clock() - 60_000)] });
      expect(res.status).toBe(202);
    }
    const spots = await t.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM road_spots`);
    expect(spots?.n).toBe(0);
    expect(await counts(t)).toEqual({ reports: 0, clusters: 0, workOrders: 0 });
    // The same three phones over a pothole in the city confirm it.
    for (const phone of ["far-phone-1", "far-phone-2", "far-phone-3"])
      await upload(t, { deviceId: phone, events: [hitAt(CHANGSHA, t.clock() - 60_000)] });
    expect((await counts(t))?.reports).toBe(1);
  });

  it("keeps no road cell far from every area: an upload's cells anywhere on Earth only grew the table", async () => {
    const t = await makeTestApp();
    await makeSensorCity(t);
    const cellOf = (p: { lat: number; lon: number }) =>
      `${Math.floor(p.lat / 1e-4)}:${Math.floor(p.lon / 1e-4)}`;
    const paris = { lat: 48.8566, lon: 2.3522 };
    const res = await upload(t, {
      deviceId: "globetrotter",
      events: [],
      cells: [cellOf(paris), cellOf(CHANGSHA)],
    });
    expect(res.status).toBe(202);
    const kept = await t.db.all<{ cell: string }>(
      sql`SELECT lat_index || ':' || lon_index AS cell FROM cell_passes ORDER BY 1`,
    );
    expect(kept.map((r) => r.cell)).toEqual([cellOf(CHANGSHA)]);
  });

  it("measures its margin across the antimeridian and east-west at the point's latitude", () => {
    const ring = (w: number, e: number, s: number, n: number): [number, number][] => [
      [w, s],
      [e, s],
      [e, n],
      [w, n],
      [w, s],
    ];
    const fiji = [placedArea("fiji", { type: "Polygon", coordinates: [ring(179.5, 179.9, -17, -16)] })];
    expect(withinServiceArea(fiji, { lat: -16.5, lon: -179.95 })).toBe(true);
    expect(withinServiceArea(fiji, { lat: -16.5, lon: -178 })).toBe(false);
    // A square 3 km across: its edge 1.5 km from the centre.
    const changsha = [placedArea("roads", squareAround(CHANGSHA, 3000) as never)];
    expect(withinServiceArea(changsha, east(CHANGSHA, 1500 + SERVICE_MARGIN_M - 1000))).toBe(true);
    expect(withinServiceArea(changsha, east(CHANGSHA, 1500 + SERVICE_MARGIN_M + 1000))).toBe(false);
    expect(withinServiceArea([], { lat: 39.9, lon: 116.4 })).toBe(true);
  });
  it("refuses a department's area written as [latitude, longitude] where both orders are positions on Earth", async () => {
    const t = await makeTestApp();
    await makeService(t, { code: "pothole", threshold: 1 });
    const boston = { lat: 42.3601, lon: -71.0589 };
    await makeDepartment(t, { code: "roads", services: ["pothole"], area: squareAround(boston, 4000) });
    const flip = (area: ReturnType<typeof squareAround>) => ({
      type: "Polygon",
      coordinates: area.coordinates.map((ring) => ring.map(([lon, lat]) => [lat, lon])),
    });
    const department = (code: string, area: unknown, method = "POST") => ({
      ...asAdmin({ code, name: { en: code, zh: code }, services: ["pothole"], area }),
      method,
    });
    const swapped = await t.app.request(
      "/api/admin/departments",
      department("parks", flip(squareAround(boston, 2000))),
    );
    expect(swapped.status).toBe(400);
    const body = await swapped.json();
    expect(body.error.field).toBe("area.coordinates");
    expect(body.error.message).toMatch(/\[longitude, latitude\]/);
    // The same area the right way round is taken, and so is another city's (a region's platform).
    const parks = await t.app.request(
      "/api/admin/departments",
      department("parks", squareAround(boston, 2000)),
    );
    expect(parks.status).toBe(201);
    const worcester = { lat: 42.2626, lon: -71.8023 };
    const far = await t.app.request(
      "/api/admin/departments",
      department("far", squareAround(north(worcester, 300_000), 2000)),
    );
    expect(far.status).toBe(201);
    // Nor may a saved department's area be turned round.
    const turned = await t.app.request(
      "/api/admin/departments/parks",
      department("parks", flip(squareAround(boston, 2000)), "PUT"),
    );
    expect([turned.status, (await turned.json()).error.field]).toEqual([400, "area.coordinates"]);
    const [areas] = await t.db.all<{ n: number }>(
      sql`SELECT count(*) AS n FROM departments WHERE area IS NOT NULL`,
    );
    expect(areas?.n).toBe(3);
  });
});
