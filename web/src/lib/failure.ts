/**
 * Turns any failure into what a person can act on: what happened and what to do, in their
 * language. Raw browser errors ("Failed to fetch") and server wording never reach the page alone.
 */
import { ApiError } from "../api/client";
import type { Translate } from "../i18n/i18n";
import { Unanswered } from "../offline/outbox-send";

export function failureText(err: unknown, t: Translate): string {
  if (!(err instanceof ApiError)) {
    // fetch rejects with a TypeError when the request never got an answer (offline, dropped, DNS);
    // the outbox says so with `Unanswered`, a timeout included.
    const offline = typeof navigator !== "undefined" && navigator.onLine === false;
    const unanswered = err instanceof TypeError || err instanceof Unanswered;
    return t(offline || unanswered ? "failNetwork" : "failPage");
  }
  if (err.status === 429) return t("failBusy");
  if (err.status >= 500 || err.status === 0) return t("failServer");
  if (err.status === 404) return t("failNotFound");
  if (err.status === 401 || err.status === 403) return t("failAccess");
  if (err.status === 409) return t("failConflict");
  if (err.status === 413) return t("failTooBig");
  // The server names the field and the problem; it is the detail a person needs to correct it.
  return t("failRefused", { message: err.message });
}
