import L from "leaflet";
import type { RefObject } from "preact";
import { useEffect, useState } from "preact/hooks";

/**
 * Creates the Leaflet map once in the given element and removes it on unmount. Everything drawn
 * on it is added by the other hooks in this folder, each in its own effect.
 */
export function useLeafletMap(
  container: RefObject<HTMLDivElement | null>,
  view: { lat: number; lon: number; zoom: number },
): L.Map | null {
  const [map, setMap] = useState<L.Map | null>(null);
  useEffect(() => {
    const el = container.current;
    if (!el) return;
    const m = L.map(el, { zoomControl: false, attributionControl: true, keyboard: true }).setView(
      [view.lat, view.lon],
      view.zoom,
    );
    setMap(m);
    return () => {
      m.remove();
      setMap(null);
    };
  }, []);
  return map;
}
