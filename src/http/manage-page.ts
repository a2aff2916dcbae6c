/**
 * The page behind the "manage my follows" link of every mail: the address's follows (problem,
 * place, the problem's status, whether the follow is confirmed), a button ending each and one
 * ending all. One language at a time (the follower's, switchable); plain forms, no script, so it
 * works in any mail client's browser. The address itself is never on it.
 */
import { html } from "hono/html";
import { PUBLIC_STATUS_WORDS, type PublicStatus } from "../domain/public-status";
import { plainPage } from "./plain-page";

export type PageLang = "zh" | "en";

type Listed = {
  cluster: string;
  status: "pending" | "confirmed";
  service: { en: string; zh: string };
  place: { en: string; zh: string } | null;
  problem: PublicStatus;
};

const WORDS = {
  en: {
    title: "Your follows",
    intro:
      "The problems this address follows. You get a message when one changes. Your address is never shown, here or anywhere public.",
    problem: "Problem",
    colon: ": ",
    follow: "Follow",
    pending: "waiting for you to confirm (the link in the confirmation mail)",
    confirmed: "confirmed",
    stop: "Stop following",
    stopAll: "Stop following all and delete my address",
    other: "中文",
    endedTitle: "Unsubscribed",
    ended: "You follow nothing any more: your address is deleted.",
    goneTitle: "Link no longer valid",
    gone: "This link no longer works: its follows have ended, or the link is incomplete.",
    status: PUBLIC_STATUS_WORDS.en,
  },
  zh: {
    title: "您关注的问题",
    intro: "此地址关注的问题。问题有变化时我们会通知您。您的地址不会在此处或任何公开位置显示。",
    problem: "问题状态",
    colon: "：",
    follow: "关注",
    pending: "等待您确认（确认邮件中的链接）",
    confirmed: "已确认",
    stop: "取消关注",
    stopAll: "全部取消关注并删除我的地址",
    other: "English",
    endedTitle: "已退订",
    ended: "您已不再关注任何问题，您的地址已删除。",
    goneTitle: "链接已失效",
    gone: "此链接已失效：关注已结束，或链接不完整。",
    status: PUBLIC_STATUS_WORDS.zh,
  },
} as const;

const htmlLang = (lang: PageLang) => (lang === "zh" ? "zh-CN" : "en");

/** The reader's language from `Accept-Language`: the first Chinese or English tag by weight; else Chinese. */
export function acceptedLang(header: string | undefined): PageLang {
  const tags = (header ?? "")
    .split(",")
    .map((part) => {
      const [tag = "", ...params] = part.trim().split(";");
      const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
      return { tag: tag.toLowerCase(), q: q ? Number(q.slice(2)) || 0 : 1 };
    })
    .filter((t) => t.q > 0)
    .sort((a, b) => b.q - a.q);
  for (const { tag } of tags) {
    if (/^zh\b/.test(tag)) return "zh";
    if (/^en\b/.test(tag)) return "en";
  }
  return "zh";
}

/** The list with its forms; `self` is the manage link (token and language) the forms post to. */
export function managePage(lang: PageLang, self: (lang: PageLang) => string, follows: Listed[]) {
  const w = WORDS[lang];
  const other = lang === "zh" ? "en" : "zh";
  return plainPage(
    w.title,
    html`<p style="text-align:right"><a href="${self(other)}" lang="${htmlLang(other)}">${WORDS[lang].other}</a></p>
<h1>${w.title}</h1>
<p>${w.intro}</p>
<ul style="padding:0;list-style:none">${follows.map(
      (f) => html`
  <li data-cluster="${f.cluster}" style="border-top:1px solid #ccc;padding:.75rem 0">
    <a href="/c/${f.cluster}" id="follow-${f.cluster}"><strong>${f.service[lang]}</strong>${f.place ? html` · ${f.place[lang]}` : ""}</a><br>
    ${w.problem}${w.colon}<span data-problem="${f.problem}">${w.status[f.problem]}</span> ·
    ${w.follow}${w.colon}<span data-follow="${f.status}">${f.status === "pending" ? w.pending : w.confirmed}</span>
    <form method="post" action="${self(lang)}" style="margin:.5rem 0 0">
      <input type="hidden" name="cluster" value="${f.cluster}">
      <button type="submit" id="stop-${f.cluster}" aria-labelledby="stop-${f.cluster} follow-${f.cluster}">${w.stop}</button>
    </form>
  </li>`,
    )}
</ul>
<form method="post" action="${self(lang)}"><button type="submit" name="all" value="1">${w.stopAll}</button></form>`,
    htmlLang(lang),
  );
}

/** After the last follow ended. */
export const allEndedPage = (lang: PageLang) =>
  plainPage(
    WORDS[lang].endedTitle,
    html`<h1>${WORDS[lang].endedTitle}</h1><p>${WORDS[lang].ended}</p>`,
    htmlLang(lang),
  );

/** An unknown or used-up token, in the reader's language. */
export const goneManagePage = (lang: PageLang) =>
  plainPage(
    WORDS[lang].goneTitle,
    html`<h1>${WORDS[lang].goneTitle}</h1><p>${WORDS[lang].gone}</p>`,
    htmlLang(lang),
  );
