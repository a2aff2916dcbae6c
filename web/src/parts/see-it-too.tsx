import { useState } from "preact/hooks";
import { takesReports } from "../../../src/domain/states";
import { ApiError } from "../api/client";
import type { ClusterDetail } from "../api/types";
import { useCatalog } from "../catalog";
import { useI18n } from "../i18n/i18n";
import { myReports } from "../lib/device";
import { failureText } from "../lib/failure";
import { postReport } from "../report-form/send-report";
import { Link, navigate } from "../router";
import { BusyButton } from "./busy-button";

/**
 * "I see it too": files a report from this device at the problem's place, so it counts towards
 * sending the problem to a department (the same intake and identity rules as the form).
 */
export function SeeItToo({ cluster }: { cluster: ClusterDetail }) {
  const { t } = useI18n();
  const catalog = useCatalog();
  const windowDays = catalog.services.find((s) => s.code === cluster.service)?.windowDays;
  // Withdrawn by the city: a report would be refused. (A service newer than a kept catalogue is
  // in neither list: offered, and the server says.)
  const [refusedService, setRefusedService] = useState(false);
  const withdrawn = refusedService || catalog.retiredServices.some((s) => s.code === cluster.service);
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<unknown>(null);
  if (cluster.status === "resolved" || cluster.status === "closed") return null;
  if (myReports().some((r) => r.clusterId === cluster.id)) return <p class="muted">{t("seenAlready")}</p>;
  // A service the city no longer takes: the report would be refused, whatever the resident did.
  if (withdrawn)
    return (
      <p class="muted" data-testid="see-it-too-retired">
        {t("seeItTooRetired")}
      </p>
    );
  // Past the service's window a report here opens a problem of its own: "adds your report" would be untrue.
  if (windowDays !== undefined && !takesReports(cluster, windowDays, Date.now()))
    return (
      <p class="see-it-too" data-testid="see-it-too-closed">
        {t("seeItTooClosed", { n: windowDays })}{" "}
        <Link href={`/report?lat=${cluster.lat}&lon=${cluster.lon}&z=17`}>{t("seeItTooAfresh")}</Link>
      </p>
    );
  const send = async () => {
    setBusy(true);
    setProblem(null);
    try {
      const answer = await postReport({
        service: cluster.service,
        lat: cluster.lat,
        lon: cluster.lon,
        description: t("seeItTooWords"),
        source: "web",
      });
      navigate(`/r/${answer.report.id}`);
    } catch (e) {
      // Withdrawn since this page was drawn: said as a fresh page says it, not as a field to correct.
      if (e instanceof ApiError && e.code === "unknown_service") setRefusedService(true);
      else setProblem(e);
      setBusy(false);
    }
  };
  return (
    <p class="see-it-too">
      <BusyButton type="button" class="primary" onClick={send} busy={busy}>
        {t("seeItToo")}
      </BusyButton>{" "}
      <span class="hint">{t("seeItTooHelp")}</span>
      {problem != null && (
        <span class="error" role="alert">
          {" "}
          {t("serverSaid", { message: failureText(problem, t) })}
        </span>
      )}
    </p>
  );
}
