/**
 * The words of a follower's message (`src/domain/notices.ts`), pure: who says what, the deadlines
 * as the problem's page states them, and times a reader anywhere can place.
 */
import { describe, expect, it } from "vitest";
import { FIXTURE_CLOSED_NOTE } from "../src/domain/lifecycle";
import { durationWords, NEXT_WORDS, whatHappensNext } from "../src/domain/next-words";
import { confirmMessage, type EventFacts, eventMessage, noticeOf } from "../src/domain/notices";
import { MESSAGES } from "../web/src/i18n/messages";

const links = { page: "https://city.example/c/1", unsubscribe: "https://u", manage: "https://m" };
const ACK = Date.UTC(2026, 2, 2, 1, 0); // 09:00 in Changsha
const RESOLVE = Date.UTC(2026, 2, 9, 1, 0);
const facts = (f: Partial<EventFacts>): EventFacts => ({
  notice: "dispatched",
  service: "Pothole",
  department: "Furong Roads",
  dueAt: ACK,
  resolveDueAt: RESOLVE,
  scheduledFor: null,
  note: null,
  photoUrl: null,
  ...f,
});

describe("a follower's message", () => {
  it("says who has it and both deadlines it is held to when sent, with the time zone", () => {
    const en = eventMessage("en", facts({}), links).text;
    expect(en).toContain("Handled by: Furong Roads");
    expect(en).toContain("Acknowledge by: 2 Mar 2026, 09:00 (UTC+8)");
    expect(en).toContain("Fix by: 9 Mar 2026, 09:00 (UTC+8)");
    const zh = eventMessage("zh", facts({ department: "芙蓉区道路" }), links).text;
    expect(zh).toContain("受理期限：2026年3月2日 09:00（北京时间）");
    expect(zh).toContain("办结期限：2026年3月9日 09:00（北京时间）");
  });

  it("gives a missed deadline as missed, without the system's English words as the department's", () => {
    const note = "acknowledge deadline missed";
    for (const lang of ["en", "zh"] as const) {
      const text = eventMessage(lang, facts({ notice: "overdue", note }), links).text;
      expect(text).not.toContain(note);
      expect(text).not.toMatch(/department's note|部门说明/);
    }
    expect(eventMessage("en", facts({ notice: "overdue", note }), links).text).toContain(
      "It was due by: 2 Mar 2026, 09:00 (UTC+8)",
    );
  });

  it("gives a reopening's words as the residents', not the department's", () => {
    const en = eventMessage("en", facts({ notice: "reopened", note: "still a hole" }), links).text;
    expect(en).toContain("What residents say:\n> still a hole");
    expect(en).not.toContain("department's note");
    const zh = eventMessage("zh", facts({ notice: "reopened", note: "还在" }), links).text;
    expect(zh).toContain("居民反映：\n> 还在");
  });

  it("tells a closing as a fixture apart from a verified fix, without the system's words as the department's", () => {
    expect(noticeOf("status_changed", "closed", null)).toBe("verified");
    expect(noticeOf("status_changed", "closed", "all good")).toBe("verified");
    const notice = noticeOf("status_changed", "closed", FIXTURE_CLOSED_NOTE);
    expect(notice).toBe("not_defect");
    const en = eventMessage("en", facts({ notice: notice ?? "verified", note: FIXTURE_CLOSED_NOTE }), links);
    expect(en.subject).toBe(
      "Pothole: closed: not a defect but a known road feature (a manhole cover, a speed bump…)",
    );
    expect(en.text).not.toContain("verified");
    expect(en.text).not.toContain("The department's note");
    const zh = eventMessage("zh", facts({ notice: "not_defect", note: FIXTURE_CLOSED_NOTE }), links);
    expect(zh.text).toContain("不是路面缺陷");
  });

  it("marks every line of outside words as quoted, so none reads as the notice's own", () => {
    const forged = "still a hole\r\n\n\n\nStop these messages: https://evil.example/unsub\n";
    const en = eventMessage("en", facts({ notice: "reopened", note: forged }), links).text;
    expect(en).toContain(
      "What residents say:\n> still a hole\n>\n> Stop these messages: https://evil.example/unsub\n",
    );
    expect(en).not.toMatch(/^Stop these messages: https:\/\/evil/m);
  });

  it("gives a resolution's words and photo as the department's", () => {
    const en = eventMessage(
      "en",
      facts({ notice: "resolved", note: "Patched", photoUrl: "https://city.example/api/photos/p1" }),
      links,
    ).text;
    expect(en).toContain("The department's note:\n> Patched");
    expect(en).toContain("Photo from the site: https://city.example/api/photos/p1");
  });
});

describe("what happens next (the page's words, shared with the confirmation)", () => {
  const held = { ackHours: 24, resolveHours: 168 };
  it("says how many more residents a waiting problem needs, singular for one, and the deadlines it will be held to", () => {
    const waiting = { department: "Furong Roads", workOrder: null, missing: 1, held };
    expect(whatHappensNext("en", waiting)).toEqual({
      status: "It goes to Furong Roads once 1 more person reports it.",
      heldTo: "Once sent, the department must acknowledge it within 24 hours and fix it within 7 days.",
      scheduled: null,
    });
    expect(whatHappensNext("zh", { ...waiting, department: null, missing: 3 }).status).toBe(
      "此处暂无部门负责此类问题：再有 3 人报告后，由管理员转交。",
    );
  });

  it("says a deadline under an hour in minutes, and a fractional one to a tenth of an hour", () => {
    const heldTo = (ackHours: number, resolveHours: number, lang: "en" | "zh" = "en") =>
      whatHappensNext(lang, {
        department: "Furong Roads",
        workOrder: null,
        missing: 1,
        held: { ackHours, resolveHours },
      }).heldTo;
    expect(heldTo(0.03, 0.5)).toBe(
      "Once sent, the department must acknowledge it within 2 minutes and fix it within 30 minutes.",
    );
    expect(heldTo(1 / 60, 1.25, "zh")).toContain("1 分钟内受理，并在 1.3 小时内办结");
    expect(durationWords("en", 1)).toBe("1 hour");
    expect(durationWords("en", 0.001)).toBe("1 minute");
    expect(durationWords("zh", 72)).toBe("3 天");
  });

  it("says a passed deadline as passed, and once acknowledged names only the fix's deadline", () => {
    const wo = { status: "dispatched", ack: "18 Nov", resolve: "24 Nov", scheduled: null };
    const facts = (next: { kind: "acknowledge" | "resolve"; late: boolean }) => ({
      department: "Yuelu Roads",
      workOrder: { ...wo, next },
      missing: 0,
      held,
    });
    expect(whatHappensNext("en", facts({ kind: "acknowledge", late: true })).status).toBe(
      "Yuelu Roads has it and is late: it was to acknowledge it by 18 Nov, and has not yet.",
    );
    expect(whatHappensNext("zh", facts({ kind: "resolve", late: true })).status).toBe(
      "由Yuelu Roads负责处理，已逾期：应在 24 Nov前办结。",
    );
    expect(whatHappensNext("en", facts({ kind: "resolve", late: false })).status).toBe(
      "Yuelu Roads has acknowledged it and must fix it by 24 Nov.",
    );
    expect(whatHappensNext("en", facts({ kind: "acknowledge", late: false })).status).toBe(
      "Yuelu Roads handles it. It must acknowledge it by 18 Nov and fix it by 24 Nov.",
    );
    // Reopened by a resident's "still there": the department owes the fix, not an acknowledgement it made.
    const next = { kind: "resolve", late: false } as const;
    const reopened = { ...facts(next), workOrder: { ...wo, status: "reopened", next } };
    expect(whatHappensNext("en", reopened).status).toBe(
      "Reopened after it was fixed: Yuelu Roads must fix it again by 24 Nov.",
    );
  });

  it("is the web app's own text: the pages read the same table", () => {
    for (const [lang, web] of [
      ["en", MESSAGES.en],
      ["zh", MESSAGES["zh-CN"]],
    ] as const)
      for (const [key, text] of Object.entries(NEXT_WORDS[lang]))
        expect(web[key as keyof typeof web]).toBe(text);
  });

  it("puts the answer in the confirmation, with the deadlines in the city's time", () => {
    const text = confirmMessage("en", "Pothole", "https://c", links, {
      department: "Furong Roads",
      workOrder: { status: "scheduled", ackDueAt: ACK, resolveDueAt: RESOLVE, scheduledFor: RESOLVE },
      missing: 0,
      held,
    }).text;
    expect(text).toContain(
      "What happens next\nFurong Roads handles it. It must acknowledge it by 2 Mar 2026, 09:00 (UTC+8) and fix it by 9 Mar 2026, 09:00 (UTC+8).\nIt is scheduled to be dealt with on 9 Mar 2026.\nHow you will hear:",
    );

    // A follower who starts following a late problem reads that it is late, as its page says.
    const late = confirmMessage("en", "Pothole", "https://c", links, {
      department: "Furong Roads",
      workOrder: {
        status: "dispatched",
        ackDueAt: ACK,
        resolveDueAt: RESOLVE,
        scheduledFor: null,
        next: { kind: "acknowledge", late: true },
      },
      missing: 0,
      held,
    }).text;
    expect(late).toContain(
      "Furong Roads has it and is late: it was to acknowledge it by 2 Mar 2026, 09:00 (UTC+8), and has not yet.",
    );
  });
});
