import L from "leaflet";
import { useEffect, useRef } from "preact/hooks";
import type { MapFeature } from "../api/types";
import { pinRadius, STATUS_STYLE } from "../lib/status";

export interface ClusterLayerOptions {
  /** The accessible name of a cluster's pin or of a cell's count. */
  label: (f: MapFeature) => string;
  onSelect: (clusterId: string) => void;
  selectedId: string | null;
}

/**
 * The clusters in view as pins (coloured by public status, sized by reports), and dense cells as
 * counts that zoom in when chosen. Pins are not Tab stops: with a hundred of them the keyboard
 * would never get past the map, so the map is one stop (arrow keys pan it) and the list beside it
 * is the keyboard's way to each problem. Only numbers go into the pins' markup;
 * names are set as attributes, never parsed as HTML.
 */
export function useClusterLayer(map: L.Map | null, features: MapFeature[], opts: ClusterLayerOptions) {
  const { label, onSelect, selectedId } = opts;
  const pins = useRef(new Map<string, HTMLElement>());
  useEffect(() => {
    if (!map) return;
    const layer = L.layerGroup().addTo(map);
    pins.current.clear();
    for (const f of features) {
      const [lon, lat] = f.geometry.coordinates;
      const p = f.properties;
      const size = p.kind === "cluster" ? pinRadius(p.reports) * 2 : 34;
      const count = p.kind === "cluster" ? p.reports : p.clusters;
      const icon = L.divIcon({
        className: p.kind === "cluster" ? "pin" : "pin pin-cell",
        html: `<span aria-hidden="true">${Number(count)}</span>`,
        iconSize: [size, size],
      });
      const marker = L.marker([lat, lon], { icon, keyboard: false, riseOnHover: true }).addTo(layer);
      const el = marker.getElement();
      if (el) {
        el.setAttribute("role", "button");
        el.setAttribute("aria-label", label(f));
        if (p.kind === "cluster") {
          el.dataset.clusterId = p.id;
          el.dataset.status = p.status;
          // A late or nearly late work order wears a ring (its name says it too).
          el.dataset.flag = p.flag;
          if (p.flag !== "none") el.classList.add(`pin-flag-${p.flag}`);
          el.style.background = STATUS_STYLE[p.status].colour;
          pins.current.set(p.id, el);
        }
      }
      const choose = () => {
        if (p.kind === "cluster") onSelect(p.id);
        else
          map.fitBounds([
            [p.bbox[1], p.bbox[0]],
            [p.bbox[3], p.bbox[2]],
          ]);
      };
      marker.on("click", choose);
    }
    return () => {
      layer.remove();
    };
  }, [map, features, label, onSelect]);

  // Marking the chosen pin leaves the pins in place (no redraw).
  useEffect(() => {
    for (const [id, el] of pins.current) {
      el.classList.toggle("pin-selected", id === selectedId);
      el.setAttribute("aria-pressed", String(id === selectedId));
    }
  }, [selectedId, features]);
}
