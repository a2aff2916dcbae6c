import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import { api, ok } from "../api/client";
import { useCatalog } from "../catalog";
import { failureText } from "../lib/failure";
import { useLeafletMap } from "../map/use-leaflet-map";
import { usePinMarker } from "../map/use-pin-marker";
import { useTileLayer } from "../map/use-tile-layer";
import { useZoomControl } from "../map/use-zoom-control";
import type { Area } from "./area";
import type { AdminDepartment } from "./departments-tab";
import type { AdminService } from "./services-tab";
import { useAdminText } from "./text";
import { useAreaLayer } from "./use-area-editor";

/**
 * "A pothole here goes to …": every department's area on a map; a click (or typed coordinates)
 * asks `GET /api/routing`, the very routing the intake applies.
 */
export function RoutingPreview({
  departments,
  services,
}: {
  departments: AdminDepartment[];
  services: AdminService[];
}) {
  const { t, ta, name } = useAdminText();
  const catalog = useCatalog();
  const el = useRef<HTMLDivElement>(null);
  const map = useLeafletMap(el, { ...catalog.view, zoom: Math.min(11, catalog.view.zoom) });
  useTileLayer(map, catalog.tiles);
  useZoomControl(map, t);
  const areas = useMemo(
    () => departments.flatMap((d) => (d.area ? [{ area: d.area as Area, label: name(d.name) }] : [])),
    [departments, name],
  );
  useAreaLayer(map, areas);

  const active = services.filter((s) => s.active);
  const [service, setService] = useState(active[0]?.code ?? "");
  const [lat, setLat] = useState("");
  const [lon, setLon] = useState("");
  const [answer, setAnswer] = useState<{ ok: boolean; text: string } | null>(null);
  const point =
    lat && lon && Number.isFinite(Number(lat)) && Number.isFinite(Number(lon))
      ? { lat: Number(lat), lon: Number(lon) }
      : null;

  const ask = useCallback(
    async (p: { lat: number; lon: number }, code: string) => {
      const serviceName = name(services.find((s) => s.code === code)?.name) || code;
      try {
        const r = await ok(
          api.routing.$get({ query: { service: code, lat: String(p.lat), lon: String(p.lon) } }),
        );
        const dept = departments.find((d) => d.code === r.department);
        setAnswer({
          ok: true,
          text: r.outsideServiceArea
            ? t("failOutsideCity")
            : r.department
              ? ta("adminPreviewGoes", {
                  service: serviceName,
                  department: dept ? name(dept.name) : r.department,
                })
              : ta("adminPreviewNobody", { service: serviceName }),
        });
      } catch (e) {
        setAnswer({ ok: false, text: failureText(e, t) });
      }
    },
    [departments, services, name, ta, t],
  );
  const place = useCallback(
    (p: { lat: number; lon: number }) => {
      setLat(p.lat.toFixed(6));
      setLon(p.lon.toFixed(6));
      if (service) void ask(p, service);
    },
    [ask, service],
  );
  usePinMarker(map, point, ta("adminPreviewTitle"), place);
  // A department just saved changes the answer: ask again for the point on show.
  useEffect(() => {
    if (point && service) void ask(point, service);
  }, [departments]);

  const submit = (e: Event) => {
    e.preventDefault();
    if (point && service) void ask(point, service);
  };
  return (
    <section class="card routing-preview" aria-labelledby="preview-title">
      <h3 id="preview-title">{ta("adminPreviewTitle")}</h3>
      <p class="hint">{ta("adminPreviewHelp")}</p>
      <section ref={el} class="map map-small" aria-label={ta("adminPreviewMap")} />
      <form class="row" onSubmit={submit}>
        <label>
          {ta("adminPreviewService")}
          <select name="service" value={service} onChange={(e) => setService(e.currentTarget.value)}>
            {active.map((s) => (
              <option key={s.code} value={s.code}>
                {name(s.name)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {ta("adminPreviewLat")}
          <input name="lat" inputMode="decimal" value={lat} onInput={(e) => setLat(e.currentTarget.value)} />
        </label>
        <label>
          {ta("adminPreviewLon")}
          <input name="lon" inputMode="decimal" value={lon} onInput={(e) => setLon(e.currentTarget.value)} />
        </label>
        <button type="submit">{ta("adminPreviewCheck")}</button>
      </form>
      <p
        role={answer && !answer.ok ? "alert" : "status"}
        class={answer?.ok === false ? "error" : ""}
        data-routing
      >
        {answer?.text ?? ""}
      </p>
    </section>
  );
}
