import type { MapAnswer } from "../api/types";
import { noteSaved } from "../lib/saved-answers";

/** What `index.html`'s inline script started: the map's first view, asked for with the page. */
interface FirstMap {
  query: string;
  answer: Promise<MapAnswer | null>;
  /** The service worker's kept answer for the same view (a repeat visit), else null. */
  kept?: Promise<MapAnswer | null>;
  /** The answer's saved mark (`SAVED_HEADER`), once it came: null from the server now. */
  saved?: () => string | null;
  /** The kept answer's `Date` (when it was fetched), once read: null without one. */
  keptAt?: () => string | null;
}

/**
 * The first view's answers when the page already asked for exactly this query (once: later views
 * ask themselves), else null: `answer` the network's, `kept` the one the service worker kept from
 * the last visit (null on a first visit). On a slow connection this saves the round trip that
 * would otherwise start only after the app's code and the catalogue arrived, and a repeat visit
 * draws its pins without waiting for the network at all.
 */
export function takeFirstMap(query: Record<string, string>): {
  answer: Promise<MapAnswer>;
  kept: Promise<MapAnswer | null>;
  keptShown: () => void;
  answerShown: () => void;
} | null {
  const w = window as { __firstMap?: FirstMap };
  const first = w.__firstMap;
  w.__firstMap = undefined;
  if (!first || first.query !== new URLSearchParams(query).toString()) return null;
  return {
    answer: first.answer.then((a) => a ?? Promise.reject(new Error("the first map request failed"))),
    kept: first.kept ?? Promise.resolve(null),
    // What the page shows says whether it was saved, as the page draws it: the kept answer, a
    // saved one, while the fresh one travels; then the answer, saved or not as it came.
    keptShown: () => noteSaved(first.keptAt?.() ?? ""),
    answerShown: () => noteSaved(first.saved?.() ?? null),
  };
}
