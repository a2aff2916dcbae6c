import { useState } from "preact/hooks";
import { api, ok } from "../api/client";
import type { ClusterDetail } from "../api/types";
import { useI18n } from "../i18n/i18n";
import { Link } from "../router";

/** "Still there?": reopens the resolved problem, then shows where it stands. */
export function StillThere({
  clusterId,
  receipt,
  onReopened,
}: {
  clusterId: string;
  /** This device's receipt for a report of the problem: only its reporters may reopen it. */
  receipt: string;
  onReopened: (c: ClusterDetail) => void;
}) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [refused, setRefused] = useState(false);
  const reopen = async () => {
    setBusy(true);
    setRefused(false);
    try {
      const { cluster } = await ok(
        api.clusters[":id"].reopen.$post({ param: { id: clusterId }, json: { receipt } }),
      );
      // The answer types the cluster as possibly gone; one just reopened is there.
      if (cluster) onReopened(cluster);
    } catch {
      // Too long after the fix, or it changed meanwhile: either way a new report is the way on.
      setRefused(true);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="still-there-title">
      <h3 id="still-there-title">{t("stillThereTitle")}</h3>
      <p>{t("stillThereHelp")}</p>
      <button type="button" onClick={reopen} disabled={busy}>
        {t("stillThere")}
      </button>
      {refused && (
        <p class="error" role="alert">
          {t("stillThereRefused")} <Link href="/report">{t("navReport")}</Link>
        </p>
      )}
    </section>
  );
}
