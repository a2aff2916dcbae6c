import { z } from "zod";
import { parseBBox } from "../domain/geo";
import { CLUSTER_STATES } from "../domain/states";
import { code, optionalQueryInt } from "./common";

export const bboxParam = z.string().transform((text, ctx) => {
  const box = parseBBox(text);
  if (!box) {
    ctx.addIssue({
      code: "custom",
      message: "must be minLon,minLat,maxLon,maxLat within range, min before max",
    });
    return z.NEVER;
  }
  return box;
});

/** `GET /api/clusters` query. */
export const clusterQuery = z.object({
  bbox: bboxParam,
  service: code.optional(),
  state: z.enum(CLUSTER_STATES).optional(),
  limit: optionalQueryInt(1, 5000, 2000),
});
