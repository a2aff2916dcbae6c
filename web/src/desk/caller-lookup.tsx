import { useEffect, useRef, useState } from "preact/hooks";
import { type api, ok } from "../api/client";
import type { ClusterDetail } from "../api/types";
import { useNames } from "../catalog";
import { useI18n } from "../i18n/i18n";
import { deadlineWords } from "../lib/deadline-words";
import { failureText } from "../lib/failure";
import { FLAG_LABEL, WORK_ORDER_LABEL } from "../lib/status";
import { useFocusNext } from "../lib/use-focus-next";
import { wordsLang } from "../lib/words-lang";
import { StillThereForm } from "../parts/still-there";
import { useDeskText } from "./desk-messages";
import { EraseCallerContact } from "./erase-contact";

/** A look-up's answer, with the number it answers and which look-up it was (each starts the form afresh). */
type CallerReports = Awaited<ReturnType<typeof loadReports>> & { phone: string; looked: number };
const loadReports = (client: typeof api, phone: string) =>
  ok(client.desk.callers.reports.$get({ query: { phone } }));

/** "What happened to my complaint?": a caller's earlier reports by their phone number. */
export function CallerLookup({ client, phone: initial }: { client: typeof api; phone: string }) {
  const d = useDeskText();
  const { t, name, formatTime } = useI18n();
  const names = useNames();
  const [phone, setPhone] = useState(initial);
  const [found, setFound] = useState<CallerReports | null>(null);
  const [error, setError] = useState<string | null>(null);
  // Only the latest lookup's answer is shown: a slower earlier one never lists another caller's reports.
  const asked = useRef(0);
  const look = async (number = phone) => {
    const mine = ++asked.current;
    setError(null);
    try {
      const answer = await loadReports(client, number.trim());
      // Kept with the number it answers: "still there" is said for that caller, whatever is typed since.
      if (mine === asked.current) setFound({ ...answer, phone: number.trim(), looked: mine });
    } catch (err) {
      if (mine !== asked.current) return;
      setFound(null);
      setError(failureText(err, t));
    }
  };
  const submit = (e: Event) => {
    e.preventDefault();
    setDone(null);
    void look();
  };
  // A caller who reported it says the fixed problem is still there: reopened for them.
  const [done, setDone] = useState<string | null>(null);
  const focusNext = useFocusNext();
  const doneRef = useRef<HTMLParagraphElement>(null);
  const reopen = (phone: string, id: string, note: string | undefined) =>
    ok(client.desk.clusters[":id"].reopen.$post({ param: { id }, json: note ? { phone, note } : { phone } }));
  const reopened = (c: ClusterDetail) => {
    const code = c.workOrder?.department;
    setDone(d("reopened", { department: code ? name(names.department(code)) : "" }));
    focusNext(() => doneRef.current);
    if (found) void look(found.phone);
  };
  // Opened with the number just filed: its reports are shown at once, the new one among them.
  useEffect(() => {
    if (initial) void look(initial);
  }, []);
  // A repeat caller's problem is offered once, at their latest report of it (the list is newest first).
  const newestOf = new Map<string, string>();
  for (const r of found?.reports ?? [])
    if (r.clusterId && !newestOf.has(r.clusterId)) newestOf.set(r.clusterId, r.id);
  return (
    <section class="card" aria-labelledby="lookup-title">
      <h2 id="lookup-title">{d("lookupTitle")}</h2>
      <form onSubmit={submit} class="row">
        <label>
          {d("lookupPhone")}
          <input
            type="tel"
            name="lookup-phone"
            value={phone}
            onInput={(e) => setPhone(e.currentTarget.value)}
          />
        </label>
        <button type="submit">{d("lookup")}</button>
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {done && (
        <p class="notice" role="status" tabIndex={-1} ref={doneRef} data-testid="desk-reopened">
          {done}
        </p>
      )}
      <div role="status">
        {found &&
          (found.reports.length === 0 ? (
            <p>{d("none")}</p>
          ) : (
            <ul class="caller-reports" data-testid="caller-reports">
              {found.reports.map((r) => (
                <li key={r.id}>
                  <time dateTime={r.createdAt}>{formatTime(r.createdAt)}</time> ·{" "}
                  {name(names.service(r.service))} ·{" "}
                  <strong>
                    {r.workOrder ? t(WORK_ORDER_LABEL[r.workOrder.status]) : d("waitingStatus")}
                  </strong>
                  {r.workOrder?.department && <> · {name(names.department(r.workOrder.department))}</>}
                  {r.place && <> · {name(r.place)}</>}
                  {/* What the caller asks next: by when, and whether it is late. */}
                  {r.workOrder?.nextDeadline && (
                    <>
                      <br />
                      {r.workOrder.flag !== "none" && (
                        <>
                          <span class={`flag flag-${r.workOrder.flag}`} data-flag={r.workOrder.flag}>
                            {t(FLAG_LABEL[r.workOrder.flag])}
                          </span>{" "}
                        </>
                      )}
                      <span class="muted">{deadlineWords(r.workOrder.nextDeadline, t, formatTime)}</span>
                    </>
                  )}
                  <br />
                  <span class="description" lang={wordsLang(r.description)}>
                    {r.description}
                  </span>
                  {r.hidden && <span class="muted"> {d("hiddenWords")}</span>}
                  {r.reopenableUntil && r.clusterId && r.id === newestOf.get(r.clusterId) && (
                    <div class="still-there">
                      <span class="muted">
                        {d("stillThereUntil", { time: formatTime(r.reopenableUntil) })}
                      </span>{" "}
                      <StillThereForm
                        ask={d("stillThere")}
                        send={(note) => reopen(found.phone, r.clusterId as string, note)}
                        onReopened={reopened}
                        refused={d("stillThereRefused")}
                      />
                    </div>
                  )}
                </li>
              ))}
            </ul>
          ))}
      </div>
      {/* Outside the list's live region: its own outcome is said once, not with the list. */}
      {found && found.reports.length > 0 && (
        <EraseCallerContact key={found.looked} client={client} phone={found.phone} />
      )}
    </section>
  );
}
