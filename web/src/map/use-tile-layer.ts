import L from "leaflet";
import { useEffect } from "preact/hooks";

/** The base map's tiles, from the server's configuration (OpenStreetMap unless set otherwise). */
export function useTileLayer(map: L.Map | null, tiles: { url: string; attribution: string }) {
  useEffect(() => {
    if (!map) return;
    const layer = L.tileLayer(tiles.url, { attribution: tiles.attribution, maxZoom: 19 }).addTo(map);
    return () => {
      layer.remove();
    };
  }, [map, tiles.url, tiles.attribution]);
}
