/**
 * Departments' areas overlapping for a service both handle: said when one is saved, since routing
 * then gives the overlap's reports to the smaller area alone. Nested areas and a border's sliver
 * are not overlaps.
 */
import { describe, expect, it } from "vitest";
import { overlapsOf } from "../src/domain/area-overlaps";
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

const district = (
  code: string,
  centre: { lat: number; lon: number },
  sideM: number,
  services = ["pothole"],
) => ({
  code,
  services,
  area: squareAround(centre, sideM),
});

describe("overlapsOf", () => {
  const furong = district("furong", CHANGSHA, 2000);

  it("finds a partial overlap for a service both handle, and names the smaller area as the one taking it", () => {
    // 1,500 m east, 1.8 km wide: a strip 400 m wide both cover; tianxin is the smaller.
    const tianxin = district("tianxin", east(CHANGSHA, 1500), 1800);
    const [overlap, ...more] = overlapsOf(furong, [furong, tianxin]);
    expect(more).toEqual([]);
    expect(overlap).toMatchObject({ department: "tianxin", services: ["pothole"], goesTo: "tianxin" });
    // 400 m × 1,800 m, within the grid's error.
    expect(overlap?.overlapM2).toBeGreaterThan(0.9 * 720_000);
    expect(overlap?.overlapM2).toBeLessThan(1.1 * 720_000);
    expect(overlapsOf(tianxin, [furong])[0]).toMatchObject({ department: "furong", goesTo: "tianxin" });
  });

  it("finds two areas alike in size over one place, which routing splits by code alone", () => {
    const again = district("again", CHANGSHA, 2000);
    expect(overlapsOf(furong, [again])).toMatchObject([{ department: "again", goesTo: "again" }]);
    // Drawn 50 m apart: about 97.5% of each over the other, still two departments on one place.
    expect(overlapsOf(furong, [district("shifted", east(CHANGSHA, 50), 2000)])).toHaveLength(1);
  });

  it("counts an area's holes out: a department in a district's hole does not overlap it", () => {
    const ring = (p: { lat: number; lon: number }, side: number) => squareAround(p, side).coordinates[0];
    const holed = {
      code: "holed",
      services: ["pothole"],
      area: { type: "Polygon" as const, coordinates: [ring(CHANGSHA, 2000), ring(CHANGSHA, 1000)] as never },
    };
    expect(overlapsOf(holed, [district("inside-hole", CHANGSHA, 900)])).toEqual([]);
    expect(overlapsOf(holed, [district("across-hole", CHANGSHA, 1400)])).toHaveLength(1);
  });

  it("leaves out an area nested in another, a border's sliver, other services and areas apart", () => {
    expect(overlapsOf(furong, [district("park", CHANGSHA, 300)])).toEqual([]);
    // Two surveys of one border, 5 m apart: a sliver of 5 m × 2 km.
    expect(overlapsOf(furong, [district("yuhua", east(CHANGSHA, 1995), 2000)])).toEqual([]);
    expect(overlapsOf(furong, [district("lights", east(CHANGSHA, 1500), 2000, ["streetlight"])])).toEqual([]);
    expect(overlapsOf(furong, [district("kaifu", east(CHANGSHA, 5000), 2000)])).toEqual([]);
    expect(overlapsOf(furong, [{ code: "city", services: ["pothole"], area: null }])).toEqual([]);
  });
});

describe("saving a department whose area overlaps another's", () => {
  it("says so in the answer, and routing gives the overlap to the smaller area", async () => {
    const t = await makeTestApp();
    await makeService(t, { code: "pothole", threshold: 1 });
    const first = await makeDepartment(t, district("furong", CHANGSHA, 2000));
    expect(first.overlaps).toEqual([]);
    const res = await t.app.request("/api/admin/departments", {
      method: "POST",
      ...asAdmin({
        name: { en: "Tianxin", zh: "天心区" },
        ...district("tianxin", east(CHANGSHA, 1500), 1800),
      }),
    });
    expect(res.status).toBe(201);
    const body = (await res.json()) as { overlaps: { department: string; goesTo: string }[] };
    expect(body.overlaps).toEqual([
      { department: "furong", services: ["pothole"], overlapM2: expect.any(Number), goesTo: "tianxin" },
    ]);
    // What it warns of: a report in the strip both cover goes to the smaller area.
    const inStrip = await reportAt(t, east(CHANGSHA, 800));
    expect(inStrip.status).toBe(201);
    expect(inStrip.body.cluster.workOrder.department).toBe("tianxin");
    // Moved apart: no overlap left to say.
    const apart = await t.app.request("/api/admin/departments/tianxin", {
      method: "PUT",
      ...asAdmin({
        name: { en: "Tianxin", zh: "天心区" },
        ...district("tianxin", east(CHANGSHA, 3000), 1800),
      }),
    });
    expect(apart.status).toBe(200);
    expect(((await apart.json()) as { overlaps: unknown[] }).overlaps).toEqual([]);
  });
});
