import { api, ok } from "../api/client";
import type { SubmitAnswer } from "../api/types";
import { deviceCredential, deviceId, randomHex, rememberReport } from "../lib/device";
import { uploadPhotos } from "../lib/upload-photos";
import type { AnswerValue } from "./attribute-fields";
import type { Draft, Point } from "./use-report-draft";

/** Photos already uploaded, so a retry sends the same ids (and so the same body) again. */
const uploaded = new WeakMap<Blob, string>();
/**
 * The attempt in flight or last failed: its body and its `Idempotency-Key`. A retry of the same
 * report (same body) reuses the key, so an answer lost on the way back cannot make a second report;
 * any change to the report is a new attempt with a new key.
 */
let attempt: { body: string; key: string } | null = null;

async function photoIds(photos: File[]): Promise<string[]> {
  const ids: string[] = [];
  for (const photo of photos) {
    const id = uploaded.get(photo) ?? (await uploadPhotos([photo])).at(0);
    if (!id) throw new Error("the photo upload gave no id");
    uploaded.set(photo, id);
    ids.push(id);
  }
  return ids;
}

/**
 * Uploads the photos, sends the report and remembers it on this device (no account). The report
 * goes to the chosen nearby cluster's place, where the intake joins it to that cluster.
 */
export async function sendReport(
  draft: Draft & { point: Point },
  answers: Record<string, AnswerValue>,
): Promise<SubmitAnswer> {
  const ids = await photoIds(draft.photos);
  const at = draft.chosen ? { lat: draft.chosen.lat, lon: draft.chosen.lon } : draft.point;
  const json = {
    service: draft.service,
    ...at,
    description: draft.description,
    deviceId: deviceId(),
    source: "web" as const,
    ...(ids.length ? { photoIds: ids } : {}),
    ...(Object.keys(answers).length ? { attributes: answers } : {}),
  };
  return postReport(json);
}

type ReportBody = Parameters<typeof api.reports.$post>[0]["json"];

/**
 * Sends a report from this device with its attempt's `Idempotency-Key` and remembers it here (the
 * form and "I see it too" both send through this).
 */
export async function postReport(json: ReportBody): Promise<SubmitAnswer> {
  // The credential is the device's, the same on every retry, so it does not change the attempt.
  const credential = await deviceCredential();
  const sent = { ...json, ...(credential ? { deviceCredential: credential } : {}) };
  const body = JSON.stringify(sent);
  if (attempt?.body !== body) attempt = { body, key: randomHex() };
  const answer = await ok(api.reports.$post({ json: sent }, { headers: { "idempotency-key": attempt.key } }));
  attempt = null;
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
