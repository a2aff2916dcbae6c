/**
 * The next page of `GET /open311/v2/requests`, said in a `Link: <…>; rel="next"` header (RFC 8288),
 * as GitHub's and most paged APIs say it: GeoReport v2 has no paging of its own, and its list
 * answer, a bare array, has no room for a link. No I/O.
 */

import { siteOf } from "../domain/links";
import { MAX_PAGE } from "../schemas/open311";

/**
 * The address of the page after this one, or null. A full page has one (empty when the requests
 * ran out exactly there): decided by the answer alone, so the weak ETag, a digest of the answer,
 * changes whenever the link would, and a 304 never leaves a client with a stale one. Absolute,
 * under the public URL, as clients (Python's requests, curl scripts) fetch it as it is.
 *
 * Pages count from the newest request, so one filed while a client walks the pages would push the
 * rest down a place (one request seen twice). A walk therefore goes on from its first page with
 * `end_date` at that page's newest request (to the millisecond, inclusive), when none was given or
 * the one given is later (today's date, a day to come): later requests stay out of it. Its
 * `start_date`, when none was given (90 days before the end), is pinned too, where the first page
 * had it, so the window does not move back with the end. Later pages keep the dates they were given,
 * and each names where the page before it ended (`after`), so reading page N costs what page 1 does.
 */
export function nextPageUrl(
  publicUrl: string,
  requestUrl: string,
  page: {
    number: number;
    size: number;
    rows: number;
    newestAt: number | undefined;
    endAt: number | undefined;
    /** Where the page's window began, given or not. */
    startAt: number;
    /** The page's last request, where the next reads on from (`after`). */
    last: { created_at: number; id: string } | undefined;
  },
): string | null {
  if (page.rows < page.size || page.number >= MAX_PAGE) return null;
  const url = new URL(requestUrl);
  url.searchParams.set("page", String(page.number + 1));
  const open = page.endAt === undefined || (page.newestAt !== undefined && page.endAt > page.newestAt);
  if (page.number === 1 && open && page.newestAt !== undefined)
    url.searchParams.set("end_date", new Date(page.newestAt).toISOString());
  if (page.number === 1 && !url.searchParams.get("start_date"))
    url.searchParams.set("start_date", new Date(page.startAt).toISOString());
  // Read on from this page's last request: page N by its number alone re-read the N-1 before it
  // (page 400 of a 400k city took 1.3 s, a whole harvest minutes of the server).
  if (page.last) url.searchParams.set("after", `${page.last.created_at}.${page.last.id}`);
  return `${siteOf(publicUrl)}${url.pathname}${url.search}`;
}
