/**
 * Road cells: the grid in which phones in Street Bump mode say where they drove, so that a road
 * spot can be judged by the share of passes that hit it. A cell is 1e-4° of latitude by 1e-4° of
 * longitude (about 11 m × 10 m in a Chinese city): about one GPS error across, so a car driving
 * over a spot passes through the spot's cell or a neighbour. The phone and the server both use
 * this module; the key is the wire format of `cells` in `POST /api/sensor/batches`.
 */
import { METRES_PER_DEGREE, type Point } from "./geo";

/** Size of a cell in degrees, on both axes. */
export const ROAD_CELL_DEG = 1e-4;

/** `"<latIndex>:<lonIndex>"`, each the floor of the coordinate divided by ROAD_CELL_DEG. */
export type RoadCell = string;

const CELL_PATTERN = /^(-?\d{1,7}):(-?\d{1,7})$/;
/** Longest segment between two fixes that is filled in: past it the phone lost its fix. */
const MAX_FILLED_SEGMENT_DEG = 0.005;

const indexOf = (degrees: number) => Math.floor(degrees / ROAD_CELL_DEG + 1e-9);

/** The cell a point lies in. */
export function roadCellOf(p: Point): RoadCell {
  return `${indexOf(p.lat)}:${indexOf(p.lon)}`;
}

/** The cell's indices, or null when the text is no valid cell key. */
export function parseRoadCell(cell: string): { latIndex: number; lonIndex: number } | null {
  const match = CELL_PATTERN.exec(cell);
  if (!match) return null;
  const latIndex = Number(match[1]);
  const lonIndex = Number(match[2]);
  if (Math.abs(latIndex) >= 900_000 || Math.abs(lonIndex) >= 1_800_000) return null;
  return { latIndex, lonIndex };
}

/** The cell and its eight neighbours: where a pass over a point may have been recorded. */
export function roadCellNeighbourhood(p: Point): RoadCell[] {
  const lat = indexOf(p.lat);
  const lon = indexOf(p.lon);
  const cells: RoadCell[] = [];
  for (let dLat = -1; dLat <= 1; dLat++) {
    for (let dLon = -1; dLon <= 1; dLon++) cells.push(`${lat + dLat}:${lon + dLon}`);
  }
  return cells;
}

/**
 * How far from its fixes a pass is recorded. A car over a spot is placed by its GPS a few metres
 * off, on either side of a cell's edge; recording the cells within this margin of the path lets
 * the spot's busiest cell count the cars of both sides (with the fix alone, a spot on an edge read
 * the busier side's passes only, and its hit share high).
 */
export const PASS_MARGIN_M = 3;

/** The cells of the square of half-side `marginM` around `p` (at most four: the margin is under a cell). */
function cellsNear(p: Point, marginM: number, into: Set<RoadCell>): void {
  const dLat = marginM / METRES_PER_DEGREE;
  const dLon = marginM / (METRES_PER_DEGREE * Math.max(0.01, Math.cos((p.lat * Math.PI) / 180)));
  for (const lat of [p.lat - dLat, p.lat + dLat]) {
    for (const lon of [p.lon - dLon, p.lon + dLon]) into.add(roadCellOf({ lat, lon }));
  }
}

/**
 * The cells a straight drive from `from` to `to` goes through, in order, each once, with those
 * within `marginM` of it. Consecutive GPS fixes are a second apart, so at 20 m/s a segment crosses
 * a couple of cells; a longer jump is a lost fix, and only its two ends are counted rather than a
 * guessed road.
 */
export function roadCellsAlong(from: Point, to: Point, marginM = PASS_MARGIN_M): RoadCell[] {
  const dLat = to.lat - from.lat;
  const dLon = to.lon - from.lon;
  const jump = Math.max(Math.abs(dLat), Math.abs(dLon)) > MAX_FILLED_SEGMENT_DEG;
  const points = jump ? [from, to] : pointsAlong(from, dLat, dLon);
  const cells = new Set<RoadCell>();
  for (const p of points) {
    cells.add(roadCellOf(p));
    if (marginM > 0) cellsNear(p, marginM, cells);
  }
  return [...cells];
}

/** Points a quarter of a cell apart from `from` to `from + (dLat, dLon)`. */
function pointsAlong(from: Point, dLat: number, dLon: number): Point[] {
  const steps = Math.max(1, Math.ceil(Math.max(Math.abs(dLat), Math.abs(dLon)) / (ROAD_CELL_DEG / 4)));
  const points: Point[] = [];
  for (let i = 0; i <= steps; i++)
    points.push({ lat: from.lat + (dLat * i) / steps, lon: from.lon + (dLon * i) / steps });
  return points;
}
