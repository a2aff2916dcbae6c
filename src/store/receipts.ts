/**
 * Receipts: a reporter's private capability, distinct from the public report id. Only the hash is
 * kept (with the report); a request proves it holds a report's receipt, or is refused with 403.
 */
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { AppError, notFound } from "../domain/errors";
import { isReporterBlocked } from "./moderation";
import { receiptHash } from "./reports";

const refused = () =>
  new AppError(403, "forbidden", "send the receipt you were given with your report", "receipt");

/** The reporter of `reportId` if `receipt` is its receipt; 403 when it is missing or wrong. */
export async function reporterOfReport(db: Db, reportId: string, receipt: string | undefined) {
  if (!receipt) throw refused();
  const [row] = await db.all<{
    reporterKey: string;
    clusterId: string;
  }>(sql`SELECT reporter_key AS reporterKey,
      cluster_id AS clusterId FROM reports WHERE id = ${reportId} AND receipt_hash = ${await receiptHash(receipt)}`);
  if (!row) throw refused();
  return row;
}

/** The reporter behind `receipt` if it is the receipt of a report in `clusterId`; 403 otherwise. */
export async function reporterInCluster(db: Db, clusterId: string, receipt: string | undefined) {
  const [cluster] = await db.all(sql`SELECT 1 FROM clusters WHERE id = ${clusterId}`);
  if (!cluster) throw notFound("cluster");
  if (!receipt) throw refused();
  // The cluster's reports (through `reports_cluster`), each hash compared: there is no index of them.
  const [row] = await db.all<{ reporterKey: string }>(sql`SELECT reporter_key AS reporterKey FROM reports
    WHERE cluster_id = ${clusterId} AND receipt_hash = ${await receiptHash(receipt)} LIMIT 1`);
  if (!row) throw refused();
  return row;
}

/**
 * What a reporter says after reporting (a rating, "still there") is refused once a moderator has
 * blocked them, as their reports are: a block would otherwise leave a prankster's receipt reopening
 * the problem after every fix. Erasing their contact and unsubscribing stay theirs to do.
 */
export async function refuseBlocked(db: Db, reporterKey: string, now: number): Promise<void> {
  if (await isReporterBlocked(db, reporterKey, now))
    throw new AppError(403, "reporter_blocked", "ratings and reopenings from this reporter are not accepted");
}
