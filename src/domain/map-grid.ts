/**
 * How the public map is thinned out: at a given zoom the view is cut into square cells, and
 * where a view holds more clusters than a page can draw, each cell answers with one count.
 * Pure arithmetic, shared by the store (which groups in SQL) and the tests.
 */
import { OWES_ACKNOWLEDGEMENT, OWES_RESOLUTION } from "./deadlines";
import type { BBox } from "./geo";
import { PUBLIC_STATUSES, type PublicStatus, publicStatus } from "./public-status";
import { CLUSTER_STATES, type ClusterState, WORK_ORDER_STATUSES, type WorkOrderStatus } from "./states";

/** Zoom levels the map accepts (Web Mercator tiles). */
export const MIN_ZOOM = 0;
export const MAX_ZOOM = 22;

/** Views holding at most this many clusters get every one of them; above it, counts per cell. */
// 300 pins of about 330 bytes keep an answer under 100 KB.
export const MAX_SINGLE_CLUSTERS = 300;

/**
 * Most cells a view is cut into: a 2048-pixel square screen at the zoom's own cells. A bigger box
 * (which no screen shows at that zoom) gets coarser cells, so no box can ask for a huge grid.
 */
export const MAX_CELLS = 1024;

/** Most items (cells and lone clusters) a grid answer carries; past it the cells double. */
export const MAX_GRID_ITEMS = 300;

/** A cell is about a quarter of a 256-pixel tile: 64 px on screen, whatever the zoom. */
const CELLS_PER_TILE = 4;

/** The side of a grid cell in degrees at a zoom level. */
export function cellSizeDeg(zoom: number): number {
  const z = Math.min(MAX_ZOOM, Math.max(MIN_ZOOM, Math.round(zoom)));
  return 360 / 2 ** z / CELLS_PER_TILE;
}

/** How many cells of side `cell` a box touches (an upper bound of the grid's non-empty cells). */
export function cellsIn(box: BBox, cell: number): number {
  const lo = cellOf(box.minLat, box.minLon, cell);
  const hi = cellOf(box.maxLat, box.maxLon, cell);
  return (hi.row - lo.row + 1) * (hi.col - lo.col + 1);
}

/**
 * The side of the cells a box is grouped in at a zoom: the zoom's own, doubled (the cells of a
 * lower zoom, so they still line up) until the box touches at most `MAX_CELLS` of them.
 */
export function gridCellSize(box: BBox, zoom: number): number {
  let cell = cellSizeDeg(zoom);
  while (cell < 360 && cellsIn(box, cell) > MAX_CELLS) cell *= 2;
  return cell;
}

/**
 * The cell a point falls in, as SQL computes it: offsets make both axes non-negative, so an
 * integer cast is a floor (portable: SQLite's `floor()` is an optional build feature).
 */
export function cellOf(lat: number, lon: number, cell: number): { row: number; col: number } {
  return { row: Math.trunc((lat + 90) / cell), col: Math.trunc((lon + 180) / cell) };
}

/** The bounds of a cell, so a client can zoom into it. */
export function cellBounds(row: number, col: number, cell: number): BBox {
  return {
    minLat: row * cell - 90,
    maxLat: (row + 1) * cell - 90,
    minLon: col * cell - 180,
    maxLon: (col + 1) * cell - 180,
  };
}

/** The share of a cell's area (in degrees) that lies inside a box: 0 to 1. */
export function shareInBox(cell: BBox, box: BBox): number {
  const lat = Math.min(cell.maxLat, box.maxLat) - Math.max(cell.minLat, box.minLat);
  const lon = Math.min(cell.maxLon, box.maxLon) - Math.max(cell.minLon, box.minLon);
  return lat <= 0 || lon <= 0 ? 0 : (lat * lon) / ((cell.maxLat - cell.minLat) * (cell.maxLon - cell.minLon));
}

/**
 * Every (cluster state, work-order status) pair that shows as a given public status, read off
 * `publicStatus` itself so a filter can never disagree with the colour on the map.
 */
export function statusPairs(
  status: PublicStatus,
): { state: ClusterState; workOrder: WorkOrderStatus | null }[] {
  const pairs: { state: ClusterState; workOrder: WorkOrderStatus | null }[] = [];
  for (const state of CLUSTER_STATES) {
    for (const workOrder of [null, ...WORK_ORDER_STATUSES]) {
      if (publicStatus(state, workOrder) === status) pairs.push({ state, workOrder });
    }
  }
  return pairs;
}

const OWES_DEADLINE = [...OWES_ACKNOWLEDGEMENT, ...OWES_RESOLUTION];
/** Whether some cluster of a public status can have a running deadline (so be overdue or nearly due). */
export const statusCanBeDue = (status: PublicStatus): boolean =>
  statusPairs(status).some(
    (p) => p.workOrder !== null && (OWES_DEADLINE as readonly WorkOrderStatus[]).includes(p.workOrder),
  );

export { PUBLIC_STATUSES };

const MERCATOR_MAX_LAT = 85.05;

/** The box of a Web Mercator tile z/x/y (x eastward, y southward from the top, as Leaflet counts). */
export function tileBounds(z: number, x: number, y: number): BBox {
  const n = 2 ** z;
  const lat = (row: number) => (Math.atan(Math.sinh(Math.PI * (1 - (2 * row) / n))) * 180) / Math.PI;
  return {
    minLon: (x / n) * 360 - 180,
    maxLon: ((x + 1) / n) * 360 - 180,
    minLat: lat(y + 1),
    maxLat: lat(y),
  };
}

/**
 * The cells of side `cell` a tile answers for: those whose south-west corner lies in the tile.
 * Columns line up with tiles (both halve in degrees of longitude); rows do not (tiles are
 * Mercator), so each row of cells goes to the tile holding its southern edge. Every cell thus
 * belongs to exactly one tile of a zoom: tiles put side by side never count a cluster twice.
 * Null when no cell's corner falls in the tile (a tile thinner than a cell).
 */
export function tileCellBox(tile: BBox, cell: number): BBox | null {
  // The top and bottom rows of tiles stop at ±85.05°: they take the polar cells beyond too.
  const firstRow = tile.minLat < -MERCATOR_MAX_LAT ? 0 : Math.ceil((tile.minLat + 90) / cell);
  const endRow =
    tile.maxLat > MERCATOR_MAX_LAT ? Math.ceil(180 / cell) : Math.ceil((tile.maxLat + 90) / cell);
  if (endRow <= firstRow) return null;
  // Just inside the last row and column, so the cells beyond are not touched.
  const inside = cell * 1e-6;
  return {
    minLat: firstRow * cell - 90,
    maxLat: endRow * cell - 90 - inside,
    minLon: tile.minLon,
    maxLon: tile.maxLon - inside,
  };
}
