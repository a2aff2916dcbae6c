/** The JSON a department's webhook receives for one event. */

import { publicAnswers } from "../domain/attributes";
import { deadlineFlag, nextDeadline } from "../domain/deadlines";
import type { FollowUpWords } from "../domain/follow-up";
import { to7 } from "../domain/geo";
import { iso } from "../domain/iso-time";
import { clusterPageUrl } from "../domain/links";
import type { WorkOrderStatus } from "../domain/states";
import { HANDED_OVER } from "../domain/states";
import { mergedFromNote } from "../store/merges";
import { type DeliveryRow, takenAway } from "../store/outbox";
import { photoLinks, reportAnswers, serviceQuestions } from "./problem";

/** Builds the body; `now` decides the flag as it stands when sent. No reporter's data is in it. */
export function webhookPayload(
  row: DeliveryRow,
  publicUrl: string,
  now: number,
  words?: FollowUpWords,
  place?: { en: string | null; zh: string | null } | null,
) {
  const facts = {
    status: row.status as WorkOrderStatus,
    ackDueAt: row.ackDueAt,
    resolveDueAt: row.resolveDueAt,
    deadlinesFrom: row.deadlinesFrom,
  };
  const next = nextDeadline(facts);
  const away = takenAway(row);
  const mergedFrom = row.eventType === "merged" ? mergedFromNote(row.eventNote) : null;
  return {
    id: row.eventId,
    type: away ? "rerouted_away" : row.eventType,
    at: iso(row.eventAt),
    event: { from: row.fromStatus, to: row.toStatus, note: row.eventNote, actor: row.eventActor },
    department: row.departmentCode,
    ...(away ? { reroutedTo: row.eventDepartmentCode } : {}),
    workOrder: {
      id: row.workOrderId,
      status: row.status,
      scheduledFor: iso(row.scheduledFor),
      createdAt: iso(row.workOrderCreatedAt),
      flag: deadlineFlag(facts, now),
      deadlines: {
        acknowledge: iso(row.ackDueAt),
        resolve: iso(row.resolveDueAt),
        next: next ? { kind: next.kind, at: iso(next.at) } : null,
      },
    },
    cluster: {
      id: row.clusterId,
      state: row.clusterState,
      reports: row.reportCount,
      reporters: row.reporterCount,
    },
    service: { code: row.serviceCode, name: { en: row.serviceNameEn, zh: row.serviceNameZh } },
    location: { lat: to7(row.lat), lon: to7(row.lon) },
    reportCount: row.reportCount,
    url: clusterPageUrl(publicUrl, row.clusterId),
    // Handed over (created, rerouted here): what the problem is, as a mail or an Open311 request says it.
    ...(HANDED_OVER.has(row.eventType) && !away
      ? {
          problem: {
            description: row.description ?? "",
            place: place?.en && place.zh ? { en: place.en, zh: place.zh } : null,
            // The service's own questions only: what else an Open311 client sent is named by its sender
            // (`attribute[email]`) and goes to the city's Open311 system alone.
            attributes: publicAnswers(serviceQuestions(row.questions), reportAnswers(row.attributes)),
            photos: photoLinks(row.photoIds, publicUrl),
          },
        }
      : {}),
    // Merges, linked: the duplicate says what it was merged into, the kept one what it took in.
    ...(row.eventType === "status_changed" && row.toStatus === "duplicate" && row.mergedIntoClusterId
      ? { duplicateOf: { clusterId: row.mergedIntoClusterId, workOrderId: row.mergedIntoWorkOrderId } }
      : {}),
    ...(mergedFrom ? { mergedFrom: { clusterId: mergedFrom } } : {}),
    // A follow-up (`report_added`, `update_posted`): the residents' words and pictures' links.
    ...(words ? { words: { text: words.text, photos: words.photoUrls } } : {}),
  };
}
