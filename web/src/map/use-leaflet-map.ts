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
    // On touch screens one finger scrolls the page and two move the map (pinch), so the map never
    // traps a phone's scrolling; Leaflet then marks the map `touch-action: pan-x pan-y`.
    const touch = typeof matchMedia === "function" && matchMedia("(pointer: coarse)").matches;
    // Asked for less motion (the system's setting): zooms, pans and tiles change at once, not animated.
    const still = typeof matchMedia === "function" && matchMedia("(prefers-reduced-motion: reduce)").matches;
    const m = L.map(el, {
      zoomControl: false,
      attributionControl: true,
      keyboard: true,
      dragging: !touch,
      zoomAnimation: !still,
      fadeAnimation: !still,
      markerZoomAnimation: !still,
      inertia: !still,
    }).setView([view.lat, view.lon], view.zoom);
    // Pans too, whoever asks for one (panTo, setView, the arrow keys: each goes through panBy).
    if (still) {
      const panBy = m.panBy.bind(m);
      m.panBy = (offset, options) => panBy(offset, { ...options, animate: false });
    }
    // Leaflet's own credit carries an English tooltip ("A JavaScript library for interactive maps")
    // on pages in either language: its name alone.
    m.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    setMap(m);
    return () => {
      // A zoom animation ends on a 250 ms timer that remove() does not cancel: it would then read
      // the removed map pane ("_leaflet_pos" of undefined). Ended now, the timer finds nothing to do.
      const zooming = m as unknown as { _animatingZoom?: boolean; _onZoomTransitionEnd(): void };
      if (zooming._animatingZoom) zooming._onZoomTransitionEnd();
      m.remove();
      setMap(null);
    };
  }, []);
  return map;
}
