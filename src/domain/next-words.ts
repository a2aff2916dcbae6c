import { fill } from "./fill";

/**
 * "Tell them once": the words saying who has a problem (or how many more residents it waits
 * for), the deadlines it is held to and what happens next. One source for the report and problem
 * pages (`web/src/parts/whats-next.tsx`, through the web app's message tables) and the first
 * message a follower gets (`notices.ts`). Placeholders are `{name}`; a key ending `One` is the
 * singular form for `n` = 1.
 */
const en = {
  nextTitle: "What happens next",
  nextGoesTo: "It goes to {department} once {n} more people report it.",
  nextGoesToOne: "It goes to {department} once 1 more person reports it.",
  nextUnrouted:
    "No department takes this kind of problem here yet: once {n} more people report it, the administrator passes it on.",
  nextUnroutedOne:
    "No department takes this kind of problem here yet: once 1 more person reports it, the administrator passes it on.",
  nextLapsed:
    "It will not go to a department: {threshold} people are needed, and none has reported it in the {window} since the last report.",
  nextWithdrawn: "It will not go to a department: the city no longer takes reports of this kind of problem.",
  nextHeldTo: "Once sent, the department must acknowledge it within {ack} and fix it within {resolve}.",
  nextHandles: "{department} handles it. It must acknowledge it by {ack} and fix it by {resolve}.",
  nextFixBy: "{department} has acknowledged it and must fix it by {resolve}.",
  nextFixAgainBy: "Reopened after it was fixed: {department} must fix it again by {resolve}.",
  nextLateAck: "{department} has it and is late: it was to acknowledge it by {ack}, and has not yet.",
  nextLateResolve: "{department} has it and is late: it was to fix it by {resolve}.",
  nextScheduled: "It is scheduled to be dealt with on {time}.",
  nextAwaitsDepartment:
    "No department has taken it yet: the administrator passes it on, and its deadlines run from then.",
  nextFinished:
    "{department} has finished with it. Still there? The residents who reported it can say so from their report's page.",
  nextFinishedHere: "{department} has finished with it. Still there? Say so below.",
  nextRejected:
    "{department} sent it back as not its own: the administrator passes it to the department it belongs to, and its deadlines run from then.",
  nextDuplicate:
    "It is the same problem as one reported before: it is followed there, on that problem's page.",
  durationHours: "{n} hours",
  durationHoursOne: "1 hour",
  durationDays: "{n} days",
  durationDaysOne: "1 day",
  durationMinutes: "{n} minutes",
  durationMinutesOne: "1 minute",
};

export type NextWordKey = keyof typeof en;

const zh: Record<NextWordKey, string> = {
  nextTitle: "接下来会怎样",
  nextGoesTo: "再有 {n} 人报告后，将派发给{department}。",
  nextGoesToOne: "再有 1 人报告后，将派发给{department}。",
  nextUnrouted: "此处暂无部门负责此类问题：再有 {n} 人报告后，由管理员转交。",
  nextUnroutedOne: "此处暂无部门负责此类问题：再有 1 人报告后，由管理员转交。",
  nextLapsed: "它不会派发给部门：需要 {threshold} 人报告，而最后一次报告后的 {window}内无人再报告。",
  nextWithdrawn: "它不会派发给部门：本市已不再受理此类问题的报告。",
  nextHeldTo: "派发后，部门须在 {ack}内受理，并在 {resolve}内办结。",
  nextHandles: "由{department}负责处理。须在 {ack}前受理，在 {resolve}前办结。",
  nextFixBy: "{department}已受理，须在 {resolve}前办结。",
  nextFixAgainBy: "办结后已重新打开：{department}须在 {resolve}前重新办结。",
  nextLateAck: "由{department}负责处理，已逾期：应在 {ack}前受理，至今尚未受理。",
  nextLateResolve: "由{department}负责处理，已逾期：应在 {resolve}前办结。",
  nextScheduled: "已安排在 {time}处理。",
  nextAwaitsDepartment: "尚无部门接手：由管理员转交，期限自转交时起算。",
  nextFinished: "{department}已办结。问题仍在？报告过的居民可在自己的报告页面说明。",
  nextFinishedHere: "{department}已办结。问题仍在？请在本页下方说明。",
  nextRejected: "{department}认为不属于本部门职责，已退回：由管理员转交给负责的部门，期限自转交时起算。",
  nextDuplicate: "这与之前报告的一个问题相同：已并入该问题，请在该问题的页面关注进展。",
  durationHours: "{n} 小时",
  durationHoursOne: "1 小时",
  durationDays: "{n} 天",
  durationDaysOne: "1 天",
  durationMinutes: "{n} 分钟",
  durationMinutesOne: "1 分钟",
};

/** The words in English and Simplified Chinese, spread into the web app's tables. */
export const NEXT_WORDS = { en, zh };

export type NextLang = keyof typeof NEXT_WORDS;

/** One of the words filled in, the singular form taken for `n` = 1. */
export function nextWord(lang: NextLang, key: NextWordKey, values: Record<string, string | number> = {}) {
  const table: Record<string, string> = NEXT_WORDS[lang];
  const one = values.n === 1 ? table[`${key}One`] : undefined;
  return fill(one ?? table[key] ?? key, values);
}

/**
 * A deadline's length in words: whole days from two days up, else hours (to a tenth: a service may
 * set 1.5), under an hour minutes ("0.03 hours" is nothing a resident or a call-taker can say).
 */
export function durationWords(lang: NextLang, hours: number): string {
  if (hours >= 48 && hours % 24 === 0) return nextWord(lang, "durationDays", { n: hours / 24 });
  if (hours < 1) return nextWord(lang, "durationMinutes", { n: Math.max(1, Math.round(hours * 60)) });
  return nextWord(lang, "durationHours", { n: Math.round(hours * 10) / 10 });
}

/** What is known of where a problem stands; names and times already in the reader's language. */
export interface NextFacts {
  /** The department that has it, or (no work order yet) the one it will go to; null: none. */
  department: string | null;
  /** The work order, its deadlines and any scheduled date as the reader reads times. */
  workOrder: {
    status: string | null;
    ack: string;
    resolve: string;
    scheduled: string | null;
    /** The deadline it owes next and whether it has passed; unknown, both deadlines are named. */
    next?: { kind: "acknowledge" | "resolve"; late: boolean } | null;
  } | null;
  /** How many more residents it waits for (no work order yet). */
  missing: number;
  /**
   * Still gathering reports, the service's window passed since the last (in words): it takes no
   * more, so the residents it waits for can never come. With the threshold they would have made.
   */
  lapsed?: { window: string; threshold: number } | null;
  /** Still gathering reports, its service withdrawn by the city: no more reports of it are taken. */
  withdrawn?: boolean;
  /** The service's deadlines in hours, that a work order will be held to; null when unknown. */
  held: { ackHours: number; resolveHours: number } | null;
  /** Read by a reporter on their own report's page, where they can say it is still there. */
  reporterHere?: boolean;
}

/** The page's paragraphs: where it stands, the deadlines it will be held to, the date it is scheduled for. */
export interface NextAnswer {
  status: string;
  heldTo: string | null;
  scheduled: string | null;
}

/** Work orders done with: their deadlines and plans are history. */
export const FINISHED_STATUSES = ["resolved", "closed", "duplicate"];

/** The "what happens next" answer, in the reader's language. */
export function whatHappensNext(lang: NextLang, f: NextFacts): NextAnswer {
  const wo = f.workOrder;
  const department = f.department ?? "";
  if (!wo) {
    const { held } = f;
    if (f.withdrawn) return { status: nextWord(lang, "nextWithdrawn"), heldTo: null, scheduled: null };
    if (f.lapsed) return { status: nextWord(lang, "nextLapsed", f.lapsed), heldTo: null, scheduled: null };
    return {
      status: f.department
        ? nextWord(lang, "nextGoesTo", { department, n: f.missing })
        : nextWord(lang, "nextUnrouted", { n: f.missing }),
      heldTo: held
        ? nextWord(lang, "nextHeldTo", {
            ack: durationWords(lang, held.ackHours),
            resolve: durationWords(lang, held.resolveHours),
          })
        : null,
      scheduled: null,
    };
  }
  const finished = FINISHED_STATUSES.includes(wo.status ?? "");
  const words = { department, ack: wo.ack, resolve: wo.resolve };
  const owed = wo.next;
  // A passed deadline is said as passed: "must acknowledge it by" a date weeks ago misleads.
  // Sent back, or merged: the department named is no longer on it, nor are its deadlines.
  const status =
    wo.status === "duplicate"
      ? nextWord(lang, "nextDuplicate")
      : wo.status === "rejected" && f.department
        ? nextWord(lang, "nextRejected", { department })
        : !f.department
          ? nextWord(lang, "nextAwaitsDepartment")
          : finished
            ? nextWord(lang, f.reporterHere ? "nextFinishedHere" : "nextFinished", { department })
            : owed?.late
              ? nextWord(lang, owed.kind === "acknowledge" ? "nextLateAck" : "nextLateResolve", words)
              : owed?.kind === "resolve"
                ? // Reopened, it was never acknowledged again: "has acknowledged it" would be untrue.
                  nextWord(lang, wo.status === "reopened" ? "nextFixAgainBy" : "nextFixBy", words)
                : nextWord(lang, "nextHandles", words);
  return {
    status,
    heldTo: null,
    scheduled: wo.scheduled && !finished ? nextWord(lang, "nextScheduled", { time: wo.scheduled }) : null,
  };
}
