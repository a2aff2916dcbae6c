import { z } from "zod";
import { bboxParam } from "./cluster";
import { code } from "./common";

/** Every feed's query: the language of its words (English unless `zh`). */
export const feedLangQuery = z.object({
  lang: z
    .enum(["zh", "en"])
    .optional()
    .describe("The language of the feed's own words (statuses, events, names): `zh` or `en` (the default)"),
});

/** `GET /api/feeds/area.atom` query: a box and one service, each optional (no box: everywhere, the service's feed). */
export const areaFeedQuery = feedLangQuery.extend({
  bbox: bboxParam.optional(),
  service: code.optional(),
});

/** An Atom document (RFC 4287), described for the reference page. */
export const atomText = z
  .string()
  .describe("An Atom 1.0 feed (RFC 4287), UTF-8, newest entries first, at most 50");
