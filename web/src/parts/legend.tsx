import { useI18n } from "../i18n/i18n";
import { PUBLIC_STATUS_ORDER, STATUS_STYLE } from "../lib/status";
import { StatusBadge } from "./status-badge";

/** What the pins' colours, shapes and sizes mean. */
export function Legend() {
  const { t } = useI18n();
  return (
    <section class="legend" aria-labelledby="legend-title">
      <h2 id="legend-title">{t("legend")}</h2>
      <ul class="legend-list">
        {PUBLIC_STATUS_ORDER.map((s) => (
          <li key={s}>
            <span
              class="pin-swatch"
              data-status={s}
              style={{ background: STATUS_STYLE[s].colour }}
              aria-hidden="true"
            />
            <StatusBadge status={s} />
          </li>
        ))}
      </ul>
      <p class="muted">{t("legendShapes")}</p>
      <p class="muted">{t("legendSize")}</p>
      <p class="muted">{t("legendFlags")}</p>
    </section>
  );
}
