/**
 * Residents rating the outcome of their report. One rating per report, only once its cluster's
 * work order is resolved or closed; the rating and its `rated` event are written in one batch
 * whose first statement checks both conditions, so a concurrent second rating or a reopening in
 * between writes nothing and is answered 409.
 */

import { eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { events, ratings } from "../db/schema";
import { sealedValue } from "../domain/contact-seal";
import { conflict, notFound } from "../domain/errors";
import { newId } from "../domain/ids";
import { iso } from "../domain/iso-time";
import { satisfaction, satisfiedRaters } from "../domain/performance";
import type { WorkOrderStatus } from "../domain/states";
import type { RatingInput } from "../schemas/rating";
import { actor, eventType, oneOf } from "./status-sql";
import { eventWritten, queueOutbox } from "./writes";

/** Work-order statuses whose outcome a resident may rate. */
const RATEABLE = ["resolved", "closed"] as const satisfies readonly WorkOrderStatus[];

/**
 * A report's rating as anyone may see it, or null when it has none. The comment is free text a
 * resident may fill with names or numbers: it is never published (no staff step publishes it yet).
 */
export async function findRating(db: Db, reportId: string) {
  const row = await db
    .select({ stars: ratings.stars, createdAt: ratings.createdAt })
    .from(ratings)
    .where(eq(ratings.reportId, reportId))
    .get();
  return row ? { stars: row.stars, comment: null, createdAt: iso(row.createdAt) } : null;
}

interface Standing {
  clusterId: string;
  status: string | null;
  rated: number;
  /** Rated by this very person (else, when `rated`, from their network). */
  mine: number;
}

/** A rating of this report, or by this person of this report's problem. */
const ratedByThem = (reporterKey: string) => sql`EXISTS (SELECT 1 FROM ratings x
  WHERE x.report_id = r.id OR (x.cluster_id = r.cluster_id AND (x.reporter_key = ${reporterKey}
    OR x.report_id IN (SELECT id FROM reports mine
      WHERE mine.cluster_id = r.cluster_id AND mine.reporter_key = ${reporterKey}))))`;

/**
 * That, or a rating of this report's problem from the same network: from what the report weighed
 * toward the threshold (its count key: its network, its credential's network, a trusted app's
 * resident), so one network rates a problem once, as it reports it once. A rater had been the
 * e-mail or credential alone, which cost nothing: six reports with made-up e-mails from one
 * network had made "0 of 6 residents satisfied". The figures still count each person once.
 */
const ratedAlready = (reporterKey: string) => sql`(${ratedByThem(reporterKey)} OR EXISTS (SELECT 1
  FROM ratings x JOIN reports xr ON xr.id = x.report_id
  WHERE x.cluster_id = r.cluster_id AND r.count_key <> '' AND xr.count_key = r.count_key))`;

/** Where a report stands for rating: its cluster, that cluster's work order, whether it is rated. */
async function standing(db: Db, reportId: string, reporterKey: string): Promise<Standing | null> {
  const rows = await db.all<Standing>(sql`SELECT r.cluster_id AS clusterId, w.status AS status,
      ${ratedAlready(reporterKey)} AS rated, ${ratedByThem(reporterKey)} AS mine
    FROM reports r LEFT JOIN work_orders w ON w.cluster_id = r.cluster_id
    WHERE r.id = ${reportId}`);
  return rows[0] ?? null;
}

function refuse(s: Standing) {
  if (s.mine) return conflict("already_rated", "you have already rated this problem");
  if (s.rated)
    return conflict(
      "rated_from_network",
      "a rating of this problem from your network is counted already: one a network, as its reports count once toward the threshold",
    );
  return conflict("not_resolved", "the outcome can be rated once the problem is resolved or closed");
}

/**
 * Rates the outcome of a report for its reporter (`reporterKey`, proven by the receipt): 404 for
 * an unknown report, 409 `not_resolved` before its work order is resolved or closed, 409
 * `already_rated` for a second rating of the report or of its problem by the same person.
 */
export async function rateReport(
  db: Db,
  reportId: string,
  reporterKey: string,
  input: RatingInput,
  now: number,
  /** Seals the comment at rest, as reporters' contacts are (`sealedValue`). */
  contactKey?: string | null,
) {
  const before = await standing(db, reportId, reporterKey);
  if (!before) throw notFound("report");
  if (before.rated || !RATEABLE.includes(before.status as (typeof RATEABLE)[number])) throw refuse(before);

  const eventId = newId();
  const guard = eventWritten(eventId);
  // The public timeline gets the stars only: the comment is free text a resident may fill with
  // names, phone numbers or addresses, so it stays in the ratings table and is never published.
  const note = `${input.stars}/5`;
  const results = await db.batch([
    db.run(sql`INSERT INTO events (id, cluster_id, work_order_id, type, department_code, actor, note, at)
      SELECT ${eventId}, r.cluster_id, w.id, ${eventType("rated")}, w.department_code, ${actor("resident")},
        ${note}, ${now}
      FROM reports r JOIN work_orders w ON w.cluster_id = r.cluster_id
      WHERE r.id = ${reportId} AND w.status IN ${oneOf(RATEABLE)}
        AND NOT ${ratedAlready(reporterKey)}`),
    db.run(sql`INSERT INTO ratings (report_id, cluster_id, stars, comment, reporter_key, created_at)
      SELECT r.id, r.cluster_id, ${input.stars}, ${await sealedValue(contactKey, reportId, "rating_comment", input.comment || null)},
        ${reporterKey}, ${now}
      FROM reports r WHERE r.id = ${reportId} AND ${guard}`),
    // The department hears how its work was judged (stars only, as on the timeline).
    queueOutbox(db, { eventId, now }),
    db.select({ id: events.id }).from(events).where(eq(events.id, eventId)),
  ]);
  if (results[3].length === 0) {
    // Someone rated it, or it was reopened, between the read and the write.
    const after = await standing(db, reportId, reporterKey);
    throw after ? refuse(after) : notFound("report");
  }
  // The comment back to its author only as kept: none where no key lets it be kept (a Worker
  // without CONTACT_KEY), so the answer never shows one the server did not keep.
  const kept = contactKey === null ? null : input.comment || null;
  return { stars: input.stars, comment: kept, createdAt: iso(now) };
}

/** Each rater's mean stars for one cluster (one rating per person per problem, grouped all the same). */
export const clusterRaterMeans = (db: Db, clusterId: string) =>
  db.all<{ mean: number }>(
    sql`SELECT avg(stars) AS mean FROM ratings WHERE cluster_id = ${clusterId} GROUP BY reporter_key`,
  );

/**
 * A cluster's ratings as the department figures count them (`satisfaction`): how many residents
 * rated, their mean stars, how many of them are satisfied and that share; null before the first.
 */
export function ratingSummary(rows: { mean: number }[]) {
  const { satisfiedShare, meanStars, ratings: count } = satisfaction(rows.map((r) => r.mean));
  if (count === 0 || meanStars === null || satisfiedShare === null) return null;
  return { count, average: meanStars, satisfied: satisfiedRaters(rows.map((r) => r.mean)), satisfiedShare };
}
