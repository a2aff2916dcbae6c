/**
 * Road cells: the grid in which phones in Street Bump mode say where they drove, so that a road
 * spot can be judged by the share of passes that hit it. A cell is 1e-4° of latitude by 1e-4° of
 * longitude (about 11 m × 10 m in a Chinese city): about one GPS error across, so a car driving
 * over a spot passes through the spot's cell or a neighbour. The phone and the server both use
 * this module; the key is the wire format of `cells` in `POST /api/sensor/batches`.
 */
import type { Point } from "./geo";

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
 * The cells a straight drive from `from` to `to` goes through, in order, each once. Consecutive
 * GPS fixes are a second apart, so at 20 m/s a segment crosses a couple of cells; a longer jump is
 * a lost fix, and only its two ends are counted rather than a guessed road.
 */
export function roadCellsAlong(from: Point, to: Point): RoadCell[] {
  const dLat = to.lat - from.lat;
  const dLon = to.lon - from.lon;
  if (Math.max(Math.abs(dLat), Math.abs(dLon)) > MAX_FILLED_SEGMENT_DEG) {
    return [...new Set([roadCellOf(from), roadCellOf(to)])];
  }
  const steps = Math.max(1, Math.ceil(Math.max(Math.abs(dLat), Math.abs(dLon)) / (ROAD_CELL_DEG / 4)));
  const cells = new Set<RoadCell>();
  for (let i = 0; i <= steps; i++) {
    cells.add(roadCellOf({ lat: from.lat + (dLat * i) / steps, lon: from.lon + (dLon * i) / steps }));
  }
  return [...cells];
}
