import type L from "leaflet";
import { useCallback } from "preact/hooks";
import type { RoadSpotFeature } from "../api/types";
import { useI18n } from "../i18n/i18n";
import { SPOT_STYLE, type SpotState } from "../lib/road-spots";
import { useRoadSpotLayer } from "../map/use-road-spot-layer";

/**
 * The map's road-condition layer: a switch, and while on, the spots phones sensed in view with a
 * legend of their states.
 */
export function RoadLayer(props: {
  map: L.Map | null;
  bbox: string | null;
  on: boolean;
  onToggle: (on: boolean) => void;
}) {
  const { t } = useI18n();
  const label = useCallback(
    (f: RoadSpotFeature) =>
      t("spotLabel", {
        state: t(SPOT_STYLE[f.properties.state].label),
        phones: t("phoneCount", { n: f.properties.devices }),
        hits: f.properties.hitPasses,
        passes: t("passCount", { n: f.properties.passes }),
      }),
    [t],
  );
  const count = useRoadSpotLayer(props.map, props.bbox, props.on, label);
  return (
    <section class="road-layer" aria-label={t("roadLayer")}>
      <label class="check">
        <input type="checkbox" checked={props.on} onChange={(e) => props.onToggle(e.currentTarget.checked)} />{" "}
        {t("roadLayer")}
      </label>
      {props.on && (
        <>
          <p class="muted" aria-live="polite">
            {t("roadLayerCount", { n: count })}
          </p>
          <ul class="legend-list">
            {(Object.keys(SPOT_STYLE) as SpotState[]).map((s) => (
              <li key={s}>
                <span class="swatch" style={{ background: SPOT_STYLE[s].colour }} aria-hidden="true" />{" "}
                {t(SPOT_STYLE[s].label)}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
