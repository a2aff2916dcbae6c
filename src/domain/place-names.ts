/**
 * Naming many points at once (a list of work orders): the points fall into coarse cells, the
 * gazetteer is read once for the boxes around those cells, and each point is named in memory
 * by the same rule as one point alone (`nameOfPoint`), against its cell's places only.
 */
import { type BBox, type Point, searchArea } from "./geo";
import { type NamedPlace, NEAR_M, nameOfPoint, placeLabel, whereWords } from "./places";

/** A cell's side in degrees (about 1 km): points this close share one set of candidates. */
const CELL_DEG = 0.01;
/** How far a place may be and still name a point (the district rule's reach), as `nameThePoint`. */
const REACH_M = 5000;

export interface PlaceBox {
  minLat: number;
  maxLat: number;
  minLon: number;
  maxLon: number;
}

/** The cell a point is named in: each cell costs one box of the gazetteer read and measured. */
export const cellKey = (p: Point) => `${Math.floor(p.lat / CELL_DEG)}:${Math.floor(p.lon / CELL_DEG)}`;

/** A cell's boxes: where a district may name its points, and where a road or landmark may. */
export interface CellReach extends BBox {
  near: BBox;
}

/**
 * The boxes around one cell that hold every place that could name a point in it: the reach from
 * the cell's centre, plus half the cell's diagonal (under 800 m anywhere). Only a district names
 * from 5 km; a road, landmark or neighbourhood from `NEAR_M`, so only those near are read and
 * measured (every road within 5.8 km had been: ~0.5 s for 50 points against 5,000 roads).
 */
const cellReach = (key: string): CellReach => {
  const [i, j] = key.split(":").map(Number) as [number, number];
  const centre = { lat: (i + 0.5) * CELL_DEG, lon: (j + 0.5) * CELL_DEG };
  return { ...searchArea(centre, REACH_M + 800).box, near: searchArea(centre, NEAR_M + 800).box };
};

/** The distinct boxes to read the gazetteer in for these points: one per occupied cell. */
export const reachOfPoints = (points: readonly Point[]): CellReach[] =>
  [...new Set(points.map(cellKey))].map(cellReach);

const overlaps = (a: PlaceBox, b: BBox) =>
  a.minLat <= b.maxLat && a.maxLat >= b.minLat && a.minLon <= b.maxLon && a.maxLon >= b.minLon;

/**
 * Each point's nearest named place and district (`nameOfPoint`), from the places read for
 * `reachOfPoints`.
 */
export function namedPoints(points: readonly Point[], places: readonly (NamedPlace & PlaceBox)[]) {
  const byCell = new Map<string, NamedPlace[]>();
  const candidates = (p: Point) => {
    const key = cellKey(p);
    let list = byCell.get(key);
    if (!list) {
      const reach = cellReach(key);
      list = places.filter((c) => overlaps(c, c.kind === "district" ? reach : reach.near));
      byCell.set(key, list);
    }
    return list;
  };
  return points.map((p) => nameOfPoint(p, candidates(p)));
}

/**
 * Each point's place in words ("near Wuyi Avenue, Furong District" / "芙蓉区五一大道附近"), or
 * null when the gazetteer names nothing there, from the places read for `reachOfPoints`.
 */
export function namePoints(
  points: readonly Point[],
  places: readonly (NamedPlace & PlaceBox)[],
): ({ zh: string; en: string } | null)[] {
  return namedPoints(points, places).map((named) => {
    const { zh, en } = whereWords({
      label: { zh: placeLabel(named, "zh"), en: placeLabel(named, "en") },
      near: named.near,
    });
    return zh && en ? { zh, en } : null;
  });
}
