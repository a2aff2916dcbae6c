/**
 * The Atom feed a page of the web app announces in the HTML the server sends
 * (`<link rel="alternate" type="application/atom+xml">`): feed readers and their discovery look
 * for it in the page as fetched and run no script, so the link the app adds once it runs
 * (`web/src/lib/use-feed-link.ts`) is not enough for them. No I/O.
 */
import { DEFAULT_MAP_VIEW, type MapView } from "../domain/map-view";
import { escapeXml } from "../open311/xml";

export interface PageFeed {
  href: string;
  title: string;
}

/** A screen's half size in pixels, for the box of a map view named by its centre and zoom. */
const HALF_SCREEN = { x: 640, y: 400 };
const ID = /^[A-Za-z0-9_-]{1,64}$/;

const round = (n: number) => Number(n.toFixed(5));

/** The box a map view at `lat`, `lon`, `zoom` shows on a 1280 × 800 screen, clamped to the world. */
function viewBox(q: URLSearchParams, city: MapView): string {
  const lat = Number(q.get("lat"));
  const lon = Number(q.get("lon"));
  const z = Number(q.get("z"));
  const given = q.has("lat") && q.has("lon") && Math.abs(lat) <= 85 && Math.abs(lon) <= 180;
  const view = given ? { lat, lon, zoom: Number.isInteger(z) && z >= 2 && z <= 19 ? z : city.zoom } : city;
  const degreesPerPixel = 360 / (256 * 2 ** view.zoom);
  const halfLon = HALF_SCREEN.x * degreesPerPixel;
  const halfLat = HALF_SCREEN.y * degreesPerPixel * Math.cos((view.lat * Math.PI) / 180);
  return [
    Math.max(-180, view.lon - halfLon),
    Math.max(-90, view.lat - halfLat),
    Math.min(180, view.lon + halfLon),
    Math.min(90, view.lat + halfLat),
  ]
    .map(round)
    .join(",");
}

/**
 * The feed of a page: a problem's page (`/c/:id`) its timeline; the map (`/`) the department's
 * work when it shows one department's, else new and updated problems in its view (of its
 * service; without a view in the address, the city's own, `MAP_VIEW`, as the map opens at it).
 * Null for pages without a feed.
 */
export function pageFeed(
  path: string,
  query: URLSearchParams,
  city: MapView = DEFAULT_MAP_VIEW,
): PageFeed | null {
  const problem = /^\/c\/([^/]+)$/.exec(path);
  if (problem?.[1] && ID.test(problem[1]))
    return { href: `/api/feeds/clusters/${problem[1]}.atom`, title: "CivicLoop: this problem's timeline" };
  if (path !== "/") return null;
  const department = query.get("department");
  if (department && ID.test(department))
    return { href: `/api/feeds/departments/${department}.atom`, title: "CivicLoop: the department's work" };
  const service = query.get("service");
  const only = service && ID.test(service) ? `&service=${service}` : "";
  return {
    href: `/api/feeds/area.atom?bbox=${viewBox(query, city)}${only}`,
    title: "CivicLoop: problems in this area",
  };
}

/** The page with its feed announced at the end of its head. */
export function withFeedLink(page: string, feed: PageFeed): string {
  // Marked so the app, once it runs, puts its own link (which follows the view) in its place.
  const link = `<link rel="alternate" type="application/atom+xml" title="${escapeXml(feed.title)}" href="${escapeXml(feed.href)}" data-server-feed />`;
  const at = page.indexOf("</head>");
  return at < 0 ? page : `${page.slice(0, at)}${link}\n${page.slice(at)}`;
}
