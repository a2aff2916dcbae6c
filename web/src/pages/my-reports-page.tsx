import { useEffect, useState } from "preact/hooks";
import { api, ok } from "../api/client";
import type { ClusterDetail } from "../api/types";
import { useNames } from "../catalog";
import { useI18n } from "../i18n/i18n";
import { MY_REPORTS_CHANGED, myReports } from "../lib/device";
import { useFetch } from "../lib/use-fetch";
import { wordsLang } from "../lib/words-lang";
import { useQueuedReports } from "../offline/use-queued-reports";
import { StatusBadge } from "../parts/status-badge";
import { Link } from "../router";

/** The newest reports whose problems' status and place are looked up (one request each). */
const LOOKED_UP = 30;

/**
 * The reports this browser sent, newest first; kept in localStorage, no account needed. Each row
 * says where its problem stands and where it is, so a resident sees at a glance what happened.
 */
export function MyReportsPage() {
  const { t, name, formatTime, formatAge } = useI18n();
  const names = useNames();
  // A report sent from the outbox while this page is open joins the list at once.
  const [, setChanges] = useState(0);
  useEffect(() => {
    const changed = () => setChanges((n) => n + 1);
    window.addEventListener(MY_REPORTS_CHANGED, changed);
    return () => window.removeEventListener(MY_REPORTS_CHANGED, changed);
  }, []);
  // Reports still waiting on this device (shown above, by the outbox): "none sent yet" says so.
  const waiting = useQueuedReports()[0].filter((r) => r.state === "waiting").length;
  const list = myReports();
  const ids = [...new Set(list.slice(0, LOOKED_UP).map((r) => r.clusterId))];
  const problems = useFetch(async () => {
    const found = await Promise.all(
      ids.map((id) =>
        ok(api.clusters[":id"].$get({ param: { id } })).then(
          (a) => a.cluster as ClusterDetail,
          () => null, // One that cannot be looked up (hidden, offline) leaves its row as it was.
        ),
      ),
    );
    return new Map(found.filter((c) => c !== null).map((c) => [c.id, c]));
  }, [ids.join(",")]);
  useEffect(() => {
    document.title = `${t("mineTitle")} · ${t("appName")}`;
  }, [t]);
  return (
    <div class="page">
      <h1>{t("mineTitle")}</h1>
      {list.length === 0 ? (
        <p>{t(waiting > 0 ? "mineEmptyWaiting" : "mineEmpty")}</p>
      ) : (
        <ul class="cluster-list">
          {list.map((r) => {
            const problem = problems.data?.get(r.clusterId);
            return (
              <li key={r.id} data-report-id={r.id}>
                <Link href={`/r/${r.id}`}>
                  {t("mineItem", { service: name(names.service(r.service)), time: formatTime(r.createdAt) })}
                </Link>
                {/* After a time that may already end in brackets ("（北京时间）"): a dot, not more brackets. */}
                <span class="muted"> · {formatAge(r.createdAt)}</span>
                {problem && (
                  <p class="mine-problem">
                    <StatusBadge status={problem.status} />
                    {problem.place && (
                      <> {t(problem.place.near ? "mineNear" : "mineIn", { place: name(problem.place) })}</>
                    )}
                  </p>
                )}
                {r.description && (
                  <p class="description said" lang={wordsLang(r.description)}>
                    {r.description}
                  </p>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
