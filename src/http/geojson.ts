import type { Context, TypedResponse } from "hono";
import type { JSONParsed } from "hono/utils/types";
import type { AppEnv } from "./context";
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

/** Answers shorter than this are sent as they are: compressing them saves less than it costs. */
export const COMPRESS_MIN_BYTES = 1024;

/**
 * An answer already written as JSON bytes, typed as `jsonText`; gzipped here when the server
 * offers to (`c.var.gzip`: a Node server, a client taking gzip), so it is never read back.
 */
export function jsonBytes<T>(c: Context<AppEnv>, bytes: Uint8Array, headers: Record<string, string>) {
  const gzip = bytes.byteLength >= COMPRESS_MIN_BYTES ? c.get("gzip") : undefined;
  const answer = gzip
    ? c.body(gzip(bytes) as Uint8Array<ArrayBuffer>, 200, { ...headers, "Content-Encoding": "gzip" })
    : c.body(bytes as Uint8Array<ArrayBuffer>, 200, headers);
  return answer as unknown as Response & TypedResponse<JSONParsed<T>, 200, "json">;
}
