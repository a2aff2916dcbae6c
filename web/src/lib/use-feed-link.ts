import { useEffect } from "preact/hooks";

/**
 * Announces the page's Atom feed in the document head (`<link rel="alternate">`), so browsers
 * and feed readers find it; the link follows `href` and leaves with the page. Null: no feed yet.
 */
export function useFeedLink(href: string | null, title: string): void {
  useEffect(() => {
    if (!href) return;
    // The server's HTML names the feed of the page it sent (for readers that run no script,
    // `src/http/feed-discovery.ts`); from here on the app's link, which follows the page, is the one.
    for (const sent of document.head.querySelectorAll("link[data-server-feed]")) sent.remove();
    const link = document.createElement("link");
    link.rel = "alternate";
    link.type = "application/atom+xml";
    link.title = title;
    link.href = href;
    document.head.append(link);
    return () => link.remove();
  }, [href, title]);
}

/** A feed's address in the page's language: the Chinese page's feeds speak Chinese (`lang=zh`). */
export const feedIn = (href: string, lang: string) =>
  lang === "zh-CN" ? `${href}${href.includes("?") ? "&" : "?"}lang=zh` : href;
