/** Geometry on the scale of a city: metres, bounding boxes, areas and point-in-polygon. */
import { getAreaOfPolygon, getDistance } from "geolib";

export interface Point {
  lat: number;
  lon: number;
}
export interface BBox {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}
export type Ring = [number, number][]; // GeoJSON order: [lon, lat]
export type Area = { type: "Polygon"; coordinates: Ring[] } | { type: "MultiPolygon"; coordinates: Ring[][] };

/**
 * Exactly 0,0, in the Gulf of Guinea: what phones and apps send when they have no position fix,
 * never where a resident's problem is.
 */
export const isNoFix = (p: Point): boolean => p.lat === 0 && p.lon === 0;

/**
 * A computed coordinate to 7 decimals (about 1 cm): a mean's float noise (28.192349999999998) is
 * no precision. The places' centres and the exports are written so; the map's sums count in 1e-7 degree too.
 */
export const to7 = (n: number) => Math.round(n * 1e7) / 1e7;

/** Metres per degree of latitude (and of longitude at the equator), on the WGS84 mean radius. */
export const METRES_PER_DEGREE = 111_195;

/** Great-circle distance in metres. */
export function distanceM(a: Point, b: Point): number {
  return getDistance({ latitude: a.lat, longitude: a.lon }, { latitude: b.lat, longitude: b.lon }, 0.01);
}

/**
 * What the database needs to find points within `radiusM` of a point without trigonometry
 * (which D1 lacks): a box for the index and the scale of a degree of longitude here.
 * Within a few hundred metres the flat-earth distance this implies is within 0.1% of the
 * great-circle one.
 */
export function searchArea(p: Point, radiusM: number) {
  const lonScale = Math.cos((p.lat * Math.PI) / 180);
  const dLat = radiusM / METRES_PER_DEGREE;
  const dLon = radiusM / (METRES_PER_DEGREE * Math.max(lonScale, 1e-6));
  return {
    box: { minLat: p.lat - dLat, maxLat: p.lat + dLat, minLon: p.lon - dLon, maxLon: p.lon + dLon },
    lonScale,
    radiusDeg2: dLat * dLat,
  };
}

const DECIMAL = /^[-+]?(\d+\.?\d*|\.\d+)$/;

/** Parses `minLon,minLat,maxLon,maxLat`; null when it is not four numbers in order and range. */
export function parseBBox(text: string): BBox | null {
  const written = text.split(",").map((s) => s.trim());
  // Plain decimals only: `Number` would read an empty part as 0 and `0x70` as 112.
  if (written.length !== 4 || !written.every((s) => DECIMAL.test(s))) return null;
  const parts = written.map(Number);
  const [minLon, minLat, maxLon, maxLat] = parts as [number, number, number, number];
  if (minLon < -180 || maxLon > 180 || minLat < -90 || maxLat > 90) return null;
  if (minLon > maxLon || minLat > maxLat) return null;
  return { minLon, minLat, maxLon, maxLat };
}

const polygonsOf = (area: Area): Ring[][] =>
  area.type === "Polygon" ? [area.coordinates] : area.coordinates;

/**
 * Ray casting, edge for edge and boundary case for boundary case as geolib's `isPointInPolygon`,
 * on the ring as it is: geolib parses every coordinate of every ring on every call, which made
 * routing a tenth of a report's cost.
 */
function inRing(p: Point, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as [number, number];
    const [xj, yj] = ring[j] as [number, number];
    const crosses = (xi <= p.lon && p.lon < xj) || (xj <= p.lon && p.lon < xi);
    if (crosses && p.lat < ((yj - yi) * (p.lon - xi)) / (xj - xi) + yi) inside = !inside;
  }
  return inside;
}

/** The smallest box holding every position of the area. */
export function areaBox(area: Area): BBox {
  const box = { minLon: Infinity, minLat: Infinity, maxLon: -Infinity, maxLat: -Infinity };
  for (const [lon, lat] of polygonsOf(area).flat(2)) {
    box.minLon = Math.min(box.minLon, lon);
    box.maxLon = Math.max(box.maxLon, lon);
    box.minLat = Math.min(box.minLat, lat);
    box.maxLat = Math.max(box.maxLat, lat);
  }
  return box;
}

/** True when the point is inside the area: inside an outer ring and in none of its holes. */
export function areaContains(area: Area, p: Point): boolean {
  return polygonsOf(area).some(
    ([outer, ...holes]) => outer !== undefined && inRing(p, outer) && !holes.some((h) => inRing(p, h)),
  );
}

/** Square metres covered by the area, holes taken out. */
export function areaM2(area: Area): number {
  const ringArea = (ring: Ring) =>
    getAreaOfPolygon(ring.map(([lon, lat]) => ({ latitude: lat, longitude: lon })));
  return polygonsOf(area).reduce(
    (sum, [outer, ...holes]) =>
      sum + (outer ? ringArea(outer) : 0) - holes.reduce((h, ring) => h + ringArea(ring), 0),
    0,
  );
}
