/**
 * Departments whose areas partly overlap for a service they both handle: routing gives every
 * report in the overlap to the smaller area, which for two districts drawn over each other's
 * streets is seldom what the city meant. An area wholly inside another (an island park in a
 * district) is the rule working as meant and is not one; nor is a sliver along a shared border
 * where two surveys disagree by a few metres. No I/O.
 */
import { type Area, areaBox, areaContains, areaM2, METRES_PER_DEGREE } from "./geo";

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

/** Points sampled across the two areas' common box, each way. */
const GRID = 80;
/** Under this share of the smaller area, an overlap is a border's sliver. */
const SLIVER = 0.01;
/** Above this share, the smaller area lies within the larger: nested, as meant. */
const NESTED = 0.97;

interface Sized extends AreaDepartment {
  area: Area;
  m2: number;
}

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
  for (let i = 0; i < GRID; i++)
    for (let j = 0; j < GRID; j++) {
      const p = { lat: box.minLat + (i + 0.5) * dLat, lon: box.minLon + (j + 0.5) * dLon };
      if (areaContains(a, p) && areaContains(b, p)) both++;
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
  if (smaller <= 0 || m2 < SLIVER * smaller || m2 > NESTED * smaller) return null;
  const first = one.m2 < other.m2 || (one.m2 === other.m2 && one.code < other.code) ? one : other;
  return { department: other.code, services, overlapM2: Math.round(m2), goesTo: first.code };
}

const sized = (d: AreaDepartment): Sized | null =>
  d.area ? { ...d, area: d.area, m2: areaM2(d.area) } : null;

/** The partial overlaps of `one`'s area with the others' (itself left out). */
export function overlapsOf(one: AreaDepartment, others: readonly AreaDepartment[]): AreaOverlap[] {
  const me = sized(one);
  if (!me) return [];
  return others
    .filter((o) => o.code !== one.code)
    .map(sized)
    .flatMap((o) => (o ? [overlapOf(me, o)] : []))
    .filter((o): o is AreaOverlap => o !== null);
}
