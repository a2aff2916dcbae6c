import { useI18n } from "../i18n/i18n";
import type { Draft } from "./use-report-draft";

/** Send: the refusal that belongs to no field, the button, and the live region that says what happens. */
export function SendStep({ draft }: { draft: Draft }) {
  const { t } = useI18n();
  return (
    <>
      {draft.failure ? <p class="error">{draft.failure}</p> : null}
      <button type="submit" class="primary" disabled={draft.sending}>
        {draft.sending ? t("sending") : t("submit")}
      </button>
      <p class="visually-hidden" role="status">
        {draft.status}
      </p>
    </>
  );
}
