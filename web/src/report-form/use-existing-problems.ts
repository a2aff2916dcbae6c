import L from "leaflet";
import { useEffect, useState } from "preact/hooks";
import { api, ok } from "../api/client";
import { STATUS_STYLE } from "../lib/status";
import { useViewport } from "../map/use-viewport";

/**
 * The problems already reported in the form map's view, as small dots (or, where the map is
 * too far out to tell them apart, counts), fetched afresh as the map moves: a newcomer sees at
 * once whether theirs is already there. Every kind is shown until one is chosen, then only that
 * kind. The dots are not tappable, so a tap on one still places the pin there (choosing the
 * problem is then the nearby prompt's job); the legend beside the map names them and their
 * count in view. Returns that count (clusters), or null before the first answer.
 */
export function useExistingProblems(map: L.Map | null, service: string): number | null {
  const viewport = useViewport(map);
  const [count, setCount] = useState<number | null>(null);
  useEffect(() => {
    if (!map || !viewport) return;
    const layer = L.layerGroup().addTo(map);
    let current = true;
    const query = { bbox: viewport.bbox, zoom: String(viewport.zoom), ...(service ? { service } : {}) };
    ok(api.map.$get({ query }))
      .then((answer) => {
        if (!current) return;
        let clusters = 0;
        for (const f of answer.features) {
          const [lon, lat] = f.geometry.coordinates;
          const p = f.properties;
          clusters += p.kind === "cluster" ? 1 : p.clusters;
          // Only a number goes into the markup.
          const icon =
            p.kind === "cluster"
              ? L.divIcon({ className: "existing-problem", iconSize: [12, 12] })
              : L.divIcon({
                  className: "existing-problem existing-cell",
                  html: `<span>${Number(p.clusters)}</span>`,
                  iconSize: [22, 22],
                });
          const marker = L.marker([lat, lon], { icon, interactive: false, keyboard: false }).addTo(layer);
          const el = marker.getElement();
          if (!el) continue;
          el.setAttribute("aria-hidden", "true");
          if (p.kind !== "cluster") continue;
          el.style.background = STATUS_STYLE[p.status].colour;
          el.dataset.clusterId = p.id;
          el.dataset.service = p.service;
        }
        setCount(clusters);
      })
      // Only a hint: without it the form works as before.
      .catch(() => current && setCount(null));
    return () => {
      current = false;
      layer.remove();
    };
  }, [map, viewport, service]);
  return count;
}
