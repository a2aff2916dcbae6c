import L from "leaflet";
import { useEffect } from "preact/hooks";
import { api, ok } from "../api/client";
import { bboxAround } from "../lib/geo";
import { STATUS_STYLE } from "../lib/status";

/** How far around the pin the form's map shows problems already reported. */
const REACH_M = 400;

/**
 * The problems of the chosen service already reported near the pin, as small dots on the
 * form's map: seen at a glance, but not tappable, so a tap still places the pin (choosing one
 * is the nearby prompt's job).
 */
export function useExistingProblems(
  map: L.Map | null,
  point: { lat: number; lon: number } | null,
  service: string,
) {
  useEffect(() => {
    if (!map || !point || !service) return;
    const layer = L.layerGroup().addTo(map);
    let current = true;
    // At street zoom the answer lists clusters one by one, not cells.
    ok(api.map.$get({ query: { bbox: bboxAround(point, REACH_M), zoom: "18", service } }))
      .then((answer) => {
        if (!current) return;
        for (const f of answer.features) {
          if (f.properties.kind !== "cluster") continue;
          const [lon, lat] = f.geometry.coordinates;
          const icon = L.divIcon({ className: "existing-problem", iconSize: [12, 12] });
          const marker = L.marker([lat, lon], { icon, interactive: false, keyboard: false }).addTo(layer);
          const el = marker.getElement();
          if (!el) continue;
          el.setAttribute("aria-hidden", "true");
          el.style.background = STATUS_STYLE[f.properties.status].colour;
          el.dataset.clusterId = f.properties.id;
        }
      })
      // Only a hint: without it the form works as before.
      .catch(() => {});
    return () => {
      current = false;
      layer.remove();
    };
  }, [map, point, service]);
}
