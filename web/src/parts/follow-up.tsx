import { useRef, useState } from "preact/hooks";
import { api, ok } from "../api/client";
import type { ClusterDetail } from "../api/types";
import { useI18n } from "../i18n/i18n";
import { receiptFor } from "../lib/device";
import { useFetch } from "../lib/use-fetch";
import { useFocusNext } from "../lib/use-focus-next";
import { RatingForm } from "./rating-form";
import { StillThere } from "./still-there";

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

/** A label and what follows it: a space after an English colon, none after a full-width one. */
const spaced = (label: string) => (/[：]$/.test(label) ? label : `${label} `);

/**
 * Following a report to the end, on its page: once the problem is resolved or closed, the
 * resident who sent it (this device holds its receipt) may say it is still there, and may rate
 * the outcome once. Anyone with the page's address sees the stars given, never the comment.
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
  const receipt = receiptFor(reportId);
  // The rating form and "still there" go away once used: focus moves to what says so.
  const focusNext = useFocusNext();
  const said = useRef<HTMLDivElement>(null);

  // Someone else's report still being worked on: nothing here is theirs to do or read yet.
  if (!receipt && !given && !done && !reopened) return null;
  return (
    <section class="card follow-up" aria-labelledby="follow-up-title">
      <h2 id="follow-up-title">{t("followUpTitle")}</h2>
      <div role="status" ref={said}>
        {reopened && (
          <p data-testid="reopened" tabIndex={-1}>
            {t("reopenedThanks")}
          </p>
        )}
        {thanked && given && (
          <p data-testid="rating-thanks" tabIndex={-1}>
            {t("ratingThanks")}
          </p>
        )}
      </div>
      {given && (
        <p data-testid="my-rating">
          {/* Whose it is: this device's resident's, or (a shared link) the one who sent the report. */}
          {spaced(receipt ? t("yourRating") : t("reporterRating"))}
          <Stars stars={given.stars} />
        </p>
      )}
      {done && !given && rating.data && receipt && (
        <RatingForm
          reportId={reportId}
          receipt={receipt}
          onRated={() => {
            setThanked(true);
            // Shown once the rating is read back.
            focusNext(() => said.current?.querySelector<HTMLElement>("[data-testid=rating-thanks]"));
            rating.reload();
            // The rating is now on the timeline: show it there too.
            void ok(api.clusters[":id"].$get({ param: { id: cluster.id } })).then(
              (answer) => answer.cluster && onChange(answer.cluster),
              () => {},
            );
          }}
        />
      )}
      {done && receipt && (
        <StillThere
          clusterId={cluster.id}
          receipt={receipt}
          onReopened={(c) => {
            setReopened(true);
            setThanked(false);
            focusNext(() => said.current?.querySelector<HTMLElement>("[data-testid=reopened]"));
            onChange(c);
          }}
        />
      )}
      {!done && !given && !reopened && receipt && <p class="muted">{t("followUpLater")}</p>}
      {/* Opened from a bookmark on another device, or after clearing the browser: its receipt is not here. */}
      {done && !receipt && !given && (
        <p class="muted" data-testid="follow-up-elsewhere">
          {t("followUpElsewhere")}
        </p>
      )}
    </section>
  );
}
