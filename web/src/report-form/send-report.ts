import { ApiError, api, ok } from "../api/client";
import type { SubmitAnswer } from "../api/types";
import { deviceCredential, randomHex, rememberReport } from "../lib/device";
import { shrinkPhotos } from "../lib/photo-shrink";
import {
  flushFromPage,
  forgetQueued,
  queueReport,
  rememberSent,
  retrySoon,
  sendNow,
} from "../offline/outbox";
import { isRefusal, refusalError, type SendStep } from "../offline/outbox-send";
import { getQueued, type QueuedReport, type SentAnswer } from "../offline/outbox-store";
import type { AnswerValue } from "./attribute-fields";
import { type Draft, forgetReopened, type Point } from "./use-report-draft";

/**
 * The form's attempt: the report as written (its photos by identity) and the queued record it
 * became. Sending the same report again (after a lost answer) sends that record, with its
 * `Idempotency-Key`, so it cannot make a second report. Another report (the form left and
 * written afresh: a kept one cannot be changed in it) is a new attempt with a new key, and the
 * kept one stays in the outbox, which sends it, or shows it refused, by itself.
 */
let attempt: { written: string; photos: File[]; id: string } | null = null;

/** Sent, or kept on this device to be sent when the connection returns. */
export type SendOutcome = { sent: SentAnswer } | { queued: true };

/**
 * Why the form's report did not go (`cause`), and whether the outbox holds it to send by itself
 * (`kept`): decided here, from what the outbox holds, never guessed from the error's kind.
 */
export class NotSent extends Error {
  constructor(
    readonly cause: unknown,
    readonly kept: boolean,
  ) {
    super("the report was not sent", { cause });
    this.name = "NotSent";
  }
}

/**
 * Keeps the report on this device (IndexedDB, photos shrunk), then sends it at once when online:
 * the photos first, then the report. Fails with `NotSent`: kept when the outbox holds it (no
 * answer, the server's trouble), not when it was refused (removed) or never queued.
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
    source: "web" as const,
    ...(Object.keys(answers).length ? { attributes: answers } : {}),
  };
  const written = JSON.stringify(json);
  let id: string;
  try {
    const same =
      attempt?.written === written &&
      attempt.photos.length === draft.photos.length &&
      attempt.photos.every((p, i) => p === draft.photos[i]);
    const current = attempt && (await getQueued(attempt.id));
    if (!same || !current) {
      // Not the kept report's answer nor its end: that one is the outbox's to send or to show
      // refused (taken for this one, the one written afresh was lost, or the kept one dropped).
      const shrunk = await shrinkPhotos(draft.photos);
      const record = await queueReport(json, shrunk);
      attempt = { written, photos: draft.photos, id: record.id };
      id = record.id;
    } else id = current.id;
  } catch (e) {
    // Not queued (a photo the browser cannot read, storage full): nothing holds it but the form.
    throw new NotSent(e, false);
  }
  if (!navigator.onLine) {
    attempt = null;
    // Safe in the outbox: a refused report it corrects is replaced.
    await forgetReopened();
    // Starts the outbox's retries (and the worker's Background Sync was asked for on queueing).
    void flushFromPage();
    return { queued: true };
  }
  let record: QueuedReport;
  try {
    record = await sendNow(id, progress);
  } catch (e) {
    if (isRefusal(e)) {
      await forgetQueued(id).catch(() => {});
      attempt = null;
      throw new NotSent(e, false);
    }
    retrySoon(e instanceof ApiError ? (e.retryAfterS ?? 0) * 1000 : 0);
    const held = await getQueued(id).catch(() => undefined);
    if (held?.state === "waiting") await forgetReopened();
    throw new NotSent(e, held?.state === "waiting");
  }
  attempt = null;
  // Announced by the form itself (it opens the report, or says why it was refused): not kept for
  // the outbox's notice.
  await forgetQueued(id).catch(() => {});
  if (record.answer) {
    await forgetReopened();
    return { sent: record.answer };
  }
  // Refused by the outbox's own retry before this send took its turn.
  throw new NotSent(
    record.problem ? refusalError(record.problem) : new Error("the queued report has no answer"),
    false,
  );
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
  await forgetReopened();
  return record.answer;
}

/**
 * The form's last attempt, if the outbox's retry was refused since the form said it was kept:
 * taken from the outbox (the form shows why, at its field, with the report still in it).
 */
export async function refusedMeanwhile(): Promise<ApiError | null> {
  const record = attempt && (await getQueued(attempt.id));
  if (record?.state !== "refused" || !record.problem) return null;
  attempt = null;
  await forgetQueued(record.id);
  return refusalError(record.problem);
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
