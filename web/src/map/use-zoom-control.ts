import L from "leaflet";
import { useEffect } from "preact/hooks";
import type { Translate } from "../i18n/i18n";

/** The zoom buttons, labelled in the page's language (Leaflet's own labels are English only). */
export function useZoomControl(map: L.Map | null, t: Translate) {
  useEffect(() => {
    if (!map) return;
    const control = L.control.zoom({ zoomInTitle: t("zoomIn"), zoomOutTitle: t("zoomOut") }).addTo(map);
    return () => {
      control.remove();
    };
  }, [map, t]);
}
