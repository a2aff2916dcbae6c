import { useState } from "preact/hooks";
import { ApiError, api, ok } from "../api/client";
import type { ClusterDetail } from "../api/types";
import { useI18n } from "../i18n/i18n";
import type { MessageKey } from "../i18n/messages";
import { Link } from "../router";
import { useFetch } from "./use-fetch";

const STAR_LABEL: MessageKey[] = ["rate1", "rate2", "rate3", "rate4", "rate5"];

/** Work-order statuses after which a resident may rate the outcome or say it is still there. */
const DONE = ["resolved", "closed"];

/** The resident's stars, with the stars drawn for the eye and said in words for everyone. */
function Stars({ stars }: { stars: number }) {
  const { t } = useI18n();
  return (
    <>
      <span aria-hidden="true" class="stars-drawn">
        {"★".repeat(stars)}
        {"☆".repeat(5 - stars)}
      </span>{" "}
      {t("ratedStars", { stars })}
    </>
  );
}

/** "Still there?": reopens the resolved problem, then shows where it stands. */
function StillThere({
  clusterId,
  onReopened,
}: {
  clusterId: string;
  onReopened: (c: ClusterDetail) => void;
}) {
  const { t } = useI18n();
  const [busy, setBusy] = useState(false);
  const [refused, setRefused] = useState(false);
  const reopen = async () => {
    setBusy(true);
    setRefused(false);
    try {
      const answer = await ok(api.clusters[":id"].reopen.$post({ param: { id: clusterId } }));
      onReopened(answer.cluster as ClusterDetail);
    } catch {
      // Too long after the fix, or it changed meanwhile: either way a new report is the way on.
      setRefused(true);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section aria-labelledby="still-there-title">
      <h3 id="still-there-title">{t("stillThereTitle")}</h3>
      <p>{t("stillThereHelp")}</p>
      <button type="button" onClick={reopen} disabled={busy}>
        {t("stillThere")}
      </button>
      {refused && (
        <p class="error" role="alert">
          {t("stillThereRefused")} <Link href="/report">{t("navReport")}</Link>
        </p>
      )}
    </section>
  );
}

/** The 1–5 star form: a radio group with a label on every choice, and an optional comment. */
function RatingForm({ reportId, onRated }: { reportId: string; onRated: () => void }) {
  const { t } = useI18n();
  const [stars, setStars] = useState<number | null>(null);
  const [comment, setComment] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: Event) => {
    e.preventDefault();
    if (stars === null) {
      setProblem(t("needStars"));
      return;
    }
    setBusy(true);
    setProblem(null);
    try {
      const text = comment.trim();
      await ok(
        api.reports[":id"].rating.$post({
          param: { id: reportId },
          json: text ? { stars, comment: text } : { stars },
        }),
      );
      onRated();
    } catch (err) {
      // Rated already (another tab): show that rating instead of the form.
      if (err instanceof ApiError && err.code === "already_rated") onRated();
      else setProblem(t("ratingFailed", { message: (err as Error).message }));
    } finally {
      setBusy(false);
    }
  };
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
        <button type="submit" class="primary" disabled={busy}>
          {t("sendRating")}
        </button>
      </p>
    </form>
  );
}

/**
 * Following a report to the end, on its page: once the problem is resolved or closed, the
 * resident may say it is still there, and may rate the outcome once (the API keeps the rating,
 * so every device holding the report's address sees it).
 */
export function FollowUp({
  reportId,
  cluster,
  onChange,
}: {
  reportId: string;
  cluster: ClusterDetail;
  /** The cluster changed here (reopened or rated): the page shows this one from now on. */
  onChange: (c: ClusterDetail) => void;
}) {
  const { t } = useI18n();
  const rating = useFetch(() => ok(api.reports[":id"].rating.$get({ param: { id: reportId } })), [reportId]);
  const [thanked, setThanked] = useState(false);
  const [reopened, setReopened] = useState(false);
  const done = DONE.includes(cluster.workOrderStatus ?? "");
  const given = rating.data?.rating ?? null;

  return (
    <section class="card follow-up" aria-labelledby="follow-up-title">
      <h2 id="follow-up-title">{t("followUpTitle")}</h2>
      <div role="status">
        {reopened && <p data-testid="reopened">{t("reopenedThanks")}</p>}
        {thanked && given && <p data-testid="rating-thanks">{t("ratingThanks")}</p>}
      </div>
      {given && (
        <p data-testid="my-rating">
          {t("yourRating")} <Stars stars={given.stars} />
        </p>
      )}
      {done && !given && rating.data && (
        <RatingForm
          reportId={reportId}
          onRated={() => {
            setThanked(true);
            rating.reload();
            // The rating is now on the timeline: show it there too.
            void ok(api.clusters[":id"].$get({ param: { id: cluster.id } })).then(
              (answer) => answer.cluster && onChange(answer.cluster),
              () => {},
            );
          }}
        />
      )}
      {done && (
        <StillThere
          clusterId={cluster.id}
          onReopened={(c) => {
            setReopened(true);
            setThanked(false);
            onChange(c);
          }}
        />
      )}
      {!done && !given && !reopened && <p class="muted">{t("followUpLater")}</p>}
    </section>
  );
}
