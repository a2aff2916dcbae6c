import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import { api, ok } from "../api/client";
import type { MapAnswer, MapFeature } from "../api/types";
import { useCatalog, useNames } from "../catalog";
import { useI18n } from "../i18n/i18n";
import { failureText } from "../lib/failure";
import { onBackOnline } from "../lib/saved-answers";
import { FLAG_LABEL, STATUS_STYLE } from "../lib/status";
import { feedIn, useFeedLink } from "../lib/use-feed-link";
import { useKeptFocus } from "../lib/use-kept-focus";
import { usePlaceNames } from "../lib/use-place-names";
import { wordsLang } from "../lib/words-lang";
import { viewFromAddress } from "../map/defaults";
import { figureFromAddress, figureToAddress } from "../map/figure-address";
import { takeFirstMap } from "../map/first-map";
import { NearMe } from "../map/near-me";
import { useClusterLayer } from "../map/use-cluster-layer";
import { useLeafletMap } from "../map/use-leaflet-map";
import { useTileLayer } from "../map/use-tile-layer";
import { onScreen, useViewport } from "../map/use-viewport";
import { useZoomControl } from "../map/use-zoom-control";
import { ClusterSummary } from "../parts/cluster-summary";
import { FigureList } from "../parts/figure-list";
import { Legend } from "../parts/legend";
import { filtersFromAddress, filtersToAddress, type MapFilters, MapFiltersForm } from "../parts/map-filters";
import { RoadLayer } from "../parts/road-layer";
import { StatusBadge } from "../parts/status-badge";
import { Link, replaceAddress } from "../router";

type ClusterFeature = MapFeature & { properties: Extract<MapFeature["properties"], { kind: "cluster" }> };
const isCluster = (f: MapFeature): f is ClusterFeature => f.properties.kind === "cluster";

/** The public map: filters, the map itself, a legend and a list of the same clusters. */
export function MapPage() {
  const { t, name, formatAge, lang } = useI18n();
  const catalog = useCatalog();
  const names = useNames();
  const el = useRef<HTMLDivElement>(null);
  const map = useLeafletMap(el, viewFromAddress(location.search, catalog.view));
  useTileLayer(map, catalog.tiles);
  useZoomControl(map, t);
  const viewport = useViewport(map);

  const [filters, setFilters] = useState<MapFilters>(() => filtersFromAddress(location.search));
  // A figure of the league table (its link): exactly the work orders it counts, not the map's layer.
  const [shown] = useState(() => figureFromAddress(location.search));
  const { service, status, period, deadline, department } = filters;
  const [features, setFeatures] = useState<MapFeature[]>([]);
  // The period or deadline filter over too wide a view: the server asks to zoom in.
  const [zoomIn, setZoomIn] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [roads, setRoads] = useState(false);

  useEffect(() => {
    document.title = `${t("mapTitle")} · ${t("appName")}`;
  }, [t]);
  // New and updated problems in the view (of the chosen service), for feed readers; over one
  // department's work (the league table's links), that department's feed.
  const feed = department
    ? `/api/feeds/departments/${encodeURIComponent(department)}.atom`
    : viewport
      ? `/api/feeds/area.atom?bbox=${viewport.bbox}${service ? `&service=${encodeURIComponent(service)}` : ""}`
      : null;
  useFeedLink(feed && feedIn(feed, lang), t("mapTitle"));

  // The address follows the view, so what someone sees can be shared as a link.
  useEffect(() => {
    if (!map || !viewport) return;
    const c = map.getCenter();
    const view = `lat=${c.lat.toFixed(5)}&lon=${c.lng.toFixed(5)}&z=${viewport.zoom}`;
    replaceAddress(`/?${view}${shown ? figureToAddress(shown) : filtersToAddress(filters)}`);
  }, [map, viewport, filters, shown]);

  // A view drawn from what the device saved is asked again once the connection returns.
  const [askedAgain, setAskedAgain] = useState(0);
  useEffect(() => onBackOnline(() => setAskedAgain((n) => n + 1)), []);

  useEffect(() => {
    if (!viewport || shown) return;
    let current = true;
    const since =
      period === "all" ? undefined : new Date(Date.now() - Number(period) * 86_400_000).toISOString();
    const query = {
      bbox: viewport.bbox,
      zoom: String(viewport.zoom),
      ...(service ? { service } : {}),
      ...(status ? { status } : {}),
      ...(since ? { since } : {}),
      ...(deadline ? { deadline } : {}),
      ...(department ? { department } : {}),
    };
    const ask = () => ok(api.map.$get({ query }));
    const show = (answer: MapAnswer) => {
      setFeatures(answer.features);
      setZoomIn(answer.zoomIn === true);
    };
    // The first view may already be on its way (index.html asked for it with the page), and on a
    // repeat visit the last visit's answer is drawn until the fresh one arrives.
    const first = takeFirstMap(query);
    let fresh = false;
    void first?.kept.then((kept) => {
      if (!(current && kept && !fresh)) return;
      show(kept);
      first.keptShown();
    });
    // An answer asked through the API says itself whether it was saved; the first view's, once drawn.
    const asked = () => ask().then((answer) => ({ answer, drawn: () => {} }));
    (first ? first.answer.then((answer) => ({ answer, drawn: first.answerShown }), asked) : asked())
      .then(({ answer, drawn }) => {
        fresh = true;
        if (!current) return;
        show(answer);
        drawn();
        setError(null);
      })
      .catch((e: unknown) => current && setError(e));
    return () => {
      current = false;
    };
  }, [viewport, service, status, period, deadline, department, shown, askedAgain]);

  const label = useCallback(
    (f: MapFeature) =>
      f.properties.kind !== "cluster"
        ? t("cellLabel", { n: f.properties.clusters })
        : f.properties.mergedIntoId
          ? t("clusterLabelMerged", { service: name(names.service(f.properties.service)) })
          : t("clusterLabel", {
              service: name(names.service(f.properties.service)),
              status: t(STATUS_STYLE[f.properties.status].label),
              n: f.properties.reports,
            }) + (f.properties.flag === "none" ? "" : `, ${t(FLAG_LABEL[f.properties.flag])}`),
    [t, name, names],
  );
  useClusterLayer(map, features, { label, onSelect: setSelectedId, selectedId });

  // The list and its count are of what is on screen: the answer reaches a little beyond it, and
  // "1 problem in view" with no pin to be seen sent residents looking for one.
  const inView = useMemo(
    () => features.filter((f) => !viewport || onScreen(viewport, f.geometry.coordinates)),
    [features, viewport],
  );
  const clusters = useMemo(
    () => inView.filter(isCluster).sort((a, b) => b.properties.reports - a.properties.reports),
    [inView],
  );
  // Where each row's problem is: the list is the keyboard's and the screen reader's map, and
  // "Pothole" thirty times over said nothing of where.
  const places = usePlaceNames(
    useMemo(
      () =>
        clusters.map(({ properties: c, geometry }) => ({
          id: c.id,
          lat: geometry.coordinates[1] as number,
          lon: geometry.coordinates[0] as number,
        })),
      [clusters],
    ),
  );
  // A row the new view moves or drops must not send the keyboard back to the top of the page.
  const list = useRef<HTMLUListElement>(null);
  useKeptFocus(list, "data-cluster-id", () => document.getElementById("list-title"), [clusters]);
  const dense = inView.reduce((n, f) => n + (f.properties.kind === "cell" ? f.properties.clusters : 0), 0);
  const unknown = error != null && clusters.length === 0 && dense === 0;
  // From the list: choose the problem and bring its pin into the middle of the map (the list then
  // follows the new view, keeping the keyboard on the button: `useKeptFocus` above).
  const show = (c: ClusterFeature["properties"]) => {
    setSelectedId(c.id);
    const [lon, lat] = clusters.find((f) => f.properties.id === c.id)?.geometry.coordinates ?? [];
    if (map && lat !== undefined && lon !== undefined) map.panTo([lat, lon]);
  };
  // On a phone the card is a sheet over the screen's bottom: the button pressed in the list keeps
  // the keyboard, scrolled above the sheet (its scroll padding), not left under it.
  const sheet = useRef<HTMLElement>(null);
  useEffect(() => {
    const active = document.activeElement;
    if (selectedId && active instanceof HTMLElement && list.current?.contains(active))
      active.scrollIntoView({ block: "nearest" });
  }, [selectedId]);
  // Closed by its button or Escape; the keyboard, if it was on the card, goes back to the problem's row.
  const closeSelection = useCallback(() => {
    const wasOnCard = sheet.current?.contains(document.activeElement) ?? false;
    setSelectedId(null);
    if (!wasOnCard) return;
    const row = selectedId
      ? list.current?.querySelector<HTMLElement>(`li[data-cluster-id="${selectedId}"] button`)
      : null;
    (row ?? document.getElementById("list-title"))?.focus();
  }, [selectedId]);
  useEffect(() => {
    if (!selectedId) return;
    // Not an Escape meant for something else: the phone menu, a field's suggestions, a dialog.
    const onKey = (e: KeyboardEvent) => {
      const target = e.target instanceof Element ? e.target : null;
      if (
        e.key !== "Escape" ||
        e.defaultPrevented ||
        target?.closest("header, [role=dialog], [role=combobox]")
      )
        return;
      closeSelection();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [selectedId, closeSelection]);
  // "Report a problem" starts where the map is looking (as the nav's link does).
  const centre = map && viewport ? map.getCenter() : null;
  const reportHref =
    centre && viewport
      ? `/report?lat=${centre.lat.toFixed(5)}&lon=${centre.lng.toFixed(5)}&z=${viewport.zoom}`
      : "/report";
  const selectedFeature = clusters.find((f) => f.properties.id === selectedId);
  const selected = selectedFeature?.properties ?? null;
  const [selectedLon, selectedLat] = selectedFeature?.geometry.coordinates ?? [];
  const selectedAt =
    selectedLat !== undefined && selectedLon !== undefined ? { lat: selectedLat, lon: selectedLon } : null;

  return (
    <div class="map-page">
      <div class="welcome">
        <h1>{t("mapTitle")}</h1>
        <p>{t("welcome")}</p>
        <Link class="cta" href={reportHref}>
          {t("welcomeAction")}
        </Link>
      </div>
      {!shown && <MapFiltersForm filters={filters} onChange={setFilters} />}
      {/* The map is one Tab stop (arrow keys pan it); the list below is the keyboard's way to the problems. */}
      <a class="skip skip-map" href="#list-title">
        {t("skipMap")}
      </a>
      <div class="map-area">
        <section ref={el} class="map" aria-label={t("mapLabel")} />
        <NearMe map={map} />
        <p class="touch-hint">{t("twoFingers")}</p>
      </div>
      <aside class="side" aria-label={t("listTitle")}>
        {selected && (
          <section class="card selected sheet" aria-live="polite" aria-label={t("selected")} ref={sheet}>
            <ClusterSummary cluster={selected} at={selectedAt} flag={selected.flag} />
            <p class="row">
              <Link href={`/c/${selected.id}`}>{t("openPage")}</Link>
              <button type="button" class="link" onClick={closeSelection}>
                {t("closeSelection")}
              </button>
            </p>
          </section>
        )}
        {/* A figure's pins are its own (green and red for a share's parts): the statuses' legend would belie them. */}
        {!shown && <Legend />}
        <RoadLayer map={map} bbox={viewport?.bbox ?? null} on={roads} onToggle={setRoads} />
        {shown ? (
          <FigureList map={map} shown={shown} />
        ) : (
          <>
            <h2 id="list-title" tabIndex={-1}>
              {t("listTitle")}
            </h2>
            {error != null && <p role="alert">{t("loadFailed", { message: failureText(error, t) })}</p>}
            {/* A view that failed to load with nothing drawn is not known to be empty: no "0 problems". */}
            {!unknown && <p aria-live="polite">{t("listCount", { n: clusters.length + dense })}</p>}
            {dense > 0 && <p>{t("listDense", { n: dense })}</p>}
            {zoomIn && <p role="status">{t("zoomInForFilter")}</p>}
            {clusters.length === 0 && dense === 0 && !zoomIn && !unknown && <p>{t("listEmpty")}</p>}
            <ul class="cluster-list" ref={list}>
              {clusters.map(({ properties: c }) => (
                <li key={c.id} data-cluster-id={c.id}>
                  <Link href={`/c/${c.id}`}>{name(names.service(c.service))}</Link>{" "}
                  {/* Always there, empty until named: a node added before the button as the name
                      arrived made Preact draw the button anew, and the keyboard's focus was lost. */}
                  <span class="place">{places.get(c.id) ? `${name(places.get(c.id))} ` : ""}</span>
                  <StatusBadge status={c.status} />{" "}
                  {c.flag !== "none" && (
                    <>
                      <span class={`flag flag-${c.flag}`} data-flag={c.flag}>
                        {t(FLAG_LABEL[c.flag])}
                      </span>{" "}
                    </>
                  )}
                  {/* A duplicate's reports went to the problem it joined: "closed, 0 reports" would belie them. */}
                  {c.mergedIntoId ? (
                    <Link class="merged-into" href={`/c/${c.mergedIntoId}`}>
                      {t("mergedAway")}
                    </Link>
                  ) : (
                    <span>{t("reportsCount", { n: c.reports })}</span>
                  )}
                  <span class="muted"> · {t("reportedAgo", { age: formatAge(c.lastReportAt) })}</span>
                  {c.department && <span class="muted"> · {name(names.department(c.department))}</span>}{" "}
                  <button
                    type="button"
                    class="link"
                    aria-pressed={c.id === selectedId}
                    aria-label={t("showOnMapOf", {
                      what: [
                        name(names.service(c.service)),
                        name(places.get(c.id)),
                        c.mergedIntoId ? t("mergedAway") : t("reportsCount", { n: c.reports }),
                      ]
                        .filter(Boolean)
                        .join(lang === "en" ? ", " : "，"),
                    })}
                    onClick={() => show(c)}
                  >
                    {t("showOnMap")}
                  </button>
                  {c.said && (
                    <p class="description said" lang={wordsLang(c.said)}>
                      {c.said}
                    </p>
                  )}
                </li>
              ))}
            </ul>
          </>
        )}
      </aside>
    </div>
  );
}
