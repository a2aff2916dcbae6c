/**
 * What the report form shows when its report did not go: the words, the field they belong to,
 * and whether the outbox keeps the report to send by itself. A report it keeps is never also
 * "try again": it says why it has not gone yet and when it goes.
 */
import { ApiError } from "../api/client";
import { busyWait, failureText, type Translate, unanswered } from "../lib/failure";
import { outboxText } from "../offline/outbox-messages";
import type { DraftAction } from "./use-report-draft";

type Refused = Extract<DraftAction, { type: "refused" }>;

/** Kept by the outbox: no answer came, the server had trouble, or it asked to wait. */
const keptAfter = (err: unknown) =>
  err instanceof ApiError
    ? err.status >= 500 || err.status === 0 || err.status === 408 || err.status === 429
    : unanswered(err);

function keptWords(err: unknown, t: Translate, lang: "en" | "zh-CN"): string {
  if (err instanceof ApiError && err.status === 429)
    return `${t("notSentYet")} ${t("failBusyShort", { wait: busyWait(err, t) })} ${outboxText(lang, "keptLater")}`;
  if (err instanceof ApiError && err.status !== 408)
    return `${t("notSentYet")} ${t("failServerShort")} ${outboxText(lang, "keptSoon")}`;
  return `${t("notSentYet")} ${t("failNoAnswer")} ${outboxText(lang, "kept")}`;
}

export function failedSend(err: unknown, t: Translate, lang: "en" | "zh-CN"): Refused {
  const kept = keptAfter(err);
  const message = kept ? keptWords(err, t, lang) : t("serverSaid", { message: failureText(err, t) });
  const onPhotos = err instanceof ApiError && err.field === "photos";
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
