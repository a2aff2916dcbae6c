import { isPointInPolygon } from "geolib";
import { describe, expect, it } from "vitest";
import { type Area, areaContains, areaM2, distanceM, parseBBox } from "../src/domain/geo";
import { type RoutingCandidate, routeDepartment } from "../src/domain/routing";
import { makeTestApp } from "./support/app";
import {
  asAdmin,
  CHANGSHA,
  east,
  makeDepartment,
  makeService,
  reportAt,
  squareAround,
} from "./support/fixtures";

const candidate = (code: string, area: Area | null, fallback = false): RoutingCandidate => ({
  code,
  area,
  areaM2: area ? areaM2(area) : null,
  fallback,
});

describe("routing (pure)", () => {
  const district = squareAround(CHANGSHA, 4000);
  const park = squareAround(CHANGSHA, 300);

  it("prefers the smallest area that contains the point", () => {
    const candidates = [candidate("district", district), candidate("park", park)];
    expect(routeDepartment(candidates, CHANGSHA)).toBe("park");
    expect(routeDepartment(candidates, east(CHANGSHA, 1000))).toBe("district");
  });

  it("falls back for points in no area, and is unrouted without a fallback", () => {
    const far = east(CHANGSHA, 10_000);
    expect(routeDepartment([candidate("district", district), candidate("city", null, true)], far)).toBe(
      "city",
    );
    expect(routeDepartment([candidate("district", district)], far)).toBeNull();
    expect(routeDepartment([], CHANGSHA)).toBeNull();
  });

  it("respects holes and multipolygons", () => {
    const [outer] = squareAround(CHANGSHA, 2000).coordinates;
    const [hole] = squareAround(CHANGSHA, 200).coordinates;
    const ring: Area = { type: "Polygon", coordinates: [outer as never, hole as never] };
    expect(areaContains(ring, CHANGSHA)).toBe(false);
    expect(areaContains(ring, east(CHANGSHA, 500))).toBe(true);
    const multi: Area = {
      type: "MultiPolygon",
      coordinates: [[hole as never], squareAround(east(CHANGSHA, 5000), 100).coordinates as never],
    };
    expect(areaContains(multi, CHANGSHA)).toBe(true);
    expect(areaContains(multi, east(CHANGSHA, 5000))).toBe(true);
    expect(areaContains(multi, east(CHANGSHA, 2500))).toBe(false);
    // Holes are taken out; geolib's earth model is within 1% at this scale.
    expect(areaM2(ring) / (2000 * 2000 - 200 * 200)).toBeCloseTo(1, 2);
  });

  it("tells inside from outside as geolib's isPointInPolygon does, on vertices and edges too", () => {
    const ring: [number, number][] = [
      [112.9, 28.1],
      [113.0, 28.1],
      [113.05, 28.2],
      [112.95, 28.25],
      [112.9, 28.2],
      [112.9, 28.1],
    ];
    const area: Area = { type: "Polygon", coordinates: [ring] };
    // Random points around the ring, every vertex, and points on its edges and grid lines.
    const points = [
      ...Array.from({ length: 500 }, (_, i) => ({
        lon: 112.85 + ((i * 7919) % 250) / 1000,
        lat: 28.05 + ((i * 104729) % 250) / 1000,
      })),
      ...ring.map(([lon, lat]) => ({ lon, lat })),
      { lon: 112.95, lat: 28.1 },
      { lon: 112.9, lat: 28.15 },
      { lon: 113.025, lat: 28.15 },
    ];
    for (const p of points) {
      const geolib = isPointInPolygon(
        { latitude: p.lat, longitude: p.lon },
        ring.map(([lon, lat]) => ({ latitude: lat, longitude: lon })),
      );
      expect(areaContains(area, p), `${p.lon},${p.lat}`).toBe(geolib);
    }
  });

  it("measures distance and parses boxes", () => {
    expect(distanceM(CHANGSHA, east(CHANGSHA, 100))).toBeCloseTo(100, 0);
    expect(parseBBox("112.9,28.1,113.0,28.3")).toEqual({
      minLon: 112.9,
      minLat: 28.1,
      maxLon: 113,
      maxLat: 28.3,
    });
    expect(parseBBox("113,28,112,29")).toBeNull();
  });
});

describe("routing through the intake", () => {
  it("routes nested areas to the smallest, then the fallback, else unrouted", async () => {
    const t = await makeTestApp();
    await makeService(t, { threshold: 1 });
    await makeDepartment(t, { code: "district", services: ["pothole"], area: squareAround(CHANGSHA, 4000) });
    await makeDepartment(t, { code: "park", services: ["pothole"], area: squareAround(CHANGSHA, 300) });
    const inPark = await reportAt(t, CHANGSHA);
    const inDistrict = await reportAt(t, east(CHANGSHA, 1000));
    const nowhere = await reportAt(t, east(CHANGSHA, 10_000));
    expect(inPark.body.cluster.workOrder.department).toBe("park");
    expect(inDistrict.body.cluster.workOrder.department).toBe("district");
    expect(nowhere.body.cluster.workOrder).toMatchObject({ department: null, status: "unrouted" });
    await makeDepartment(t, { code: "city", services: ["pothole"], fallbackFor: ["pothole"] });
    const later = await reportAt(t, east(CHANGSHA, 12_000));
    expect(later.body.cluster.workOrder).toMatchObject({ department: "city", status: "dispatched" });
  });

  it("takes one fallback department per service: a second is refused by name, also when two are saved at once", async () => {
    const t = await makeTestApp();
    await makeService(t, { threshold: 1 });
    await makeService(t, { code: "noise", threshold: 1 });
    await makeDepartment(t, { code: "city", services: ["pothole"], fallbackFor: ["pothole"] });
    const department = (code: string, fallbackFor: string[]) => ({
      name: { en: code, zh: code },
      services: ["pothole", "noise"],
      fallbackFor,
    });
    const send = (method: string, path: string, body: unknown) =>
      t.app.request(path, { method, ...asAdmin(body) });
    const refusal = async (res: Response) => ({
      status: res.status,
      ...((await res.json()) as { error: { code: string; field: string; message: string } }).error,
    });
    // A second one for pothole, made or saved: refused, naming the one that has it; nothing written.
    const made = await send("POST", "/api/admin/departments", {
      code: "county",
      ...department("county", ["pothole"]),
    });
    expect(await refusal(made)).toMatchObject({ status: 409, code: "fallback_taken", field: "fallbackFor" });
    const codes = async () =>
      (
        (await (await send("GET", "/api/admin/departments", undefined)).json()) as {
          departments: { code: string }[];
        }
      ).departments.map((d) => d.code);
    expect(await codes()).toEqual(["city"]);
    await makeDepartment(t, { code: "county", services: ["pothole", "noise"] });
    const saved = await send("PUT", "/api/admin/departments/county", department("county", ["pothole"]));
    const said = await refusal(saved);
    expect(said).toMatchObject({ status: 409, code: "fallback_taken", field: "fallbackFor" });
    expect(said.message).toContain("department city");
    // Two departments claiming noise at once: one gets it, the other a 409, never a 500.
    await makeDepartment(t, { code: "suburb", services: ["pothole", "noise"] });
    const both = await Promise.all(
      ["county", "suburb"].map((code) =>
        send("PUT", `/api/admin/departments/${code}`, department(code, ["noise"])),
      ),
    );
    expect(both.map((r) => r.status).sort()).toEqual([200, 409]);
    const list = (await (await send("GET", "/api/admin/departments", undefined)).json()) as {
      departments: { code: string; fallbackFor: string[] }[];
    };
    const fallbacks = list.departments.flatMap((d) => d.fallbackFor.map((s) => `${s}:${d.code}`));
    expect(fallbacks.filter((f) => f.startsWith("noise:"))).toHaveLength(1);
    expect(fallbacks).toContain("pothole:city");
    // A new department under a code taken: refused, and the existing one gains nothing of it.
    const again = await send("POST", "/api/admin/departments", { code: "city", ...department("city", []) });
    expect(await refusal(again)).toMatchObject({ status: 409, code: "department_exists", field: "code" });
    const after = (await (await send("GET", "/api/admin/departments", undefined)).json()) as {
      departments: { code: string; services: string[] }[];
    };
    expect(after.departments.find((d) => d.code === "city")?.services).toEqual(["pothole"]);
    // Two admins making the same new code at once: one is made, with its own services only.
    const [a, b] = await Promise.all([
      send("POST", "/api/admin/departments", {
        code: "twin",
        ...department("twin", []),
        services: ["pothole"],
      }),
      send("POST", "/api/admin/departments", {
        code: "twin",
        ...department("twin", []),
        services: ["noise"],
      }),
    ]);
    expect([a.status, b.status].sort()).toEqual([201, 409]);
    const twin = (await (a.status === 201 ? a : b).json()) as { department: { services: string[] } };
    const listed = (await (await send("GET", "/api/admin/departments", undefined)).json()) as {
      departments: { code: string; services: string[] }[];
    };
    expect(listed.departments.find((d) => d.code === "twin")?.services).toEqual(twin.department.services);
    expect(twin.department.services).toHaveLength(1);
  });
});
