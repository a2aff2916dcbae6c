import L from "leaflet";
import { useEffect } from "preact/hooks";

const LABELS = {
  en: { in: "Zoom in", out: "Zoom out" },
  "zh-CN": { in: "放大", out: "缩小" },
};

/** The zoom buttons, labelled in the page's language (Leaflet's own labels are English only). */
export function useZoomControl(map: L.Map | null, lang: "en" | "zh-CN") {
  useEffect(() => {
    if (!map) return;
    const labels = LABELS[lang];
    const control = L.control.zoom({ zoomInTitle: labels.in, zoomOutTitle: labels.out }).addTo(map);
    return () => {
      control.remove();
    };
  }, [map, lang]);
}
