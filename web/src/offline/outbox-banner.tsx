import { useEffect, useState } from "preact/hooks";
import { useI18n } from "../i18n/i18n";
import { failureText } from "../lib/failure";
import { BusyButton } from "../parts/busy-button";
import {
  formHasDraft,
  holdReopened,
  reopenedHere,
  reopenedLock,
  reopenInForm,
} from "../report-form/use-report-draft";
import { Link, navigate } from "../router";
import { announceOutboxChange, flushFromPage, isSending, startOutbox } from "./outbox";
import { useOutboxText } from "./outbox-messages";
import { refusalError } from "./outbox-send";
import { deleteQueued, getQueued, listQueued, type QueuedReport } from "./outbox-store";
import { useQueuedReports } from "./use-queued-reports";

/** Why the server refused it, in the page's words as the form would say it (the server's are English). */
const refusal = (p: NonNullable<QueuedReport["problem"]>, t: Parameters<typeof failureText>[1]) =>
  failureText(refusalError(p), t);

const snippet = (r: QueuedReport) =>
  r.draft.description.length > 60 ? `${r.draft.description.slice(0, 60)}…` : r.draft.description;

/**
 * What waits on this device to be sent, on every page: "waiting to send", then "it went through"
 * (with a link to the report) or why it was refused, until the resident says OK. It also starts
 * the sending (at app start and when the connection returns).
 */
export function OutboxBanner() {
  const t = useOutboxText();
  const { t: words, formatTime } = useI18n();
  const [records, setRecords] = useQueuedReports();
  useEffect(() => startOutbox(), []);
  // A reload keeps the tab's form, and with it the refused report it is correcting.
  useEffect(() => holdReopened(), []);
  const elsewhere = useCorrectedElsewhere(records);

  const [notSent, setNotSent] = useState(false);
  const waiting = records.filter((r) => r.state === "waiting");
  // The server asked to wait (too many requests): not a connection to wait for.
  const waitUntil = Math.max(0, ...waiting.map((r) => r.waitUntil ?? 0));
  // Not "waiting for the connection" while it is going out (a slow network, the form's own send).
  const sending = waiting.some((r) => isSending(r.id));
  const sendAgain = async () => {
    setNotSent(false);
    await flushFromPage();
    // Still there: say so, as a tap with no connection would otherwise seem to do nothing.
    setNotSent((await listQueued()).some((r) => r.state === "waiting"));
  };
  // The form's own successes lead straight to the report; only ones sent later are announced.
  // Not the refused report this tab's form is correcting: the form holds it.
  const done = records.filter((r) => r.state !== "waiting" && r.id !== reopenedHere());
  const dismiss = (r: QueuedReport) =>
    void deleteQueued(r.id).then(() => {
      setRecords((all) => all.filter((x) => x.id !== r.id));
      announceOutboxChange();
    });
  // A refused report goes back into the form to be corrected: dismissed, it was gone for good.
  const [reopening, setReopening] = useState(false);
  /** The refused report whose reopening would replace one being written: asked first. */
  const [asking, setAsking] = useState<string | null>(null);
  const reopen = async (r: QueuedReport, replace = false) => {
    if (!replace && (await formHasDraft())) {
      setAsking(r.id);
      return;
    }
    setAsking(null);
    setReopening(true);
    try {
      // Kept on the device until the corrected report is safe in its place (`forgetReopened`):
      // the form's words last only as long as the tab.
      const record = await getQueued(r.id);
      if (!record) {
        setRecords((all) => all.filter((x) => x.id !== r.id));
        return;
      }
      try {
        await reopenInForm(record.draft, record.photos, record.problem, record.id);
      } catch {
        // Storage refused it: the notice stays, with the report, as it was.
        return;
      }
      setRecords((all) => all.filter((x) => x.id !== r.id));
      announceOutboxChange();
      // A form already open keeps its own state: it reads the reopened one on a fresh load (of
      // the form alone: a map's place in its address would be taken over the report's).
      if (location.pathname === "/report") location.assign("/report");
      else navigate("/report");
    } finally {
      setReopening(false);
    }
  };
  if (records.length === 0) return <div class="outbox" role="status" />;
  return (
    <div class="outbox" role="status" data-waiting={waiting.length}>
      {waiting.length > 0 && (
        <div class="card outbox-waiting">
          <p>
            {sending
              ? t("sending")
              : notSent
                ? t("notSent")
                : waiting.length === 1
                  ? t("waitingSingle")
                  : t("waiting", { n: waiting.length })}
            {waitUntil > Date.now() &&
              ` ${t("waitingBusy", { time: formatTime(new Date(waitUntil).toISOString()) })}`}
          </p>
          <ul>
            {waiting.map((r) => (
              <li key={r.id}>{t("waitingOne", { text: snippet(r) })}</li>
            ))}
          </ul>
          <BusyButton type="button" busy={sending} onClick={() => void sendAgain()}>
            {sending ? t("sendingButton") : t("sendNow")}
          </BusyButton>
        </div>
      )}
      {done.map((r) => (
        <div key={r.id} class="card outbox-done" data-state={r.state}>
          <p>
            {r.state === "sent"
              ? t("sent", { text: snippet(r) })
              : t("refused", { text: snippet(r), message: r.problem ? refusal(r.problem, words) : "" })}{" "}
            {r.answer && <Link href={`/r/${r.answer.reportId}`}>{t("sentLink")}</Link>}
          </p>
          {elsewhere.has(r.id) && <p data-testid="correcting-elsewhere">{t("correctingElsewhere")}</p>}
          {/* Editing cannot undo a refusal of who sent it (a block, a key). */}
          {r.state === "refused" &&
            !elsewhere.has(r.id) &&
            r.problem?.status !== 401 &&
            r.problem?.status !== 403 && (
              <BusyButton type="button" busy={reopening} onClick={() => void reopen(r)}>
                {t("reopen")}
              </BusyButton>
            )}{" "}
          {asking === r.id && (
            <div class="card" role="alertdialog" aria-labelledby={`replace-${r.id}`}>
              <p id={`replace-${r.id}`}>{t("reopenReplaces")}</p>
              <p class="row">
                <button type="button" onClick={() => void reopen(r, true)}>
                  {t("reopenReplace")}
                </button>
                <button type="button" onClick={() => setAsking(null)}>
                  {t("reopenKeepMine")}
                </button>
              </p>
            </div>
          )}
          <button type="button" class="link" onClick={() => dismiss(r)}>
            {r.state === "refused" ? t("discard") : t("dismiss")}
          </button>
        </div>
      ))}
    </div>
  );
}

/** The refused reports another tab's form is correcting (it holds their lock), read again as the records change. */
function useCorrectedElsewhere(records: QueuedReport[]): Set<string> {
  const [held, setHeld] = useState<Set<string>>(new Set());
  useEffect(() => {
    const locks = (navigator as Navigator & { locks?: LockManager }).locks;
    const refused = records.filter((r) => r.state === "refused");
    if (!locks || refused.length === 0) return;
    let live = true;
    void locks.query().then((state) => {
      const names = new Set((state.held ?? []).map((l) => l.name));
      const mine = reopenedHere();
      if (live)
        setHeld(
          new Set(refused.filter((r) => r.id !== mine && names.has(reopenedLock(r.id))).map((r) => r.id)),
        );
    });
    return () => {
      live = false;
    };
  }, [records]);
  return held;
}
