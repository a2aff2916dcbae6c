/** Where the map opens when the address does not say (the demo city, Changsha). */
export const DEFAULT_VIEW = { lat: 28.195, lon: 112.97, zoom: 13 };

/** A view from `?lat=&lon=&z=` in the address, so a view can be shared as a link. */
export function viewFromAddress(search: string): { lat: number; lon: number; zoom: number } {
  const q = new URLSearchParams(search);
  const lat = Number(q.get("lat"));
  const lon = Number(q.get("lon"));
  const zoom = Number(q.get("z"));
  const valid = q.has("lat") && q.has("lon") && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
  return valid
    ? { lat, lon, zoom: Number.isInteger(zoom) && zoom >= 2 && zoom <= 19 ? zoom : DEFAULT_VIEW.zoom }
    : DEFAULT_VIEW;
}
