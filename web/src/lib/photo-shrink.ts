/** Photos are made smaller in the browser before upload: quicker on a phone, lighter to store. */

const MAX_SIDE = 1600;
export const ACCEPTED_TYPES = ["image/jpeg", "image/png", "image/webp"];

/** A chosen file this browser cannot read as a picture (damaged, or a format it does not decode). */
export class PhotoUnreadable extends Error {
  constructor(readonly n: number) {
    super(`photo ${n} cannot be read`);
    this.name = "PhotoUnreadable";
  }
}

/**
 * Whether a file begins as a JPEG, PNG or WebP picture does: text or random bytes named `.jpg`
 * do not. Read from its first 12 bytes, so choosing a large photo costs nothing; a damaged one
 * that begins well is found when it is shrunk, before sending (`PhotoUnreadable`).
 */
export async function looksLikePicture(file: Blob): Promise<boolean> {
  const head = new Uint8Array(await file.slice(0, 12).arrayBuffer());
  const at = (from: number, bytes: number[]) => bytes.every((b, i) => head[from + i] === b);
  return (
    at(0, [0xff, 0xd8, 0xff]) ||
    at(0, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]) ||
    (at(0, [0x52, 0x49, 0x46, 0x46]) && at(8, [0x57, 0x45, 0x42, 0x50]))
  );
}

/** Every chosen photo shrunk (`shrinkPhoto`); one that cannot be read fails as `PhotoUnreadable`, naming it. */
export const shrinkPhotos = (files: Blob[]) =>
  Promise.all(files.map((f, i) => shrinkPhoto(f).catch(() => Promise.reject(new PhotoUnreadable(i + 1)))));

/** The photo re-encoded as a JPEG at most 1600 px on its longer side (which also drops its metadata). */
export async function shrinkPhoto(file: Blob): Promise<Blob> {
  const bitmap = await createImageBitmap(file);
  const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  canvas.getContext("2d")?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  return new Promise((done, fail) =>
    canvas.toBlob((b) => (b ? done(b) : fail(new Error("could not encode the photo"))), "image/jpeg", 0.82),
  );
}
