import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from "preact/hooks";
import { useCatalog } from "../catalog";
import { useLeafletMap } from "../map/use-leaflet-map";
import { useTileLayer } from "../map/use-tile-layer";
import { useZoomControl } from "../map/use-zoom-control";
import { type Area, type Corner, cornersOf, parseArea, polygonOf } from "./area";
import { useAdminText } from "./text";
import { useAreaEditor, useAreaLayer } from "./use-area-editor";

/**
 * A department's area: drawn on the map (click to add a corner, drag to move one, undo), or pasted
 * or uploaded as GeoJSON and previewed. An area the map cannot edit (several parts, holes) is shown
 * and kept as uploaded. `onChange` gets the area to save, or null; `onRefused` hears at once
 * whether the text pasted or uploaded was refused (the form must not save the area it replaced),
 * and `onUnfinished` whether one or two corners are drawn (saved, that was no area at all).
 */
export function AreaField({
  initial,
  onChange,
  onEdit,
  onRefused,
  onUnfinished,
}: {
  initial: Area | null;
  onChange: (a: Area | null) => void;
  /** A corner added, moved or taken back on the map. */
  onEdit: () => void;
  onRefused: (refused: boolean) => void;
  onUnfinished: (unfinished: boolean) => void;
}) {
  const { t, ta } = useAdminText();
  const catalog = useCatalog();
  const el = useRef<HTMLDivElement>(null);
  const map = useLeafletMap(el, catalog.view);
  useTileLayer(map, catalog.tiles);
  useZoomControl(map, t);

  // Either corners being drawn, or an uploaded area the map only shows.
  const [corners, setCornersState] = useState<Corner[] | null>(() => cornersOf(initial));
  const [uploaded, setUploaded] = useState<Area | null>(() => (cornersOf(initial) ? null : initial));
  const area = uploaded ?? polygonOf(corners ?? []);
  const n = corners?.length ?? 0;
  const unfinished = !uploaded && n > 0 && n < 3;
  // As the corner is added or taken back, before a Save pressed next reads it.
  useLayoutEffect(() => onUnfinished(unfinished), [unfinished]);
  const [text, setText] = useState(() => (area ? JSON.stringify(area) : ""));
  const [problem, setProblem] = useState<string | null>(null);

  const edited = useRef(onEdit);
  edited.current = onEdit;
  const setCorners = useCallback((update: (old: Corner[]) => Corner[]) => {
    edited.current();
    setUploaded(null);
    setCornersState((old) => update(old ?? []));
  }, []);
  const cornerLabel = useCallback((n: number) => ta("adminCorner", { n }), [ta]);
  useAreaEditor(map, corners, setCorners, cornerLabel);
  const label = ta("adminArea");
  const shown = useMemo(() => (uploaded ? [{ area: uploaded, label }] : []), [uploaded, label]);
  useAreaLayer(map, shown, true);

  // The saved area and the text follow the drawing, in the render that changed it: a passive effect
  // waits a frame, and a Save pressed in it sent the area before (none), or text typed into a form
  // just opened was put back to the area it opened with.
  const json = area ? JSON.stringify(area) : "";
  useLayoutEffect(() => {
    onChange(area);
    setText(json);
  }, [json]);
  // An existing area: open the map on it.
  useEffect(() => {
    if (map && initial && corners?.length) map.fitBounds(corners, { maxZoom: 16, animate: false });
  }, [map]);

  const refuse = (problem: string | null) => {
    setProblem(problem);
    onRefused(problem !== null);
  };
  const apply = (value: string) => {
    edited.current();
    if (!value.trim()) {
      setUploaded(null);
      setCornersState([]);
      refuse(null);
      return;
    }
    const parsed = parseArea(value);
    if (!parsed) return refuse(ta("adminAreaBadGeoJson"));
    refuse(null);
    const drawn = cornersOf(parsed);
    setUploaded(drawn ? null : parsed);
    setCornersState(drawn);
    if (drawn?.length) map?.fitBounds(drawn, { maxZoom: 16, animate: false });
  };
  const upload = async (e: Event) => {
    const file = (e.currentTarget as HTMLInputElement).files?.[0];
    if (file) apply(await file.text());
  };

  return (
    <fieldset class="area-field">
      <legend>{ta("adminArea")}</legend>
      <p class="hint" id="area-help">
        {ta("adminAreaHelp")}
      </p>
      <section ref={el} class="map map-small" aria-label={ta("adminAreaMap")} data-corners={n} />
      <div class="row">
        <p role="status" class="hint" data-area-status>
          {uploaded
            ? ""
            : unfinished
              ? ta("adminAreaTooFew")
              : area
                ? ta("adminAreaCorners", { n })
                : ta("adminAreaNone")}
        </p>
        <button type="button" disabled={n === 0} onClick={() => setCorners((old) => old.slice(0, -1))}>
          {ta("adminAreaUndo")}
        </button>
        <button type="button" disabled={!area && n === 0} onClick={() => apply("")}>
          {ta("adminAreaClear")}
        </button>
      </div>
      <label for="area-geojson">{ta("adminAreaGeoJson")}</label>
      <textarea
        id="area-geojson"
        rows={3}
        spellcheck={false}
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
        onChange={(e) => apply(e.currentTarget.value)}
        aria-describedby={problem ? "area-problem area-help" : "area-help"}
        aria-invalid={problem ? true : undefined}
      />
      {problem && (
        <p id="area-problem" class="error" role="alert">
          {problem}
        </p>
      )}
      <label>
        {ta("adminAreaUpload")}
        <input type="file" accept=".geojson,.json,application/geo+json,application/json" onChange={upload} />
      </label>
    </fieldset>
  );
}
