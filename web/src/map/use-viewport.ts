import type L from "leaflet";
import { useEffect, useState } from "preact/hooks";

export interface Viewport {
  /** `minLon,minLat,maxLon,maxLat`, as the API takes it. */
  bbox: string;
  zoom: number;
  /** The edges of what is on screen: the view's answer reaches a little beyond them (`bbox`). */
  bounds: { west: number; south: number; east: number; north: number };
}

/** Whether a point (GeoJSON's `[lon, lat]`) is on screen in the view. */
export function onScreen(viewport: Viewport, [lon, lat]: number[]): boolean {
  const b = viewport.bounds;
  return (
    lon !== undefined &&
    lat !== undefined &&
    lon >= b.west &&
    lon <= b.east &&
    lat >= b.south &&
    lat <= b.north
  );
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v));

function viewportOf(map: L.Map): Viewport {
  // A little beyond the edges, so clusters just outside are ready when the map is panned.
  const screen = map.getBounds();
  const b = screen.pad(0.1);
  const f = (n: number) => n.toFixed(5);
  return {
    bbox: [
      f(clamp(b.getWest(), -180, 180)),
      f(clamp(b.getSouth(), -90, 90)),
      f(clamp(b.getEast(), -180, 180)),
      f(clamp(b.getNorth(), -90, 90)),
    ].join(","),
    zoom: map.getZoom(),
    bounds: {
      west: screen.getWest(),
      south: screen.getSouth(),
      east: screen.getEast(),
      north: screen.getNorth(),
    },
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
