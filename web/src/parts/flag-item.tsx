import { useRef, useState } from "preact/hooks";
import { FLAG_REASONS, type FlagReason, type FlagTarget } from "../../../src/domain/moderation";
import { api, ok } from "../api/client";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { failureText } from "../lib/failure";
import { useFocusNext } from "../lib/use-focus-next";
import { wordsLang } from "../lib/words-lang";
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

/** Enough of a resident's words to tell them from the others', cut at a space where there is one. */
function firstWords(text: string, most = 40): string {
  const words = text.trim().replace(/\s+/g, " ");
  if (words.length <= most) return words;
  const space = words.lastIndexOf(" ", most);
  return `${words.slice(0, space > most / 2 ? space : most)}…`;
}

/**
 * "Report this to the moderators": a resident flags what another wrote or photographed, with a
 * reason. Nothing is hidden by a flag; the moderators decide (`POST /api/flags`). Given the
 * `words` flagged, a screen reader names them: a list of "Report these words" says which is which;
 * a photo, by `which` (its own name, "Photo 2 of this problem").
 */
export function FlagItem({
  target,
  id,
  words,
  which,
}: {
  target: FlagTarget;
  id: string;
  words?: string;
  which?: string;
}) {
  const { t } = useI18n();
  const quoted = words ? firstWords(words) : "";
  // Split around the words, so that they keep their own language inside the page's.
  const [before, after] = t("flagWhich", { words: "\u0000" }).split("\u0000");
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
      <summary>
        {t(SUMMARY[target])}
        {quoted && (
          <span class="visually-hidden">
            {before}
            <span lang={wordsLang(quoted)}>{quoted}</span>
            {after}
          </span>
        )}
        {which && <span class="visually-hidden">{t("flagOf", { which })}</span>}
      </summary>
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
