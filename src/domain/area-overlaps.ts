/**
 * Departments whose areas partly overlap for a service they both handle: routing gives every
 * report in the overlap to the smaller area, which for two districts drawn over each other's
 * streets is seldom what the city meant, and for two areas alike over one place, never. An area
 * clearly smaller and wholly inside another (an island park in a district) is the rule working as
 * meant and is not one; nor is a sliver along a shared border where two surveys disagree by a few
 * metres. No I/O.
 */
import { type Area, areaBox, areaM2, METRES_PER_DEGREE } from "./geo";

export interface AreaDepartment {
  code: string;
  services: readonly string[];
  area: Area | null;
}

export interface AreaOverlap {
  /** The other department. */
  department: string;
  /** The services both handle, whose reports in the overlap go to one of them only. */
  services: string[];
  /** About how many square metres both areas cover. */
  overlapM2: number;
  /** Which of the two takes the overlap's reports: the smaller area's (then the first code). */
  goesTo: string;
}

/** Rows and columns of the grid laid over the two areas' common box. */
const GRID = 80;
/** Under this share of the smaller area, an overlap is a border's sliver. */
const SLIVER = 0.01;
/**
 * An area is nested in another (as meant) when the overlap covers this share of it and it is
 * clearly the smaller: two areas alike in size over each other are two departments on one place.
 */
const NESTED = 0.97;
const CLEARLY_SMALLER = 0.9;

interface Sized extends AreaDepartment {
  area: Area;
  m2: number;
}

const ringsOf = (area: Area) => (area.type === "Polygon" ? area.coordinates : area.coordinates.flat());

/**
 * Where a row at latitude `lat` crosses the area's edges, west to east: between the first and
 * second crossing it is inside, and so on (even-odd, as `areaContains` tests a point; holes and
 * the parts of a MultiPolygon included). One pass over the corners a row, not one a point.
 */
function crossings(area: Area, lat: number): number[] {
  const xs: number[] = [];
  for (const ring of ringsOf(area))
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi, yi] = ring[i] as [number, number];
      const [xj, yj] = ring[j] as [number, number];
      if ((yi <= lat && lat < yj) || (yj <= lat && lat < yi))
        xs.push(xi + ((lat - yi) * (xj - xi)) / (yj - yi));
    }
  return xs.sort((a, b) => a - b);
}

/** Whether `lon` is inside by a row's sorted crossings: an odd number of them lie west of it. */
const insideRow = (xs: number[], lon: number) => {
  let west = 0;
  while (west < xs.length && (xs[west] as number) < lon) west++;
  return west % 2 === 1;
};

/** About how many square metres `a` and `b` both cover: a grid of points over their common box. */
function overlapM2(a: Area, b: Area): number {
  const [ba, bb] = [areaBox(a), areaBox(b)];
  const box = {
    minLat: Math.max(ba.minLat, bb.minLat),
    maxLat: Math.min(ba.maxLat, bb.maxLat),
    minLon: Math.max(ba.minLon, bb.minLon),
    maxLon: Math.min(ba.maxLon, bb.maxLon),
  };
  if (box.minLat >= box.maxLat || box.minLon >= box.maxLon) return 0;
  const dLat = (box.maxLat - box.minLat) / GRID;
  const dLon = (box.maxLon - box.minLon) / GRID;
  let both = 0;
  for (let i = 0; i < GRID; i++) {
    const lat = box.minLat + (i + 0.5) * dLat;
    const [xa, xb] = [crossings(a, lat), crossings(b, lat)];
    for (let j = 0; j < GRID; j++) {
      const lon = box.minLon + (j + 0.5) * dLon;
      if (insideRow(xa, lon) && insideRow(xb, lon)) both++;
    }
  }
  const midLat = ((box.minLat + box.maxLat) / 2) * (Math.PI / 180);
  const cellM2 = dLat * METRES_PER_DEGREE * dLon * METRES_PER_DEGREE * Math.cos(midLat);
  return both * cellM2;
}

function overlapOf(one: Sized, other: Sized): AreaOverlap | null {
  const services = one.services.filter((s) => other.services.includes(s));
  if (services.length === 0) return null;
  const m2 = overlapM2(one.area, other.area);
  const smaller = Math.min(one.m2, other.m2);
  const larger = Math.max(one.m2, other.m2);
  const nested = m2 > NESTED * smaller && smaller < CLEARLY_SMALLER * larger;
  if (smaller <= 0 || m2 < SLIVER * smaller || nested) return null;
  const first = one.m2 < other.m2 || (one.m2 === other.m2 && one.code < other.code) ? one : other;
  return { department: other.code, services, overlapM2: Math.round(m2), goesTo: first.code };
}

const sized = (d: AreaDepartment): Sized | null =>
  d.area ? { ...d, area: d.area, m2: areaM2(d.area) } : null;

/** The partial overlaps of `one`'s area with the others' (itself left out). */
export function overlapsOf(one: AreaDepartment, others: readonly AreaDepartment[]): AreaOverlap[] {
  const me = sized(one);
  if (!me) return [];
  const box = areaBox(me.area);
  // Only those that could overlap are measured: a service in common, their boxes meeting.
  const near = (o: AreaDepartment) => {
    if (!o.area || o.code === one.code || !o.services.some((s) => one.services.includes(s))) return false;
    const b = areaBox(o.area);
    return b.minLat < box.maxLat && box.minLat < b.maxLat && b.minLon < box.maxLon && box.minLon < b.maxLon;
  };
  return others
    .filter(near)
    .map(sized)
    .flatMap((o) => (o ? [overlapOf(me, o)] : []))
    .filter((o): o is AreaOverlap => o !== null);
}
