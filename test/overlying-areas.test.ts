/**
 * The performance page's map of areas: a department whose area lies over others' as another layer
 * (the demo city's streetlight office over its districts) is told apart, so it is drawn as an
 * outline rather than hiding the districts' colours; a park nested in a district is not.
 */
import { describe, expect, it } from "vitest";
import type { Area } from "../src/domain/geo";
import { overlyingAreas } from "../src/domain/overlying-areas";
import { DEMO_DEPARTMENTS } from "../src/seed/demo-city";

const box = (w: number, s: number, e: number, n: number): Area => ({
  type: "Polygon",
  coordinates: [
    [
      [w, s],
      [e, s],
      [e, n],
      [w, n],
      [w, s],
    ],
  ],
});

describe("areas lying over others", () => {
  it("finds the demo city's city-wide streetlight office, and no district or park", () => {
    expect([...overlyingAreas(DEMO_DEPARTMENTS as never)]).toEqual(["streetlights"]);
  });

  it("takes a nested area sharing a service as nested, and one of other services as another layer", () => {
    const district = { code: "district", services: ["pothole", "dumping"], area: box(0, 0, 1, 1) };
    const park = { code: "park", services: ["dumping"], area: box(0.4, 0.4, 0.5, 0.5) };
    expect(overlyingAreas([district, park])).toEqual(new Set());
    const lights = { code: "lights", services: ["streetlight"], area: box(-1, -1, 2, 2) };
    expect(overlyingAreas([district, park, lights])).toEqual(new Set(["lights"]));
    // Side by side, or with no area, nothing lies over anything.
    const next = { code: "next", services: ["streetlight"], area: box(1.5, 0, 2, 1) };
    const none = { code: "none", services: ["graffiti"], area: null };
    expect(overlyingAreas([district, next, none])).toEqual(new Set());
  });
});
