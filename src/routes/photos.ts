import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import { AppError, conflict, notFound } from "../domain/errors";
import { newId } from "../domain/ids";
import { cleanImage, ImageError, MAX_IMAGE_PIXELS, MAX_IMAGE_SIDE } from "../domain/image-metadata";
import { networkKey } from "../domain/network";
import { requireDepartmentWrite } from "../http/auth";
import { limitBodyTo } from "../http/body-limit";
import type { AppEnv } from "../http/context";
import { jsonBody, queryParams } from "../http/validate";
import { describe } from "../openapi/describe";
import { needsThumbnail, THUMBNAIL_SIDE, thumbnailOf } from "../photos/thumbnails";
import { photoAttachInput, photoCreated, photoList, photoListQuery } from "../schemas/photo";
import {
  attachToLatestChange,
  deletePhoto,
  findVisiblePhoto,
  insertPhotoWithinQuota,
  listPhotos,
  type PhotoQuota,
  photoUrl,
  quotaFreesAt,
} from "../store/photos";
import { findWorkOrderFor } from "../store/work-orders";

/** Largest photo accepted. The web app shrinks photos well below this before sending them. */
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

/** Uploads one network may make in a day: enough for a busy office, not for filling a disk. */
export const DEFAULT_PHOTO_QUOTA: PhotoQuota = {
  photos: 60,
  bytes: 150 * 1024 * 1024,
  windowMs: 24 * 3600_000,
};

/** What a refused image is answered with. */
const IMAGE_STATUS = { unsupported_type: 415, malformed_image: 400, image_too_large: 413 } as const;

/** An image's bytes, in the document. */
const IMAGE = { type: "string", contentMediaType: "image/*" };

/** The uploaded bytes: the raw body, or the `photo` field of a multipart form. */
async function uploadedBytes(req: Request): Promise<Uint8Array> {
  const type = req.headers.get("content-type") ?? "";
  if (/^multipart\/form-data/i.test(type)) {
    let form: FormData;
    try {
      form = await req.formData();
    } catch {
      throw new AppError(400, "invalid_body", "the multipart body could not be read", "photo");
    }
    const [file, ...more] = form.getAll("photo");
    if (!(file instanceof Blob))
      throw new AppError(400, "invalid_field", "send the photo in the field 'photo'", "photo");
    // One photo a request (its answer is one id): a second is refused, not dropped without a word.
    if (more.length > 0)
      throw new AppError(400, "invalid_field", "photo: one photo a request; send each in its own", "photo");
    return new Uint8Array(await file.arrayBuffer());
  }
  return new Uint8Array(await req.arrayBuffer());
}

/**
 * Checks an uploaded image (type by its bytes, size, metadata stripped), counts it against the
 * network's daily quota and stores it: unlinked until a report's intake links it. Shared by
 * `POST /api/photos` and Open311's multipart POST.
 */
export async function savePhoto(c: Context<AppEnv>, raw: Uint8Array) {
  const store = c.var.photos;
  if (!store) throw new AppError(503, "photos_unavailable", "photo storage is not configured here");
  if (raw.length === 0) throw new AppError(400, "invalid_field", "the photo is empty", "photo");
  let image: Awaited<ReturnType<typeof cleanImage>>;
  try {
    image = await cleanImage(raw);
  } catch (e) {
    if (!(e instanceof ImageError)) throw e;
    throw new AppError(IMAGE_STATUS[e.reason], e.reason, e.message, "photo");
  }
  const now = c.var.now();
  const quota = c.var.config.photoQuota ?? DEFAULT_PHOTO_QUOTA;
  const network = await networkKey(c.var.config.reporterSecret, c.var.clientAddress);
  const id = newId();
  const row = {
    id,
    contentType: image.type,
    bytes: image.bytes.length,
    width: image.width,
    height: image.height,
  };
  const within = await insertPhotoWithinQuota(
    c.var.db,
    { ...row, storageKey: id, createdAt: now, uploaderNetwork: network },
    quota,
  );
  if (!within) {
    const freesAt = (await quotaFreesAt(c.var.db, network, now, quota)) ?? now + 1000;
    throw new AppError(
      429,
      "photo_quota_exceeded",
      `this network has used its ${quota.photos} photos (${quota.bytes / 1048576} MB) a day; try again later`,
      "photo",
      { retryAfter: Math.max(1, Math.ceil((freesAt - now) / 1000)) },
    );
  }
  try {
    await store.put(id, image.bytes, image.type);
  } catch (e) {
    await deletePhoto(c.var.db, id);
    throw e;
  }
  return { id, url: photoUrl(id), width: image.width, height: image.height };
}

/** Image bytes with the headers every photo is served with. */
function imageAnswer(c: Context<AppEnv>, bytes: Uint8Array, contentType: string, hidden: boolean) {
  return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
    "content-type": contentType,
    "content-length": String(bytes.length),
    // Bytes never change, but moderators may hide a photo: caches must let go within an hour.
    "cache-control": hidden ? "private, no-store" : "public, max-age=3600",
    "x-content-type-options": "nosniff",
    "content-security-policy": "default-src 'none'",
  });
}

/**
 * A photo's bytes: to anyone while it is visible (cached an hour), or to the moderators whatever
 * its state (`hidden`; never kept by a cache, as they may be looking at what they hid).
 */
export async function servePhoto(c: Context<AppEnv>, { hidden }: { hidden: boolean }) {
  const photo = await findVisiblePhoto(c.var.db, c.req.param("id") as string, { hidden });
  const stored = photo && (await c.var.photos?.get(photo.storageKey));
  if (!photo || !stored) throw notFound("photo");
  return imageAnswer(c, stored.bytes, photo.contentType, hidden);
}

/**
 * A visible photo's thumbnail (made and kept on first request), or the photo itself when it is
 * small already or this runtime makes none.
 */
async function serveThumbnail(c: Context<AppEnv>) {
  const photo = await findVisiblePhoto(c.var.db, c.req.param("id") as string);
  const store = c.var.photos;
  if (!photo || !store) throw notFound("photo");
  const make = c.var.thumbnails;
  if (make && needsThumbnail(photo.width, photo.height)) {
    const thumbnail = await thumbnailOf(store, photo.storageKey, make);
    if (thumbnail) return imageAnswer(c, thumbnail, "image/jpeg", false);
  }
  const stored = await store.get(photo.storageKey);
  if (!stored) throw notFound("photo");
  return imageAnswer(c, stored.bytes, photo.contentType, false);
}

/** The photo responses of the API document, for the public route and the moderators'. */
export const PHOTO_BYTES = {
  description: "The image",
  content: { "image/jpeg": IMAGE, "image/png": IMAGE, "image/webp": IMAGE },
};

/**
 * Photos: upload (stripped of metadata, typed by their real bytes), list by cluster or report,
 * and serve. An upload stands alone until a report's intake links it (`photoIds`).
 */
export const photoRoutes = new Hono<AppEnv>()
  .post(
    "/",
    describe({
      tag: "Photos",
      summary: "Upload a photo (stripped of metadata) to attach to a report",
      description: "The raw image as the body, or a multipart form with the image in the field `photo`.",
      requestBody: {
        required: true,
        content: {
          "image/jpeg": IMAGE,
          "image/png": IMAGE,
          "image/webp": IMAGE,
          "multipart/form-data": { type: "object", properties: { photo: IMAGE }, required: ["photo"] },
        },
      },
      responses: { 201: { description: "The stored photo", json: photoCreated } },
      errors: {
        400: "Empty, unreadable, or not a complete image (`malformed_image`)",
        413: `Over ${MAX_PHOTO_BYTES / 1048576} MB, or over ${MAX_IMAGE_SIDE} pixels a side or ${MAX_IMAGE_PIXELS / 1e6} megapixels (\`image_too_large\`)`,
        415: "Not a JPEG, PNG or WebP",
        429: "The network's daily photo quota is used up (`photo_quota_exceeded`, with `Retry-After`)",
        503: "Photo storage is not configured here",
      },
    }),
    bodyLimit({
      maxSize: MAX_PHOTO_BYTES,
      onError: () => {
        throw new AppError(
          413,
          "payload_too_large",
          `a photo may be at most ${MAX_PHOTO_BYTES / 1048576} MB`,
          "body",
        );
      },
    }),
    async (c) => {
      const photo = await savePhoto(c, await uploadedBytes(c.req.raw));
      return c.json({ photo }, 201);
    },
  )
  // A department adds photos to its latest status change of one of its work orders.
  .post(
    "/attach",
    describe({
      tag: "Department",
      summary: "Attach uploaded photos to the latest status change of one of the department's work orders",
      responses: {
        200: { description: "How many photos were linked", json: z.object({ attached: z.int() }) },
      },
      errors: { 404: "No such work order of this department", 409: "`nothing_attached`" },
    }),
    limitBodyTo(4096),
    requireDepartmentWrite,
    jsonBody(photoAttachInput),
    async (c) => {
      const { workOrderId, photoIds } = c.req.valid("json");
      if (!(await findWorkOrderFor(c.var.db, workOrderId, c.var.department.code)))
        throw notFound("work order");
      const linked = await attachToLatestChange(
        c.var.db,
        workOrderId,
        photoIds,
        c.var.caller.by,
        c.var.now(),
      );
      if (linked === 0)
        throw conflict("nothing_attached", "no unattached photo, or no status change to attach it to");
      return c.json({ attached: linked });
    },
  )
  .get(
    "/",
    describe({
      tag: "Photos",
      summary: "Photos of a cluster or of a report (give `cluster` or `report`)",
      responses: { 200: { description: "The photos, oldest first", json: photoList } },
    }),
    queryParams(photoListQuery),
    async (c) => c.json({ photos: await listPhotos(c.var.db, c.req.valid("query")) }),
  )
  .get(
    "/:id",
    describe({
      tag: "Photos",
      summary: "A photo's bytes",
      responses: { 200: PHOTO_BYTES },
    }),
    async (c) => servePhoto(c, { hidden: false }),
  )
  .get(
    "/:id/thumbnail",
    describe({
      tag: "Photos",
      summary: `A photo at most ${THUMBNAIL_SIDE} pixels a side, as a JPEG, for lists`,
      description:
        "The photo itself when it is that small already, or where this server makes no thumbnails (on Workers).",
      responses: { 200: PHOTO_BYTES },
    }),
    serveThumbnail,
  );
