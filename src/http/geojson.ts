/**
 * GeoJSON's registered media type (RFC 7946 §12), for every answer that is a FeatureCollection:
 * GIS tools (QGIS, ogr2ogr) and browsers' file handling go by it, where `application/json` says
 * only "some JSON". Its charset as the exports have always named it.
 */
export const GEOJSON_TYPE = "application/geo+json; charset=utf-8";

/** The headers of such an answer: `c.json(collection, 200, GEOJSON_HEADERS)`. */
export const GEOJSON_HEADERS = { "Content-Type": GEOJSON_TYPE };
