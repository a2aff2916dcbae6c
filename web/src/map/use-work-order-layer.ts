import L from "leaflet";
import { useEffect, useRef } from "preact/hooks";
import { WORK_ORDER_GROUPS } from "../../../src/domain/states";
import type { WorkOrder } from "../api/types";

/** Work that is fixed or closed: drawn grey, as no crew need go there (a resolved one is flagged "none"). */
const FINISHED: readonly string[] = [...WORK_ORDER_GROUPS.done, ...WORK_ORDER_GROUPS.closed];

/**
 * The console's work orders as pins marked by their deadline flag, the finished ones grey and the
 * one open in the panel ringed; choosing one opens it.
 */
export function useWorkOrderLayer(
  map: L.Map | null,
  workOrders: WorkOrder[],
  label: (wo: WorkOrder) => string,
  onOpen: (id: string) => void,
  openId: string | null,
) {
  // The view fits the work orders once; a refresh must not move the map under the clerk.
  const fitted = useRef(false);
  const markers = useRef(new Map<string, L.Marker>());
  useEffect(() => {
    if (!map) return;
    const layer = L.featureGroup().addTo(map);
    markers.current = new Map();
    for (const wo of workOrders) {
      const finished = FINISHED.includes(wo.status) ? " wo-finished" : "";
      const icon = L.divIcon({
        className: `pin pin-wo flag-${wo.flag}${finished}`,
        html: "",
        iconSize: [22, 22],
      });
      const marker = L.marker([wo.lat, wo.lon], { icon, keyboard: true }).addTo(layer);
      markers.current.set(wo.id, marker);
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
  // The one open in the panel ringed and on top, changed on its pins alone: redrawing thousands of
  // pins at each open took the keyboard's focus from the pin just chosen.
  useEffect(() => {
    const marker = openId ? markers.current.get(openId) : undefined;
    marker?.getElement()?.classList.add("pin-selected");
    marker?.setZIndexOffset(1000);
    return () => {
      marker?.getElement()?.classList.remove("pin-selected");
      marker?.setZIndexOffset(0);
    };
  }, [openId, workOrders, map]);
}
