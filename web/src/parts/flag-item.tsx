import { useRef, useState } from "preact/hooks";
import { FLAG_REASONS, type FlagReason, type FlagTarget } from "../../../src/domain/moderation";
import { api, ok } from "../api/client";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { failureText } from "../lib/failure";
import { useFocusNext } from "../lib/use-focus-next";
import { BusyButton } from "./busy-button";

const REASON_WORDS: Record<FlagReason, MessageKey> = {
  offensive: "flagOffensive",
  personal_data: "flagPersonalData",
  spam: "flagSpam",
};

const SUMMARY: Record<FlagTarget, MessageKey> = {
  report: "flagReport",
  photo: "flagPhoto",
  note: "flagNote",
};

/**
 * "Report this to the moderators": a resident flags what another wrote or photographed, with a
 * reason. Nothing is hidden by a flag; the moderators decide (`POST /api/flags`).
 */
export function FlagItem({ target, id }: { target: FlagTarget; id: string }) {
  const { t } = useI18n();
  const [reason, setReason] = useState<FlagReason | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  // The form is replaced by the thank-you: focus goes there, not to the page's body.
  const focusNext = useFocusNext();
  const thanks = useRef<HTMLParagraphElement>(null);
  const name = `flag-${target}-${id}`;
  const send = async (e: Event) => {
    e.preventDefault();
    if (!reason) return setProblem(t("flagChoose"));
    setBusy(true);
    setProblem(null);
    try {
      await ok(api.flags.$post({ json: { target, id, reason } }));
      focusNext(() => thanks.current);
      setDone(true);
    } catch (err) {
      setProblem(failureText(err, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <details class="flag-item" data-flag-item={`${target}:${id}`}>
      <summary>{t(SUMMARY[target])}</summary>
      {done ? (
        <p role="status" ref={thanks} tabIndex={-1}>
          {t("flagThanks")}
        </p>
      ) : (
        <form onSubmit={send} noValidate>
          <fieldset aria-describedby={problem ? `${name}-problem` : undefined}>
            <legend>{t("flagWhy")}</legend>
            {FLAG_REASONS.map((r) => (
              <label key={r}>
                <input
                  type="radio"
                  name={name}
                  value={r}
                  checked={reason === r}
                  onChange={() => setReason(r)}
                />{" "}
                {t(REASON_WORDS[r])}
              </label>
            ))}
          </fieldset>
          <BusyButton type="submit" busy={busy}>
            {t("flagSend")}
          </BusyButton>
          {problem && (
            <p id={`${name}-problem`} class="error" role="alert">
              {problem}
            </p>
          )}
        </form>
      )}
    </details>
  );
}
