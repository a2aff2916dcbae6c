/**
 * Small copies of photos for lists: a problem page shows each photo at 160×120, and its full
 * bytes (about 0.3 MB from the web app, up to 5 MB from other clients) cost a phone on a weak
 * connection seconds each. A thumbnail is made from the stored photo the first time it is asked
 * for, by the server itself (never taken from the client, whose copy could show something other
 * than the photo the moderators judge), and kept beside it in the photo store.
 */
import { ID_LENGTH } from "../domain/ids";
import type { PhotoStore } from "./photo-store";

/** The longer side of a thumbnail: 160 CSS pixels at twice the density. */
export const THUMBNAIL_SIDE = 320;

/** Makes a JPEG at most `THUMBNAIL_SIDE` a side from an image's bytes (Node: `node/sharp-thumbnails.ts`). */
export type Thumbnailer = (image: Uint8Array) => Promise<Uint8Array>;

/** Where a photo's thumbnail is kept: its key and one letter (so never another photo's key). */
export const thumbnailKey = (storageKey: string) => `${storageKey}t`;

/** Whether a photo of these dimensions is worth a thumbnail (unknown dimensions: yes). */
export const needsThumbnail = (width: number | null, height: number | null) =>
  width === null || height === null || Math.max(width, height) > THUMBNAIL_SIDE;

/** Thumbnails being made in this process, so a page asking twice at once makes one. */
const making = new Map<string, Promise<Uint8Array | null>>();
/**
 * Photos the decoder refused, not tried again until the process restarts: a refusal can come
 * after seconds of work (a crafted file), which every view of the page would pay again.
 */
const refused = new Set<string>();
const MAX_REFUSED = 10_000;

/**
 * The photo's thumbnail: the one kept, else one made now and kept. Null when the photo's bytes
 * are gone or it could not be made (the caller serves the photo itself).
 */
export async function thumbnailOf(
  store: PhotoStore,
  storageKey: string,
  make: Thumbnailer,
): Promise<Uint8Array | null> {
  if (refused.has(storageKey)) return null;
  const kept = await store.get(thumbnailKey(storageKey));
  if (kept) return kept.bytes;
  // Looked up after the read, with nothing awaited before it is set.
  const running = making.get(storageKey);
  if (running) return running;
  const made = makeAndKeep(store, storageKey, make).finally(() => making.delete(storageKey));
  making.set(storageKey, made);
  return made;
}

async function makeAndKeep(store: PhotoStore, storageKey: string, make: Thumbnailer) {
  const photo = await store.get(storageKey);
  if (!photo) return null;
  let thumbnail: Uint8Array;
  try {
    thumbnail = await make(photo.bytes);
  } catch {
    // An image its checks passed but the decoder refuses: the photo itself still shows.
    if (refused.size >= MAX_REFUSED) refused.clear();
    refused.add(storageKey);
    return null;
  }
  try {
    await store.put(thumbnailKey(storageKey), thumbnail, "image/jpeg");
  } catch {
    // Not kept (a full disk, a bucket's fault): served all the same, and made again next time.
    return thumbnail;
  }
  // The photo deleted meanwhile (an unused upload expiring) may have taken its thumbnail's key
  // before this one was written: nothing may outlive it.
  if (!(await store.get(storageKey))) {
    await store.delete(thumbnailKey(storageKey));
    return null;
  }
  return thumbnail;
}

/** Whether a photo store's key is a thumbnail's (which a backup leaves out: it is made again). */
export const isThumbnailKey = (key: string) => key.length === ID_LENGTH + 1 && key.endsWith("t");

/** Deletes a photo's bytes and its thumbnail's. */
export async function deletePhotoBytes(store: PhotoStore, storageKey: string): Promise<void> {
  await store.delete(storageKey);
  await store.delete(thumbnailKey(storageKey));
}
