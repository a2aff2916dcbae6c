/**
 * The page a mailed follow link (confirm, unsubscribe) opens: it says what its button will do,
 * and only the button (a form posting the same link) does it. Mail scanners (Safe Links,
 * Proofpoint, Gmail's checks) fetch every link of a mail with GET or HEAD before the reader sees
 * it, so opening a link must change nothing. One language, the follower's; a plain form, no script.
 */
import { html } from "hono/html";
import type { PageLang } from "./manage-page";
import { plainPage } from "./plain-page";

export type FollowLink = "confirm" | "unsubscribe";

const WORDS = {
  en: {
    confirm: {
      title: "Confirm your follow",
      text: "Press the button to get a message each time this problem changes. Nothing is sent before you do.",
      button: "Confirm",
    },
    unsubscribe: {
      title: "Unsubscribe",
      text: "Press the button to get no more messages about this problem. Your address is then deleted.",
      button: "Unsubscribe",
    },
    see: "See the problem",
    confirmed: {
      title: "Confirmed",
      text: "We will tell you when this problem changes. Every message carries a one-click unsubscribe link.",
    },
    ended: {
      title: "Unsubscribed",
      text: "You will get no more messages about this problem; your address is deleted.",
    },
    endedAlready: {
      title: "Unsubscribed",
      text: "This link's follow has ended already; nothing more is sent.",
    },
  },
  zh: {
    confirm: {
      title: "确认关注",
      text: "按下按钮后，问题每次有变化我们都会通知您。确认前不会发送任何消息。",
      button: "确认",
    },
    unsubscribe: {
      title: "退订",
      text: "按下按钮后，您不会再收到关于此问题的消息，您的地址随即删除。",
      button: "退订",
    },
    see: "查看问题",
    confirmed: { title: "已确认", text: "问题有变化时我们会通知您。每条消息都附有一键退订链接。" },
    ended: { title: "已退订", text: "您不会再收到关于此问题的消息，您的地址已删除。" },
    endedAlready: { title: "已退订", text: "此链接的关注已经结束，不会再发送任何消息。" },
  },
} as const;

/**
 * The page of a follow's `link`; `action` is the link itself (its token in the query), which the
 * form posts with the follower's language, so the page after it speaks it too.
 */
export function followLinkPage(link: FollowLink, lang: PageLang, action: string, cluster: string) {
  const w = WORDS[lang][link];
  return plainPage(
    w.title,
    html`<h1>${w.title}</h1>
<p>${w.text}</p>
<form method="post" action="${action}&amp;lang=${lang}"><button type="submit">${w.button}</button></form>
<p><a href="/c/${cluster}">${WORDS[lang].see}</a></p>`,
    lang === "zh" ? "zh-CN" : "en",
  );
}

/** What the link's button did, in the follower's language; `cluster` links to the problem. */
export function followDonePage(
  done: "confirmed" | "ended" | "endedAlready",
  lang: PageLang,
  cluster?: string,
) {
  const w = WORDS[lang][done];
  return plainPage(
    w.title,
    html`<h1>${w.title}</h1>
<p>${w.text}</p>${cluster ? html`<p><a href="/c/${cluster}">${WORDS[lang].see}</a></p>` : ""}`,
    lang === "zh" ? "zh-CN" : "en",
  );
}
