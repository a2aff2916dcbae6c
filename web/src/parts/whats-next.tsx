import { durationWords, whatHappensNext } from "../../../src/domain/next-words";
import type { ClusterDetail } from "../api/types";
import { useCatalog, useNames } from "../catalog";
import { useI18n } from "../i18n/i18n";
import { useLapsedWindow, useWithdrawn } from "../lib/lapsed";
import { feedIn } from "../lib/use-feed-link";
import { useRouting } from "../lib/use-routing";
import { Link } from "../router";

/**
 * "Tell them once": who has the problem (or how many more residents it waits for), the deadlines
 * it is held to, and how residents will hear about it, with the link to share while it waits.
 */
export function WhatsNext({ cluster, mine = false }: { cluster: ClusterDetail; mine?: boolean }) {
  const { t, lang, name, formatTime, formatDay } = useI18n();
  const names = useNames();
  const { services } = useCatalog();
  const waiting = !cluster.workOrder && cluster.reporters < cluster.threshold;
  const routing = useRouting(waiting ? cluster.service : null, cluster);
  // Past its window it takes no more reports: "N more people" can never come, nor is a link to share of use.
  const lapsedDays = useLapsedWindow(cluster);
  const lapsed = waiting && lapsedDays !== null;
  // Withdrawn by the city, no department takes it (no routing to wait for): what it says is that.
  const withdrawn = useWithdrawn(cluster) && waiting;
  const wo = cluster.workOrder;
  if (waiting ? !routing && !withdrawn : !wo) return null;
  const department = names.department(wo ? wo.department : (routing?.department ?? null));
  const service = services.find((s) => s.code === cluster.service);
  const link = `${location.origin}/c/${cluster.id}`;
  const nextLang = lang === "en" ? "en" : "zh";
  // The same words as the follower's first mail (`src/domain/notices.ts`).
  const next = whatHappensNext(nextLang, {
    department: department ? name(department) : null,
    workOrder: wo
      ? {
          status: wo.status,
          ack: formatTime(wo.ackDueAt),
          resolve: formatTime(wo.resolveDueAt),
          scheduled: wo.scheduledFor ? formatDay(wo.scheduledFor) : null,
          next: wo.nextDeadline && { kind: wo.nextDeadline.kind, late: wo.flag === "red" },
        }
      : null,
    missing: cluster.threshold - cluster.reporters,
    lapsed: lapsed
      ? { window: durationWords(nextLang, (lapsedDays ?? 0) * 24), threshold: cluster.threshold }
      : null,
    withdrawn,
    held: service ?? null,
    reporterHere: mine,
  });
  return (
    <section
      class="card next"
      aria-labelledby="next-title"
      data-department={(wo ? wo.department : routing?.department) ?? ""}
    >
      <h2 id="next-title">{t("nextTitle")}</h2>
      <p data-testid="next-status">{next.status}</p>
      {cluster.mergedIntoId && (
        <p>
          <Link href={`/c/${cluster.mergedIntoId}`}>{t("nextMergedInto")}</Link>
        </p>
      )}
      {/* Reported again after a fix: the earlier problem, with its history and its followers' story. */}
      {cluster.predecessorId && (
        <p data-testid="predecessor">
          {t("nextPredecessor")}
          {t("labelGap")}
          <Link href={`/c/${cluster.predecessorId}`}>{t("nextPredecessorLink")}</Link>
        </p>
      )}
      {next.heldTo && <p data-testid="next-deadlines">{next.heldTo}</p>}
      {next.scheduled && <p>{next.scheduled}</p>}
      <p data-testid="next-hear">
        {t("nextHear")}
        {t("labelGap")}
        <a href={feedIn(`/api/feeds/clusters/${cluster.id}.atom`, lang)}>{t("nextFeed")}</a>
      </p>
      {/* "2 reports, 1 more needed" reads as a miscount unless it says why some count together. */}
      {waiting && cluster.reports > cluster.reporters && (
        <p data-testid="next-counted">{t("nextCountedOnce", { n: cluster.reporters })}</p>
      )}
      {waiting && !lapsed && !withdrawn && (
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
