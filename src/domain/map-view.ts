/**
 * Where the city's maps open (the public map, the report form, the desk, the admin's area
 * drawing) when the address names no view: a city sets its own with `MAP_VIEW`; without it, the
 * demo city, Changsha. No I/O.
 */
export interface MapView {
  lat: number;
  lon: number;
  zoom: number;
}

export const DEFAULT_MAP_VIEW: MapView = { lat: 28.195, lon: 112.97, zoom: 13 };

const HINT = "must be lat,lon,zoom such as 39.9042,116.4074,12 (latitude within 85°, zoom 2 to 19)";

/** `MAP_VIEW` as written (`lat,lon,zoom`); undefined when empty or unset; throws saying what is wrong. */
export function parseMapView(text: string | undefined): MapView | undefined {
  if (!text?.trim()) return undefined;
  const parts = text.split(",").map((p) => p.trim());
  const [lat, lon, zoom] = parts.map(Number) as [number, number, number];
  const valid =
    parts.length === 3 &&
    parts.every((p) => /^[-+]?\d+(\.\d+)?$/.test(p)) &&
    Math.abs(lat) <= 85 &&
    Math.abs(lon) <= 180 &&
    Number.isInteger(zoom) &&
    zoom >= 2 &&
    zoom <= 19;
  if (!valid) throw new Error(HINT);
  return { lat, lon, zoom };
}

/**
 * The map's address (`?lat=&lon=&z=`, and `service=`) showing a box on a 1280-pixel-wide screen
 * (the inverse of the box a view shows, `feed-discovery.ts`); "" without a box or a service.
 */
export function mapViewQuery(
  box: { minLon: number; minLat: number; maxLon: number; maxLat: number } | undefined,
  service: string | undefined,
): string {
  const q = new URLSearchParams();
  if (box) {
    const span = Math.max(box.maxLon - box.minLon, 1e-6);
    const zoom = Math.min(19, Math.max(2, Math.floor(Math.log2((360 * 1280) / (256 * span)))));
    q.set("lat", ((box.minLat + box.maxLat) / 2).toFixed(5));
    q.set("lon", ((box.minLon + box.maxLon) / 2).toFixed(5));
    q.set("z", String(zoom));
  }
  if (service) q.set("service", service);
  const text = q.toString();
  return text ? `?${text}` : "";
}
