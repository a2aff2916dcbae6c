import L from "leaflet";
import { useEffect, useRef } from "preact/hooks";

/** Pixels a press of an arrow key moves the pin (with Shift, five times as far). */
const STEP_PX = 4;
const ARROWS: Record<string, [number, number]> = {
  ArrowUp: [0, -1],
  ArrowDown: [0, 1],
  ArrowLeft: [-1, 0],
  ArrowRight: [1, 0],
};

type Point = { lat: number; lon: number };

/**
 * The report form's pin: placed by a tap on the map (or Enter on it), dragged, or moved by the arrow keys once
 * focused (a Tab stop that did nothing was a trap for the keyboard), and announced by its label.
 * One marker, moved as the point moves, so the keyboard stays on it.
 */
export function usePinMarker(
  map: L.Map | null,
  point: Point | null,
  label: string,
  onMove: (p: Point) => void,
  /** The report goes as written (sending, or kept): the pin stays where it is. */
  held = false,
) {
  const marker = useRef<L.Marker | null>(null);
  const heldNow = useRef(held);
  heldNow.current = held;
  const focusWhenMade = useRef(false);
  useEffect(() => {
    if (!map) return;
    const tap = (e: L.LeafletMouseEvent) => {
      if (!heldNow.current) onMove({ lat: e.latlng.lat, lon: e.latlng.lng });
    };
    map.on("click", tap);
    // The keyboard's tap: Enter or Space on the map puts the pin at its centre (the arrow keys pan
    // the map there first), then the pin takes the focus for the arrow keys to move it.
    const container = map.getContainer();
    const press = (e: KeyboardEvent) => {
      if (e.target !== container || (e.key !== "Enter" && e.key !== " ") || heldNow.current) return;
      e.preventDefault();
      const centre = map.getCenter();
      onMove({ lat: centre.lat, lon: centre.lng });
      // The first pin is drawn after this render: it takes the focus as it is made.
      const pin = marker.current?.getElement();
      if (pin) pin.focus();
      else focusWhenMade.current = true;
    };
    container.addEventListener("keydown", press);
    return () => {
      map.off("click", tap);
      container.removeEventListener("keydown", press);
    };
  }, [map, onMove]);

  const placed = point !== null;
  useEffect(() => {
    if (!map || !placed) return;
    const icon = L.divIcon({ className: "pin pin-new", html: "", iconSize: [22, 22] });
    const m = L.marker(map.getCenter(), { icon, draggable: true, keyboard: true }).addTo(map);
    marker.current = m;
    if (focusWhenMade.current) m.getElement()?.focus();
    focusWhenMade.current = false;
    const moved = () => {
      const p = m.getLatLng();
      onMove({ lat: p.lat, lon: p.lng });
    };
    m.on("dragend", moved);
    // A key held down moves the pin at once but says where it is once it stops (each move asks the
    // server what is near and is announced: not thirty times a second).
    let settle: ReturnType<typeof setTimeout> | undefined;
    m.getElement()?.addEventListener("keydown", (e) => {
      const arrow = ARROWS[e.key];
      if (!arrow || heldNow.current) return;
      // The pin's, not the map's (which pans on arrows) nor the page's (which scrolls).
      e.preventDefault();
      e.stopPropagation();
      const step = e.shiftKey ? STEP_PX * 5 : STEP_PX;
      const at = map.latLngToContainerPoint(m.getLatLng()).add([arrow[0] * step, arrow[1] * step]);
      // Moved at once, so a key held down walks on from where the last press left it.
      m.setLatLng(map.containerPointToLatLng(at));
      clearTimeout(settle);
      settle = setTimeout(moved, 300);
    });
    return () => {
      clearTimeout(settle);
      m.remove();
      marker.current = null;
    };
  }, [map, placed, onMove]);

  useEffect(() => {
    if (held) marker.current?.dragging?.disable();
    else marker.current?.dragging?.enable();
  }, [held, placed]);

  useEffect(() => {
    const el = marker.current?.getElement();
    if (!marker.current || !point) return;
    marker.current.setLatLng([point.lat, point.lon]);
    el?.setAttribute("aria-label", label);
    // Where the pin stands, for tests and tools (the marker's pixels depend on the view).
    if (el) el.dataset.at = `${point.lat},${point.lon}`;
  }, [point, label, map, placed, onMove]);
}
