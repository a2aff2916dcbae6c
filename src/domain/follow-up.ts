/**
 * Follow-ups: what residents say about a problem after its work order went to a department (a
 * later report joining the cluster, a resident's update through a client app), and when those
 * words may leave. Pure.
 *
 * The moderation rule: a report's words leave only after a hold (`FOLLOW_UP_HOLD_MS`, time for a
 * resident's flag or a moderator), and only while the report is visible and no flag on it waits
 * for review; a hidden report never leaves (its row is settled unsent), a flagged one waits for
 * the moderators' decision. Photos leave on the same terms, one by one. A resident's update from a
 * keyed client app is a note on the timeline, moderated as a note: hidden, it never leaves; flagged,
 * it waits as a report does.
 */
import { cityTimeWords } from "./city-time";
import { quoted } from "./mail-text";
import type { WorkOrderStatus } from "./states";

/** The events whose words follow a work order to its department. */
export const FOLLOW_UP_EVENTS = ["report_added", "update_posted"] as const;
export type FollowUpEvent = (typeof FOLLOW_UP_EVENTS)[number];
export const isFollowUp = (eventType: string): eventType is FollowUpEvent =>
  (FOLLOW_UP_EVENTS as readonly string[]).includes(eventType);

/** How long new words wait before they leave: a flag or a moderator can stop them meanwhile. */
export const FOLLOW_UP_HOLD_MS = 10 * 60_000;

/**
 * How long a flag waiting for the moderators holds a report's words back from the department; then
 * they leave (the department's console shows them anyway). Without an end, a flood of flags no
 * moderator gets to would silence residents' follow-ups for good.
 */
export const FLAG_HOLD_MAX_MS = 24 * 3_600_000;

/** At most one follow-up mail per work order in this time: a busy cluster is coalesced. */
export const MAIL_FOLLOW_UP_EVERY_MS = 3_600_000;

/** Work orders whose department hears residents' later words: with it and not yet done. */
export const HEARING_STATUSES = [
  "dispatched",
  "acknowledged",
  "scheduled",
  "in_progress",
  "reopened",
] as const satisfies readonly WorkOrderStatus[];

/** Work-order statuses after which nothing more is sent: the department is done with it. */
const FINISHED: readonly WorkOrderStatus[] = ["resolved", "closed", "duplicate"];
export const isFinished = (status: string) => FINISHED.includes(status as WorkOrderStatus);

/** What the outbox knows of one follow-up when it delivers it. */
export interface FollowUpFacts {
  eventType: string;
  /** The update's note (`update_posted`). */
  note: string | null;
  /** The later report's words, link and state (`report_added`). */
  description: string | null;
  mediaUrl: string | null;
  hidden: boolean;
  flagged: boolean;
  /** URLs of the report's visible, unflagged photos. */
  photoUrls: string[];
}

/** The words that leave: text, links to pictures. */
export interface FollowUpWords {
  text: string;
  photoUrls: string[];
}

/**
 * The words that may leave now, `"hidden"` (never: settle the row unsent) or `"held"` (a flag
 * waits for review: try again later).
 */
export function followUpWords(f: FollowUpFacts): FollowUpWords | "hidden" | "held" {
  if (f.hidden) return "hidden";
  if (f.flagged) return "held";
  if (f.eventType === "update_posted") return { text: f.note?.trim() || "", photoUrls: [] };
  const photoUrls = [...(f.mediaUrl ? [f.mediaUrl] : []), ...f.photoUrls];
  return { text: f.description?.trim() || "", photoUrls };
}

/** The text of an update to the city's request: the mark first, then the words and pictures. */
export function updateText(mark: string, words: FollowUpWords, kind: string): string {
  const who = kind === "update_posted" ? "A resident's update" : "Another resident reported this problem";
  return [
    mark,
    `${who}:`,
    words.text || "(no words)",
    ...(words.photoUrls.length ? [`Pictures:\n${words.photoUrls.join("\n")}`] : []),
  ].join("\n\n");
}

const indent = (lines: string) =>
  lines
    .split("\n")
    .map((l) => `   ${l}`)
    .join("\n");

/**
 * A short bilingual follow-up mail to an e-mail department: every new item since the last one,
 * numbered, with the public page. No reporter's contact is in it.
 */
export function followUpMail(f: {
  workOrderId: string;
  service: { zh: string; en: string };
  pageUrl: string;
  items: (FollowUpWords & { kind: string; at: number })[];
}): { subject: string; text: string } {
  const item = (zh: boolean) => (w: (typeof f.items)[number], i: number) =>
    [
      `${i + 1}. ${cityTimeWords(w.at, zh ? "zh" : "en")} ${
        w.kind === "update_posted"
          ? zh
            ? "居民补充"
            : "A resident's update"
          : zh
            ? "又一位居民报告"
            : "Another report"
      }`,
      // Marked as quoted, so a resident's line cannot pass for this mail's own ("Public page: …").
      w.text ? indent(quoted(w.text)) : `   ${zh ? "（无文字）" : "(no words)"}`,
      ...w.photoUrls.map((u) => `   ${u}`),
    ].join("\n");
  const zh = [
    `工单 ${f.workOrderId} 的新情况（${f.items.length} 条）：`,
    ...f.items.map(item(true)),
    `公开页面：${f.pageUrl}`,
  ];
  const en = [
    `New on work order ${f.workOrderId} (${f.items.length}):`,
    ...f.items.map(item(false)),
    `Public page: ${f.pageUrl}`,
  ];
  return {
    subject: `工单跟进 Work order follow-up: ${f.service.zh} / ${f.service.en} (${f.workOrderId})`,
    text: `${zh.join("\n")}\n\n---\n\n${en.join("\n")}\n`,
  };
}
