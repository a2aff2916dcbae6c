import type L from "leaflet";
import { useEffect, useState } from "preact/hooks";

export interface Viewport {
  /** `minLon,minLat,maxLon,maxLat`, as the API takes it. */
  bbox: string;
  zoom: number;
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

function viewportOf(map: L.Map): Viewport {
  // A little beyond the edges, so clusters just outside are ready when the map is panned.
  const b = map.getBounds().pad(0.1);
  const f = (n: number) => n.toFixed(5);
  return {
    bbox: [
      f(clamp(b.getWest(), -180, 180)),
      f(clamp(b.getSouth(), -90, 90)),
      f(clamp(b.getEast(), -180, 180)),
      f(clamp(b.getNorth(), -90, 90)),
    ].join(","),
    zoom: map.getZoom(),
  };
}

/** The map's current view, updated when a move or zoom ends. */
export function useViewport(map: L.Map | null): Viewport | null {
  const [viewport, setViewport] = useState<Viewport | null>(null);
  useEffect(() => {
    if (!map) return;
    const update = () => setViewport(viewportOf(map));
    update();
    map.on("moveend", update);
    return () => {
      map.off("moveend", update);
    };
  }, [map]);
  return viewport;
}
