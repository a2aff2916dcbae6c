import { ApiError } from "../api/client";
import { shrinkPhoto } from "./photo-shrink";

/** Uploads each photo, shrunk first, and returns their ids in order; an `ApiError` on field "photos" otherwise. */
export async function uploadPhotos(files: Blob[]): Promise<string[]> {
  const ids: string[] = [];
  for (const file of files) {
    const body = await shrinkPhoto(file);
    const res = await fetch("/api/photos", { method: "POST", headers: { "content-type": body.type }, body });
    const answer = (await res.json()) as {
      photo?: { id: string };
      error?: { code: string; message: string };
    };
    if (!res.ok || !answer.photo) {
      throw new ApiError(res.status, answer.error?.code ?? "photo", answer.error?.message ?? "", "photos");
    }
    ids.push(answer.photo.id);
  }
  return ids;
}
