import { z } from "zod";
import { MAX_ZOOM, MIN_ZOOM } from "../domain/map-grid";
import { PUBLIC_STATUSES } from "../domain/public-status";
import { bboxParam } from "./cluster";
import { code, queryInt } from "./common";

/** `GET /api/map`: what is in view at a zoom, with the map's filters. */
export const mapQuery = z.object({
  bbox: bboxParam,
  zoom: queryInt(MIN_ZOOM, MAX_ZOOM),
  service: code.optional(),
  status: z.enum(PUBLIC_STATUSES).optional(),
  /** Only clusters with a report at or after this instant (ISO 8601). */
  since: z.iso
    .datetime({ offset: true })
    .transform((s) => new Date(s).getTime())
    .optional(),
});
export type MapQuery = z.output<typeof mapQuery>;
