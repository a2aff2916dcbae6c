/**
 * Expiry of uploads nobody used: a photo not linked to a report or a status change within a day
 * of its upload is deleted, its row first (in one statement that skips any photo linked
 * meanwhile, so a report being filed never loses its photo) and then its bytes. Runs in every
 * periodic round (`src/dispatch/run.ts`).
 */
import type { Db } from "../db/client";
import { deletePhotosLeftUnlinked, deleteUnlinkedPhotos } from "../store/photos";
import type { PhotoStore } from "./photo-store";
import { deletePhotoBytes } from "./thumbnails";

/** How long an upload waits for a report to link it. */
export const UNLINKED_PHOTO_TTL_MS = 24 * 3600_000;

/** Deletes expired unlinked uploads (up to `limit` a round); returns how many. */
export async function expireUnlinkedPhotos(
  db: Db,
  store: PhotoStore,
  now: number,
  limit = 500,
): Promise<number> {
  const keys = await deleteUnlinkedPhotos(db, now - UNLINKED_PHOTO_TTL_MS, limit);
  // A crash here leaves bytes no row points to: never served, and no longer counted.
  for (const key of keys) await deletePhotoBytes(store, key);
  return keys.length;
}

/**
 * Deletes at once the photos a request uploaded and then did not link (it was refused after
 * them, or it was a retry of one already made): they would count against the network's daily
 * quota until expiry. A photo linked meanwhile stays.
 */
export async function discardUnlinkedPhotos(db: Db, store: PhotoStore, ids: string[]): Promise<void> {
  for (const key of await deletePhotosLeftUnlinked(db, ids)) await deletePhotoBytes(store, key);
}
