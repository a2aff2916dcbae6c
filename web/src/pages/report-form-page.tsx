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

  // A report put back here after a refusal: why, at its field, as if the form had just sent it.
  useEffect(() => {
    const problem = takeReopenedRefusal();
    if (!problem) return;
    dispatch(failedSend(refusalError(problem), false, t, lang));
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
      const refused = live ? await refusedMeanwhile() : null;
      if (refused && live) dispatch(failedSend(refused, false, t, lang));
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

  const submit = async (e: Event) => {
    e.preventDefault();
    const { point } = draft;
    const errors: FieldErrors = {};
    // Coordinates typed out of range are said as such, each at its field; the pin they did not move is not sent.
    const typedWrong = coordinateProblems(draft.latText, draft.lonText, t);
    Object.assign(errors, typedWrong);
    if (!typedWrong.lat && !typedWrong.lon && !point) errors.place = t("needPin");
    if (!draft.service) errors.service = t("needService");
    if (!draft.description.trim()) errors.description = t("needDescription");
    const checked = checkAnswers(questions, draft.answers, t);
    dispatch({ type: "checked", errors, answerProblems: checked.problems });
    if (!point || Object.keys(errors).length > 0 || Object.keys(checked.problems).length > 0) {
      focusFirstInvalid();
      return;
    }
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
      const refused =
        err instanceof NotSent ? failedSend(err.cause, err.kept, t, lang) : failedSend(err, false, t, lang);
      if (Object.keys(refused.errors).length > 0 || Object.keys(refused.answerProblems).length > 0)
        focusFirstInvalid();
      dispatch(refused);
    }
  };

  return (
    <div class="form-page">
      <h1>{t("formTitle")}</h1>
      <p>{t("formIntro")}</p>
      <form ref={form} onSubmit={submit} noValidate>
        <PlaceStep draft={draft} dispatch={dispatch} />
        <ServiceStep draft={draft} dispatch={dispatch} services={catalog.services} chosen={service} />
        <DetailsStep draft={draft} dispatch={dispatch} questions={questions} />
        <SendStep draft={draft} />
      </form>
    </div>
  );
}
