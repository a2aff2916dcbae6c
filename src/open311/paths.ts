/**
 * GeoReport v2 puts the format in the path: `services.json`, `requests/123.xml`. Hono matches
 * a whole segment per parameter, so a resource with an id takes one parameter holding both,
 * matched by this pattern; the suffix is stripped in the handler. The slash is written `\x2F`
 * so that tools splitting the route's path at slashes (the OpenAPI generator) see one segment.
 */
export const ID_WITH_SUFFIX = "[^\\x2F]+\\.(?:json|xml)";

/** Both formats of a resource without an id: `/services` → `/services.json`, `/services.xml`. */
export const bothFormats = (path: string) => [`${path}.json`, `${path}.xml`];
