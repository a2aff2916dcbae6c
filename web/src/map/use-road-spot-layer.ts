import L from "leaflet";
import { useEffect, useState } from "preact/hooks";
import { api, ok } from "../api/client";
import type { RoadSpotFeature } from "../api/types";
import { SPOT_STYLE } from "../lib/road-spots";

/**
 * Road spots sensed by phones (Street Bump mode) as small circles coloured by state, drawn only
 * while `on`. Circles carry numbers and states only; nothing about who hit them exists to show.
 */
export function useRoadSpotLayer(
  map: L.Map | null,
  bbox: string | null,
  on: boolean,
  label: (f: RoadSpotFeature) => string,
) {
  const [spots, setSpots] = useState<RoadSpotFeature[]>([]);
  useEffect(() => {
    if (!on || !bbox) {
      setSpots([]);
      return;
    }
    let current = true;
    ok(api.sensor.spots.$get({ query: { bbox } }))
      .then((answer) => current && setSpots(answer.features))
      .catch(() => current && setSpots([]));
    return () => {
      current = false;
    };
  }, [on, bbox]);

  useEffect(() => {
    if (!map || spots.length === 0) return;
    const layer = L.layerGroup().addTo(map);
    for (const f of spots) {
      const [lon, lat] = f.geometry.coordinates;
      const style = SPOT_STYLE[f.properties.state];
      const circle = L.circleMarker([lat, lon], {
        radius: f.properties.state === "confirmed" ? 8 : 5,
        color: style.colour,
        fillColor: style.colour,
        fillOpacity: 0.6,
        weight: 2,
        className: "road-spot",
      }).addTo(layer);
      const el = circle.getElement();
      if (el) {
        el.setAttribute("aria-label", label(f));
        el.setAttribute("role", "img");
        (el as HTMLElement).dataset.spotState = f.properties.state;
      }
    }
    return () => {
      layer.remove();
    };
  }, [map, spots, label]);
  return spots.length;
}
