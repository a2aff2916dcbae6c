/** Naming a list of points at once gives each the words naming it alone would (pure). */
import { describe, expect, it } from "vitest";
import { namePoints, reachOfPoints } from "../src/domain/place-names";
import { nameOfPoint, placeFrame, placeLabel, whereWords } from "../src/domain/places";
import { DEMO_CENTRE, DEMO_DEPARTMENTS } from "../src/seed/demo-city";
import { demoPlaces } from "../src/seed/gazetteer";

const places = demoPlaces(DEMO_DEPARTMENTS).map((p) => ({ ...p, ...placeFrame(p.geometry) }));

/** One point named against the whole gazetteer, as `nameThePoint` does. */
function alone(p: { lat: number; lon: number }) {
  const named = nameOfPoint(p, places);
  const w = whereWords({
    label: { zh: placeLabel(named, "zh"), en: placeLabel(named, "en") },
    near: named.near,
  });
  return w.zh && w.en ? { zh: w.zh, en: w.en } : null;
}

describe("namePoints", () => {
  it("names a grid of points across cell edges as each point alone, with one box per occupied cell", () => {
    // Every 300-odd m out to 40 km around the demo centre: many cells, points on both sides of their
    // edges, inside districts and up to and past the 5 km a district names from.
    const points = [];
    for (let i = -130; i <= 130; i += 1.3)
      for (let j = -130; j <= 130; j += 1.3)
        points.push({ lat: DEMO_CENTRE.lat + i * 0.0027, lon: DEMO_CENTRE.lon + j * 0.0031 });
    const named = namePoints(points, places);
    expect(named.filter(Boolean).length).toBeGreaterThan(100);
    expect(named.some((n) => n?.en.startsWith("near "))).toBe(true);
    points.forEach((p, i) => {
      expect(named[i], JSON.stringify(p)).toEqual(alone(p));
    });
    expect(reachOfPoints(points).length).toBeLessThan(points.length);
    expect(
      reachOfPoints([DEMO_CENTRE, { lat: DEMO_CENTRE.lat + 0.0001, lon: DEMO_CENTRE.lon }]),
    ).toHaveLength(1);
  });

  it("names a point inside two overlapping districts the same whichever order the places come in", () => {
    // The demo's Tianxin and Yuelu outlines overlap here: a list and a single request had read
    // the rows in different orders and named the one report two districts.
    const p = { lat: 28.21, lon: 112.96 };
    const inside = places.filter((c) => c.kind === "district" && nameOfPoint(p, [c]).district !== null);
    expect(nameOfPoint(p, inside).district).toEqual(nameOfPoint(p, [...inside].reverse()).district);
    expect(nameOfPoint(p, places)).toEqual(nameOfPoint(p, [...places].reverse()));
  });

  it("names nothing far from every place", () => {
    expect(namePoints([{ lat: 10, lon: 10 }], places)).toEqual([null]);
    expect(namePoints([], places)).toEqual([]);
  });
});

describe("placeFrame", () => {
  it("frames a boundary of 300,000 vertices (spread as arguments, they overflowed the stack)", () => {
    const ring: [number, number][] = Array.from({ length: 300_000 }, (_, i) => {
      const a = (2 * Math.PI * i) / 300_000;
      return [113 + Math.cos(a), 28 + Math.sin(a)];
    });
    ring.push(ring[0] as [number, number]);
    expect(placeFrame({ type: "Polygon", coordinates: [ring] })).toMatchObject({
      lat: 28,
      lon: 113,
      minLat: 27,
      maxLat: 29,
      minLon: 112,
      maxLon: 114,
    });
  });

  it("centres a multi-polygon on its vertices, each ring's closing vertex counted once", () => {
    const square = (x: number, y: number): [number, number][] => [
      [x, y],
      [x + 1, y],
      [x + 1, y + 1],
      [x, y + 1],
      [x, y],
    ];
    // Two unit squares side by side: the centre is between them, not pulled toward the first
    // square's repeated corner.
    const f = placeFrame({ type: "MultiPolygon", coordinates: [[square(112, 28)], [square(113, 28)]] });
    expect(f).toMatchObject({ lat: 28.5, lon: 113, minLon: 112, maxLon: 114, minLat: 28, maxLat: 29 });
    expect(placeFrame({ type: "Polygon", coordinates: [square(112, 28)] })).toMatchObject({
      lat: 28.5,
      lon: 112.5,
    });
  });
});
