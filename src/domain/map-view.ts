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
