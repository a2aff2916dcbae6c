/**
 * The feeds' entries: stored rows turned into Atom entries with stable ids, as plain text in the
 * feed's language (readers show it as is). No I/O; the routes pass rows from `store/feeds.ts`.
 */
import { maskContacts } from "../domain/contact-mask";
import { clusterPageUrl, siteOf } from "../domain/links";
import { publicStatus } from "../domain/public-status";
import type { ClusterState, WorkOrderStatus } from "../domain/states";
import { publicEventNote } from "../open311/status";
import type { FeedClusterRow, FeedEventRow } from "../store/feeds";
import { type AtomEntry, type AtomFeed, tagUri } from "./atom";
import { FEED_WORDS, type FeedLang } from "./words";

/** One entry per cluster: its service, public status and the latest words residents may read. */
export function clusterEntry(publicUrl: string, c: FeedClusterRow, lang: FeedLang = "en"): AtomEntry {
  const w = FEED_WORDS[lang];
  const status = w.status(publicStatus(c.state as ClusterState, c.workOrderStatus as WorkOrderStatus | null));
  const department = lang === "zh" ? c.departmentZh : c.department;
  const lines = [
    w.statusLine(status),
    // A duplicate's reports went with it: "0 reports" would belie them.
    c.mergedIntoId ? w.mergedInto(clusterPageUrl(publicUrl, c.mergedIntoId)) : w.reports(c.reports),
    ...(department ? [w.department(department)] : []),
    ...(c.said ? [w.said(maskContacts(c.said))] : []),
  ];
  return {
    id: tagUri(publicUrl, `cluster/${c.id}`),
    title: w.title(lang === "zh" ? c.serviceNameZh : c.serviceName, status),
    updated: c.updatedAt,
    link: clusterPageUrl(publicUrl, c.id),
    summary: lines.join("\n"),
  };
}

/** One entry per timeline event; its id comes from the stored event's id. */
export function eventEntry(
  publicUrl: string,
  clusterId: string,
  e: FeedEventRow,
  lang: FeedLang = "en",
): AtomEntry {
  const words = FEED_WORDS[lang].event(e.type, e.to, e.actor);
  const note = publicEventNote(e);
  return {
    id: tagUri(publicUrl, `cluster/${clusterId}/event/${e.id}`),
    title: words,
    updated: e.at,
    link: clusterPageUrl(publicUrl, clusterId),
    summary: note ? `${words}\n${note}` : words,
  };
}

/**
 * An empty area's or department's feed has changed at no known instant: it says the epoch, so that
 * it keeps one digest (ETag) until something appears. (The request's time made every poll a new feed.)
 */
export const EMPTY_FEED_UPDATED = 0;

/** The feed around a list of entries: its id from `idPath`, its self link from the request. */
export function feedOf(
  publicUrl: string,
  o: {
    idPath: string;
    title: string;
    selfPath: string;
    alternatePath: string;
    updatedWhenEmpty: number;
    lang: FeedLang;
  },
  entries: AtomEntry[],
): AtomFeed {
  // A feed in Chinese is another feed: its own id and its own address.
  const inLang = (path: string) =>
    o.lang === "zh" ? `${path}${path.includes("?") ? "&" : "?"}lang=zh` : path;
  return {
    id: tagUri(publicUrl, inLang(o.idPath)),
    title: o.title,
    lang: o.lang === "zh" ? "zh-CN" : "en",
    updatedWhenEmpty: o.updatedWhenEmpty,
    selfUrl: `${siteOf(publicUrl)}${inLang(o.selfPath)}`,
    alternateUrl: `${siteOf(publicUrl)}${o.alternatePath}`,
    entries,
  };
}
