import type { Context, TypedResponse } from "hono";
import type { JSONParsed } from "hono/utils/types";
/**
 * GeoJSON's registered media type (RFC 7946 §12), for every answer that is a FeatureCollection:
 * GIS tools (QGIS, ogr2ogr) and browsers' file handling go by it, where `application/json` says
 * only "some JSON". Its charset as the exports have always named it.
 */
export const GEOJSON_TYPE = "application/geo+json; charset=utf-8";

/** The headers of such an answer: `c.json(collection, 200, GEOJSON_HEADERS)`. */
export const GEOJSON_HEADERS = { "Content-Type": GEOJSON_TYPE };

/**
 * An answer already written as JSON text, typed as `c.json(value)` would type it (the web client
 * reads the route's type): for an answer whose text is measured before it is sent.
 */
export const jsonText = <T>(c: Context, text: string, headers: Record<string, string>) =>
  c.body(text, 200, headers) as unknown as Response & TypedResponse<JSONParsed<T>, 200, "json">;
