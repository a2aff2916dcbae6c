/**
 * The few pages the API answers itself: links opened from a mail (confirm a follow, unsubscribe, the
 * "is it fixed?" form). No script, no app bundle: they must work in any mail client's browser.
 */
import type { Context } from "hono";
import { html, raw } from "hono/html";

/** Readable on a phone: controls a finger can hit (a native button is ~20 px tall), text at its size. */
const PAGE_STYLE =
  raw(`body{font-family:sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;line-height:1.5}
button{font:inherit;padding:.6rem 1.2rem;min-height:2.75rem}
label{display:inline-block;padding:.3rem 0}
input[type=radio]{width:1.2rem;height:1.2rem;vertical-align:-.2rem;margin-right:.4rem}
textarea{font:inherit;box-sizing:border-box}
fieldset{margin:0 0 1rem;border:1px solid #ccc}`);

export const plainPage = (
  title: string,
  body: ReturnType<typeof html>,
  lang = "zh-CN",
) => html`<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title}</title><style>${PAGE_STYLE}</style></head>
<body><main>${body}</main></body></html>`;

/** A person clicking a mailed link gets a page; a program asking for JSON keeps getting JSON. */
export const wantsPage = (c: Context) => c.req.header("accept")?.includes("text/html") ?? false;

/**
 * A mailed link refused for its network's budget (429): opened in a browser, a page in both
 * languages, since nothing (not even the link's own follow or report, whose language it knows) is
 * looked up for a refused request.
 */
export const tryLaterPage = plainPage(
  "请稍后再试 Please try again later",
  html`<h1>请稍后再试 / <span lang="en">Please try again later</span></h1>
<p>来自您所在网络的请求过多，请稍后再打开此链接。</p>
<p lang="en">Too many requests came from your network: open this link again a little later.</p>`,
);
