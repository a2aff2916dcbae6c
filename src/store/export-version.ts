/**
 * The version of every row the open-data exports show, read without reading those rows: the sum
 * of the map aggregates' versions at their coarsest level (`map_cells`, level `AGG_MIN_LEVEL`,
 * sixteen cells over the globe, a few rows per service and status), which the triggers of
 * `map-cells-sql.ts` and `map-centre-sql.ts` bump in the statement of every write that inserts,
 * deletes or updates a cluster or a work order: a report joining or opening a cluster (its counts
 * and times), a work order created, moved, or changing status, department or deadlines (every
 * transition sets `status`, so a reschedule bumps it too), a merge (both clusters' counts and the
 * merged one's state), and hiding a report. Rows are never deleted there and versions only grow,
 * so the sum changes with every such write and never comes back to a value it had.
 *
 * The exports' other columns move only with one of these: `sources` with a report joining or
 * leaving (its cluster's `report_count`), `merged_into_id` and `first_report_at` with a merge,
 * `acknowledged_at`, `resolved_at`, `scheduled_for` and `updated_at` with a transition's `status`.
 * So the report intake pays nothing for this: the triggers it already runs keep the version.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { AGG_MIN_LEVEL } from "./map-cells-sql";

/** The clusters' and work orders' version; equal versions mean equal exports for the same query. */
export async function exportVersion(db: Db): Promise<string> {
  const [row] = await db.all<{ v: number | null }>(
    sql`SELECT sum(version) AS v FROM map_cells WHERE level = ${AGG_MIN_LEVEL}`,
  );
  return String(row?.v ?? 0);
}
