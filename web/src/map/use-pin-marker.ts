import L from "leaflet";
import { useEffect } from "preact/hooks";

/** The report form's pin: placed by a tap on the map, draggable, and announced by its label. */
export function usePinMarker(
  map: L.Map | null,
  point: { lat: number; lon: number } | null,
  label: string,
  onMove: (p: { lat: number; lon: number }) => void,
) {
  useEffect(() => {
    if (!map) return;
    const tap = (e: L.LeafletMouseEvent) => onMove({ lat: e.latlng.lat, lon: e.latlng.lng });
    map.on("click", tap);
    return () => {
      map.off("click", tap);
    };
  }, [map, onMove]);

  useEffect(() => {
    if (!map || !point) return;
    const icon = L.divIcon({ className: "pin pin-new", html: "", iconSize: [22, 22] });
    const marker = L.marker([point.lat, point.lon], { icon, draggable: true, keyboard: true }).addTo(map);
    const el = marker.getElement();
    el?.setAttribute("aria-label", label);
    // Where the pin stands, for tests and tools (the marker's pixels depend on the view).
    if (el) el.dataset.at = `${point.lat},${point.lon}`;
    marker.on("dragend", () => {
      const p = marker.getLatLng();
      onMove({ lat: p.lat, lon: p.lng });
    });
    return () => {
      marker.remove();
    };
  }, [map, point, label, onMove]);
}
