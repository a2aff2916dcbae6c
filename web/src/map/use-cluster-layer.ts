import L from "leaflet";
import { useEffect, useRef } from "preact/hooks";
import type { MapFeature } from "../api/types";
import { pinRadius, STATUS_STYLE } from "../lib/status";
import { BUBBLE_SIZE, fanOutAll, spreadPins } from "./spread-pins";

export interface ClusterLayerOptions {
  /** The accessible name of a cluster's pin or of a cell's count. */
  label: (f: MapFeature) => string;
  onSelect: (clusterId: string) => void;
  selectedId: string | null;
}

/** A pin's square on screen: a cluster's grows with its reports; a cell's holds its count. */
const sizeOfPin = (f: MapFeature) =>
  f.properties.kind === "cluster" ? pinRadius(f.properties.reports) * 2 : BUBBLE_SIZE;

type CellFeature = MapFeature & { properties: Extract<MapFeature["properties"], { kind: "cell" }> };

/** Several features merged on screen, as one cell: its count and the box holding them all. */
function bubbleOf(members: MapFeature[], clusters: number, lat: number, lon: number): CellFeature {
  let [w, s, e, n] = [180, 90, -180, -90];
  for (const m of members) {
    const [x0, y0, x1, y1] =
      m.properties.kind === "cell"
        ? m.properties.bbox
        : [...m.geometry.coordinates, ...m.geometry.coordinates];
    [w, s, e, n] = [Math.min(w, x0), Math.min(s, y0), Math.max(e, x1), Math.max(n, y1)];
  }
  return {
    type: "Feature",
    geometry: { type: "Point", coordinates: [lon, lat] },
    properties: { kind: "cell", clusters, bbox: [w, s, e, n] },
  };
}

/**
 * The clusters in view as pins (coloured by public status, sized by reports), and dense cells as
 * counts that zoom in when chosen. Pins that would overlap on screen are merged into one count
 * (`spreadPins`), redone at every zoom, so each target keeps at least 24 × 24 px to itself; at
 * the deepest zoom, where a count could zoom no further, its problems go round it (`fanOut`).
 * Pins are not Tab stops: with a hundred of them the keyboard would never get past the map, so
 * the map is one stop (arrow keys pan it) and the list beside it is the keyboard's way to each
 * problem. Only numbers go into the pins' markup; names are set as attributes, never parsed as HTML.
 */
export function useClusterLayer(map: L.Map | null, features: MapFeature[], opts: ClusterLayerOptions) {
  const { label, onSelect, selectedId } = opts;
  const pins = useRef(new Map<string, HTMLElement>());
  // Read by a redraw at a new zoom, which must keep the chosen pin marked.
  const selected = useRef(selectedId);
  selected.current = selectedId;
  useEffect(() => {
    if (!map) return;
    const layer = L.layerGroup().addTo(map);

    /** Draws one feature, at its own place or at `at` on screen (a member fanned out). */
    const drawOne = (f: MapFeature, size: number, merged: boolean, at?: L.Point) => {
      const [lon, lat] = f.geometry.coordinates;
      const where = at ? map.layerPointToLatLng(at) : L.latLng(lat, lon);
      const p = f.properties;
      const count = p.kind === "cluster" ? p.reports : p.clusters;
      const icon = L.divIcon({
        className: p.kind === "cluster" ? "pin" : merged ? "pin pin-cell pin-group" : "pin pin-cell",
        html: `<span aria-hidden="true">${Number(count)}</span>`,
        iconSize: [size, size],
      });
      const marker = L.marker(where, { icon, keyboard: false, riseOnHover: true }).addTo(layer);
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
          el.classList.toggle("pin-selected", p.id === selected.current);
          el.setAttribute("aria-pressed", String(p.id === selected.current));
        }
      }
      marker.on("click", () => {
        if (p.kind === "cluster") return onSelect(p.id);
        const [w, s, e, n] = p.bbox;
        // Members on one spot cannot be told apart by zooming to their box: zoom in two steps.
        if (w === e && s === n) map.setView([lat, lon], map.getZoom() + 2);
        else
          map.fitBounds([
            [s, w],
            [n, e],
          ]);
      });
    };

    const draw = () => {
      layer.clearLayers();
      pins.current.clear();
      // At the deepest zoom a count could only zoom no further: its problems go round it instead.
      const deepest = map.getZoom() >= map.getMaxZoom();
      const merged = spreadPins(
        features.map((f) => {
          const [lon, lat] = f.geometry.coordinates;
          const p = f.properties;
          const { x, y } = map.latLngToLayerPoint([lat, lon]);
          return { x, y, size: sizeOfPin(f), weight: p.kind === "cluster" ? 1 : p.clusters, members: [f] };
        }),
      );
      const onlyClusters = merged.every((item) => item.members.every((m) => m.properties.kind === "cluster"));
      const placed = deepest && onlyClusters ? fanOutAll(merged, sizeOfPin) : merged;
      for (const item of placed) {
        const [only] = item.members;
        // A fanned-out problem is drawn where its ring put it; any other at its own place.
        if (item.members.length === 1 && only)
          drawOne(only, item.size, false, placed === merged ? undefined : L.point(item.x, item.y));
        else {
          const at = map.layerPointToLatLng([item.x, item.y]);
          drawOne(bubbleOf(item.members, item.weight, at.lat, at.lng), item.size, true);
        }
      }
    };
    draw();
    // Screen distances change with the zoom: merge afresh (the new view's answer follows).
    map.on("zoomend", draw);
    return () => {
      map.off("zoomend", draw);
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
