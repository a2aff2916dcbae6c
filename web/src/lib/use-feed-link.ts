import { useEffect } from "preact/hooks";

/**
 * Announces the page's Atom feed in the document head (`<link rel="alternate">`), so browsers
 * and feed readers find it; the link follows `href` and leaves with the page. Null: no feed yet.
 */
export function useFeedLink(href: string | null, title: string): void {
  useEffect(() => {
    if (!href) return;
    const link = document.createElement("link");
    link.rel = "alternate";
    link.type = "application/atom+xml";
    link.title = title;
    link.href = href;
    document.head.append(link);
    return () => link.remove();
  }, [href, title]);
}
