/**
 * What the report form shows when its report did not go: the words and the field they belong
 * to. A report the outbox keeps is never also "try again" (nor a field's fault): it says why it
 * has not gone yet and when it goes.
 */
import { ApiError } from "../api/client";
import { busyWait, failureText, type Translate } from "../lib/failure";
import { PhotoUnreadable } from "../lib/photo-shrink";
import { outboxText } from "../offline/outbox-messages";
import type { DraftAction } from "./use-report-draft";

type Refused = Extract<DraftAction, { type: "refused" }>;

function keptWords(err: unknown, t: Translate, lang: "en" | "zh-CN"): string {
  const why =
    err instanceof ApiError && err.status === 429
      ? [t("failBusyShort", { wait: busyWait(err, t) }), outboxText(lang, "keptLater")]
      : err instanceof ApiError && err.status !== 408
        ? [t("failServerShort"), outboxText(lang, "keptSoon")]
        : [t("failNoAnswer"), outboxText(lang, "kept")];
  // Chinese sentences follow each other without a space.
  return [t("notSentYet"), ...why].join(lang === "zh-CN" ? "" : " ");
}

/** `kept`: whether the outbox holds the report to send by itself (`NotSent.kept`). */
export function failedSend(err: unknown, kept: boolean, t: Translate, lang: "en" | "zh-CN"): Refused {
  if (kept) {
    const message = keptWords(err, t, lang);
    return { type: "refused", errors: {}, answerProblems: {}, failure: message, status: message, kept };
  }
  // A photo this browser cannot read: said under the photos, which the person can change.
  const message =
    err instanceof PhotoUnreadable
      ? t("photoUnreadable", { n: err.n })
      : t("serverSaid", { message: failureText(err, t) });
  const onPhotos = (err instanceof ApiError && err.field === "photos") || err instanceof PhotoUnreadable;
  // A pin far from every department's area: said under the place, where it is moved.
  const onPlace = err instanceof ApiError && err.code === "outside_service_area";
  // A refused answer (say, a question the service added since the page loaded) shows at its field.
  const code = err instanceof ApiError ? /^attributes\.(.+)$/.exec(err.field ?? "")?.[1] : undefined;
  return {
    type: "refused",
    errors: onPhotos ? { photos: message } : onPlace ? { place: message } : {},
    answerProblems: code ? { [code]: message } : {},
    failure: !onPhotos && !onPlace && !code ? message : "",
    status: message,
    kept,
  };
}
