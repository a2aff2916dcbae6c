import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import { api, ok } from "../api/client";
import type { MapFeature } from "../api/types";
import { useCatalog, useNames } from "../catalog";
import { useI18n } from "../i18n/i18n";
import { failureText } from "../lib/failure";
import { PUBLIC_STATUS_ORDER, type PublicStatus, STATUS_STYLE } from "../lib/status";
import { viewFromAddress } from "../map/defaults";
import { useClusterLayer } from "../map/use-cluster-layer";
import { useLeafletMap } from "../map/use-leaflet-map";
import { useTileLayer } from "../map/use-tile-layer";
import { useViewport } from "../map/use-viewport";
import { useZoomControl } from "../map/use-zoom-control";
import { ClusterSummary } from "../parts/cluster-summary";
import { Legend } from "../parts/legend";
import { StatusBadge } from "../parts/status-badge";
import { Link } from "../router";

const PERIODS = { "7": "period7", "30": "period30", "90": "period90", all: "periodAll" } as const;
type Period = keyof typeof PERIODS;

type ClusterFeature = MapFeature & { properties: Extract<MapFeature["properties"], { kind: "cluster" }> };
const isCluster = (f: MapFeature): f is ClusterFeature => f.properties.kind === "cluster";

/** The public map: filters, the map itself, a legend and a list of the same clusters. */
export function MapPage() {
  const { t, name } = useI18n();
  const catalog = useCatalog();
  const names = useNames();
  const el = useRef<HTMLDivElement>(null);
  const map = useLeafletMap(el, viewFromAddress(location.search));
  useTileLayer(map, catalog.tiles);
  useZoomControl(map, t);
  const viewport = useViewport(map);

  const [service, setService] = useState("");
  const [status, setStatus] = useState<"" | PublicStatus>("");
  const [period, setPeriod] = useState<Period>("all");
  const [features, setFeatures] = useState<MapFeature[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [selectedId, setSelectedId] = useState<string | null>(null);

  useEffect(() => {
    document.title = `${t("mapTitle")} · ${t("appName")}`;
  }, [t]);

  // The address follows the view, so what someone sees can be shared as a link.
  useEffect(() => {
    if (!map || !viewport) return;
    const c = map.getCenter();
    history.replaceState(null, "", `/?lat=${c.lat.toFixed(5)}&lon=${c.lng.toFixed(5)}&z=${viewport.zoom}`);
  }, [map, viewport]);

  useEffect(() => {
    if (!viewport) return;
    let current = true;
    const since =
      period === "all" ? undefined : new Date(Date.now() - Number(period) * 86_400_000).toISOString();
    ok(
      api.map.$get({
        query: {
          bbox: viewport.bbox,
          zoom: String(viewport.zoom),
          ...(service ? { service } : {}),
          ...(status ? { status } : {}),
          ...(since ? { since } : {}),
        },
      }),
    )
      .then((answer) => {
        if (!current) return;
        setFeatures(answer.features);
        setError(null);
      })
      .catch((e: unknown) => current && setError(e));
    return () => {
      current = false;
    };
  }, [viewport, service, status, period]);

  const label = useCallback(
    (f: MapFeature) =>
      f.properties.kind === "cluster"
        ? t("clusterLabel", {
            service: name(names.service(f.properties.service)),
            status: t(STATUS_STYLE[f.properties.status].label),
            n: f.properties.reports,
          })
        : t("cellLabel", { n: f.properties.clusters }),
    [t, name, names],
  );
  useClusterLayer(map, features, { label, onSelect: setSelectedId, selectedId });

  const clusters = useMemo(
    () => features.filter(isCluster).sort((a, b) => b.properties.reports - a.properties.reports),
    [features],
  );
  const dense = features.reduce((n, f) => n + (f.properties.kind === "cell" ? f.properties.clusters : 0), 0);
  const selected = clusters.find((f) => f.properties.id === selectedId)?.properties ?? null;

  return (
    <div class="map-page">
      <h1 class="visually-hidden">{t("mapTitle")}</h1>
      <form class="filters" aria-label={t("filters")} onSubmit={(e) => e.preventDefault()}>
        <label>
          {t("filterService")}
          <select value={service} onChange={(e) => setService(e.currentTarget.value)}>
            <option value="">{t("all")}</option>
            {catalog.services.map((s) => (
              <option key={s.code} value={s.code}>
                {name(s.name)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("filterStatus")}
          <select value={status} onChange={(e) => setStatus(e.currentTarget.value as PublicStatus | "")}>
            <option value="">{t("all")}</option>
            {PUBLIC_STATUS_ORDER.map((s) => (
              <option key={s} value={s}>
                {t(STATUS_STYLE[s].label)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("filterPeriod")}
          <select value={period} onChange={(e) => setPeriod(e.currentTarget.value as Period)}>
            {(Object.keys(PERIODS) as Period[]).map((p) => (
              <option key={p} value={p}>
                {t(PERIODS[p])}
              </option>
            ))}
          </select>
        </label>
      </form>
      <div class="map-area">
        <section ref={el} class="map" aria-label={t("mapLabel")} />
      </div>
      <aside class="side" aria-label={t("listTitle")}>
        {selected && (
          <section class="card selected" aria-live="polite" aria-label={t("selected")}>
            <ClusterSummary cluster={selected} />
            <p class="row">
              <Link href={`/c/${selected.id}`}>{t("openPage")}</Link>
              <button type="button" class="link" onClick={() => setSelectedId(null)}>
                {t("closeSelection")}
              </button>
            </p>
          </section>
        )}
        <Legend />
        <h2>{t("listTitle")}</h2>
        {error != null && <p role="alert">{t("loadFailed", { message: failureText(error, t) })}</p>}
        <p aria-live="polite">{t("listCount", { n: clusters.length + dense })}</p>
        {dense > 0 && <p>{t("listDense", { n: dense })}</p>}
        {clusters.length === 0 && dense === 0 && <p>{t("listEmpty")}</p>}
        <ul class="cluster-list">
          {clusters.map(({ properties: c }) => (
            <li key={c.id} data-cluster-id={c.id}>
              <Link href={`/c/${c.id}`}>{name(names.service(c.service))}</Link>{" "}
              <StatusBadge status={c.status} /> <span>{t("reportsCount", { n: c.reports })}</span>
              {c.department && <span class="muted"> · {name(names.department(c.department))}</span>}
            </li>
          ))}
        </ul>
      </aside>
    </div>
  );
}
