import { useEffect, useRef, useState } from "preact/hooks";
import { ApiError, api, ok } from "../api/client";
import { useI18n } from "../i18n/i18n";
import { receiptFor, rememberReport } from "../lib/device";

/**
 * The resident's report kept on another device: a private link with the report's receipt in its
 * fragment, which a browser never sends to a server (so it is in no log). Without it, the receipt
 * lived in one browser's storage only, and a phone changed or cleared could no longer rate the
 * outcome or say the problem is still there.
 */
export function KeepElsewhere({ reportId }: { reportId: string }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState(false);
  const field = useRef<HTMLInputElement>(null);
  const receipt = receiptFor(reportId);
  if (!receipt) return null;
  const link = `${location.origin}/r/${encodeURIComponent(reportId)}#receipt=${encodeURIComponent(receipt)}`;
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link);
      setCopied(true);
    } catch {
      // No clipboard here (a page not served over https): selected, for the phone's own copy.
      field.current?.select();
    }
  };
  return (
    <details class="card keep-elsewhere">
      <summary>{t("keepElsewhereTitle")}</summary>
      <p id="keep-elsewhere-help">{t("keepElsewhereHelp")}</p>
      <label for="keep-elsewhere-link">{t("keepElsewhereLink")}</label>
      <input
        id="keep-elsewhere-link"
        ref={field}
        class="url"
        readOnly
        value={link}
        aria-describedby="keep-elsewhere-help"
        onFocus={(e) => e.currentTarget.select()}
      />
      <button type="button" onClick={() => void copy()}>
        {t("copyLink")}
      </button>
      <span role="status">{copied ? ` ${t("copiedLink")}` : ""}</span>
    </details>
  );
}

/**
 * What a private link opened on this device did: kept the report here, found its receipt wrong,
 * or could not be checked now (offline, too many tries): the link then stays in the address.
 */
export type KeptFromLink = "kept" | "refused" | "unchecked" | null;

/**
 * A report's page opened by its private link: the receipt is checked with the server (reading
 * nothing of the report's contact) and kept with the report on this device. The fragment leaves
 * the address once the check has answered, so it is not bookmarked or shared further by
 * accident; a check without an answer leaves it, to be opened again.
 */
export function useReceiptFromLink(
  reportId: string,
  report: { clusterId: string | null; service: string; createdAt: string; description: string } | undefined,
): KeptFromLink {
  const [outcome, setOutcome] = useState<KeptFromLink>(null);
  useEffect(() => {
    const found = /^#receipt=([^&]{1,400})$/.exec(location.hash);
    if (!found?.[1] || !report?.clusterId) return;
    const clusterId = report.clusterId;
    let receipt: string;
    try {
      receipt = decodeURIComponent(found[1]);
    } catch {
      return; // Not a link this page made.
    }
    const settled = () => history.replaceState(history.state, "", `${location.pathname}${location.search}`);
    if (receiptFor(reportId) === receipt) {
      settled();
      return;
    }
    ok(api.reports[":id"].receipt.check.$post({ param: { id: reportId }, json: { receipt } })).then(
      () => {
        settled();
        rememberReport({
          id: reportId,
          clusterId,
          service: report.service,
          createdAt: report.createdAt,
          receipt,
          description: report.description.slice(0, 120),
        });
        setOutcome("kept");
      },
      (e: unknown) => {
        const refused = e instanceof ApiError && e.status === 403;
        if (refused) settled();
        setOutcome(refused ? "refused" : "unchecked");
      },
    );
  }, [reportId, report]);
  return outcome;
}
