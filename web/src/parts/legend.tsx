import { useI18n } from "../i18n/i18n";
import { PUBLIC_STATUS_ORDER } from "../lib/status";
import { StatusBadge } from "./status-badge";

/** What the pins' colours and sizes mean. */
export function Legend() {
  const { t } = useI18n();
  return (
    <section class="legend" aria-labelledby="legend-title">
      <h2 id="legend-title">{t("legend")}</h2>
      <ul class="legend-list">
        {PUBLIC_STATUS_ORDER.map((s) => (
          <li key={s}>
            <StatusBadge status={s} />
          </li>
        ))}
      </ul>
      <p class="muted">{t("legendSize")}</p>
      <p class="muted">{t("legendFlags")}</p>
    </section>
  );
}
