import { sql } from "drizzle-orm";
import type { BBox } from "../../src/domain/geo";
import { type MapFilter, where } from "../../src/store/map";

/**
 * The plainest read of a box: every cluster with its work order, the box tested on coordinates.
 * The tests' oracle for the map's answers (no key ranges, no aggregates, no work-order walk).
 */
export const plainScan = (box: BBox, filter: MapFilter) => ({
  from: sql`clusters c LEFT JOIN work_orders w ON w.cluster_id = c.id`,
  where: where(
    sql`c.lat BETWEEN ${box.minLat} AND ${box.maxLat} AND c.lon BETWEEN ${box.minLon} AND ${box.maxLon}`,
    filter,
  ),
});
