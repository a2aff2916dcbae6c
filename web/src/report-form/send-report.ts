import { ApiError, api, ok } from "../api/client";
import type { SubmitAnswer } from "../api/types";
import { deviceCredential, deviceId, randomHex, rememberReport } from "../lib/device";
import { shrinkPhoto } from "../lib/photo-shrink";
import {
  flushFromPage,
  forgetQueued,
  queueReport,
  rememberSent,
  retrySoon,
  sendNow,
} from "../offline/outbox";
import { isRefusal, type SendStep } from "../offline/outbox-send";
import { getQueued, type SentAnswer } from "../offline/outbox-store";
import type { AnswerValue } from "./attribute-fields";
import type { Draft, Point } from "./use-report-draft";

/**
 * The form's attempt: the report as written (its photos by identity) and the queued record it
 * became. Sending the same report again (after a lost answer) sends that record, with its
 * `Idempotency-Key`, so it cannot make a second report; any change to the report is a new
 * attempt with a new key, and the old attempt is dropped unless it already went through.
 */
let attempt: { written: string; photos: File[]; id: string } | null = null;

/** Sent, or kept on this device to be sent when the connection returns. */
export type SendOutcome = { sent: SentAnswer } | { queued: true };

/**
 * Keeps the report on this device (IndexedDB, photos shrunk), then sends it at once when online:
 * the photos first, then the report. A network failure leaves it queued (and throws, so the form
 * says so); a refusal removes it (and throws, so the form shows it at its field).
 */
export async function sendReport(
  draft: Draft & { point: Point },
  answers: Record<string, AnswerValue>,
  progress?: (step: SendStep) => void,
): Promise<SendOutcome> {
  // The coordinates alone: the API refuses any field it does not take.
  const { lat, lon } = draft.chosen ?? draft.point;
  const json = {
    service: draft.service,
    lat,
    lon,
    description: draft.description,
    deviceId: deviceId(),
    source: "web" as const,
    ...(Object.keys(answers).length ? { attributes: answers } : {}),
  };
  const written = JSON.stringify(json);
  const same =
    attempt?.written === written &&
    attempt.photos.length === draft.photos.length &&
    attempt.photos.every((p, i) => p === draft.photos[i]);
  if (!same || !attempt || !(await getQueued(attempt.id))) {
    // The outbox sent the last attempt meanwhile: it is the report (a second would be a duplicate).
    const sent = await sentMeanwhile();
    if (sent) return { sent };
    const old = attempt && (await getQueued(attempt.id));
    if (old?.state === "waiting" || old?.state === "refused") await forgetQueued(old.id);
    const shrunk = await Promise.all(draft.photos.map((p) => shrinkPhoto(p)));
    const record = await queueReport(json, shrunk);
    attempt = { written, photos: draft.photos, id: record.id };
  }
  const id = attempt.id;
  if (!navigator.onLine) {
    attempt = null;
    // Starts the outbox's retries (and the worker's Background Sync was asked for on queueing).
    void flushFromPage();
    return { queued: true };
  }
  try {
    const record = await sendNow(id, progress);
    attempt = null;
    // Announced by the form itself (it opens the report): not kept for the outbox's notice.
    await forgetQueued(id);
    if (!record.answer) throw new Error("the queued report has no answer");
    return { sent: record.answer };
  } catch (e) {
    if (isRefusal(e)) {
      await forgetQueued(id);
      attempt = null;
    } else retrySoon(e instanceof ApiError ? (e.retryAfterS ?? 0) * 1000 : 0);
    throw e;
  }
}

/**
 * The form's last attempt, if the outbox has sent it since the form said it was kept (its own
 * send got no answer): remembered in "my reports" and taken from the outbox, as the form's own
 * success is, for the form to open it.
 */
export async function sentMeanwhile(): Promise<SentAnswer | null> {
  const record = attempt && (await getQueued(attempt.id));
  if (record?.state !== "sent" || !record.answer) return null;
  attempt = null;
  await rememberSent();
  await forgetQueued(record.id);
  return record.answer;
}

type ReportBody = Parameters<typeof api.reports.$post>[0]["json"];

/** "I see it too"'s attempt in flight or last failed: its body and its `Idempotency-Key`. */
let seeAttempt: { body: string; key: string } | null = null;

/**
 * "I see it too": sends a report from this device at once, with its attempt's `Idempotency-Key`,
 * and remembers it here (a tap on a page that is online; the form goes through the outbox).
 */
export async function postReport(json: ReportBody): Promise<SubmitAnswer> {
  // The credential is the device's, the same on every retry, so it does not change the attempt.
  const credential = await deviceCredential();
  const sent = { ...json, ...(credential ? { deviceCredential: credential } : {}) };
  const body = JSON.stringify(sent);
  if (seeAttempt?.body !== body) seeAttempt = { body, key: randomHex() };
  const answer = await ok(
    api.reports.$post({ json: sent }, { headers: { "idempotency-key": seeAttempt.key } }),
  );
  seeAttempt = null;
  rememberReport({
    id: answer.report.id,
    clusterId: answer.cluster.id,
    service: json.service,
    createdAt: answer.report.createdAt,
    receipt: answer.receipt,
    description: json.description.slice(0, 120),
  });
  return answer;
}
