/**
 * Thumbnails made by sharp (libvips), off the server's thread (a pure-JavaScript decoder took
 * ~0.4 s of it for a 1600-pixel photo; this takes ~30 ms, elsewhere).
 */
import type Sharp from "sharp";
import { MAX_IMAGE_PIXELS } from "../domain/image-metadata";
import { THUMBNAIL_SIDE, type Thumbnailer } from "../photos/thumbnails";

/** Loaded with the first thumbnail: ~70 ms and ~20 MB that a server asked for none never spends. */
let loaded: Promise<typeof Sharp> | undefined;
const sharpOnce = () =>
  (loaded ??= import("sharp").then(({ default: sharp }) => {
    // Every photo is decoded once; libvips' cache of operations would only hold memory.
    sharp.cache(false);
    return sharp;
  }));

const make: Thumbnailer = async (image) => {
  const sharp = await sharpOnce();
  const b = await sharp(image, { limitInputPixels: MAX_IMAGE_PIXELS, failOn: "error" })
    .resize(THUMBNAIL_SIDE, THUMBNAIL_SIDE, { fit: "inside", withoutEnlargement: true })
    // Drawn on white: a PNG's transparency would turn black in a JPEG.
    .flatten({ background: "#ffffff" })
    .jpeg({ quality: 72, mozjpeg: true })
    // Past this the photo is served itself: the queue behind it must not wait longer.
    .timeout({ seconds: 5 })
    .toBuffer();
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
};

// One at a time: sharp runs in libuv's thread pool, which also flushes the database's commits
// (`wal-sync.ts`); a page of 18 new thumbnails must not hold every write's answer behind it.
let last: Promise<unknown> = Promise.resolve();

export const sharpThumbnailer: Thumbnailer = (image) => {
  const turn = last.then(() => make(image));
  last = turn.catch(() => undefined);
  return turn;
};
