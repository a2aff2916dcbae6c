/**
 * A POST whose body's way up can be watched: `fetch` says nothing until the answer, so a photo on
 * a poor connection could only be given a deadline by its size (minutes for a large one, spent in
 * full when the connection had died at its start). XMLHttpRequest tells how much has gone up:
 * the resident sees it move, and the upload is given up once nothing has moved for `stallMs`.
 * Pages only (a service worker has no XMLHttpRequest).
 */

export interface WatchedUpload {
  headers: Record<string, string>;
  body: Blob;
  /** Given up after this long without a byte going up (or, once all went, without the answer). */
  stallMs: number;
  /** How much of the body has gone up, 0 to 1, as it moves. */
  onSent?: (fraction: number) => void;
}

export const canWatchUploads = () => typeof XMLHttpRequest !== "undefined";

/** The answer as a `Response`; rejects when no answer came (offline, dropped, stalled). */
export function watchedPost(path: string, upload: WatchedUpload): Promise<Response> {
  return new Promise((done, fail) => {
    const xhr = new XMLHttpRequest();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stalled = () => {
      clearTimeout(timer);
      timer = setTimeout(() => xhr.abort(), upload.stallMs);
    };
    xhr.open("POST", path);
    for (const [name, value] of Object.entries(upload.headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (e) => {
      stalled();
      if (e.lengthComputable && e.total > 0) upload.onSent?.(e.loaded / e.total);
    };
    xhr.upload.onload = stalled;
    xhr.onload = () => {
      clearTimeout(timer);
      const headers = new Headers();
      for (const line of xhr
        .getAllResponseHeaders()
        .trim()
        .split(/[\r\n]+/)) {
        const at = line.indexOf(":");
        if (at > 0) headers.append(line.slice(0, at).trim(), line.slice(at + 1).trim());
      }
      try {
        done(new Response(xhr.responseText, { status: xhr.status, headers }));
      } catch (e) {
        // A status a Response cannot carry (0): no answer after all.
        fail(e);
      }
    };
    xhr.onerror = () => {
      clearTimeout(timer);
      fail(new TypeError("the upload failed"));
    };
    xhr.onabort = () => fail(new DOMException("no progress for too long", "TimeoutError"));
    stalled();
    xhr.send(upload.body);
  });
}
