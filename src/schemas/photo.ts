import { z } from "zod";

/** An uploaded photo's id, as `POST /api/photos` gave it. */
export const photoId = z.string().regex(/^[0-9a-z]{1,64}$/, "must be a photo id");

/** `POST /api/photos/attach`: a department's photos of a status change (the repair done). */
export const photoAttachInput = z.strictObject({
  workOrderId: z.string().min(1).max(64),
  photoIds: z.array(photoId).min(1).max(3, "at most 3 photos"),
});

/**
 * A cluster's or a report's id: one, so a repeated parameter (`a,b` once joined) is refused. A
 * hyphen is an id's too: `npm run sample`'s clusters have one, and the console's photos of every
 * sample work order were refused.
 */
const recordId = z.string().regex(/^[0-9a-z-]{1,64}$/, "must be one id, given once");

/** `GET /api/photos`: the photos of one cluster or of one report (one of the two, named when missing). */
export const photoListQuery = z
  .object({ cluster: recordId.optional(), report: recordId.optional() })
  .transform((q, ctx) => {
    if (q.cluster !== undefined && q.report === undefined) return { cluster: q.cluster };
    if (q.report !== undefined && q.cluster === undefined) return { report: q.report };
    ctx.addIssue({
      code: "custom",
      path: [q.cluster === undefined ? "cluster" : "report"],
      message: q.cluster === undefined ? "give cluster or report" : "give cluster or report, not both",
    });
    return z.NEVER;
  });

/** `201` of `POST /api/photos`. */
export const photoCreated = z.object({
  photo: z.object({
    id: z.string(),
    url: z.string(),
    width: z.int().nullable(),
    height: z.int().nullable(),
  }),
});

/** `GET /api/photos`: a resident's photos (`by: resident`) and a department's (`by: department`). */
export const photoList = z.object({
  photos: z.array(
    z.object({
      id: z.string(),
      reportId: z.string().nullable(),
      width: z.int().nullable(),
      height: z.int().nullable(),
      by: z.enum(["resident", "department"]),
      url: z.string(),
      /** At most 320 pixels a side: for lists, where the full photo costs a phone seconds. */
      thumbnailUrl: z.string(),
    }),
  ),
});
