import { z } from "zod";

export const localizedName = z.object({
  en: z.string().trim().min(1).max(200),
  zh: z.string().trim().min(1).max(200),
});

export const code = z
  .string()
  .regex(/^[a-z][a-z0-9_]{1,39}$/, "must be 2-40 lower-case letters, digits or underscores");

export const latitude = z.number().min(-90).max(90);
export const longitude = z.number().min(-180).max(180);

const position = z.tuple([longitude, latitude]);
const ring = z
  .array(position)
  .min(4, "a ring needs at least four positions")
  .refine((r) => {
    const [first, last] = [r[0], r[r.length - 1]];
    return first !== undefined && last !== undefined && first[0] === last[0] && first[1] === last[1];
  }, "a ring must end where it starts");

/** A department's area: GeoJSON (RFC 7946) Polygon or MultiPolygon. */
export const area = z.discriminatedUnion("type", [
  z.object({ type: z.literal("Polygon"), coordinates: z.array(ring).min(1) }),
  z.object({ type: z.literal("MultiPolygon"), coordinates: z.array(z.array(ring).min(1)).min(1) }),
]);

/** Every refusal of the API (Open311 has its own shape). */
export const errorBody = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    field: z.string().optional().describe("The field or parameter at fault"),
    allowed: z.array(z.string()).optional().describe("With a refused move: the moves allowed from here"),
  }),
});

/** An instant as the API writes it: ISO 8601 in UTC. */
export const instant = z.iso.datetime();

/** A GeoJSON (RFC 7946) point: `[lon, lat]`. */
export const pointGeometry = z.object({
  type: z.literal("Point"),
  coordinates: z.tuple([z.number(), z.number()]),
});
