import { FIXTURE_CLOSED_NOTE } from "../../../src/domain/lifecycle";
import type { ClusterDetail } from "../api/types";
import type { MessageKey } from "../i18n/messages";

type TimelineEvent = ClusterDetail["timeline"][number];

/**
 * Street Bump mode's verdicts (after a repair, `store/sensor-repairs.ts`; a fixture closed, `store/transitions.ts`) carry their words in an
 * English note; the page says them in its own language instead. Only the road sensors' or the system's
 * own events are read so: a resident's note in the same words stays the resident's note.
 */
export function sensorVerdict(e: TimelineEvent): { key: MessageKey; n: number } | null {
  if (e.type !== "status_changed" || !e.note) return null;
  const verified =
    e.actor === "system" &&
    e.to === "resolved" &&
    /^verified fixed by (\d+) (?:vehicles|passes without a bump)$/.exec(e.note);
  if (verified) return { key: "eventVerifiedFixed", n: Number(verified[1]) };
  const felt =
    e.actor === "sensor" &&
    e.to === "reopened" &&
    /^still felt by (\d+) vehicles after the repair$/.exec(e.note);
  if (felt) return { key: "eventStillFelt", n: Number(felt[1]) };
  // Rejected as a fixture: the system closes it, as no defect.
  return e.actor === "system" && e.to === "closed" && e.note === FIXTURE_CLOSED_NOTE
    ? { key: "eventKnownFeature", n: 0 }
    : null;
}
