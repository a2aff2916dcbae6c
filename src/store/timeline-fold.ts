/**
 * One rule for every public view of a timeline that lists events one by one (Open311's updates
 * and notes, a cluster's Atom feed): the report that opened a problem is one event, though the
 * intake writes two, the cluster `opened` and its report `report_added`, in one statement (so
 * they are neighbours by rowid, at the same moment). The `opened` event stands for both.
 */
import { type SQL, sql } from "drizzle-orm";
import { eventType } from "./status-sql";

/**
 * SQL true for the `report_added` event (the `events` row aliased `alias`) that the `opened`
 * event just before it already stands for: `WHERE NOT ${foldedIntoOpening("e")}`.
 */
export function foldedIntoOpening(alias: string): SQL {
  // Only the queries' own aliases come here, but the name is spliced into SQL: refuse anything else.
  if (!/^[a-z][a-z0-9_]*$/.test(alias) || alias === "opening") throw new Error(`not an alias: ${alias}`);
  const e = sql.raw(alias);
  return sql`(${e}.type = ${eventType("report_added")} AND EXISTS (SELECT 1 FROM events opening
    WHERE opening.rowid = ${e}.rowid - 1 AND opening.cluster_id = ${e}.cluster_id
      AND opening.at = ${e}.at AND opening.type = ${eventType("opened")}))`;
}
