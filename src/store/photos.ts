import { and, asc, eq, gt, inArray, isNull, type SQL, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { events, photos, reports } from "../db/schema";
import { eventType } from "./status-sql";
import { type ActionBy, ofWorkOrder, recordStaffAction } from "./writes";

/** The public address of a photo's (already cleaned) bytes. */
export const photoUrl = (id: string) => `/api/photos/${id}`;

export interface NewPhoto {
  id: string;
  contentType: string;
  bytes: number;
  width: number | null;
  height: number | null;
  storageKey: string;
  createdAt: number;
  /** Keyed hash of the uploader's network (`domain/network.ts`). */
  uploaderNetwork: string;
}

/** A network's daily allowance of uploads. */
export interface PhotoQuota {
  photos: number;
  bytes: number;
  windowMs: number;
}

/**
 * Records a stored photo, not yet linked to a report (the report's intake links it), if its
 * network's uploads within the window leave room for it: one statement, so concurrent uploads
 * cannot both take the last place. Returns false when the quota is spent.
 */
export async function insertPhotoWithinQuota(db: Db, photo: NewPhoto, quota: PhotoQuota): Promise<boolean> {
  const since = photo.createdAt - quota.windowMs;
  const mine = sql`FROM photos WHERE uploader_network = ${photo.uploaderNetwork} AND created_at > ${since}`;
  const inserted = await db.all<{ id: string }>(sql`
    INSERT INTO photos (id, content_type, bytes, width, height, storage_key, created_at, uploader_network)
    SELECT ${photo.id}, ${photo.contentType}, ${photo.bytes}, ${photo.width}, ${photo.height},
      ${photo.storageKey}, ${photo.createdAt}, ${photo.uploaderNetwork}
    WHERE (SELECT count(*) ${mine}) < ${quota.photos}
      AND (SELECT coalesce(sum(bytes), 0) ${mine}) + ${photo.bytes} <= ${quota.bytes}
    RETURNING id`);
  return inserted.length === 1;
}

/** When a network's oldest upload within the window leaves it (ms), or null when it has none. */
export async function quotaFreesAt(db: Db, uploaderNetwork: string, now: number, quota: PhotoQuota) {
  const row = await db
    .select({ oldest: sql<number | null>`min(${photos.createdAt})` })
    .from(photos)
    .where(and(eq(photos.uploaderNetwork, uploaderNetwork), gt(photos.createdAt, now - quota.windowMs)))
    .get();
  return row?.oldest == null ? null : row.oldest + quota.windowMs;
}

/** Forgets a photo whose bytes could not be stored. */
export async function deletePhoto(db: Db, id: string): Promise<void> {
  await db.delete(photos).where(eq(photos.id, id));
}

/**
 * Deletes up to `limit` photos uploaded before `before` and linked to nothing, in one statement
 * that re-checks they are still unlinked; returns their storage keys. The partial index is named:
 * without statistics the planner would take `photos_event`, where a resident's photo is null too.
 */
const unlinked = sql`report_id IS NULL AND event_id IS NULL`;

export async function deleteUnlinkedPhotos(db: Db, before: number, limit: number): Promise<string[]> {
  const rows = await db.all<{ storage_key: string }>(sql`
    DELETE FROM photos WHERE id IN (
      SELECT id FROM photos INDEXED BY photos_unlinked
      WHERE ${unlinked} AND created_at < ${before} ORDER BY created_at LIMIT ${limit}
    ) AND ${unlinked}
    RETURNING storage_key`);
  return rows.map((r) => r.storage_key);
}

/** Deletes those of `ids` that nothing links (in one statement that re-checks); their storage keys. */
export async function deletePhotosLeftUnlinked(db: Db, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await db.all<{ storage_key: string }>(sql`
    DELETE FROM photos WHERE id IN (SELECT value FROM json_each(${JSON.stringify(ids)})) AND ${unlinked}
    RETURNING storage_key`);
  return rows.map((r) => r.storage_key);
}

/** A photo anyone may see: not hidden by moderators, nor part of a report or a note they hid. */
const visible = and(
  isNull(photos.hiddenAt),
  sql`NOT EXISTS (SELECT 1 FROM reports hr
  WHERE hr.id = ${photos.reportId} AND hr.hidden_at IS NOT NULL)`,
  sql`NOT EXISTS (SELECT 1 FROM events he WHERE he.id = ${photos.eventId} AND he.hidden_at IS NOT NULL)`,
);

/**
 * A photo to serve: null when there is none or moderators hid it (or its report). `hidden` too:
 * the moderators' own view, which must see what they hid to review it.
 */
export async function findVisiblePhoto(db: Db, id: string, { hidden = false } = {}) {
  return (
    (await db
      .select()
      .from(photos)
      .where(hidden ? eq(photos.id, id) : and(eq(photos.id, id), visible))
      .get()) ?? null
  );
}

const publicColumns = {
  id: photos.id,
  reportId: photos.reportId,
  width: photos.width,
  height: photos.height,
  createdAt: photos.createdAt,
};

/**
 * Photos of a cluster (its residents', those its department attached to a status change and
 * those a resident's update brought),
 * or of one report, oldest first; public fields only.
 */
export async function listPhotos(db: Db, by: { cluster: string } | { report: string }) {
  const fromReports = db
    .select(publicColumns)
    .from(photos)
    .innerJoin(reports, eq(reports.id, photos.reportId))
    .where(and("cluster" in by ? eq(reports.clusterId, by.cluster) : eq(photos.reportId, by.report), visible))
    .orderBy(asc(photos.createdAt))
    .limit(200);
  const [mine, theirs] =
    "cluster" in by
      ? await db.batch([
          fromReports,
          db
            .select({ ...publicColumns, actor: events.actor })
            .from(photos)
            .innerJoin(events, eq(events.id, photos.eventId))
            .where(and(eq(events.clusterId, by.cluster), visible))
            .orderBy(asc(photos.createdAt))
            .limit(50),
        ])
      : [await fromReports, []];
  return [
    ...mine.map((r) => ({ ...r, by: "resident" as const })),
    // A resident's update from a client app may bring photos too; the rest are staff's.
    ...theirs.map(({ actor, ...r }) => ({
      ...r,
      by: actor === "resident" ? ("resident" as const) : ("department" as const),
    })),
  ]
    .sort((a, b) => a.createdAt - b.createdAt)
    .map(({ createdAt: _, ...r }) => ({
      ...r,
      url: photoUrl(r.id),
      thumbnailUrl: `${photoUrl(r.id)}/thumbnail`,
    }));
}

/**
 * Links uploaded photos to a work order's latest status change (say, the repair done), in one
 * statement. Photos already linked to a report or an event are left alone. Returns how many it linked.
 */
/**
 * Links uploaded photos no report or event holds yet to a status change, as one statement of
 * the move's batch (`where`: the move's guard), so nothing sees the change without them.
 */
/** Whether every one of `photoIds` was uploaded and is attached to nothing yet (`linkPhotosToEvent` takes only those). */
export async function photosFree(db: Db, photoIds: string[]): Promise<boolean> {
  const ids = [...new Set(photoIds)];
  const [row] = await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM photos
    WHERE id IN (SELECT value FROM json_each(${JSON.stringify(ids)})) AND report_id IS NULL AND event_id IS NULL`);
  return row?.n === ids.length;
}

/**
 * In a batch: every one of `photoIds` is still there and attached to nothing. `photosFree` read
 * them before the batch; a write that links them puts this in its first statement's condition, so
 * one that lost them meanwhile (to another report or move naming the same photo) writes nothing.
 */
export function photosStillFree(photoIds: readonly string[]): SQL {
  const ids = [...new Set(photoIds)];
  return sql`(SELECT count(*) FROM photos WHERE id IN (SELECT value FROM json_each(${JSON.stringify(ids)}))
    AND report_id IS NULL AND event_id IS NULL) = ${ids.length}`;
}

export const linkPhotosToEvent = (db: Db, photoIds: string[], eventId: string, where: SQL) =>
  db.run(sql`UPDATE photos SET event_id = ${eventId}
    WHERE id IN (SELECT value FROM json_each(${JSON.stringify(photoIds)}))
      AND report_id IS NULL AND event_id IS NULL AND ${where}`);

/**
 * Links uploaded photos to the latest status change of a work order, with the audit entry naming
 * who did (`by`) in the same batch; how many were linked.
 */
export async function attachToLatestChange(
  db: Db,
  workOrderId: string,
  photoIds: string[],
  by: ActionBy,
  now: number,
): Promise<number> {
  const latest = sql`(SELECT e.id FROM events e WHERE ${ofWorkOrder("e", workOrderId)}
    AND e.type = ${eventType("status_changed")} ORDER BY e.at DESC, e.rowid DESC LIMIT 1)`;
  const [linked] = await db.batch([
    db
      .update(photos)
      .set({ eventId: latest })
      .where(
        and(
          inArray(photos.id, photoIds),
          isNull(photos.reportId),
          isNull(photos.eventId),
          sql`${latest} IS NOT NULL`,
        ),
      )
      .returning({ id: photos.id }),
    // The public timeline shows them: who added them is in the trail, written only if some were.
    recordStaffAction(db, {
      by,
      action: "photos_attached",
      subject: { type: "work_order", id: workOrderId },
      at: now,
      afterChange: true,
    }),
  ]);
  return linked.length;
}
