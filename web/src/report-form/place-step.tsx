import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { useCatalog } from "../catalog";
import { useI18n } from "../i18n/i18n";
import { viewFromAddress } from "../map/defaults";
import { useLeafletMap } from "../map/use-leaflet-map";
import { usePinMarker } from "../map/use-pin-marker";
import { useTileLayer } from "../map/use-tile-layer";
import { useZoomControl } from "../map/use-zoom-control";
import { BusyButton } from "../parts/busy-button";
import { FieldError, invalidProps } from "./field-error";
import { PlaceSearch } from "./place-search";
import { coordinateProblems, typedCoordinate } from "./typed-coordinates";
import { useExistingProblems } from "./use-existing-problems";
import type { Draft, DraftAction, Point } from "./use-report-draft";

/** Where: a pin on the map, placed by a tap, by the device's location, or by typed coordinates. */
/** A fix less sure than this (metres) is only near the resident: the pin must be moved onto the spot. */
const ROUGH_FIX_M = 50;
/** Metres to two significant figures: "about 1,200 m", not "1187.4". */
const roundedMetres = (m: number) => {
  const step = 10 ** Math.max(0, Math.floor(Math.log10(m)) - 1);
  return Math.round(m / step) * step;
};

export function PlaceStep({ draft, dispatch }: { draft: Draft; dispatch: (a: DraftAction) => void }) {
  const { t } = useI18n();
  const catalog = useCatalog();
  const el = useRef<HTMLDivElement>(null);
  // The view the resident came from (the map page's, carried in the address), else the pin of a
  // draft kept from before a reload; close up unless the address says how close.
  const address = new URLSearchParams(location.search);
  const kept = !address.has("lat") && draft.point ? { lat: draft.point.lat, lon: draft.point.lon } : {};
  const map = useLeafletMap(el, {
    ...viewFromAddress(location.search, catalog.view),
    ...kept,
    ...(address.has("z") ? {} : { zoom: 16 }),
  });
  useTileLayer(map, catalog.tiles);
  useZoomControl(map, t);

  const { point, latText, lonText, errors } = draft;
  const place = useCallback((p: Point) => dispatch({ type: "placed", point: p }), [dispatch]);
  // Choosing "it is one of these" moves the pin to that problem: that is where the report goes.
  const shownPin = draft.chosen ?? point;
  usePinMarker(map, shownPin, t("formPin"), place, draft.queued);
  const existing = useExistingProblems(map, draft.service);
  useEffect(() => {
    if (map && draft.chosen) map.panTo([draft.chosen.lat, draft.chosen.lon]);
  }, [map, draft.chosen]);

  // A place chosen by name says so itself (the search's status): not said twice, once as coordinates.
  const pickedByName = useRef(false);
  useEffect(() => {
    if (point && !pickedByName.current)
      dispatch({ type: "announced", status: t("pinPlaced", { lat: point.lat, lon: point.lon }) });
    pickedByName.current = false;
  }, [point, t, dispatch]);

  const typed = () => {
    const lat = typedCoordinate(latText);
    const lon = typedCoordinate(lonText);
    // Said at the fields as soon as they are left, not only as "place the pin" on sending.
    const problems = coordinateProblems(latText, lonText, t);
    dispatch({ type: "placeProblem", problems });
    if (!problems.lat && !problems.lon && latText.trim() && lonText.trim()) {
      place({ lat, lon });
      map?.setView([lat, lon], Math.max(map.getZoom(), 16));
    }
  };

  // Where the search for the device's location stands, shown beside the button (not only announced).
  const [locating, setLocating] = useState<
    "idle" | "searching" | "denied" | "unavailable" | "found" | "rough"
  >("idle");
  // How far off a rough fix may be (Wi-Fi or cell towers: hundreds of metres), said in the message.
  const [roughM, setRoughM] = useState(0);
  const locate = () => {
    if (!navigator.geolocation) return setLocating("unavailable");
    setLocating("searching");
    navigator.geolocation.getCurrentPosition(
      (pos) => {
        const accuracy = pos.coords.accuracy;
        const rough = accuracy > ROUGH_FIX_M;
        setRoughM(roundedMetres(accuracy));
        setLocating(rough ? "rough" : "found");
        place({ lat: pos.coords.latitude, lon: pos.coords.longitude });
        // A rough fix shows the area it may be anywhere in, for the resident to find the spot in.
        const zoom = rough
          ? Math.max(12, Math.min(17, Math.round(17 - Math.log2(accuracy / ROUGH_FIX_M))))
          : 17;
        map?.setView([pos.coords.latitude, pos.coords.longitude], zoom);
      },
      (err) => setLocating(err.code === err.PERMISSION_DENIED ? "denied" : "unavailable"),
      { enableHighAccuracy: true, timeout: 15_000 },
    );
  };
  const locationText = {
    idle: "",
    searching: t("locating"),
    denied: t("locationDenied"),
    unavailable: t("locationFailed"),
    found: t("locationFound"),
    rough: t("locationRough", { metres: roughM }),
  }[locating];

  return (
    <fieldset aria-describedby="place-help">
      <legend>{t("formPlace")}</legend>
      <p class="hint" id="place-help">
        {t("formPlaceHelp")}
      </p>
      <section
        ref={el}
        class="map map-small"
        aria-label={t("formMapLabel")}
        aria-describedby="existing-legend"
      />
      {/* The dots are hidden from screen readers; this names them and says how many are in view. */}
      <p class="hint existing-legend" id="existing-legend" data-count={existing ?? ""}>
        <span class="existing-swatch" aria-hidden="true" />{" "}
        {existing === null
          ? t("existingLegend")
          : existing === 0
            ? t(draft.service ? "existingInViewKindNone" : "existingInViewNone")
            : t(draft.service ? "existingInViewKind" : "existingInView", { n: existing })}
      </p>
      <div class="row locate">
        <BusyButton type="button" onClick={locate} busy={locating === "searching"}>
          {t("useLocation")}
        </BusyButton>
        <p
          role="status"
          class={locating === "denied" || locating === "unavailable" ? "error" : "hint"}
          data-locating={locating}
        >
          {locationText}
        </p>
      </div>
      <PlaceSearch
        near={point}
        onPick={(p) => {
          pickedByName.current = true;
          place(p);
          map?.setView([p.lat, p.lon], 17);
        }}
      />
      <div class="row">
        <label>
          {t("latitude")}
          <input
            name="lat"
            inputMode="decimal"
            value={latText}
            onInput={(e) => dispatch({ type: "typedCoordinate", axis: "lat", text: e.currentTarget.value })}
            onChange={typed}
            {...invalidProps(errors, errors.lat ? "lat" : "place")}
          />
        </label>
        <label>
          {t("longitude")}
          <input
            name="lon"
            inputMode="decimal"
            value={lonText}
            onInput={(e) => dispatch({ type: "typedCoordinate", axis: "lon", text: e.currentTarget.value })}
            onChange={typed}
            {...invalidProps(errors, errors.lon ? "lon" : "place")}
          />
        </label>
      </div>
      {/* Only the coordinate that is out of range is marked; with no pin at all, both are. */}
      {/* Said as soon as the field is left (focus is on the next one by then), not only on sending. */}
      <FieldError errors={errors} field="lat" live />
      <FieldError errors={errors} field="lon" live />
      <FieldError errors={errors} field="place" />
    </fieldset>
  );
}
