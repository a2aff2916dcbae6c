/**
 * A small Atom (RFC 4287) writer: a feed with its required elements and entries, text escaped,
 * no I/O. Callers pass times as epoch milliseconds and ids already made stable (`tagUri`).
 */
import { escapeXml } from "../open311/xml";

export interface AtomEntry {
  id: string;
  title: string;
  updated: number;
  /** The human page this entry is about. */
  link: string;
  /** Plain text (residents' words stay text: escaped, never markup). */
  summary: string;
}

export interface AtomFeed {
  id: string;
  title: string;
  /** Used when the feed has no entries; otherwise the newest entry's time. */
  updatedWhenEmpty: number;
  selfUrl: string;
  alternateUrl: string;
  /** The language of its words (`xml:lang`), as a BCP 47 tag. */
  lang: string;
  entries: readonly AtomEntry[];
}

/** The most entries a feed carries: readers poll, so the newest are enough. */
export const FEED_LIMIT = 50;

export const ATOM_CONTENT_TYPE = "application/atom+xml; charset=utf-8";

const text = (name: string, value: string) => `<${name}>${escapeXml(value)}</${name}>`;
const time = (name: string, ms: number) => text(name, new Date(ms).toISOString());
const link = (rel: string, href: string, type?: string) =>
  `<link rel="${rel}" href="${escapeXml(href)}"${type ? ` type="${type}"` : ""}/>`;

/**
 * A `tag:` URI (RFC 4151) for something with a stored id, e.g. `tag:city.example,2026:cluster/abc`:
 * it stays the same across requests and does not depend on the path the feed was fetched at.
 */
export function tagUri(publicUrl: string, specific: string): string {
  const host = new URL(publicUrl).hostname;
  return `tag:${host},2026:${specific}`;
}

/** The whole feed document, entries newest first, at most `FEED_LIMIT` of them. */
export function atomFeed(feed: AtomFeed): string {
  const entries = [...feed.entries].sort((a, b) => b.updated - a.updated).slice(0, FEED_LIMIT);
  const updated = entries[0]?.updated ?? feed.updatedWhenEmpty;
  const body = entries.map(
    (e) =>
      `<entry>${text("id", e.id)}${text("title", e.title)}${time("updated", e.updated)}${link(
        "alternate",
        e.link,
        "text/html",
      )}${text("summary", e.summary)}</entry>`,
  );
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeXml(feed.lang)}">`,
    text("id", feed.id),
    text("title", feed.title),
    time("updated", updated),
    // RFC 4287 §4.1.1: a feed names an author unless every entry does.
    "<author><name>CivicLoop</name></author>",
    link("self", feed.selfUrl, "application/atom+xml"),
    link("alternate", feed.alternateUrl, "text/html"),
    ...body,
    "</feed>",
    "",
  ].join("\n");
}
