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
