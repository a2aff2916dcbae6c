/**
 * The web app's pages by their paths: one list for its router (`web/src/router.tsx`) and for the
 * Node server, which answers these paths with the app's index (`answersPage`). Pure, imports
 * nothing: the web app bundles it.
 */

/** The pages with a path of their own. */
export const FIXED_PAGES = {
  "/": "map",
  "/report": "report",
  "/mine": "mine",
  "/console": "console",
  "/desk": "desk",
  "/drive": "drive",
  "/performance": "performance",
  "/admin": "admin",
  "/privacy": "privacy",
} as const;

/** A problem's page (`/c/:id`, Open311's `cluster_url`, a feed entry's link) and a reporter's own report (`/r/:id`). */
export const ITEM_PAGE = /^\/(c|r)\/([0-9a-z]{1,64})$/;

/** A page with a path of its own, by its name. */
export type FixedPage = (typeof FIXED_PAGES)[keyof typeof FIXED_PAGES];

/** The fixed page at `path`, or undefined. */
export const fixedPageAt = (path: string): FixedPage | undefined =>
  // Own keys only: `constructor` and the like are no page.
  Object.keys(FIXED_PAGES).includes(path) ? FIXED_PAGES[path as keyof typeof FIXED_PAGES] : undefined;

/** True for a path the web app shows a page at (not its "not found"). */
export const isPagePath = (path: string): boolean => fixedPageAt(path) !== undefined || ITEM_PAGE.test(path);

/**
 * Paths only the API or the built files answer: a browser navigating there gets the JSON 404,
 * never the app (a missing `/assets/` file must not become the index, kept for a year as immutable).
 */
const API_PATH = /^\/(api|open311|assets)(\/|$)|^\/(openapi\.json|docs|healthz|readyz)(\/|$)/;
/** An Accept that takes any type, or any text: `*` + `/*` (curl, Python's requests) or `text/*`. */
const TAKES_ANY = /\*\/\*|text\/\*/;

/**
 * Whether the Node server answers a GET that no route or file answered with the app's index: at
 * one of its pages (Open311's `cluster_url`, the feeds' links) for any client that takes HTML,
 * anything, or says nothing (no Accept: link checkers, archivers); at another path only for a
 * browser asking for HTML (the app then says "not found"). API paths and other clients get the
 * JSON 404.
 */
export function answersPage(path: string, accept: string | undefined): boolean {
  if (API_PATH.test(path)) return false;
  if (accept?.includes("text/html")) return true;
  return isPagePath(path) && (accept === undefined || accept.trim() === "" || TAKES_ANY.test(accept));
}
