import L from "leaflet";
import { useEffect } from "preact/hooks";
import { plainTooltip } from "../map/plain-tooltip";
import type { Area, Corner } from "./area";

/**
 * Draws the corners being edited on the map: a click adds a corner, each corner is a marker that
 * can be dragged. The corners live in the caller's state (`setCorners`), so undo and the GeoJSON
 * text see the same thing.
 */
export function useAreaEditor(
  map: L.Map | null,
  corners: Corner[] | null,
  setCorners: (update: (old: Corner[]) => Corner[]) => void,
  cornerLabel: (n: number) => string,
) {
  const editable = corners !== null;
  useEffect(() => {
    if (!map || !editable) return;
    const add = (e: L.LeafletMouseEvent) => setCorners((old) => [...old, [e.latlng.lat, e.latlng.lng]]);
    map.on("click", add);
    return () => {
      map.off("click", add);
    };
  }, [map, editable, setCorners]);

  useEffect(() => {
    if (!map || !corners?.length) return;
    const shape =
      corners.length >= 3 ? L.polygon(corners, { weight: 2 }) : L.polyline(corners, { weight: 2 });
    const group = L.layerGroup([shape]).addTo(map);
    corners.forEach((corner, i) => {
      const icon = L.divIcon({ className: "corner", html: "", iconSize: [14, 14] });
      const marker = L.marker(corner, { icon, draggable: true, keyboard: false }).addTo(group);
      const el = marker.getElement();
      // The text box below is the keyboard's way to edit; the corners stay out of the Tab order.
      el?.setAttribute("aria-label", cornerLabel(i + 1));
      el?.setAttribute("role", "img");
      marker.on("drag", () => {
        const p = marker.getLatLng();
        const moved = corners.map((c, j): Corner => (j === i ? [p.lat, p.lng] : c));
        shape.setLatLngs(moved);
      });
      marker.on("dragend", () => {
        const p = marker.getLatLng();
        setCorners((old) => old.map((c, j): Corner => (j === i ? [p.lat, p.lng] : c)));
      });
    });
    return () => {
      group.remove();
    };
  }, [map, corners, setCorners, cornerLabel]);
}

/** Areas shown, not edited: other departments' on the preview, an uploaded multi-part one. */
export function useAreaLayer(map: L.Map | null, areas: { area: Area; label: string }[], fit = false) {
  useEffect(() => {
    if (!map || areas.length === 0) return;
    const group = L.featureGroup(
      areas.map(({ area, label }) =>
        L.geoJSON(area, { style: { weight: 1, fillOpacity: 0.08 } }).bindTooltip(plainTooltip(label), {
          sticky: true,
        }),
      ),
    ).addTo(map);
    // The tooltip made each area an unnamed Tab stop (a preview, not a control: the form names them).
    for (const layer of group.getLayers() as L.GeoJSON[]) {
      for (const path of layer.getLayers() as L.Path[]) path.getElement()?.setAttribute("tabindex", "-1");
    }
    if (fit) map.fitBounds(group.getBounds(), { maxZoom: 16, animate: false });
    return () => {
      group.remove();
    };
  }, [map, areas, fit]);
}
