import { useCatalog, useNames } from "../catalog";
import { useI18n } from "../i18n/i18n";
import { useRouting } from "../lib/use-routing";
import { BusyButton } from "../parts/busy-button";
import { Link } from "../router";
import type { Draft } from "./use-report-draft";

/**
 * Send: who will handle it (named before sending), the refusal that belongs to no field, the
 * button, and the live region that says what happens.
 */
export function SendStep({ draft }: { draft: Draft }) {
  const { t, name } = useI18n();
  const names = useNames();
  const service = useCatalog().services.find((s) => s.code === draft.service);
  const routing = useRouting(service?.code, draft.chosen ?? draft.point);
  const department = names.department(routing?.department);
  return (
    <>
      {routing && service && (
        <p class="card routing" data-department={routing.department ?? ""}>
          {routing.outsideServiceArea
            ? t("failOutsideCity")
            : department
              ? t("formRouting", { department: name(department), n: service.threshold })
              : t("formRoutingNone")}
        </p>
      )}
      {draft.failure ? <p class="error">{draft.failure}</p> : null}
      {draft.queued && !draft.sending ? (
        <p class="hint" id="kept-as-written">
          {t("keptAsWritten")}
        </p>
      ) : null}
      <BusyButton type="submit" class="primary" busy={draft.sending}>
        {draft.sending ? draft.status || t("sending") : t("submit")}
      </BusyButton>
      <p class="visually-hidden" role="status">
        {draft.status}
      </p>
      <p class="hint">
        <Link href="/privacy">{t("formPrivacy")}</Link>
      </p>
    </>
  );
}
