import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import { AppError, conflict, notFound } from "../domain/errors";
import { newId } from "../domain/ids";
import { cleanImage, ImageError } from "../domain/image-metadata";
import { requireDepartment } from "../http/auth";
import type { AppEnv } from "../http/context";
import { jsonBody, queryParams } from "../http/validate";
import { describe } from "../openapi/describe";
import { photoAttachInput, photoCreated, photoList, photoListQuery } from "../schemas/photo";
import { attachToLatestChange, findPhoto, insertPhoto, listPhotos, photoUrl } from "../store/photos";
import { findWorkOrderFor } from "../store/work-orders";

/** Largest photo accepted. The web app shrinks photos well below this before sending them. */
export const MAX_PHOTO_BYTES = 5 * 1024 * 1024;

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
    const file = form.get("photo");
    if (!(file instanceof Blob))
      throw new AppError(400, "invalid_field", "send the photo in the field 'photo'", "photo");
    return new Uint8Array(await file.arrayBuffer());
  }
  return new Uint8Array(await req.arrayBuffer());
}

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
        400: "Empty, unreadable or not an image",
        413: `Over ${MAX_PHOTO_BYTES / 1048576} MB`,
        415: "Not a JPEG, PNG or WebP",
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
        );
      },
    }),
    async (c) => {
      const store = c.var.photos;
      if (!store) throw new AppError(503, "photos_unavailable", "photo storage is not configured here");
      const raw = await uploadedBytes(c.req.raw);
      if (raw.length === 0) throw new AppError(400, "invalid_field", "the photo is empty", "photo");
      let image: ReturnType<typeof cleanImage>;
      try {
        image = cleanImage(raw);
      } catch (e) {
        if (!(e instanceof ImageError)) throw e;
        throw new AppError(e.reason === "unsupported_type" ? 415 : 400, e.reason, e.message, "photo");
      }
      const id = newId();
      await store.put(id, image.bytes, image.type);
      await insertPhoto(c.var.db, {
        id,
        contentType: image.type,
        bytes: image.bytes.length,
        width: image.width,
        height: image.height,
        storageKey: id,
        createdAt: c.var.now(),
      });
      return c.json({ photo: { id, url: photoUrl(id), width: image.width, height: image.height } }, 201);
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
    bodyLimit({
      maxSize: 4096,
      onError: () => {
        throw new AppError(413, "payload_too_large", "the body is over 4096 bytes");
      },
    }),
    requireDepartment,
    jsonBody(photoAttachInput),
    async (c) => {
      const { workOrderId, photoIds } = c.req.valid("json");
      if (!(await findWorkOrderFor(c.var.db, workOrderId, c.var.department.code)))
        throw notFound("work order");
      const linked = await attachToLatestChange(c.var.db, workOrderId, photoIds);
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
      responses: {
        200: {
          description: "The image",
          content: { "image/jpeg": IMAGE, "image/png": IMAGE, "image/webp": IMAGE },
        },
      },
    }),
    async (c) => {
      const photo = await findPhoto(c.var.db, c.req.param("id"));
      const stored = photo && (await c.var.photos?.get(photo.storageKey));
      if (!photo || !stored) throw notFound("photo");
      return c.body(stored.bytes as Uint8Array<ArrayBuffer>, 200, {
        "content-type": photo.contentType,
        "content-length": String(stored.bytes.length),
        "cache-control": "public, max-age=31536000, immutable",
        "x-content-type-options": "nosniff",
        "content-security-policy": "default-src 'none'",
      });
    },
  );
