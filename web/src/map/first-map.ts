import type { MapAnswer } from "../api/types";

/** What `index.html`'s inline script started: the map's first view, asked for with the page. */
interface FirstMap {
  query: string;
  answer: Promise<MapAnswer | null>;
}

/**
 * The first view's answer when the page already asked for exactly this query (once: later views
 * ask themselves), else null. On a slow connection this saves the round trip that would
 * otherwise start only after the app's code and the catalogue arrived.
 */
export function takeFirstMap(query: Record<string, string>): Promise<MapAnswer> | null {
  const w = window as { __firstMap?: FirstMap };
  const first = w.__firstMap;
  w.__firstMap = undefined;
  if (!first || first.query !== new URLSearchParams(query).toString()) return null;
  return first.answer.then((a) => a ?? Promise.reject(new Error("the first map request failed")));
}
