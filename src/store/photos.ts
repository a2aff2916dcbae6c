import { and, asc, eq, isNotNull } from "drizzle-orm";
import type { Db } from "../db/client";
import { photos, reports } from "../db/schema";

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

/** Photos attached to the reports of a cluster, or of one report, oldest first; public fields only. */
export async function listPhotos(db: Db, by: { cluster: string } | { report: string }) {
  const rows = await db
    .select({ id: photos.id, reportId: photos.reportId, width: photos.width, height: photos.height })
    .from(photos)
    .innerJoin(reports, eq(reports.id, photos.reportId))
    .where(
      and(
        isNotNull(photos.reportId),
        "cluster" in by ? eq(reports.clusterId, by.cluster) : eq(photos.reportId, by.report),
      ),
    )
    .orderBy(asc(photos.createdAt))
    .limit(200);
  return rows.map((r) => ({ ...r, url: photoUrl(r.id) }));
}
