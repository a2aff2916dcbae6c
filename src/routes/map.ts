import { type Context, Hono } from "hono";
import { AppError } from "../domain/errors";
import { jsonPrefixBytes } from "../domain/json-bytes";
import { cellSizeDeg, tileBounds, tileCellBox } from "../domain/map-grid";
import { NOT_MODIFIED, notModified } from "../http/conditional";
import type { AppEnv } from "../http/context";
import { GEOJSON_HEADERS, jsonBytes } from "../http/geojson";
import { firstIssue, queryParams } from "../http/validate";
import { describe } from "../openapi/describe";
import { mapAnswer, mapQuery, tilePath, tileQuery } from "../schemas/map";
import { type MapItem, SAID_CHARS } from "../store/map";
import { boxVersion } from "../store/map-cells";
import { findMapItems, keptLevel, type MapAnswer, viewLevel } from "../store/map-view";

/** How long a browser or the edge may keep a tile without asking; after it, the ETag revalidates. */
const TILE_MAX_AGE_S = 15;
/** Deadline flags turn with the clock, not with writes: a tile's ETag changes each minute too. */
const FLAG_PERIOD_MS = 60_000;

/** The map's items as GeoJSON; `mode` is a foreign member (RFC 7946 §6.1). */
const geoJson = (mode: "clusters" | "grid", items: MapItem[], zoomIn?: true) => ({
  type: "FeatureCollection" as const,
  // "clusters" when every cluster in view is listed.
  mode,
  ...(zoomIn ? { zoomIn } : {}),
  features: items.map(({ lat, lon, ...properties }) => ({
    type: "Feature" as const,
    ...(properties.kind === "cluster" ? { id: properties.id } : {}),
    geometry: { type: "Point" as const, coordinates: [lon, lat] as [number, number] },
    properties,
  })),
});

/** Most bytes of one answer (issue 18): 300 pins fit, unless the residents' words run long. */
export const MAX_ANSWER_BYTES = 100_000;

/**
 * The answer as GeoJSON text, at most `MAX_ANSWER_BYTES`: pins and cells are already capped in
 * number, and `said` (up to 120 characters, 3 bytes each in Chinese) is what can still push it
 * over, so it is cut to the longest length that fits. The pins themselves stay. The answer's
 * bytes are those of the answer without words plus each pin's words as JSON writes them, so the
 * cut is searched over the words' sizes (`jsonPrefixBytes`, counted once) and the answer written
 * once more: ~2.5 ms for a street view of 300 pins with long words, where writing and measuring
 * each try took ~4.
 */
function featureCollection(c: Context<AppEnv>, answer: MapAnswer) {
  return jsonBytes<ReturnType<typeof geoJson>>(c, answerBytes(answer), GEOJSON_HEADERS);
}

const utf8 = new TextEncoder();

function answerBytes({ mode, items, zoomIn }: MapAnswer): Uint8Array {
  const whole = utf8.encode(JSON.stringify(geoJson(mode, items, zoomIn)));
  if (whole.byteLength <= MAX_ANSWER_BYTES) return whole;
  const words = items.flatMap((i) => (i.kind === "cluster" ? [jsonPrefixBytes(i.said)] : []));
  const bare = words.reduce((sum, w) => sum - (w.at(-1) ?? 0), whole.byteLength);
  const fits = (chars: number) =>
    words.reduce((sum, w) => sum + (w[Math.min(chars, w.length - 1)] ?? 0), bare) <= MAX_ANSWER_BYTES;
  let [lo, hi] = [0, SAID_CHARS];
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  const cut = items.map((i) => (i.kind === "cluster" ? { ...i, said: i.said.slice(0, lo) } : i));
  return utf8.encode(JSON.stringify(geoJson(mode, cut, zoomIn)));
}

const tileParam = (name: string, description: string) => ({
  name,
  in: "path" as const,
  required: true,
  description,
  schema: { type: "integer", minimum: 0 },
});

/** The public map: GeoJSON of what is in view, thinned to counts where it is dense. */
export const mapRoutes = new Hono<AppEnv>()
  .get(
    "/",
    describe({
      tag: "Map",
      summary: "What is in view on the map, thinned to counts where dense (GeoJSON)",
      responses: {
        200: {
          description: "A GeoJSON FeatureCollection of clusters and cells",
          content: { "application/geo+json": mapAnswer },
        },
      },
    }),
    queryParams(mapQuery),
    async (c) => {
      const { bbox, zoom, deadline, ...filter } = c.req.valid("query");
      const now = c.var.now();
      const answer = await findMapItems(
        c.var.db,
        bbox,
        zoom,
        { ...filter, deadline: deadline ? { flag: deadline, now } : undefined },
        now,
      );
      return featureCollection(c, answer);
    },
  )
  .get(
    "/tiles/:z/:x/:y",
    describe({
      tag: "Map",
      summary: "One Web Mercator tile of the map (GeoJSON), cacheable: ETag and If-None-Match",
      parameters: [
        tileParam("z", "Zoom"),
        tileParam("x", "Column, from the west"),
        tileParam("y", "Row, from the north"),
      ],
      responses: {
        200: {
          description:
            "The clusters and cells of this tile: each grid cell belongs to the one tile holding its south-west corner",
          content: { "application/geo+json": mapAnswer },
        },
        304: NOT_MODIFIED,
      },
    }),
    queryParams(tileQuery),
    async (c) => {
      const path = tilePath.safeParse(c.req.param());
      if (!path.success) {
        const { field, message } = firstIssue(path.error);
        throw new AppError(400, "invalid_parameter", `${field}: ${message}`, field);
      }
      const { z, x, y } = path.data;
      const { deadline, ...query } = c.req.valid("query");
      const now = c.var.now();
      const filter = { ...query, deadline: deadline ? { flag: deadline, now } : undefined };
      const tile = tileBounds(z, x, y);
      const level = viewLevel(tile, z);
      // The rows of the cells the tile is grouped in: over time, those of the coarser level kept
      // (twice as wide), or a cell across the tile's edge was counted by both tiles.
      const box = tileCellBox(tile, cellSizeDeg(keptLevel(tile, z, filter) - 2));
      // Any write touching the tile's cells bumps their versions; the query and minute are in it too.
      const version = box ? await boxVersion(c.var.db, box, level) : "0";
      const etag = `W/"${z}-${x}-${y}-${version}-${Math.floor(now / FLAG_PERIOD_MS)}-${new URL(c.req.url).search}"`;
      const unchanged = notModified(c, etag, TILE_MAX_AGE_S);
      if (unchanged) return unchanged;
      const answer: MapAnswer = box
        ? await findMapItems(c.var.db, box, z, filter, now)
        : { mode: "clusters", items: [] };
      return featureCollection(c, answer);
    },
  );
