import { DEFAULT_MAP_VIEW, type MapView } from "../../../src/domain/map-view";

/** A view from `?lat=&lon=&z=` in the address, so a view can be shared as a link; else `city`'s (`MAP_VIEW`). */
export function viewFromAddress(search: string, city: MapView): MapView {
  const q = new URLSearchParams(search);
  const lat = Number(q.get("lat"));
  const lon = Number(q.get("lon"));
  const zoom = Number(q.get("z"));
  const valid = q.has("lat") && q.has("lon") && Math.abs(lat) <= 90 && Math.abs(lon) <= 180;
  return valid
    ? { lat, lon, zoom: Number.isInteger(zoom) && zoom >= 2 && zoom <= 19 ? zoom : city.zoom }
    : city;
}

/** The city's view from the server's catalogue; the demo city's from an answer cached before it carried one. */
export const cityView = (catalog: { view?: MapView | undefined }): MapView =>
  catalog.view ?? DEFAULT_MAP_VIEW;
