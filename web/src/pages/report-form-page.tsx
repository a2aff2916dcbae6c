import { useEffect, useRef } from "preact/hooks";
import { useCatalog } from "../catalog";
import { useI18n } from "../i18n/i18n";
import { useFocusNext } from "../lib/use-focus-next";
import { outboxText } from "../offline/outbox-messages";
import { OUTBOX_CHANGED, refusalError } from "../offline/outbox-send";
import { checkAnswers } from "../report-form/attribute-fields";
import { DetailsStep } from "../report-form/details-step";
import { failedSend } from "../report-form/failed-send";
import { PlaceStep } from "../report-form/place-step";
import { NotSent, refusedMeanwhile, sendReport, sentMeanwhile } from "../report-form/send-report";
import { SendStep } from "../report-form/send-step";
import { ServiceStep } from "../report-form/service-step";
import { coordinateProblems } from "../report-form/typed-coordinates";
import { type FieldErrors, takeReopenedRefusal, useReportDraft } from "../report-form/use-report-draft";
import { navigate } from "../router";

/**
 * The report form, in its steps on one page: where (the pin), what (the service, and "Is it one
 * of these?"), details (description, the service's questions, photos), send.
 */
export function ReportFormPage() {
  const { t, lang } = useI18n();
  const catalog = useCatalog();
  const [draft, dispatch] = useReportDraft();

  useEffect(() => {
    document.title = `${t("formTitle")} · ${t("appName")}`;
  }, [t]);

  // A refused field may be screens above the Send button: the first one takes focus.
  const form = useRef<HTMLFormElement>(null);
  const focusNext = useFocusNext();
  const focusFirstInvalid = () =>
    focusNext(() => form.current?.querySelector<HTMLElement>('[aria-invalid="true"]'));

  // The last refusal, to be said again in the other language when the resident switches.
  const lastRefusal = useRef<{ err: unknown; kept: boolean } | null>(null);
  const refused = (err: unknown, kept: boolean) => {
    lastRefusal.current = { err, kept };
    return failedSend(err, kept, t, lang);
  };

  // A report put back here after a refusal: why, at its field, as if the form had just sent it.
  useEffect(() => {
    const problem = takeReopenedRefusal();
    if (!problem) return;
    dispatch(refused(refusalError(problem), false));
  }, []);

  // Kept after no answer, the report goes from the outbox: once it has, the form opens it as it
  // would its own success (its "not sent" and an active Send button invited a second report).
  const waitsInOutbox = draft.queued && !draft.sending;
  useEffect(() => {
    if (!waitsInOutbox) return;
    let live = true;
    const check = async () => {
      const sent = await sentMeanwhile();
      if (sent && live) {
        dispatch({ type: "sent", status: t("sentAnnouncement") });
        navigate(`/r/${sent.reportId}`);
        return;
      }
      // Refused when the outbox tried it again: why, at its field, the report still in the form.
      const refusal = live ? await refusedMeanwhile() : null;
      if (refusal && live) dispatch(refused(refusal, false));
    };
    const listener = () => void check();
    window.addEventListener(OUTBOX_CHANGED, listener);
    return () => {
      live = false;
      window.removeEventListener(OUTBOX_CHANGED, listener);
    };
  }, [waitsInOutbox, dispatch, t, lang]);

  const service = catalog.services.find((s) => s.code === draft.service);
  const questions = service?.attributes ?? [];

  /** What the form itself finds wrong before sending, in the page's language. */
  const problems = () => {
    const errors: FieldErrors = {};
    // Coordinates typed out of range are said as such, each at its field; the pin they did not move is not sent.
    const typedWrong = coordinateProblems(draft.latText, draft.lonText, t);
    Object.assign(errors, typedWrong);
    if (!typedWrong.lat && !typedWrong.lon && !draft.point) errors.place = t("needPin");
    if (!draft.service) errors.service = t("needService");
    if (!draft.description.trim()) errors.description = t("needDescription");
    return { errors, checked: checkAnswers(questions, draft.answers, t) };
  };

  // The problems shown are said again in the language switched to (they had stayed in the one
  // they were found in, read out by a voice of the other); none is added or taken away.
  const shownIn = useRef(lang);
  useEffect(() => {
    if (shownIn.current === lang) return;
    shownIn.current = lang;
    const { errors, checked } = problems();
    const again = lastRefusal.current
      ? failedSend(lastRefusal.current.err, lastRefusal.current.kept, t, lang)
      : null;
    const said = <T extends Partial<Record<string, string>>>(shown: T, ...sources: T[]) =>
      Object.fromEntries(
        // Shown: a key left with no message (a field's problem put right) is not.
        Object.entries(shown).flatMap(([k, was]) => {
          const message = was && sources.map((s) => s[k]).find(Boolean);
          return message ? [[k, message]] : [];
        }),
      ) as T;
    dispatch({
      type: "relabelled",
      errors: said(draft.errors, errors, again?.errors ?? {}),
      answerProblems: said(draft.answerProblems, checked.problems, again?.answerProblems ?? {}),
      failure: draft.failure && again ? again.failure : "",
    });
  }, [lang]);

  const submit = async (e: Event) => {
    e.preventDefault();
    const { point } = draft;
    const { errors, checked } = problems();
    dispatch({ type: "checked", errors, answerProblems: checked.problems });
    if (!point || Object.keys(errors).length > 0 || Object.keys(checked.problems).length > 0) {
      focusFirstInvalid();
      return;
    }
    // The fields are held while it goes: the keyboard waits on the button (Enter in a field sent it).
    if (form.current?.querySelector(".form-steps")?.contains(document.activeElement))
      form.current.querySelector<HTMLElement>("button[type=submit]")?.focus();
    dispatch({ type: "sending", status: t("sending") });
    try {
      // Each step said as it starts: two photos can take most of a minute on a slow connection.
      const outcome = await sendReport({ ...draft, point }, checked.answers, (step) =>
        dispatch({
          type: "sending",
          status: step === "report" ? t("sendingReport") : t("sendingPhoto", { n: step.photo, of: step.of }),
        }),
      );
      if ("queued" in outcome) {
        // Offline: kept on this device; "My reports" shows it waiting, and the banner when it went.
        dispatch({ type: "sent", status: outboxText(lang, "queued") });
        navigate("/mine");
        return;
      }
      dispatch({ type: "sent", status: t("sentAnnouncement") });
      navigate(`/r/${outcome.sent.reportId}`);
    } catch (err) {
      const refusal = err instanceof NotSent ? refused(err.cause, err.kept) : refused(err, false);
      if (Object.keys(refusal.errors).length > 0 || Object.keys(refusal.answerProblems).length > 0)
        focusFirstInvalid();
      dispatch(refusal);
    }
  };

  return (
    <div class="form-page">
      <h1>{t("formTitle")}</h1>
      <p>{t("formIntro")}</p>
      <form ref={form} onSubmit={submit} noValidate>
        {/* Going, or kept after no answer, the report goes as written (see `draftReducer`). */}
        <fieldset
          class="form-steps"
          disabled={draft.queued}
          aria-describedby={waitsInOutbox ? "kept-as-written" : undefined}
        >
          <PlaceStep draft={draft} dispatch={dispatch} />
          <ServiceStep draft={draft} dispatch={dispatch} services={catalog.services} chosen={service} />
          <DetailsStep draft={draft} dispatch={dispatch} questions={questions} />
        </fieldset>
        <SendStep draft={draft} />
      </form>
    </div>
  );
}
