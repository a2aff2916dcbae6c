/**
 * The feeds' words: stored rows turned into Atom entries with stable ids, in English plain
 * text (readers show it as is). No I/O; the routes pass rows from `store/feeds.ts`.
 */
import { maskContacts, publicNoteWords } from "../domain/contact-mask";
import { clusterPageUrl, siteOf } from "../domain/links";
import { publicStatus } from "../domain/public-status";
import type { ClusterState, WorkOrderStatus } from "../domain/states";
import { eventWords } from "../open311/status";
import type { FeedClusterRow, FeedEventRow } from "../store/feeds";
import { type AtomEntry, type AtomFeed, tagUri } from "./atom";

/** One entry per cluster: its service, public status and the latest words residents may read. */
export function clusterEntry(publicUrl: string, c: FeedClusterRow): AtomEntry {
  const status = publicStatus(c.state as ClusterState, c.workOrderStatus as WorkOrderStatus | null);
  const lines = [
    `Status: ${status.replaceAll("_", " ")}.`,
    `${c.reports} report${c.reports === 1 ? "" : "s"}.`,
    ...(c.department ? [`Department: ${c.department}.`] : []),
    ...(c.said ? [`A resident wrote: ${maskContacts(c.said)}`] : []),
  ];
  return {
    id: tagUri(publicUrl, `cluster/${c.id}`),
    title: `${c.serviceName}: ${status.replaceAll("_", " ")}`,
    updated: c.updatedAt,
    link: clusterPageUrl(publicUrl, c.id),
    summary: lines.join("\n"),
  };
}

/** One entry per timeline event; its id comes from the stored event's id. */
export function eventEntry(publicUrl: string, clusterId: string, e: FeedEventRow): AtomEntry {
  const words = eventWords(e.type, e.to, e.actor);
  const note = publicNoteWords(e.actor, e.note);
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
  o: { idPath: string; title: string; selfPath: string; alternatePath: string; updatedWhenEmpty: number },
  entries: AtomEntry[],
): AtomFeed {
  return {
    id: tagUri(publicUrl, o.idPath),
    title: o.title,
    updatedWhenEmpty: o.updatedWhenEmpty,
    selfUrl: `${siteOf(publicUrl)}${o.selfPath}`,
    alternateUrl: `${siteOf(publicUrl)}${o.alternatePath}`,
    entries,
  };
}
