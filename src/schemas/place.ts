import { z } from "zod";
import { parseCsv } from "../domain/csv";
import { invalid } from "../domain/errors";
import { cellKey } from "../domain/place-names";
import type { PlaceGeometry, PlaceInput } from "../domain/places";
import { PLACE_KINDS } from "../domain/states";
import { area, geoPosition, nameLine, optionalQueryInt, text } from "./common";
import { requiredDecimal } from "./meta";

const position = geoPosition;
const line = z.array(position).min(2, "a line needs at least two positions").max(2000);

/** A place's geometry: a point, a road's line(s), or an area. */
export const placeGeometry = z.union([
  z.object({ type: z.literal("Point"), coordinates: position }),
  z.object({ type: z.literal("LineString"), coordinates: line }),
  z.object({ type: z.literal("MultiLineString"), coordinates: z.array(line).min(1).max(200) }),
  area,
]);

// On one line: the nearest place's name heads work orders' mail subjects and their Place line.
const name = nameLine();

/** A gazetteer entry's names, as import files write them. */
export const placeProperties = z.object({
  kind: z.enum(PLACE_KINDS),
  name_zh: name,
  name_en: name,
  pinyin: name.describe("With or without tone marks and spaces: Wǔyī Dàdào, wuyi dadao"),
});

/**
 * `POST /api/admin/places`: a GeoJSON FeatureCollection, or CSV text with the header
 * `kind,name_zh,name_en,pinyin,lat,lon` (points only). Nothing is written when any entry is bad.
 */
export const placeImport = z
  .strictObject({
    geojson: z
      .object({
        type: z.literal("FeatureCollection"),
        features: z
          .array(
            z.object({ type: z.literal("Feature"), properties: placeProperties, geometry: placeGeometry }),
          )
          .min(1)
          .max(5000),
      })
      .optional(),
    csv: z.string().min(1).max(2_000_000).optional(),
  })
  .refine((b) => (b.geojson === undefined) !== (b.csv === undefined), {
    message: "send either geojson or csv",
    path: ["geojson"],
  });

/** One CSV row once split into its columns. */
export const placeCsvRow = placeProperties.extend({
  // Plain decimals: `z.coerce` read an empty column as 0, a place at the equator.
  lat: requiredDecimal(-90, 90),
  lon: requiredDecimal(-180, 180),
});

export const placeImported = z.object({
  imported: z.int().describe("Places written (new or replaced by kind and names)"),
});

/** A place as search answers give it. */
export const placeView = z.object({
  id: z.string(),
  kind: z.enum(PLACE_KINDS),
  name: z.object({ zh: z.string(), en: z.string() }),
  pinyin: z.string(),
  lat: z.number(),
  lon: z.number(),
  distanceM: z
    .number()
    .nullable()
    .describe(
      "Metres: in a search, from `near` to its centre, when given; naming a point, from the point to its line or area (0 inside), as the 500 m rule measures",
    ),
});
export const placeList = z.object({ places: z.array(placeView) });

const nearPoint = z
  .string()
  .regex(/^-?\d+(\.\d+)?,-?\d+(\.\d+)?$/, "must be lat,lon")
  .transform((s) => s.split(",").map(Number) as [number, number])
  .refine(([lat, lon]) => Math.abs(lat) <= 90 && Math.abs(lon) <= 180, "must be a latitude and longitude");

export const placeSearchQuery = z.object({
  q: text().trim().min(1).max(100),
  near: nearPoint.optional().describe("lat,lon: nearer places first"),
  limit: optionalQueryInt(1, 50, 10),
});

/** `GET /api/places/name?lat=&lon=`. */
export const pointQuery = z.object({ lat: requiredDecimal(-90, 90), lon: requiredDecimal(-180, 180) });

/**
 * Points named in one request (the map's list asks a screenful at a time), and the ~1 km cells
 * they may fall in: each point is measured against its cell's places, each cell is a box of the
 * gazetteer read, so both bound what one public request costs (200 points in 200 cells had taken
 * ~2 s against 5,000 roads).
 */
export const MAX_NAMED_POINTS = 50;
export const MAX_NAMED_CELLS = 16;

/** `GET /api/places/names?points=lat,lon;lat,lon…`. */
export const pointsQuery = z.object({
  points: z
    .string()
    .max(MAX_NAMED_POINTS * 24, `at most ${MAX_NAMED_POINTS} points`)
    .transform((text, ctx) => {
      const parts = text.split(";");
      if (parts.length > MAX_NAMED_POINTS) {
        ctx.addIssue({ code: "custom", message: `at most ${MAX_NAMED_POINTS} points` });
        return z.NEVER;
      }
      const points = parts.map((p) => nearPoint.safeParse(p));
      const bad = points.findIndex((p) => !p.success);
      if (bad >= 0) {
        ctx.addIssue({ code: "custom", message: `point ${bad + 1} must be lat,lon within range` });
        return z.NEVER;
      }
      const read = points.map((p) => {
        const [lat, lon] = p.data as [number, number];
        return { lat, lon };
      });
      if (new Set(read.map(cellKey)).size > MAX_NAMED_CELLS) {
        ctx.addIssue({
          code: "custom",
          message: `the points fall in more than ${MAX_NAMED_CELLS} places a kilometre apart: ask for fewer at once`,
        });
        return z.NEVER;
      }
      return read;
    })
    .describe(
      `Up to ${MAX_NAMED_POINTS} points, \`lat,lon\` each, separated by \`;\`, in at most ${MAX_NAMED_CELLS} cells of 0.01°`,
    ),
});

/** Each point's place in words, in the order asked, null where the gazetteer has nothing near. */
export const pointNames = z.object({
  names: z.array(z.object({ zh: z.string(), en: z.string() }).nullable()),
});

/** What names a point: the nearest named place and its district, and the label in each language. */
export const pointName = z.object({
  near: placeView.nullable(),
  district: placeView.nullable(),
  label: z.object({ zh: z.string().nullable(), en: z.string().nullable() }),
});

const CSV_COLUMNS = ["kind", "name_zh", "name_en", "pinyin", "lat", "lon"] as const;

/** An import's places as the store takes them; a 400 names the entry and field at fault. */
export function readPlaceImport(body: z.infer<typeof placeImport>): PlaceInput[] {
  if (body.geojson) {
    return body.geojson.features.map((f) => ({
      kind: f.properties.kind,
      nameZh: f.properties.name_zh,
      nameEn: f.properties.name_en,
      pinyin: f.properties.pinyin,
      geometry: f.geometry as PlaceGeometry,
    }));
  }
  const [header, ...rows] = parseCsv(body.csv ?? "");
  const names = header?.fields.map((h) => h.trim().toLowerCase()) ?? [];
  const missing = CSV_COLUMNS.find((c) => !names.includes(c));
  if (missing)
    throw invalid("csv", `the header must name the columns ${CSV_COLUMNS.join(",")}; ${missing} is missing`);
  if (rows.length === 0) throw invalid("csv", "no places after the header");
  if (rows.length > 5000) throw invalid("csv", "at most 5000 places per import");
  return rows.map(({ line, fields }) => {
    const record = Object.fromEntries(names.map((n, i) => [n, fields[i]?.trim() ?? ""]));
    const parsed = placeCsvRow.safeParse(record);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const column = String(issue?.path[0] ?? "row");
      throw invalid(`csv[line ${line}].${column}`, `line ${line}, ${column}: ${issue?.message ?? "invalid"}`);
    }
    const r = parsed.data;
    return {
      kind: r.kind,
      nameZh: r.name_zh,
      nameEn: r.name_en,
      pinyin: r.pinyin,
      geometry: { type: "Point", coordinates: [r.lon, r.lat] },
    };
  });
}
