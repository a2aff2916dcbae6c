import type { ClusterDetail } from "../api/types";
import { useNames } from "../catalog";
import { useI18n } from "../i18n/i18n";
import { useRouting } from "../lib/use-routing";

/**
 * For a problem not yet sent to anyone: who will handle it and what it waits for (more residents),
 * with the link to share so neighbours can add their reports. Nothing once a work order exists.
 */
export function WhatsNext({ cluster }: { cluster: ClusterDetail }) {
  const { t, name } = useI18n();
  const names = useNames();
  const waiting = !cluster.workOrder && cluster.reporters < cluster.threshold;
  const routing = useRouting(waiting ? cluster.service : null, cluster);
  if (!waiting || !routing) return null;
  const n = cluster.threshold - cluster.reporters;
  const department = names.department(routing.department);
  const link = `${location.origin}/c/${cluster.id}`;
  return (
    <section class="card next" aria-labelledby="next-title" data-department={routing.department ?? ""}>
      <h2 id="next-title">{t("nextTitle")}</h2>
      <p>{department ? t("nextGoesTo", { department: name(department), n }) : t("nextUnrouted", { n })}</p>
      <p>
        {t("nextShare")}{" "}
        <a class="url" href={link}>
          {link}
        </a>
      </p>
    </section>
  );
}
