import { useLayoutEffect, useRef, useState } from "preact/hooks";
import { ApiError, api, ok } from "../api/client";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { failureText } from "../lib/failure";
import { BusyButton } from "./busy-button";

const STAR_LABEL: MessageKey[] = ["rate1", "rate2", "rate3", "rate4", "rate5"];

/** The 1–5 star form: a radio group with a label on every choice, and an optional comment. */
export function RatingForm({
  reportId,
  receipt,
  onRated,
}: {
  reportId: string;
  /** This device's receipt for the report: the API's proof that the rater sent it. */
  receipt: string;
  onRated: () => void;
}) {
  const { t } = useI18n();
  const [stars, setStars] = useState<number | null>(null);
  const [comment, setComment] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // Rated from this network already: no second try can count, so the form gives way to the words.
  const [counted, setCounted] = useState(false);
  // The button pressed goes with the form: the keyboard goes on to the words that replace it.
  const said = useRef<HTMLParagraphElement>(null);
  useLayoutEffect(() => {
    if (counted) said.current?.focus();
  }, [counted]);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (stars === null) {
      setProblem(t("needStars"));
      // Where the answer is missing: the first star, so a keyboard or screen reader is there to choose.
      (e.currentTarget as HTMLFormElement).querySelector<HTMLInputElement>("input[name=stars]")?.focus();
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const text = comment.trim();
      await ok(
        api.reports[":id"].rating.$post({
          param: { id: reportId },
          json: text ? { receipt, stars, comment: text } : { receipt, stars },
        }),
      );
      onRated();
    } catch (err) {
      // Rated already (another tab): show that rating instead of the form.
      if (err instanceof ApiError && err.code === "already_rated") onRated();
      // A neighbour on the same network rated it: said, rather than the form coming back as if unsent.
      else if (err instanceof ApiError && err.code === "rated_from_network") setCounted(true);
      else setProblem(t("ratingFailed", { message: failureText(err, t) }));
    } finally {
      setBusy(false);
    }
  };
  if (counted)
    return (
      <p class="rating-form" role="status" data-testid="rated-from-network" ref={said} tabIndex={-1}>
        {t("ratedFromNetwork")}
      </p>
    );
  return (
    <form class="rating-form" onSubmit={submit} noValidate>
      <fieldset class="stars" aria-describedby={problem ? "rating-problem" : undefined}>
        <legend>{t("rateTitle")}</legend>
        {STAR_LABEL.map((key, i) => (
          <label key={key} class="star-choice">
            <input
              type="radio"
              name="stars"
              value={i + 1}
              checked={stars === i + 1}
              onChange={() => {
                setStars(i + 1);
                setProblem(null);
              }}
            />{" "}
            <span aria-hidden="true" class="stars-drawn">
              {"★".repeat(i + 1)}
            </span>{" "}
            {t(key)}
          </label>
        ))}
      </fieldset>
      <label for="rating-comment">
        {t("ratingComment")} <span class="hint">{t("ratingCommentHelp")}</span>
      </label>
      <textarea
        id="rating-comment"
        rows={3}
        maxLength={1000}
        value={comment}
        onInput={(e) => setComment((e.target as HTMLTextAreaElement).value)}
      />
      {problem && (
        <p id="rating-problem" class="error" role="alert">
          {problem}
        </p>
      )}
      <p>
        <BusyButton type="submit" class="primary" busy={busy}>
          {t("sendRating")}
        </BusyButton>
      </p>
    </form>
  );
}
