import L from "leaflet";
import { useEffect } from "preact/hooks";

export interface FigurePin {
  key: string;
  lat: number;
  lon: number;
  label: string;
  /** A good outcome (on time, not reopened, satisfied), a bad one, or neither (a plain count). */
  good: boolean | null;
  href: string;
}

/** The work orders behind a figure as pins; the view fits them once they arrive. */
export function useFigureLayer(map: L.Map | null, pins: FigurePin[] | null, open: (href: string) => void) {
  useEffect(() => {
    if (!map || !pins) return;
    const layer = L.featureGroup().addTo(map);
    for (const p of pins) {
      // Green with a tick, red with a cross: told apart without the colours too.
      const [outcome, mark] = p.good === null ? ["", ""] : p.good ? [" good", "✓"] : [" bad", "✗"];
      const icon = L.divIcon({
        className: `pin pin-wo pin-figure${outcome}`,
        html: mark,
        iconSize: [22, 22],
      });
      const marker = L.marker([p.lat, p.lon], { icon, keyboard: true }).addTo(layer);
      const el = marker.getElement();
      el?.setAttribute("aria-label", p.label);
      if (el) el.dataset.figurePin = p.key;
      marker.on("click", () => open(p.href));
      el?.addEventListener("keydown", (e) => {
        if (e.key !== "Enter" && e.key !== " ") return;
        e.preventDefault();
        open(p.href);
      });
    }
    if (pins.length > 0) map.fitBounds(layer.getBounds(), { maxZoom: 16, padding: [24, 24] });
    return () => {
      layer.remove();
    };
  }, [map, pins, open]);
}
