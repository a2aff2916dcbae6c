import L from "leaflet";
import { useEffect, useRef } from "preact/hooks";
import type { WorkOrder } from "../api/types";

/** The console's work orders as pins marked by their deadline flag; choosing one opens it. */
export function useWorkOrderLayer(
  map: L.Map | null,
  workOrders: WorkOrder[],
  label: (wo: WorkOrder) => string,
  onOpen: (id: string) => void,
) {
  // The view fits the work orders once; a refresh must not move the map under the clerk.
  const fitted = useRef(false);
  useEffect(() => {
    if (!map) return;
    const layer = L.featureGroup().addTo(map);
    for (const wo of workOrders) {
      const icon = L.divIcon({ className: `pin pin-wo flag-${wo.flag}`, html: "", iconSize: [22, 22] });
      const marker = L.marker([wo.lat, wo.lon], { icon, keyboard: true }).addTo(layer);
      const el = marker.getElement();
      el?.setAttribute("aria-label", label(wo));
      if (el) el.dataset.workOrderId = wo.id;
      marker.on("click", () => onOpen(wo.id));
      // Leaflet makes pins focusable buttons but does not act on Enter or Space; a button should.
      el?.addEventListener("keydown", (e) => {
        if (e.key !== "Enter" && e.key !== " ") return;
        e.preventDefault();
        onOpen(wo.id);
      });
    }
    if (workOrders.length > 0 && !fitted.current) {
      fitted.current = true;
      map.fitBounds(layer.getBounds(), { maxZoom: 16, padding: [24, 24] });
    }
    return () => {
      layer.remove();
    };
  }, [map, workOrders, label, onOpen]);
}
