import { api, ok } from "../api/client";
import type { SubmitAnswer } from "../api/types";
import { deviceCredential, deviceId, rememberReport } from "../lib/device";
import { uploadPhotos } from "../lib/upload-photos";
import type { AnswerValue } from "./attribute-fields";
import type { Draft, Point } from "./use-report-draft";

/**
 * Uploads the photos, sends the report and remembers it on this device (no account). The report
 * goes to the chosen nearby cluster's place, where the intake joins it to that cluster.
 */
export async function sendReport(
  draft: Draft & { point: Point },
  answers: Record<string, AnswerValue>,
): Promise<SubmitAnswer> {
  const photoIds = await uploadPhotos(draft.photos);
  const at = draft.chosen ? { lat: draft.chosen.lat, lon: draft.chosen.lon } : draft.point;
  const credential = await deviceCredential();
  const answer = await ok(
    api.reports.$post({
      json: {
        service: draft.service,
        ...at,
        description: draft.description,
        deviceId: deviceId(),
        ...(credential ? { deviceCredential: credential } : {}),
        source: "web",
        ...(photoIds.length ? { photoIds } : {}),
        ...(Object.keys(answers).length ? { attributes: answers } : {}),
      },
    }),
  );
  rememberReport({
    id: answer.report.id,
    clusterId: answer.cluster.id,
    service: draft.service,
    createdAt: answer.report.createdAt,
    receipt: answer.receipt,
  });
  return answer;
}
