import { useEffect, useLayoutEffect, useRef, useState } from "preact/hooks";
import { cityClock, fromCityClock } from "../../../src/domain/city-time";
import { FINISHED_STATUSES } from "../../../src/domain/next-words";
import type { WorkOrderStatus } from "../../../src/domain/states";
import { ApiError, type api, ok } from "../api/client";
import type { WorkOrderDetail } from "../api/types";
import { useCatalog, useNames } from "../catalog";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { deadlineWords } from "../lib/deadline-words";
import { randomHex } from "../lib/device";
import { eventWordOf } from "../lib/event-words";
import { failureText } from "../lib/failure";
import { keepPhotos, useKeptPhotos } from "../lib/kept-photos";
import { ACCEPTED_TYPES } from "../lib/photo-shrink";
import { problemIdOf } from "../lib/problem-id";
import { FLAG_LABEL, MOVE_LABEL, WORK_ORDER_LABEL } from "../lib/status";
import { uploadPhotos } from "../lib/upload-photos";
import { useFocusNext } from "../lib/use-focus-next";
import { wordsLang } from "../lib/words-lang";
import { AnswerList } from "../parts/attribute-answers";
import { BusyButton } from "../parts/busy-button";
import { PhotoPicker } from "../parts/photo-picker";
import { Photos } from "../parts/photos";
import { ACTOR, Timeline } from "../parts/timeline";
import { Link } from "../router";
import { DispatchState } from "./dispatch-state";
import { readDraft, saveDraft } from "./drafts";

/** One work order: its residents' reports, photos and timeline, and the moves it allows now. */
/** The fields a move checks before it is sent. */
type WrongField = "note" | "date" | "original";
/** The API's names of those fields, as a refusal names them. */
const FIELD_OF: Record<string, WrongField> = {
  note: "note",
  reason: "note",
  scheduledFor: "date",
  duplicateOf: "original",
};

export function WorkOrderPanel(props: {
  client: typeof api;
  id: string;
  onMoved: () => void;
  /** Back to the list (the browser's Back does the same). */
  onClose: () => void;
  /** Bumped by the list's refreshes: the panel reads its work order again. */
  round: number;
  /** A viewer's: no moves, no notes. */
  readOnly?: boolean;
  /** An admin's: a dispatch that gave up can be sent again from here. */
  canRetry?: boolean;
}) {
  const { client, id, onMoved, onClose, round: outer, readOnly = false, canRetry = false } = props;
  const { t, name, formatTime, formatDay } = useI18n();
  const names = useNames();
  const historyLabel = (action: string) => {
    if (action in WORK_ORDER_LABEL) return t(WORK_ORDER_LABEL[action as WorkOrderStatus]);
    const own = eventWordOf(action);
    return own ? t(own) : action.replaceAll("_", " ");
  };
  // No staff member did it: the history names the event's actor (`system`, `resident`) instead.
  // A department's token acts under the department's English name: said in the page's language.
  const { departments } = useCatalog();
  // The bootstrap token acts as "ADMIN_TOKEN" (its name in the audit trail): the page says administrator.
  const byName = (n: string) =>
    n === "ADMIN_TOKEN"
      ? t("actorAdmin")
      : Object.hasOwn(ACTOR, n)
        ? t(ACTOR[n] as MessageKey)
        : name(departments.find((d) => d.name.en === n)?.name) || n;
  const [detail, setDetail] = useState<WorkOrderDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The field the error is about, if one is.
  const [wrong, setWrong] = useState<WrongField | null>(null);
  const focusNext = useFocusNext();
  /** A checked field's marks: wrong, it is invalid and described by the error too (`hints` first). */
  const wrongProps = (field: WrongField, hints?: string) => {
    const isWrong = wrong === field && error !== null;
    const described = [hints, isWrong ? "wo-error" : undefined].filter(Boolean).join(" ");
    return {
      "data-field": field,
      "aria-invalid": isWrong || undefined,
      "aria-describedby": described || undefined,
    };
  };
  const [kept] = useState(() => readDraft(id));
  const [note, setNote] = useState(kept.note);
  const [date, setDate] = useState(kept.date);
  const [original, setOriginal] = useState(kept.original);
  // Changed, the field found wrong is no longer so: the error goes with its mark, as it is typed
  // into (in an effect, a frame later, the field was still described by it); another field's
  // change leaves them.
  const typed =
    (field: WrongField, set: (value: string) => void) => (e: { currentTarget: { value: string } }) => {
      set(e.currentTarget.value);
      if (wrong !== field) return;
      setWrong(null);
      setError(null);
    };
  const [announce, setAnnounce] = useState("");
  const [round, setRound] = useState(0);
  // Rejected here and sent on by the city at once (another department's area fits): no longer
  // this department's to read, which its reload's 404 says; the move itself went through.
  const rejected = useRef(false);
  // Read here once: a 404 since says it left this department (the city rerouted or merged it
  // meanwhile), not that the link is wrong.
  const readHere = useRef(false);
  const [handedOn, setHandedOn] = useState<"rejected" | "elsewhere" | null>(null);
  const [photos, setPhotos] = useState<File[]>([]);
  const [internal, setInternal] = useState(kept.internal);
  // Kept with the draft until the note is added: a retry after a lost answer, even after a reload
  // or another work order opened meanwhile, adds none.
  const [internalKey, setInternalKey] = useState(kept.internalKey);
  const [fixture, setFixture] = useState(false);
  // Reject is final and its reason public: asked once more before it is sent.
  const [confirmingReject, setConfirmingReject] = useState(false);
  // One request at a time: a second tap while the first is on its way is the same tap.
  const busy = useRef(false);
  /**
   * The last move sent and not yet answered: its words and photos, its `Idempotency-Key` and the
   * photos' ids once uploaded. The same move tapped again (its answer lost on a weak connection)
   * goes with the same key and photos, so the server answers it without moving it twice.
   */
  const lastMove = useRef<{ sig: string; photos: File[]; key: string; photoIds?: string[] } | null>(null);
  /** A move on its way, said on the screen: with a phone's photo on slow data it takes most of a minute. */
  const [moving, setMoving] = useState<{ photos: number } | null>(null);
  const confirmYes = useRef<HTMLButtonElement>(null);
  useLayoutEffect(() => {
    if (confirmingReject) confirmYes.current?.focus();
  }, [confirmingReject]);
  // Saved in the render of each keystroke: a passive effect waits a frame, and a reload in it lost the last one.
  useLayoutEffect(
    () => saveDraft(id, { note, date, original, internal, internalKey }),
    [id, note, date, original, internal, internalKey],
  );
  const photosForm = `work-order/${id}`;
  useKeptPhotos(photosForm, photos, (kept) => setPhotos((chosen) => (chosen.length > 0 ? chosen : kept)));

  useEffect(() => {
    let current = true;
    ok(client.department["work-orders"][":id"].$get({ param: { id } }))
      .then((d) => {
        if (!current) return;
        setDetail(d);
        readHere.current = true;
        // Routed back to this department meanwhile: its own again, with its buttons.
        setHandedOn(null);
      })
      .catch((e: unknown) => {
        if (!current) return;
        if ((rejected.current || readHere.current) && e instanceof ApiError && e.status === 404)
          setHandedOn(rejected.current ? "rejected" : "elsewhere");
        else setError(failureText(e, t));
      });
    return () => {
      current = false;
    };
  }, [client, id, round, outer]);
  // Opened below the list: take focus there, which brings it into view (1366×768 would leave it
  // under the fold) and puts keyboard and screen-reader users at its heading.
  const heading = useRef<HTMLHeadingElement>(null);
  const shownId = detail?.workOrder.id;
  useLayoutEffect(() => {
    if (shownId !== id) return;
    heading.current?.focus();
    heading.current?.scrollIntoView?.({ block: "start" });
  }, [id, shownId]);
  // Drawn anew without its buttons: the keyboard, and a screen reader, go to what happened (the
  // heading had the focus already, and a status region drawn with its words is seldom read).
  const handedOnWords = useRef<HTMLParagraphElement>(null);
  useLayoutEffect(() => {
    if (handedOn) handedOnWords.current?.focus();
  }, [handedOn]);

  /** A field left wrong: said, tied to the field (aria-describedby) and given the keyboard. */
  const fieldWrong = (field: WrongField, message: string) => {
    setError(message);
    setWrong(field);
    focusNext(() => document.querySelector<HTMLElement>(`.wo-panel [data-field="${field}"]`));
  };
  const move = async (to: WorkOrderStatus) => {
    if (busy.current) return;
    setError(null);
    setWrong(null);
    // The last move's "done" is not this one's: left, it read beside this one's failure.
    setAnnounce("");
    if (to === "scheduled" && !date) return fieldWrong("date", t("needDate"));
    // Typed, a date skips the picker's minimum: a plan for a past day would show as one on the public page.
    if (to === "scheduled" && date < cityClock(Date.now()).slice(0, 10))
      return fieldWrong("date", t("datePast"));
    if (to === "rejected" && !note.trim()) return fieldWrong("note", t("needReason"));
    const duplicateOf = problemIdOf(original);
    if (to === "duplicate" && !duplicateOf) return fieldWrong("original", t("needDuplicate"));
    if (to === "rejected" && !confirmingReject) return setConfirmingReject(true);
    setConfirmingReject(false);
    const sent = () => {
      // Sent: no draft any more, written at once (the panel may be closed before the state's effect runs).
      lastMove.current = null;
      saveDraft(id, { note: "", date: "", original: "", internal, internalKey });
      void keepPhotos(photosForm, []);
      setNote("");
      setDate("");
      setOriginal("");
      setPhotos([]);
      setAnnounce(t("moved", { status: t(WORK_ORDER_LABEL[to]) }));
      rejected.current = to === "rejected";
      setRound((r) => r + 1);
      onMoved();
      // The button pressed is gone with the status it moved from: the keyboard goes on from the heading.
      heading.current?.focus();
    };
    busy.current = true;
    setMoving({ photos: photos.length });
    const json = {
      to,
      ...(note.trim() ? (to === "rejected" ? { reason: note.trim() } : { note: note.trim() }) : {}),
      // Nine in the morning of that day in the city, whatever zone this computer is set to.
      ...(to === "scheduled" ? { scheduledFor: fromCityClock(`${date}T09:00`)?.text } : {}),
      ...(to === "duplicate" ? { duplicateOf } : {}),
      ...(to === "rejected" && fixture && detail?.cluster?.sensor ? { fixture: true } : {}),
    };
    const sig = JSON.stringify([id, json]);
    const same = lastMove.current;
    const attempt =
      same &&
      same.sig === sig &&
      same.photos.length === photos.length &&
      same.photos.every((p, i) => p === photos[i])
        ? same
        : { sig, photos, key: randomHex() };
    lastMove.current = attempt;
    try {
      // The photos go with the change (typically the repair done): uploaded first and named by
      // the move, so followers' notices of it, sent as soon as it is written, carry them.
      attempt.photoIds ??= photos.length > 0 ? await uploadPhotos(photos) : [];
      const photoIds = attempt.photoIds;
      await ok(
        client.department["work-orders"][":id"].transitions.$post(
          { param: { id }, json: { ...json, ...(photoIds.length > 0 ? { photoIds } : {}) } },
          { headers: { "Idempotency-Key": attempt.key } },
        ),
      );
      sent();
    } catch (e) {
      // A 409: the move no longer fits the status it has now, or it changed under the move.
      const stale = e instanceof ApiError && e.status === 409;
      // A rejection whose answer was lost, tapped again: the first one went through and the city
      // sent the work order on, so it is no longer this department's to find.
      if (to === "rejected" && e instanceof ApiError && e.status === 404) return sent();
      // Passed to another department (or merged away) while open here: no move of this one's to make.
      if (e instanceof ApiError && e.status === 404) {
        setHandedOn("elsewhere");
        return onMoved();
      }
      // Its answer lost on a weak connection, a move tapped again meets its own first try: the
      // work order already stands where it was sent, with this note last on its timeline.
      if (stale && (await movedAlready(to, note.trim(), date))) return sent();
      // A field the server refused ("no such problem" for the duplicate's original): said at it.
      const field = e instanceof ApiError && !stale ? FIELD_OF[e.field ?? ""] : undefined;
      if (field) return fieldWrong(field, failureText(e, t));
      // Moved by someone else meanwhile: read it again at once, keeping what was typed.
      setError(stale ? t("consoleChangedMeanwhile") : failureText(e, t));
      if (stale) {
        setRound((r) => r + 1);
        onMoved();
      }
    } finally {
      busy.current = false;
      setMoving(null);
    }
  };

  // Only a move with words of its own can be told from a colleague's same move (whose photos or
  // date would otherwise be taken for these), and a date must be the one sent.
  const movedAlready = async (to: WorkOrderStatus, words: string, day: string) => {
    if (!words) return false;
    const now = await ok(client.department["work-orders"][":id"].$get({ param: { id } })).catch(() => null);
    const last = now?.cluster?.timeline.at(-1);
    const planned = now?.workOrder.scheduledFor;
    const sameDay =
      to !== "scheduled" || (planned ? cityClock(Date.parse(planned)).slice(0, 10) === day : false);
    return now?.workOrder.status === to && last?.note === words && sameDay;
  };

  // Said under the note's own form: the panel's error line is screens above it on a phone.
  const [noteError, setNoteError] = useState<string | null>(null);
  const addNote = async (e: Event) => {
    e.preventDefault();
    if (busy.current) return;
    setNoteError(null);
    if (!internal.trim()) return setNoteError(t("needInternalNote"));
    const key = internalKey || randomHex();
    setInternalKey(key);
    saveDraft(id, { note, date, original, internal, internalKey: key });
    busy.current = true;
    try {
      await ok(
        client.department["work-orders"][":id"].notes.$post(
          { param: { id }, json: { note: internal.trim() } },
          { headers: { "Idempotency-Key": key } },
        ),
      );
      saveDraft(id, { note, date, original, internal: "", internalKey: "" });
      setInternalKey("");
      setInternal("");
      setAnnounce(t("internalNoteAdded"));
      setRound((r) => r + 1);
    } catch (err) {
      setNoteError(failureText(err, t));
    } finally {
      busy.current = false;
    }
  };

  if (!detail) return error ? <p role="alert">{error}</p> : <p>{t("loading")}</p>;
  const wo = detail.workOrder;
  const head = (
    <>
      <p class="wo-close">
        <button type="button" class="link" onClick={onClose}>
          <span aria-hidden="true">← </span>
          {t("backToList")}
        </button>
      </p>
      <h2 id="wo-panel-title" ref={heading} tabIndex={-1}>
        {t("workOrderTitle", { service: name(names.service(wo.service)) })}
      </h2>
    </>
  );
  if (handedOn)
    return (
      <section
        class="card wo-panel"
        aria-labelledby="wo-panel-title"
        data-work-order-id={wo.id}
        data-handed-on
      >
        {head}
        <p ref={handedOnWords} tabIndex={-1}>
          {t(handedOn === "rejected" ? "consoleHandedOn" : "consoleGoneElsewhere")}{" "}
          <Link href={`/c/${wo.clusterId}`}>{t("publicPage")}</Link>
        </p>
      </section>
    );
  const allowed = wo.allowedTransitions;
  // The plan (nine in the morning of its day, as sent) after the moment it must be fixed by; not
  // said of one overdue already, which its red flag says.
  const due = Date.parse(wo.resolveDueAt);
  const planned = date ? Date.parse(fromCityClock(`${date}T09:00`)?.text ?? "") : Number.NaN;
  const lateDate = planned > due && due > Date.now();
  return (
    <section class="card wo-panel" aria-labelledby="wo-panel-title" data-work-order-id={wo.id}>
      {head}
      <p>
        <span class="wo-status">{t(WORK_ORDER_LABEL[wo.status])}</span> ·{" "}
        <Link href={`/c/${wo.clusterId}`}>{t("publicPage")}</Link>
      </p>
      {/* A duplicate: where the work goes on, one tap away rather than through its public page. */}
      {wo.mergedIntoClusterId && (
        <p data-testid="wo-merged-into">
          {t("consoleMergedInto")}{" "}
          <Link href={`/c/${wo.mergedIntoClusterId}`}>{t("consoleMergedIntoLink")}</Link>
        </p>
      )}
      {/* Where to go and by when, as the list row said it (on a phone the list is screens above). */}
      <p class="wo-where">
        {t("labelled", {
          label: t("place"),
          // Named by the server for this work order (null: nothing named near; the coordinates say it),
          // whether or not the list's filter holds it.
          value: `${detail.place ? `${name(detail.place)} · ` : ""}${wo.lat.toFixed(5)}, ${wo.lon.toFixed(5)}`,
        })}{" "}
        <a href={`geo:${wo.lat},${wo.lon}`}>{t("openInMaps")}</a>
      </p>
      <p class="wo-deadline">
        {wo.nextDeadline && (
          <>
            <span class={`flag flag-${wo.flag}`} data-flag={wo.flag}>
              {t(FLAG_LABEL[wo.flag])}
            </span>{" "}
          </>
        )}
        {wo.nextDeadline ? deadlineWords(wo.nextDeadline, t, formatTime) : t("noDeadline")}
      </p>
      {/* In the city's time, as it was entered and as residents read it; a plan no longer, once fixed or ended. */}
      {wo.scheduledFor && !FINISHED_STATUSES.includes(wo.status) && (
        <p class="wo-scheduled">
          {t("labelled", { label: t("scheduledFor"), value: formatDay(wo.scheduledFor) })}
        </p>
      )}
      <h3>{t("actions")}</h3>
      {readOnly ? (
        <p class="muted">{t("consoleReadOnly")}</p>
      ) : allowed.length === 0 ? (
        <p>{t("noActions")}</p>
      ) : (
        <div class="actions">
          {(allowed.includes("scheduled") ||
            allowed.includes("rejected") ||
            allowed.includes("resolved")) && (
            <label>
              {allowed.includes("rejected") ? t("noteOrReason") : t("note")}
              <textarea
                rows={2}
                maxLength={2000}
                value={note}
                onInput={typed("note", setNote)}
                {...wrongProps("note")}
              />
            </label>
          )}
          {/* Phones felt it, and a fixture would be felt again and again: only a sensor-fed work order asks. */}
          {allowed.includes("rejected") && detail.cluster?.sensor && (
            <label class="check">
              <input
                type="checkbox"
                name="fixture"
                checked={fixture}
                onChange={(e) => setFixture(e.currentTarget.checked)}
              />{" "}
              {t("rejectAsFixture")}
            </label>
          )}
          {allowed.includes("scheduled") && (
            <label>
              {t("date")}
              <input
                type="date"
                min={cityClock(Date.now()).slice(0, 10)}
                value={date}
                onInput={typed("date", setDate)}
                {...wrongProps("date", lateDate ? "late-date" : undefined)}
              />
            </label>
          )}
          {/* Allowed (the plan may be all the crew can do), but not silently: the deadline stands. */}
          {allowed.includes("scheduled") && lateDate && (
            <p id="late-date" class="hint warning" data-late-date>
              {t("dateAfterDeadline", { due: formatDay(wo.resolveDueAt) })}
            </p>
          )}
          {allowed.includes("duplicate") && (
            <label>
              {t("duplicateOf")}
              <input value={original} onInput={typed("original", setOriginal)} {...wrongProps("original")} />
            </label>
          )}
          <PhotoPicker
            photos={photos}
            onChange={setPhotos}
            onProblem={(key) => setError(key ? t(key) : null)}
            accepted={ACCEPTED_TYPES}
            describedBy={undefined}
            help={t("consolePhotosHelp")}
          />
          <p class="row">
            {allowed.map((to) => (
              <BusyButton
                type="button"
                key={to}
                data-to={to}
                busy={moving !== null}
                onClick={() => void move(to)}
              >
                {t(MOVE_LABEL[to] ?? WORK_ORDER_LABEL[to])}
              </BusyButton>
            ))}
          </p>
          <p role="status" class="hint" data-moving={moving ? "" : undefined}>
            {moving && t(moving.photos > 0 ? "consoleMovingPhotos" : "consoleMoving", { n: moving.photos })}
          </p>
          {confirmingReject && (
            <div class="card confirm-reject" role="alertdialog" aria-labelledby="confirm-reject-text">
              <p id="confirm-reject-text">{t("rejectConfirm", { reason: note.trim() })}</p>
              <p class="row">
                <button type="button" ref={confirmYes} onClick={() => void move("rejected")}>
                  {t("rejectConfirmYes")}
                </button>
                <button type="button" onClick={() => setConfirmingReject(false)}>
                  {t("rejectConfirmNo")}
                </button>
              </p>
            </div>
          )}
        </div>
      )}
      {error && (
        <p class="error" role="alert" id="wo-error">
          {error}
        </p>
      )}
      <p class="visually-hidden" role="status">
        {announce}
      </p>
      <h3>{t("residentReports")}</h3>
      <ul class="reports">
        {detail.reports.map((r) => (
          // When each was written, and which came after the work order was sent (a follow-up).
          <li key={r.id} data-later={r.createdAt > wo.createdAt ? "" : undefined}>
            {r.hidden && <p class="badge">{t("reportHiddenFromPublic")}</p>}
            <p class="description" lang={wordsLang(r.description)}>
              {r.description}
            </p>
            <AnswerList questions={detail.questions} answers={r.attributes} others />
            <p class="muted">
              <time dateTime={r.createdAt}>{formatTime(r.createdAt)}</time>
              {r.createdAt > wo.createdAt && ` · ${t("reportAfterSent")}`}
            </p>
          </li>
        ))}
      </ul>
      {/* Read again with the work order: a resident's new photos appear without a reload. */}
      <Photos by={{ cluster: wo.clusterId }} round={round + outer} />
      <DispatchState
        detail={detail}
        client={client}
        canRetry={canRetry}
        eventLabel={historyLabel}
        onRetried={() => setRound((r) => r + 1)}
      />
      <h3>{t("historyTitle")}</h3>
      {!readOnly && (
        <form class="internal-note" onSubmit={addNote}>
          <label>
            {/* Only seen: the label already says "Internal note", so the name is not read "Internal Internal note". */}
            <span class="badge internal-badge" aria-hidden="true">
              {t("internalBadge")}
            </span>{" "}
            {t("internalNoteLabel")}
            <textarea
              rows={2}
              maxLength={2000}
              required
              value={internal}
              onInput={(e) => {
                // Other words are another note.
                setInternalKey("");
                setInternal(e.currentTarget.value);
              }}
              aria-describedby={noteError ? "internal-note-problem internal-note-help" : "internal-note-help"}
              aria-invalid={noteError ? true : undefined}
            />
          </label>
          <p class="hint" id="internal-note-help">
            {t("internalNoteHelp")}
          </p>
          {noteError && (
            <p class="error" role="alert" id="internal-note-problem">
              {noteError}
            </p>
          )}
          <button type="submit">{t("internalNoteAdd")}</button>
        </form>
      )}
      {detail.history.length === 0 ? (
        <p>{t("historyEmpty")}</p>
      ) : (
        <ol class="history" data-testid="history">
          {detail.history.map((h, i) =>
            h.action === "internal_note" ? (
              <li key={`${h.at}-${i}`} data-action={h.action} class="internal">
                <span class="badge internal-badge">{t("internalBadge")}</span>{" "}
                <time dateTime={h.at}>{formatTime(h.at)}</time> · <span class="by">{byName(h.by.name)}</span>
                <p class="note">{h.note}</p>
              </li>
            ) : (
              <li key={`${h.at}-${i}`} data-action={h.action}>
                <time dateTime={h.at}>{formatTime(h.at)}</time> · {historyLabel(h.action)} ·{" "}
                <span class="by">{byName(h.by.name)}</span>
              </li>
            ),
          )}
        </ol>
      )}
      {detail.cluster?.timeline && (
        <>
          <h3>{t("timeline")}</h3>
          <Timeline events={detail.cluster.timeline} />
        </>
      )}
    </section>
  );
}
