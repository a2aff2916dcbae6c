import { ApiError, ok } from "../api/client";
import { shrinkPhoto } from "./photo-shrink";
import { UPLOAD_STALL_MS, watchedPost } from "./watched-upload";

/**
 * Uploads each photo, shrunk first, and returns their ids in order; an `ApiError` on field
 * "photos" otherwise. Watched as it goes up: a crew's weak connection that stops moving is given
 * up after `UPLOAD_STALL_MS`, where a bare `fetch` waited as long as the browser would.
 */
export async function uploadPhotos(files: Blob[]): Promise<string[]> {
  const ids: string[] = [];
  for (const file of files) {
    const body = await shrinkPhoto(file);
    try {
      const res = watchedPost("/api/photos", {
        headers: { "content-type": body.type },
        body,
        stallMs: UPLOAD_STALL_MS,
      });
      const answer = await ok<{ photo: { id: string } }>(res);
      ids.push(answer.photo.id);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      throw new ApiError(e.status, e.code, e.message, "photos");
    }
  }
  return ids;
}
