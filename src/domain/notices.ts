/**
 * What CivicLoop tells a follower, and in which words: which events are worth a message, and the
 * text of each message in the follower's language. Pure: the links and facts are passed in.
 */

import { cityDayWords, cityTimeWords } from "./city-time";
import { FIXTURE_CLOSED_NOTE } from "./lifecycle";
import { quoted } from "./mail-text";
import { NEXT_WORDS, type NextFacts, whatHappensNext } from "./next-words";
import type { EventType, WorkOrderStatus } from "./states";

export type Lang = "zh" | "en";

/** The changes a follower hears about; every other event (a new report, a rating) sends nothing. */
export const NOTICES = [
  "dispatched",
  "acknowledged",
  "scheduled",
  "resolved",
  "reopened",
  "overdue",
  "verified",
  "not_defect",
  "sent_back",
] as const;
export type Notice = (typeof NOTICES)[number];

/** Events that always tell followers something, and events that do by the status they move to. */
export const NOTICE_EVENTS = ["deadline_missed", "rerouted"] as const satisfies readonly EventType[];
export const STATUS_EVENTS = ["status_changed", "work_order_created"] as const satisfies readonly EventType[];
export const NOTICE_STATUSES = [
  "dispatched",
  "acknowledged",
  "scheduled",
  "resolved",
  "reopened",
  "closed",
] as const satisfies readonly WorkOrderStatus[];
/**
 * A rejection tells followers when it stands alone: one the system rerouted at once tells them
 * the problem was sent to the next department, and one as a fixture that it is no defect.
 */
export const SENT_BACK_STATUS = "rejected" satisfies WorkOrderStatus;

/** The notice an event makes, or null for one that tells a follower nothing new. */
export function noticeOf(
  type: EventType,
  to: WorkOrderStatus | null,
  note: string | null = null,
): Notice | null {
  if (type === "deadline_missed") return "overdue";
  if (type === "rerouted") return "dispatched";
  if (type !== "status_changed" && type !== "work_order_created") return null;
  switch (to) {
    case "dispatched":
      return "dispatched";
    case "acknowledged":
    case "scheduled":
    case "resolved":
    case "reopened":
      return to;
    // Closed is the final word after a resolution (the fix was checked), or after a rejection as
    // a fixture (`store/transitions.ts`): no defect, nothing was fixed.
    case "closed":
      return note === FIXTURE_CLOSED_NOTE ? "not_defect" : "verified";
    case "rejected":
      return "sent_back";
    default:
      return null;
  }
}

/** The links every follower's message carries. */
export interface FollowLinks {
  page: string;
  unsubscribe: string;
  manage: string;
}

export interface EventFacts {
  notice: Notice;
  service: string;
  department: string | null;
  /** The deadline that applies next (acknowledge or resolve), ms; for `overdue`, the one missed. */
  dueAt: number | null;
  /** The deadline to fix it, ms: a dispatched problem's message names both, as its page does. */
  resolveDueAt: number | null;
  scheduledFor: number | null;
  note: string | null;
  photoUrl: string | null;
}

export interface Message {
  subject: string;
  text: string;
}

const WORDS = {
  en: {
    confirmSubject: (s: string) => `Confirm: follow "${s}"`,
    confirmBody:
      "Open this link and press Confirm to receive news of this problem (nothing is sent before you do):",
    hear: "How you will hear: once you confirm, one message at each change (sent, acknowledged, scheduled, fixed, reopened, late, sent back, verified), each with a one-click unsubscribe.",
    eventSubject: (s: string, what: string) => `${s}: ${what}`,
    notice: {
      dispatched: "sent to the department",
      acknowledged: "acknowledged by the department",
      scheduled: "work scheduled",
      resolved: "reported fixed",
      reopened: "reopened: residents say it is still there",
      overdue: "late: a deadline was missed",
      verified: "fix verified, closed",
      not_defect: "closed: not a defect but a known road feature (a manhole cover, a speed bump…)",
      sent_back: "sent back by the department: it waits to be passed to the department responsible",
    } satisfies Record<Notice, string>,
    who: (d: string) => `Handled by: ${d}`,
    due: (d: string) => `Due by: ${d}`,
    ackBy: (d: string) => `Acknowledge by: ${d}`,
    fixBy: (d: string) => `Fix by: ${d}`,
    wasDue: (d: string) => `It was due by: ${d}`,
    on: (d: string) => `Scheduled for: ${d}`,
    note: "The department's note:",
    residents: "What residents say:",
    photo: "Photo from the site:",
    page: "The problem's page:",
    unsubscribe: "Stop these messages (open the link and press the button):",
    manage: "See and end all your follows:",
    askSubject: (s: string) => `Is it fixed? ${s}`,
    askBody:
      "The department reported the problem you sent as fixed. Is it? Tell us on this page (fixed, or still there and what is wrong), with stars if it is fixed:",
    askStop:
      "No more of these questions (open the link and press the button; your address is deleted from your report):",
  },
  zh: {
    confirmSubject: (s: string) => `请确认：关注“${s}”`,
    confirmBody: "打开此链接并点击“确认”，即可接收该问题的进展（确认前不会再发送任何邮件）：",
    hear: "如何得知进展：确认后，每次变化（派发、受理、安排处理、办结、重新打开、逾期、退回、核实办结）各发一条消息，每条都可一键退订。",
    eventSubject: (s: string, what: string) => `${s}：${what}`,
    notice: {
      dispatched: "已派发给责任部门",
      acknowledged: "部门已受理",
      scheduled: "已安排处理",
      resolved: "部门报告已办结",
      reopened: "已重新打开：居民反映问题仍在",
      overdue: "已逾期：错过了办理期限",
      verified: "办结已核实，已关闭",
      not_defect: "已关闭：不是路面缺陷，而是已知的道路设施（如井盖、减速带）",
      sent_back: "部门已退回，等待转交责任部门",
    } satisfies Record<Notice, string>,
    who: (d: string) => `责任部门：${d}`,
    due: (d: string) => `办理期限：${d}`,
    ackBy: (d: string) => `受理期限：${d}`,
    fixBy: (d: string) => `办结期限：${d}`,
    wasDue: (d: string) => `原定期限：${d}`,
    on: (d: string) => `计划日期：${d}`,
    note: "部门说明：",
    residents: "居民反映：",
    photo: "现场照片：",
    page: "问题页面：",
    unsubscribe: "退订（打开链接后点击按钮）：",
    manage: "查看并取消您的全部关注：",
    askSubject: (s: string) => `修好了吗？${s}`,
    askBody:
      "您反映的问题，部门报告已修复。真的修好了吗？请在此页面告诉我们（已修好，或仍然存在及还有什么问题）；如已修好，请打星评价：",
    askStop: "不再询问（打开链接后点击按钮；您的地址将从报告中删除）：",
  },
};

const footer = (lang: Lang, links: FollowLinks) => {
  const w = WORDS[lang];
  return [
    "",
    `${w.page} ${links.page}`,
    "",
    `${w.unsubscribe} ${links.unsubscribe}`,
    `${w.manage} ${links.manage}`,
  ];
};

/**
 * The most a push payload may hold, in UTF-8 bytes: push services refuse bodies over 4,096 bytes
 * (RFC 8030 §7.2, 413), and RFC 8291's encryption adds 103 to the payload; kept under that.
 */
export const PUSH_PAYLOAD_BYTES = 3800;
const utf8Bytes = (text: string) => new TextEncoder().encode(text).length;

/**
 * A message as a Web Push payload: what the service worker (`web/src/sw.ts`) shows, and opens on a
 * tap. A text too long for a push (a long note, in Chinese three bytes a character) is cut, marked
 * with "…": the tap opens the problem's page, which has it all.
 */
export function pushPayload(message: Message, url: string): string {
  const payload = (body: string) => JSON.stringify({ title: message.subject, body, url });
  const whole = payload(message.text);
  if (utf8Bytes(whole) <= PUSH_PAYLOAD_BYTES) return whole;
  const chars = Array.from(message.text);
  const cut = (n: number) => payload(`${chars.slice(0, n).join("").trimEnd()}…`);
  let [fits, over] = [0, chars.length];
  while (over - fits > 1) {
    const mid = Math.floor((fits + over) / 2);
    if (utf8Bytes(cut(mid)) <= PUSH_PAYLOAD_BYTES) fits = mid;
    else over = mid;
  }
  return cut(fits);
}

/** Where a problem stands when someone starts to follow it: the facts of the page's "what happens next". */
export interface ProblemNow {
  /** The department's name in the follower's language: the one that has it, or (waiting) will get it. */
  department: string | null;
  workOrder: {
    status: string | null;
    ackDueAt: number;
    resolveDueAt: number;
    scheduledFor: number | null;
    /** The deadline it owes next and whether it has passed, as the page says it. */
    next?: { kind: "acknowledge" | "resolve"; late: boolean } | null;
  } | null;
  /** How many more residents it waits for (no work order yet). */
  missing: number;
  /** Still gathering reports past its window: it never goes to a department. */
  lapsed?: NextFacts["lapsed"];
  held: NextFacts["held"];
}

/** The page's "tell them once" answer, in the same words (`next-words.ts`), with the city's time. */
function answerLines(lang: Lang, now: ProblemNow): string[] {
  const wo = now.workOrder;
  const next = whatHappensNext(lang, {
    ...now,
    workOrder: wo && {
      status: wo.status,
      ack: cityTimeWords(wo.ackDueAt, lang),
      resolve: cityTimeWords(wo.resolveDueAt, lang),
      scheduled: wo.scheduledFor === null ? null : cityDayWords(wo.scheduledFor, lang),
      next: wo.next ?? null,
    },
  });
  const lines = [next.status, next.heldTo, next.scheduled].filter((l): l is string => l !== null);
  return ["", NEXT_WORDS[lang].nextTitle, ...lines, WORDS[lang].hear];
}

/**
 * The double opt-in message: the confirmation link (nothing else is sent before it is used), and
 * the answer the problem's page gives: who has it or what it waits for, its deadlines, how news comes.
 */
export function confirmMessage(
  lang: Lang,
  service: string,
  confirmUrl: string,
  links: FollowLinks,
  now: ProblemNow,
): Message {
  const w = WORDS[lang];
  return {
    subject: w.confirmSubject(service),
    text: [w.confirmBody, confirmUrl, ...answerLines(lang, now), ...footer(lang, links)].join("\n"),
  };
}

/** A change of the problem, for a confirmed follower. */
export function eventMessage(lang: Lang, facts: EventFacts, links: FollowLinks): Message {
  const w = WORDS[lang];
  const lines = [w.eventSubject(facts.service, w.notice[facts.notice])];
  if (facts.department && (facts.notice === "dispatched" || facts.notice === "acknowledged"))
    lines.push(w.who(facts.department));
  const { dueAt, resolveDueAt } = facts;
  if (facts.notice === "dispatched") {
    // The deadlines as the problem's page states them ("what happens next").
    if (dueAt !== null) lines.push(w.ackBy(cityTimeWords(dueAt, lang)));
    if (resolveDueAt !== null) lines.push(w.fixBy(cityTimeWords(resolveDueAt, lang)));
  } else if (facts.notice === "overdue") {
    if (dueAt !== null) lines.push(w.wasDue(cityTimeWords(dueAt, lang)));
  } else if (dueAt !== null && (facts.notice === "acknowledged" || facts.notice === "reopened"))
    lines.push(w.due(cityTimeWords(dueAt, lang)));
  if (facts.notice === "scheduled" && facts.scheduledFor !== null)
    lines.push(w.on(cityDayWords(facts.scheduledFor, lang)));
  // Whose words: a reopening's are the residents'; a missed deadline's are the system's own
  // (in English), which the notice itself already says.
  // Marked as quoted: a line of them could otherwise read as the notice's own ("Stop: https://…").
  if (facts.note && facts.notice === "reopened") lines.push("", w.residents, quoted(facts.note));
  // and a fixture's closing is the system's, in the words of the notice itself.
  else if (facts.note && facts.notice !== "overdue" && facts.notice !== "not_defect")
    lines.push("", w.note, quoted(facts.note));
  if (facts.photoUrl) lines.push("", `${w.photo} ${facts.photoUrl}`);
  return {
    subject: w.eventSubject(facts.service, w.notice[facts.notice]),
    text: [...lines, ...footer(lang, links)].join("\n"),
  };
}

/** "Is it fixed?": the questionnaire's link, to a reporter who left an e-mail, and its unsubscribe link. */
export function askMessage(
  lang: Lang,
  service: string,
  links: { ask: string; page: string; unsubscribe: string },
): Message {
  const w = WORDS[lang];
  return {
    subject: w.askSubject(service),
    text: [w.askBody, links.ask, "", `${w.page} ${links.page}`, "", `${w.askStop} ${links.unsubscribe}`].join(
      "\n",
    ),
  };
}
