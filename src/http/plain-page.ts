/**
 * The few pages the API answers itself: links opened from a mail (confirm a follow, unsubscribe, the
 * "is it fixed?" form). Bilingual, no script, no app bundle: they must work in any mail client's browser.
 */
import type { Context } from "hono";
import { html } from "hono/html";

export const plainPage = (
  title: string,
  body: ReturnType<typeof html>,
  lang = "zh-CN",
) => html`<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${title}</title></head>
<body style="font-family:sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem"><main>${body}</main></body></html>`;

/** A person clicking a mailed link gets a page; a program asking for JSON keeps getting JSON. */
export const wantsPage = (c: Context) => c.req.header("accept")?.includes("text/html") ?? false;
