/** A department's area as the console edits it: GeoJSON in and out, corners for drawing. */

export type Position = [number, number];
export type Area =
  | { type: "Polygon"; coordinates: Position[][] }
  | { type: "MultiPolygon"; coordinates: Position[][][] };
/** A corner as Leaflet takes it: `[lat, lon]`. */
export type Corner = [number, number];

const isPosition = (p: unknown): p is Position =>
  Array.isArray(p) && p.length >= 2 && typeof p[0] === "number" && typeof p[1] === "number";
const isRing = (r: unknown) => Array.isArray(r) && r.every(isPosition);
const isPolygon = (c: unknown) => Array.isArray(c) && c.length > 0 && c.every(isRing);

/**
 * The area in a GeoJSON text: a Polygon or MultiPolygon, a Feature of either, or a collection of
 * them (a FeatureCollection or GeometryCollection, as GIS tools export a district drawn in parts:
 * its parts become one MultiPolygon). Null when anything in it is not a polygon; the server checks
 * the rings themselves (closed, four positions or more, not crossing).
 */
export function parseArea(text: string): Area | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const areas = areasIn(json);
  if (!areas?.length) return null;
  if (areas.length === 1) return areas[0] as Area;
  return {
    type: "MultiPolygon",
    coordinates: areas.flatMap((g) => (g.type === "Polygon" ? [g.coordinates] : g.coordinates)),
  };
}

type GeoJson = {
  type?: string;
  geometry?: unknown;
  features?: unknown;
  geometries?: unknown;
  coordinates?: unknown;
};

/** The polygons and multipolygons a GeoJSON value holds, in order; null if it holds anything else. */
function areasIn(value: unknown): Area[] | null {
  const g = value as GeoJson | null;
  const all = (items: unknown) => {
    if (!Array.isArray(items)) return null;
    const found: Area[] = [];
    for (const item of items) {
      const areas = areasIn(item);
      if (!areas) return null;
      found.push(...areas);
    }
    return found;
  };
  switch (g?.type) {
    case "FeatureCollection":
      return all(g.features);
    case "GeometryCollection":
      return all(g.geometries);
    case "Feature":
      return areasIn(g.geometry);
    case "Polygon":
      return isPolygon(g.coordinates)
        ? [{ type: "Polygon", coordinates: g.coordinates as Position[][] }]
        : null;
    case "MultiPolygon":
      return Array.isArray(g.coordinates) && g.coordinates.every(isPolygon)
        ? [{ type: "MultiPolygon", coordinates: g.coordinates as Position[][][] }]
        : null;
    default:
      return null;
  }
}

/** More corners than a hand drags: a surveyed boundary, which the map shows but does not edit. */
export const MAX_EDITABLE_CORNERS = 500;

/** The corners of a one-ring polygon (its closing position dropped), which the map can edit; else null. */
export function cornersOf(area: Area | null): Corner[] | null {
  if (!area) return [];
  if (area.type !== "Polygon" || area.coordinates.length !== 1) return null;
  if ((area.coordinates[0]?.length ?? 0) > MAX_EDITABLE_CORNERS + 1) return null;
  const ring = area.coordinates[0] ?? [];
  const open = ring.length > 1 && samePosition(ring[0], ring[ring.length - 1]) ? ring.slice(0, -1) : ring;
  return open.map(([lon, lat]) => [lat, lon]);
}

const samePosition = (a?: Position, b?: Position) => !!a && !!b && a[0] === b[0] && a[1] === b[1];

/** A polygon through the corners, closed as GeoJSON requires; null below three corners. */
export function polygonOf(corners: Corner[]): Area | null {
  if (corners.length < 3) return null;
  const ring = corners.map(([lat, lon]): Position => [round(lon), round(lat)]);
  return { type: "Polygon", coordinates: [[...ring, ring[0] as Position]] };
}

/** Seven decimals: about a centimetre, finer than any boundary is known. */
const round = (x: number) => Math.round(x * 1e7) / 1e7;
