/**
 * What the three dispatch methods share about a follow-up (`domain/follow-up.ts`): its words as
 * they may leave now, why it is not sent at all, and the outcomes of not sending and of waiting.
 */
import {
  FLAG_HOLD_MAX_MS,
  FOLLOW_UP_HOLD_MS,
  type FollowUpWords,
  followUpWords,
  isFinished,
} from "../domain/follow-up";
import type { AttemptOutcome, DeliveryRow } from "../store/outbox";
import { delivered } from "./outcome";
import { photoLinks } from "./problem";

/**
 * The words that may leave now, or why not ("hidden": never; "held": a flag waits for review, at
 * most `FLAG_HOLD_MAX_MS` from the row's making).
 */
export const wordsOf = (
  row: DeliveryRow,
  publicUrl: string,
  now: number,
): FollowUpWords | "hidden" | "held" =>
  followUpWords({
    eventType: row.eventType,
    note: row.eventNote,
    description: row.followDescription,
    mediaUrl: row.followMediaUrl,
    hidden: !!row.followHidden,
    flagged: !!row.followFlagged && now - row.createdAt < FLAG_HOLD_MAX_MS,
    photoUrls: photoLinks(row.followPhotoIds, publicUrl),
  });

/** Why a follow-up is no longer sent: its work order is finished, or the city closed its request. */
export const tooLate = (row: DeliveryRow): string | null =>
  isFinished(row.status)
    ? `the work order is ${row.status}`
    : row.remoteStatus === "closed"
      ? "the city's request is closed"
      : null;

/** The row settled without sending anything: `why` stays on it for the admin. */
export const unsent = (row: DeliveryRow, now: number, why: string): AttemptOutcome =>
  delivered(row, now, { error: `not sent: ${why}` });

/** The row put off until `at`, not tried (`recordAttempts` logs no attempt for it). */
export const heldUntil = (row: DeliveryRow, now: number, at: number): AttemptOutcome => ({
  row,
  at: now,
  httpStatus: null,
  latencyMs: 0,
  error: null,
  state: "pending",
  nextAttemptAt: at,
  held: true,
});

/**
 * A follow-up's words if they leave now, else its outcome: settled unsent (too late, or the
 * report is hidden) or held (a flag waits for review).
 */
export function gate(row: DeliveryRow, now: number, publicUrl: string): FollowUpWords | AttemptOutcome {
  const late = tooLate(row);
  if (late) return unsent(row, now, late);
  // The hold is the moderation rule, not only a due date: a row woken early (a department saved
  // with a webhook wakes what waited for one) still waits it out.
  const holdEnds = row.createdAt + FOLLOW_UP_HOLD_MS;
  if (now < holdEnds) return heldUntil(row, now, holdEnds);
  const words = wordsOf(row, publicUrl, now);
  if (words === "hidden")
    return unsent(
      row,
      now,
      `the ${row.eventType === "update_posted" ? "note" : "report"} is hidden by moderators`,
    );
  if (words === "held") return heldUntil(row, now, now + FOLLOW_UP_HOLD_MS);
  return words;
}

/** Whether `gate` let the words through. */
export const passed = (g: FollowUpWords | AttemptOutcome): g is FollowUpWords => "text" in g;
