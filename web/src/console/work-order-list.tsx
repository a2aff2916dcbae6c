import { useCallback, useEffect, useMemo, useRef, useState } from "preact/hooks";
import { apiWithToken, ok } from "../api/client";
import type { WorkOrder } from "../api/types";
import { useCatalog, useNames } from "../catalog";
import { useI18n } from "../i18n/i18n";
import { failureText } from "../lib/failure";
import { FLAG_LABEL, WORK_ORDER_LABEL } from "../lib/status";
import { viewFromAddress } from "../map/defaults";
import { useLeafletMap } from "../map/use-leaflet-map";
import { useTileLayer } from "../map/use-tile-layer";
import { useWorkOrderLayer } from "../map/use-work-order-layer";
import { useZoomControl } from "../map/use-zoom-control";
import { WorkOrderPanel } from "./work-order-panel";

/** The signed-in department's work orders, on a map and in a list, most urgent first; one opens below. */
export function WorkOrderList(props: {
  token: string;
  onSignOut: () => void;
  department: { en: string; zh: string };
}) {
  const { token, onSignOut, department } = props;
  const { t, name, formatTime } = useI18n();
  const names = useNames();
  const catalog = useCatalog();
  const el = useRef<HTMLDivElement>(null);
  const map = useLeafletMap(el, viewFromAddress(location.search));
  useTileLayer(map, catalog.tiles);
  useZoomControl(map, t);
  const client = useMemo(() => apiWithToken(token), [token]);
  const [workOrders, setWorkOrders] = useState<WorkOrder[]>([]);
  const [openId, setOpenId] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const reload = useCallback(() => {
    ok(client.department["work-orders"].$get({ query: {} }))
      .then((r) => setWorkOrders(r.workOrders))
      .catch((e: unknown) => setError(e));
  }, [client]);
  useEffect(reload, [reload]);

  const label = useCallback(
    (wo: WorkOrder) =>
      `${name(names.service(wo.service))}: ${t(WORK_ORDER_LABEL[wo.status])}, ${t(FLAG_LABEL[wo.flag])}`,
    [t, name, names],
  );
  useWorkOrderLayer(map, workOrders, label, setOpenId);

  return (
    <>
      <p class="row">
        <span>{t("signedInAs", { name: name(department) })}</span>
        <button type="button" onClick={onSignOut}>
          {t("signOut")}
        </button>
      </p>
      <div class="console-grid">
        <section ref={el} class="map map-small" aria-label={t("consoleMapLabel")} />
        <section aria-labelledby="wo-title">
          <h2 id="wo-title">{t("workOrders")}</h2>
          {error != null && <p role="alert">{t("loadFailed", { message: failureText(error, t) })}</p>}
          {workOrders.length === 0 && <p>{t("noWorkOrders")}</p>}
          <ul class="cluster-list">
            {workOrders.map((wo) => (
              <li key={wo.id} data-work-order-id={wo.id} data-status={wo.status}>
                {wo.nextDeadline && (
                  <span class={`flag flag-${wo.flag}`} data-flag={wo.flag}>
                    {t(FLAG_LABEL[wo.flag])}
                  </span>
                )}{" "}
                <strong>{name(names.service(wo.service))}</strong> ·{" "}
                <span class="wo-status">{t(WORK_ORDER_LABEL[wo.status])}</span> ·{" "}
                {t("reportsCount", { n: wo.reports })}
                <br />
                <span class="muted">
                  {wo.nextDeadline
                    ? t("nextDeadline", {
                        kind: t(wo.nextDeadline.kind === "acknowledge" ? "kindAcknowledge" : "kindResolve"),
                        time: formatTime(wo.nextDeadline.at),
                      })
                    : t("noDeadline")}
                </span>{" "}
                <button type="button" onClick={() => setOpenId(wo.id)} aria-expanded={openId === wo.id}>
                  {t("openWorkOrder")}
                </button>
              </li>
            ))}
          </ul>
        </section>
      </div>
      {openId && <WorkOrderPanel client={client} id={openId} onMoved={reload} />}
    </>
  );
}
