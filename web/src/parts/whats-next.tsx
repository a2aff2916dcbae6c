import type { ClusterDetail } from "../api/types";
import { useCatalog, useNames } from "../catalog";
import { useI18n } from "../i18n/i18n";
import { useRouting } from "../lib/use-routing";

const FINISHED = ["resolved", "closed", "duplicate"];

/**
 * "Tell them once": who has the problem (or how many more residents it waits for), the deadlines
 * it is held to, and how residents will hear about it, with the link to share while it waits.
 */
export function WhatsNext({ cluster }: { cluster: ClusterDetail }) {
  const { t, name, formatTime } = useI18n();
  const names = useNames();
  const { services } = useCatalog();
  const waiting = !cluster.workOrder && cluster.reporters < cluster.threshold;
  const routing = useRouting(waiting ? cluster.service : null, cluster);
  const wo = cluster.workOrder;
  if (waiting ? !routing : !wo) return null;
  const n = cluster.threshold - cluster.reporters;
  const department = names.department(wo ? wo.department : (routing?.department ?? null));
  const service = services.find((s) => s.code === cluster.service);
  const duration = (hours: number) =>
    hours >= 48 && hours % 24 === 0 ? t("durationDays", { n: hours / 24 }) : t("durationHours", { n: hours });
  const link = `${location.origin}/c/${cluster.id}`;
  const status = (() => {
    if (!wo)
      return department ? t("nextGoesTo", { department: name(department), n }) : t("nextUnrouted", { n });
    if (!department) return t("nextAwaitsDepartment");
    if (FINISHED.includes(wo.status ?? "")) return t("nextFinished", { department: name(department) });
    return t("nextHandles", {
      department: name(department),
      ack: formatTime(wo.ackDueAt),
      resolve: formatTime(wo.resolveDueAt),
    });
  })();
  return (
    <section
      class="card next"
      aria-labelledby="next-title"
      data-department={(wo ? wo.department : routing?.department) ?? ""}
    >
      <h2 id="next-title">{t("nextTitle")}</h2>
      <p data-testid="next-status">{status}</p>
      {!wo && service && (
        <p data-testid="next-deadlines">
          {t("nextHeldTo", { ack: duration(service.ackHours), resolve: duration(service.resolveHours) })}
        </p>
      )}
      {wo?.scheduledFor && !FINISHED.includes(wo.status ?? "") && (
        <p>{t("nextScheduled", { time: formatTime(wo.scheduledFor) })}</p>
      )}
      <p data-testid="next-hear">
        {t("nextHear")} <a href={`/api/feeds/clusters/${cluster.id}.atom`}>{t("nextFeed")}</a>
      </p>
      {waiting && (
        <p>
          {t("nextShare")}{" "}
          <a class="url" href={link}>
            {link}
          </a>
        </p>
      )}
    </section>
  );
}
