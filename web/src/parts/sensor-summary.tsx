import type { ClusterDetail } from "../api/types";
import { useI18n } from "../i18n/i18n";

/** "Confirmed by N vehicles, hit in X of Y passes" for a cluster phones fed; nothing for others. */
export function SensorSummary({ sensor }: { sensor: ClusterDetail["sensor"] }) {
  const { t } = useI18n();
  if (!sensor) return null;
  return (
    <p data-testid="sensor-summary">
      {t("sensorSummary", {
        vehicles: t("vehicleCount", { n: sensor.vehicles }),
        hits: sensor.hitPasses,
        passes: t("passCount", { n: sensor.passes }),
      })}
    </p>
  );
}
