import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { takesReports } from "../../../src/domain/states";
import { api, ok } from "../api/client";
import type { ClusterList } from "../api/types";
import { useNames } from "../catalog";
import { useI18n } from "../i18n/i18n";
import { bboxAround, metresBetween } from "../lib/geo";
import { STATUS_STYLE } from "../lib/status";

export type NearbyCluster = ClusterList["features"][number]["properties"] & {
  lat: number;
  lon: number;
  distance: number;
};

/**
 * "Is it one of these?": the open clusters of the chosen service near the pin. Choosing one
 * makes the report go to that cluster's place, where the intake joins it to the cluster.
 */
export function NearbyPrompt(props: {
  point: { lat: number; lon: number };
  service: string;
  radiusM: number;
  /** The service's window: a problem whose last report is older takes no more (`takesReports`). */
  windowDays: number;
  chosen: NearbyCluster | null;
  onChoose: (c: NearbyCluster | null) => void;
}) {
  const { point, service, radiusM, windowDays, chosen, onChoose } = props;
  const { t, name } = useI18n();
  const names = useNames();
  const [nearby, setNearby] = useState<NearbyCluster[]>([]);

  useEffect(() => {
    let current = true;
    const reach = Math.max(150, radiusM * 4);
    ok(api.clusters.$get({ query: { bbox: bboxAround(point, reach), service, limit: "200" } }))
      .then((answer) => {
        if (!current) return;
        const list = answer.features
          .map((f) => {
            const [lon, lat] = f.geometry.coordinates;
            return { ...f.properties, lat, lon, distance: metresBetween(point, { lat, lon }) };
          })
          // One that takes no more reports would not be joined: the report would open a problem of its own.
          .filter((c) => takesReports(c, windowDays, Date.now()) && c.distance <= reach)
          .sort((a, b) => a.distance - b.distance)
          .slice(0, 5);
        setNearby(list);
      })
      .catch(() => current && setNearby([]));
    return () => {
      current = false;
    };
  }, [point, service, radiusM, windowDays]);

  // The button pressed goes away (replaced by "Chosen", or "None of these" by the list's buttons):
  // the keyboard goes on from what took its place, not from the page's top.
  const list = useRef<HTMLFieldSetElement>(null);
  const [pressed, setPressed] = useState(0);
  useLayoutEffect(() => {
    if (pressed === 0) return;
    list.current?.querySelector<HTMLElement>(chosen ? ".nearby-chosen" : ".nearby-list button")?.focus();
  }, [pressed]);
  const choose = (c: NearbyCluster | null) => {
    onChoose(c);
    setPressed((n) => n + 1);
  };

  if (nearby.length === 0) return null;
  return (
    <fieldset class="nearby" aria-describedby="nearby-help" ref={list}>
      <legend>{t("nearbyTitle")}</legend>
      <p id="nearby-help" class="hint">
        {t("nearbyHelp")}
      </p>
      <ul class="nearby-list">
        {nearby.map((c) => (
          <li key={c.id} data-cluster-id={c.id}>
            <span id={`nearby-${c.id}`}>
              {t("nearbyItem", {
                service: name(names.service(c.service)),
                distance: Math.round(c.distance),
                status: t(STATUS_STYLE[c.status].label),
                n: c.reports,
              })}
            </span>{" "}
            {chosen?.id === c.id ? (
              <strong class="nearby-chosen" aria-live="polite" tabIndex={-1}>
                {t("nearbyChosen")}
              </strong>
            ) : (
              // Each "Yes, this one" is told apart by the problem it stands beside.
              <button type="button" onClick={() => choose(c)} aria-describedby={`nearby-${c.id}`}>
                {t("nearbyChoose")}
              </button>
            )}
          </li>
        ))}
      </ul>
      {chosen && (
        <button type="button" class="link" onClick={() => choose(null)}>
          {t("nearbyNone")}
        </button>
      )}
    </fieldset>
  );
}
