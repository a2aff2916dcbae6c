import { useEffect } from "preact/hooks";
import { FINISHED_STATUSES } from "../../../src/domain/next-words";
import { ApiError, api, ok } from "../api/client";
import type { ClusterDetail } from "../api/types";
import { useNames } from "../catalog";
import { useI18n } from "../i18n/i18n";
import { failureText } from "../lib/failure";
import { useLapsedWindow, useWithdrawn } from "../lib/lapsed";
import { percent } from "../lib/percent";
import { FLAG_LABEL } from "../lib/status";
import { feedIn, useFeedLink } from "../lib/use-feed-link";
import { useFetch } from "../lib/use-fetch";
import { wordsLang } from "../lib/words-lang";
import { BackToMap } from "../parts/back-to-map";
import { ClusterSummary } from "../parts/cluster-summary";
import { FlagItem } from "../parts/flag-item";
import { FollowForm } from "../parts/follow-form";
import { HowLong } from "../parts/how-long";
import { Photos } from "../parts/photos";
import { SeeItToo } from "../parts/see-it-too";
import { SensorSummary } from "../parts/sensor-summary";
import { Timeline } from "../parts/timeline";
import { WhatsNext } from "../parts/whats-next";
import { Link } from "../router";

/** A work order no department holds now: none took it yet, or the one it went to sent it back. */
const unrouted = (wo: NonNullable<ClusterDetail["workOrder"]>) =>
  wo.department === null || wo.status === "rejected";

/** The deadlines of a cluster's work order, with the flag the deadline rules give it now. */
function Deadlines({ workOrder }: { workOrder: NonNullable<ClusterDetail["workOrder"]> }) {
  const { t, formatTime, formatDay } = useI18n();
  // The server decides the flag, with the same deadline rules the console and the checks use.
  const flag = workOrder.flag;
  return (
    <section aria-labelledby="deadlines-title">
      <h2 id="deadlines-title">
        {t("deadlines")}{" "}
        {workOrder.nextDeadline && (
          <span class={`flag flag-${flag}`} data-flag={flag}>
            {t(FLAG_LABEL[flag])}
          </span>
        )}
      </h2>
      <dl class="facts">
        <dt>{t("ackDue")}</dt>
        <dd>{formatTime(workOrder.ackDueAt)}</dd>
        <dt>{t("resolveDue")}</dt>
        <dd>{formatTime(workOrder.resolveDueAt)}</dd>
        {workOrder.nextDeadline && (
          <>
            <dt>{t("nextDue")}</dt>
            <dd>
              {t(workOrder.nextDeadline.kind === "acknowledge" ? "ackDue" : "resolveDue")}{" "}
              {formatTime(workOrder.nextDeadline.at)}
            </dd>
          </>
        )}
        {workOrder.scheduledFor && !FINISHED_STATUSES.includes(workOrder.status ?? "") && (
          <>
            <dt>{t("scheduledFor")}</dt>
            <dd>{formatDay(workOrder.scheduledFor)}</dd>
          </>
        )}
        <HowLong workOrder={workOrder} />
      </dl>
    </section>
  );
}

/** A cluster's public page (`/c/:id`): what, where, how many, who handles it, deadlines, timeline. */
export function ClusterPage({ id }: { id: string }) {
  const { t, name, lang, formatAge } = useI18n();
  const names = useNames();
  const { data, error, reload } = useFetch(() => ok(api.clusters[":id"].$get({ param: { id } })), [id]);
  const cluster = data?.cluster;
  const lapsed = useLapsedWindow(cluster);
  const withdrawn = useWithdrawn(cluster);
  const title = cluster
    ? t(cluster.place?.near === false ? "clusterTitleIn" : "clusterTitle", {
        service: name(names.service(cluster.service)),
        place: cluster.place ? name(cluster.place) : `${cluster.lat.toFixed(5)}, ${cluster.lon.toFixed(5)}`,
      })
    : error
      ? t(error instanceof ApiError && error.status === 404 ? "notFoundTitle" : "loadFailedTitle")
      : t("loading");
  useEffect(() => {
    document.title = `${title} · ${t("appName")}`;
  }, [title, t]);
  useFeedLink(feedIn(`/api/feeds/clusters/${id}.atom`, lang), title);

  if (error) {
    const gone = error instanceof ApiError && error.status === 404;
    return (
      <div class="page">
        <h1>{title}</h1>
        <p role="alert">{gone ? t("notFound") : t("loadFailed", { message: failureText(error, t) })}</p>
        {!gone && (
          <button type="button" onClick={reload}>
            {t("tryAgain")}
          </button>
        )}
        <BackToMap />
      </div>
    );
  }
  if (!cluster) return <p>{t("loading")}</p>;
  return (
    <article class="page cluster-page" data-cluster-id={cluster.id}>
      <h1>{title}</h1>
      <section class="card">
        <ClusterSummary cluster={cluster} at={cluster} flag={cluster.workOrder?.flag} />
        <SensorSummary sensor={cluster.sensor} />
        {cluster.rating && (
          <p data-testid="rating-average">
            {t("ratingSatisfied", {
              satisfied: cluster.rating.satisfied,
              n: cluster.rating.count,
              share: percent(cluster.rating.satisfiedShare),
              average: cluster.rating.average.toLocaleString(lang, { maximumFractionDigits: 1 }),
            })}
          </p>
        )}
        {/* Merged, its reports and counts are the other problem's ("what next" links to it). A spot
            phones confirmed reaches the threshold on its own: "1 of 3 needed" would be untrue. Fixed
            or closed, nothing: "it has gone to the department" would read as where it stands, and
            the count is said above. */}
        {cluster.state === "merged" ? null : cluster.sensor &&
          cluster.workOrder &&
          cluster.reporters < cluster.threshold ? (
          <p data-testid="sensor-dispatched">{t("sensorDispatched", { n: cluster.threshold })}</p>
        ) : cluster.workOrder?.status === "resolved" ||
          cluster.workOrder?.status === "closed" ? null : cluster.workOrder ? (
          // Already sent: "it goes to a department once 3 have reported it" would speak of the past as
          // to come. Nor is the threshold said: it is the service's now, which may have changed since.
          <p data-testid="progress-sent">
            {/* Sent back by its department, it waits to be routed again: no longer "gone to the department". */}
            {t(unrouted(cluster.workOrder) ? "progressUnrouted" : "progressSent", { n: cluster.reporters })}
          </p>
        ) : (
          <>
            {/* Past its window, or withdrawn, it never goes: what happens next says so. */}
            {lapsed === null && !withdrawn && <p>{t("threshold", { n: cluster.threshold })}</p>}
            <p>
              <label for="progress">
                {t("progress", { n: cluster.reporters, threshold: cluster.threshold })}
              </label>{" "}
              <progress
                id="progress"
                max={cluster.threshold}
                value={Math.min(cluster.reporters, cluster.threshold)}
              />
            </p>
          </>
        )}
        <p>
          <Link class="standalone" href={`/?lat=${cluster.lat}&lon=${cluster.lon}&z=17`}>
            {t("backToMap")}
          </Link>
        </p>
      </section>
      {cluster.state !== "merged" && <SeeItToo cluster={cluster} />}
      <WhatsNext cluster={cluster} />
      {/* Followed, a merged problem would never be heard of again: its news is the other's. */}
      {cluster.state !== "merged" && <FollowForm clusterId={cluster.id} />}
      {cluster.descriptions.length > 0 && (
        <section aria-labelledby="said-title">
          <h2 id="said-title">{t("residentsWrote")}</h2>
          <ul class="said-list">
            {cluster.descriptions.map((d) => (
              <li key={d.id}>
                <p class="description" lang={wordsLang(d.text)}>
                  {d.text}
                </p>
                <time class="muted" dateTime={d.at}>
                  {formatAge(d.at)}
                </time>
                <FlagItem target="report" id={d.id} words={d.text} />
              </li>
            ))}
          </ul>
        </section>
      )}
      {/* A department that sent it back owes nothing: its deadlines are no one's until it is routed again. */}
      {cluster.workOrder && cluster.state !== "merged" && !unrouted(cluster.workOrder) && (
        <Deadlines workOrder={cluster.workOrder} />
      )}
      <Photos by={{ cluster: cluster.id }} flaggable />
      <section aria-labelledby="timeline-title">
        <h2 id="timeline-title">{t("timeline")}</h2>
        <Timeline events={cluster.timeline} flags />
      </section>
    </article>
  );
}
