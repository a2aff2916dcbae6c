/**
 * Answers the service worker served from what the device saved, for want of the network (offline,
 * or no answer within its 5 s): it marks them with when they were fetched, and the pages say that
 * what they show may be out of date, until an answer comes from the server again.
 */
/** The header the worker adds to a saved answer: its `Date` as the server sent it (or empty). */
export const SAVED_HEADER = "x-civicloop-saved";

/** A saved answer as the worker serves it: the same answer, marked. */
export function markedSaved(res: Response): Response {
  const headers = new Headers(res.headers);
  headers.set(SAVED_HEADER, res.headers.get("date") ?? "");
  return new Response(res.body, { status: res.status, statusText: res.statusText, headers });
}

const SAVED_EVENT = "civicloop-saved-answer";
/** When the latest answer the pages got was fetched: null when it came from the server now. */
let savedAt: number | null = null;

/** The answers the worker may serve saved (`src/sw.ts`): the map's, a problem's, a report's. */
const MAY_BE_SAVED = /^\/api\/(map|clusters\/[^/]+|reports\/[^/]+)$/;

/**
 * Notes where an answer of the app's API came from (the fetch of `api` passes each through), if
 * it is of a kind the worker may serve saved: other answers (the catalogue, kept on purpose; a
 * rating) say nothing of what the page shows. No answer at all (`res` null) leaves nothing saved
 * on show: the page says it could not load.
 */
export function noteAnswer(ticket: number | null, res: Response | null): void {
  // An answer to a request asked before the latest one (a view the map has moved on from, come
  // back late from the cache) says nothing of what the page shows now.
  if (ticket === null || ticket !== asked) return;
  noteSaved(res?.headers.get(SAVED_HEADER) ?? null);
}

/** The requests of the kinds the worker may serve saved, numbered as they are asked. */
let asked = 0;

/** A request about to be asked: its number if its answer may be a saved one, else null. */
export function askingFor(url: string): number | null {
  return MAY_BE_SAVED.test(new URL(url, location.origin).pathname) ? ++asked : null;
}

/** Notes an answer's saved mark (`SAVED_HEADER`'s value; null: from the server now). */
export function noteSaved(mark: string | null): void {
  const next = mark === null ? null : Date.parse(mark) || 0;
  if (next === savedAt) return;
  savedAt = next;
  if (typeof window !== "undefined") window.dispatchEvent(new Event(SAVED_EVENT));
}

/** Another page is shown: its own answers will say whether they are saved. */
export const forgetSaved = () => noteSaved(null);

/** When the answers shown were fetched, if saved ones (0: not known); `changed` hears of each change. */
export function savedAnswers(changed?: () => void): { at: number | null; stop: () => void } {
  if (changed) window.addEventListener(SAVED_EVENT, changed);
  return { at: savedAt, stop: () => changed && window.removeEventListener(SAVED_EVENT, changed) };
}

/** The worker's wait for the network before it serves a saved answer, and a second more. */
const WORKER_WAIT_MS = 6_000;

/**
 * Calls `again` when the connection returns while the page shows saved answers, and once more
 * when they are still saved after the worker's wait (a request asked as the connection came back
 * can outlast it): what the page shows may be out of date, and the server can now say what is
 * current. A page that showed them kept them, and the "may be out of date" with them, until
 * reloaded. Returns what stops it.
 */
export function onBackOnline(again: () => void): () => void {
  let retry: ReturnType<typeof setTimeout> | undefined;
  const back = () => {
    if (savedAt === null) return;
    again();
    clearTimeout(retry);
    retry = setTimeout(() => savedAt !== null && navigator.onLine && again(), WORKER_WAIT_MS);
  };
  window.addEventListener("online", back);
  return () => {
    window.removeEventListener("online", back);
    clearTimeout(retry);
  };
}
