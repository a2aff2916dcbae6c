import { useState } from "preact/hooks";
import { api, ok } from "../api/client";
import { useI18n } from "../i18n/i18n";
import { receiptFor } from "../lib/device";
import { failureText } from "../lib/failure";
import { BusyButton } from "./busy-button";

/**
 * On a report this device sent (it holds the receipt): the resident's right to have the contact
 * details they left deleted (`POST /api/reports/:id/contact/erase`). The report itself stays.
 */
export function ForgetContact({ reportId }: { reportId: string }) {
  const { t } = useI18n();
  const receipt = receiptFor(reportId);
  const [busy, setBusy] = useState(false);
  const [said, setSaid] = useState<{ text: string; error: boolean } | null>(null);
  if (!receipt) return null;
  const forget = async () => {
    setBusy(true);
    setSaid(null);
    try {
      const { contact } = await ok(
        api.reports[":id"].contact.erase.$post({ param: { id: reportId }, json: { receipt } }),
      );
      setSaid({ text: t(contact.erased ? "contactErased" : "contactNoneKept"), error: false });
    } catch (e) {
      setSaid({ text: failureText(e, t), error: true });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="forget-contact-title">
      <h3 id="forget-contact-title">{t("forgetContactTitle")}</h3>
      <p>{t("forgetContactHelp")}</p>
      <BusyButton type="button" busy={busy} onClick={forget}>
        {t("forgetContact")}
      </BusyButton>
      <p role="status" class={said?.error ? "error" : undefined}>
        {said?.text ?? ""}
      </p>
    </section>
  );
}
