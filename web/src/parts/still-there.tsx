import type { ComponentChildren } from "preact";
import { useId, useRef, useState } from "preact/hooks";
import { ApiError, api, ok } from "../api/client";
import type { ClusterDetail } from "../api/types";
import { useI18n } from "../i18n/i18n";
import { failureText } from "../lib/failure";
import { useFocusNext } from "../lib/use-focus-next";
import { Link } from "../router";
import { BusyButton } from "./busy-button";

/**
 * "Still there?": reopens the resolved problem, then shows where it stands. A first tap only asks:
 * reopening sends the work back to the department, so it is confirmed, with an optional word on
 * what is still wrong.
 */
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
  const send = (note: string | undefined) =>
    ok(
      api.clusters[":id"].reopen.$post({
        param: { id: clusterId },
        json: note ? { receipt, note } : { receipt },
      }),
    );
  return (
    <section aria-labelledby="still-there-title">
      <h3 id="still-there-title">{t("stillThereTitle")}</h3>
      <p>{t("stillThereHelp")}</p>
      <StillThereForm
        ask={t("stillThere")}
        send={send}
        onReopened={onReopened}
        keptAs={`civicloop-still-there:${clusterId}`}
        refused={
          <>
            {t("stillThereRefused")} <Link href="/report">{t("navReport")}</Link>
          </>
        }
      />
    </section>
  );
}

/** The note kept under `key` in this tab (empty: none); storage refused, nothing is kept. */
function kept(key: string): string {
  try {
    return sessionStorage.getItem(key) ?? "";
  } catch {
    return "";
  }
}

function keep(key: string, note: string) {
  try {
    if (note) sessionStorage.setItem(key, note);
    else sessionStorage.removeItem(key);
  } catch {
    // A private window or a full storage: the note lives as long as the page.
  }
}

/**
 * The "still there" button, and the form it opens: a note (public) and a confirmation. `send`
 * reopens the problem; a refusal (too long after the fix, not theirs, said already) shows `refused`.
 */
export function StillThereForm({
  ask: askLabel,
  send,
  onReopened,
  refused: refusedWords,
  keptAs,
}: {
  ask: string;
  send: (note: string | undefined) => Promise<{ cluster: ClusterDetail | null }>;
  onReopened: (c: ClusterDetail) => void;
  refused: ComponentChildren;
  /** Where the tab keeps a note being written (sessionStorage), so a reload loses none of it. */
  keptAs?: string;
}) {
  const { t } = useI18n();
  const noteId = useId();
  const [note, setNoteState] = useState(() => (keptAs && kept(keptAs)) || "");
  // A note written before a reload reopens the form it was written in.
  const [asking, setAsking] = useState(note !== "");
  const setNote = (text: string) => {
    setNoteState(text);
    if (keptAs) keep(keptAs, text);
  };
  const [busy, setBusy] = useState(false);
  const [refused, setRefused] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  // The button and the form replace each other: focus goes to the note, or back to the button.
  const focusNext = useFocusNext();
  const ask = useRef<HTMLButtonElement>(null);
  const noteField = useRef<HTMLTextAreaElement>(null);
  const refusal = useRef<HTMLParagraphElement>(null);
  const setAskingFocused = (on: boolean) => {
    focusNext(() => (on ? noteField : ask).current);
    setAsking(on);
  };
  const reopen = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setRefused(false);
    setProblem(null);
    try {
      const { cluster } = await send(note.trim() || undefined);
      if (keptAs) keep(keptAs, "");
      // The answer types the cluster as possibly gone; one just reopened is there.
      if (cluster) onReopened(cluster);
    } catch (err) {
      // Too long after the fix, or it changed meanwhile: either way a new report is the way on.
      // Anything else (no answer, too many tries, a word refused) can be tried again.
      if (err instanceof ApiError && (err.status === 409 || err.status === 403)) {
        // Refused for good: a reload does not offer the note again.
        if (keptAs) keep(keptAs, "");
        focusNext(() => refusal.current);
        setRefused(true);
      } else setProblem(failureText(err, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      {!asking && !refused && (
        <button type="button" ref={ask} onClick={() => setAskingFocused(true)}>
          {askLabel}
        </button>
      )}
      {asking && !refused && (
        <form class="still-there-form" onSubmit={reopen} noValidate>
          <label for={noteId}>
            {t("stillThereNote")} <span class="hint">{t("stillThereNoteHelp")}</span>
          </label>
          <textarea
            ref={noteField}
            id={noteId}
            rows={3}
            maxLength={1000}
            value={note}
            onInput={(e) => setNote(e.currentTarget.value)}
          />
          {problem && (
            <p class="error" role="alert">
              {problem}
            </p>
          )}
          <div class="actions">
            <BusyButton type="submit" class="primary" busy={busy}>
              {t("stillThereConfirm")}
            </BusyButton>{" "}
            <BusyButton
              type="button"
              busy={busy}
              onClick={() => {
                // Let go of: a reload does not open it again.
                if (keptAs) keep(keptAs, "");
                setAskingFocused(false);
              }}
            >
              {t("stillThereCancel")}
            </BusyButton>
          </div>
        </form>
      )}
      {refused && (
        <p class="error" role="alert" ref={refusal} tabIndex={-1}>
          {refusedWords}
        </p>
      )}
    </>
  );
}
