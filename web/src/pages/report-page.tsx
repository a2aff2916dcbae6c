import { useEffect, useState } from "preact/hooks";
import { ApiError, api, ok } from "../api/client";
import type { ClusterDetail } from "../api/types";
import { useCatalog, useNames } from "../catalog";
import { useI18n } from "../i18n/i18n";
import { myReports } from "../lib/device";
import { failureText } from "../lib/failure";
import { useFetch } from "../lib/use-fetch";
import { wordsLang } from "../lib/words-lang";
import { forgetSentNotice } from "../offline/outbox";
import { AttributeAnswers } from "../parts/attribute-answers";
import { ClusterSummary } from "../parts/cluster-summary";
import { FollowForm } from "../parts/follow-form";
import { FollowUp } from "../parts/follow-up";
import { KeepElsewhere, useReceiptFromLink } from "../parts/keep-elsewhere";
import { Photos } from "../parts/photos";
import { Timeline } from "../parts/timeline";
import { WhatsNext } from "../parts/whats-next";
import { Link } from "../router";

/**
 * A report (`/r/:id`), bookmarkable, with its cluster's status and timeline: the resident's own
 * where this device sent it (it holds the receipt), anyone's otherwise (report ids are public).
 */
export function ReportPage({ id }: { id: string }) {
  const { t, name, formatTime } = useI18n();
  const names = useNames();
  const { services } = useCatalog();
  const questionsOf = (code: string) => services.find((s) => s.code === code)?.attributes ?? [];
  const report = useFetch(() => ok(api.reports[":id"].$get({ param: { id } })), [id]);
  const clusterId = report.data?.report.clusterId ?? null;
  const cluster = useFetch(
    () => (clusterId ? ok(api.clusters[":id"].$get({ param: { id: clusterId } })) : Promise.resolve(null)),
    [clusterId],
  );
  // The cluster as the follow-up (a reopening, a rating) left it, until the page is loaded again.
  const [followed, setFollowed] = useState<{ report: string; cluster: ClusterDetail } | null>(null);
  const fromLink = useReceiptFromLink(id, report.data?.report);
  const mine = myReports().some((r) => r.id === id);
  const problem = cluster.data?.cluster;
  // Named by the gazetteer's nearest place ("Pothole near Wuyi Avenue, Furong District") when it has one.
  const where = problem?.place
    ? t(problem.place.near ? "clusterTitle" : "clusterTitleIn", {
        service: name(names.service(problem.service)),
        place: name(problem.place),
      })
    : null;
  const missing = report.error
    ? t(report.error instanceof ApiError && report.error.status === 404 ? "notFoundTitle" : "loadFailedTitle")
    : null;
  // Its page open, the outbox's "it went through" about it has been read.
  useEffect(() => {
    void forgetSentNotice(id).catch(() => {});
  }, [id]);
  useEffect(() => {
    document.title = missing
      ? `${missing} · ${t("appName")}`
      : `${where ? `${where} · ` : ""}${t(mine ? "reportTitle" : "reportTitleOther")} · ${t("appName")}`;
  }, [t, where, missing, mine]);

  if (report.error) {
    const gone = report.error instanceof ApiError && report.error.status === 404;
    return (
      <div class="page">
        <h1>{missing}</h1>
        <p role="alert">
          {gone ? t("notFound") : t("loadFailed", { message: failureText(report.error, t) })}
        </p>
        {/* A report's link pasted into a chat is easily cut short: not a dead end. */}
        {gone && (
          <p>
            {t("reportLinkCut")} <Link href="/mine">{t("navMine")}</Link> ·{" "}
            <Link href="/">{t("backToMap")}</Link>
          </p>
        )}
        {/* One's own report went through (this device keeps it): the page is only out of reach for now. */}
        {mine && !gone && <p class="card">{t("reportSaved")}</p>}
        {!gone && (
          <button type="button" onClick={report.reload}>
            {t("tryAgain")}
          </button>
        )}
      </div>
    );
  }
  const r = report.data?.report;
  if (!r) return <p>{t("loading")}</p>;
  const c = (followed?.report === id ? followed.cluster : null) ?? cluster.data?.cluster;
  return (
    <article class="page report-page" data-report-id={r.id}>
      {/* The place by name, not coordinates, in the heading too: the title alone is easily missed. */}
      <h1>
        {mine
          ? where
            ? t("reportTitleAt", { where })
            : t("reportTitle")
          : where
            ? t("reportTitleAtOther", { where })
            : t("reportTitleOther")}
      </h1>
      {fromLink && (
        <p class="card" role="status" data-testid="kept-from-link">
          {t(
            fromLink === "kept"
              ? "keptFromLink"
              : fromLink === "refused"
                ? "keptLinkRefused"
                : "keptLinkUnchecked",
          )}
        </p>
      )}
      {mine && <p class="card">{t("reportSaved")}</p>}
      {mine && <KeepElsewhere reportId={r.id} />}
      {/* Counted with those before it: "2 reports, 1 reporter" alone left the resident guessing. */}
      {mine && c?.firstReportAt && c.firstReportAt < r.createdAt && (
        <p data-testid="report-joined">{t("reportJoined", { n: c.reports })}</p>
      )}
      {c && <WhatsNext cluster={c} mine={mine} />}
      {/* Right after reporting, the resident is offered to hear what happens next. */}
      {mine && c && <FollowForm clusterId={c.id} />}
      <p>
        {name(names.service(r.service))} · {t("reportedAt", { time: formatTime(r.createdAt) })}
      </p>
      <h2>{t(mine ? "yourDescription" : "reporterDescription")}</h2>
      <p class="description" lang={wordsLang(r.description)}>
        {r.description}
      </p>
      <AttributeAnswers questions={questionsOf(r.service)} answers={r.attributes} mine={mine} />
      <Photos by={{ report: r.id }} />
      {/* A link, not an image: opening the page must not call another site on the reader's behalf. */}
      {r.mediaUrl && (
        <p>
          <a class="media-link" href={r.mediaUrl} rel="noopener noreferrer nofollow ugc" target="_blank">
            {t("mediaLink")}
          </a>
        </p>
      )}
      {c && (
        <section class="card" aria-labelledby="problem-title">
          <h2 id="problem-title">{t("problemStatus")}</h2>
          <ClusterSummary cluster={c} at={c} flag={c.workOrder?.flag} heading="h3" />
          <p>
            <Link href={`/c/${c.id}`}>{t("openPage")}</Link>
          </p>
          {/* The repair as the department photographed it, where the resident follows their report. */}
          <Photos by={{ cluster: c.id }} departmentOnly level="h3" />
          <h3>{t("timeline")}</h3>
          <Timeline events={c.timeline} />
        </section>
      )}
      {c && (
        <FollowUp
          key={r.id}
          reportId={r.id}
          cluster={c}
          onChange={(next) => setFollowed({ report: id, cluster: next })}
        />
      )}
    </article>
  );
}
