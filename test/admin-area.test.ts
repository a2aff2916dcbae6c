/** The console's area handling, pure: GeoJSON as GIS tools export it, corners for drawing, rings closed. */
import { describe, expect, it } from "vitest";
import { cornersOf, parseArea, polygonOf } from "../web/src/admin/area";

const square = {
  type: "Polygon",
  coordinates: [
    [
      [112.9, 28.1],
      [113.0, 28.1],
      [113.0, 28.2],
      [112.9, 28.2],
      [112.9, 28.1],
    ],
  ],
};

describe("a department's area in the console", () => {
  it("reads a Polygon, a MultiPolygon, a Feature and a collection of one feature", () => {
    expect(parseArea(JSON.stringify(square))).toEqual(square);
    const multi = { type: "MultiPolygon", coordinates: [square.coordinates] };
    expect(parseArea(JSON.stringify(multi))).toEqual(multi);
    const feature = { type: "Feature", properties: { name: "Furong" }, geometry: square };
    expect(parseArea(JSON.stringify(feature))).toEqual(square);
    expect(parseArea(JSON.stringify({ type: "FeatureCollection", features: [feature] }))).toEqual(square);
  });

  it("joins a district exported in parts (a collection of several polygons) into one MultiPolygon", () => {
    const east = {
      ...square,
      coordinates: [square.coordinates[0]?.map(([lon, lat]) => [(lon ?? 0) + 1, lat])],
    };
    const parts = {
      type: "FeatureCollection",
      features: [
        { type: "Feature", properties: {}, geometry: square },
        {
          type: "Feature",
          properties: {},
          geometry: { type: "MultiPolygon", coordinates: [east.coordinates] },
        },
      ],
    };
    expect(parseArea(JSON.stringify(parts))).toEqual({
      type: "MultiPolygon",
      coordinates: [square.coordinates, east.coordinates],
    });
    const geometries = { type: "GeometryCollection", geometries: [square, east] };
    expect(parseArea(JSON.stringify(geometries))).toEqual(parseArea(JSON.stringify(parts)));
    // A part that is no polygon (a label's point) is not silently left out.
    const withPoint = {
      ...parts,
      features: [...parts.features, { type: "Feature", geometry: { type: "Point", coordinates: [1, 2] } }],
    };
    expect(parseArea(JSON.stringify(withPoint))).toBeNull();
  });

  it("refuses what is not an area", () => {
    for (const text of [
      "",
      "{",
      JSON.stringify({ type: "Point", coordinates: [1, 2] }),
      JSON.stringify({ type: "Polygon", coordinates: [[["a", "b"]]] }),
      JSON.stringify({ type: "FeatureCollection", features: [{}, {}] }),
      "null",
    ])
      expect(parseArea(text), text).toBeNull();
  });

  it("turns a one-ring polygon into corners and back, closed", () => {
    const corners = cornersOf(square as never);
    expect(corners).toEqual([
      [28.1, 112.9],
      [28.1, 113.0],
      [28.2, 113.0],
      [28.2, 112.9],
    ]);
    expect(polygonOf(corners ?? [])).toEqual(square);
  });

  it("leaves areas the map cannot edit (holes, several parts, a surveyed boundary) as they are", () => {
    const holed = { type: "Polygon", coordinates: [square.coordinates[0], square.coordinates[0]] };
    expect(cornersOf(holed as never)).toBeNull();
    // Thousands of corners are shown, not handed out as markers to drag.
    const ring = Array.from({ length: 2000 }, (_, i) => {
      const a = (2 * Math.PI * i) / 2000;
      return [112.97 + 0.03 * Math.cos(a), 28.2 + 0.03 * Math.sin(a)];
    });
    const surveyed = { type: "Polygon", coordinates: [[...ring, ring[0]]] };
    expect(cornersOf(surveyed as never)).toBeNull();
    expect(cornersOf({ type: "MultiPolygon", coordinates: [square.coordinates] } as never)).toBeNull();
    expect(cornersOf(null)).toEqual([]);
  });

  it("makes no area from fewer than three corners, and rounds to seven decimals", () => {
    expect(
      polygonOf([
        [28.1, 112.9],
        [28.2, 113],
      ]),
    ).toBeNull();
    const p = polygonOf([
      [28.123456789, 112.9],
      [28.1, 113.0],
      [28.2, 113.0],
    ]);
    expect(p?.coordinates[0]?.[0]).toEqual([112.9, 28.1234568]);
    expect(p?.coordinates[0]?.[3]).toEqual(p?.coordinates[0]?.[0]);
  });
});
