import { and, asc, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { events, photos, reports } from "../db/schema";
import { eventType } from "./status-sql";

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
}

/** Records a stored photo, not yet linked to a report (the report's intake links it). */
export async function insertPhoto(db: Db, photo: NewPhoto): Promise<void> {
  await db.insert(photos).values(photo);
}

export async function findPhoto(db: Db, id: string) {
  return (await db.select().from(photos).where(eq(photos.id, id)).get()) ?? null;
}

const publicColumns = {
  id: photos.id,
  reportId: photos.reportId,
  width: photos.width,
  height: photos.height,
  createdAt: photos.createdAt,
};

/**
 * Photos of a cluster (its residents' and those its department attached to a status change),
 * or of one report, oldest first; public fields only.
 */
export async function listPhotos(db: Db, by: { cluster: string } | { report: string }) {
  const fromReports = db
    .select(publicColumns)
    .from(photos)
    .innerJoin(reports, eq(reports.id, photos.reportId))
    .where("cluster" in by ? eq(reports.clusterId, by.cluster) : eq(photos.reportId, by.report))
    .orderBy(asc(photos.createdAt))
    .limit(200);
  const [mine, theirs] =
    "cluster" in by
      ? await db.batch([
          fromReports,
          db
            .select(publicColumns)
            .from(photos)
            .innerJoin(events, eq(events.id, photos.eventId))
            .where(eq(events.clusterId, by.cluster))
            .orderBy(asc(photos.createdAt))
            .limit(50),
        ])
      : [await fromReports, []];
  return [
    ...mine.map((r) => ({ ...r, by: "resident" as const })),
    ...theirs.map((r) => ({ ...r, by: "department" as const })),
  ]
    .sort((a, b) => a.createdAt - b.createdAt)
    .map(({ createdAt: _, ...r }) => ({ ...r, url: photoUrl(r.id) }));
}

/**
 * Links uploaded photos to a work order's latest status change (say, the repair done), in one
 * statement. Photos already linked to a report or an event are left alone. Returns how many it linked.
 */
export async function attachToLatestChange(db: Db, workOrderId: string, photoIds: string[]): Promise<number> {
  const latest = sql`(SELECT id FROM events WHERE work_order_id = ${workOrderId} AND type = ${eventType("status_changed")}
    ORDER BY at DESC, rowid DESC LIMIT 1)`;
  const linked = await db
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
    .returning({ id: photos.id });
  return linked.length;
}
