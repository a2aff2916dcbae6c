import { ApiError, api, ok } from "../api/client";
import { requestTimeoutMs } from "../offline/outbox-send";
import { shrinkPhoto } from "./photo-shrink";

/** Uploads each photo, shrunk first, and returns their ids in order; an `ApiError` on field "photos" otherwise. */
export async function uploadPhotos(files: Blob[]): Promise<string[]> {
  const ids: string[] = [];
  for (const file of files) {
    const body = await shrinkPhoto(file);
    try {
      // The server reads the raw bytes (no validator to type them), so they go as the request's body.
      // Given up, as the outbox gives up a report's photo, once 30 s and its size at 2 KB/s have
      // passed: a bare fetch on a crew's weak connection waited as long as the browser would.
      const signal = AbortSignal.timeout(requestTimeoutMs(body.size));
      const answer = await ok(
        api.photos.$post(undefined, { headers: { "content-type": body.type }, init: { body, signal } }),
      );
      ids.push(answer.photo.id);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      throw new ApiError(e.status, e.code, e.message, "photos");
    }
  }
  return ids;
}
