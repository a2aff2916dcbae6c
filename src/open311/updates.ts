/**
 * A resident's update (FixMyStreet's `POST servicerequestupdates`) in CivicLoop's terms: the
 * form checked, and the public note it becomes. The resident's name and contact never reach it.
 */
import { firstIssue } from "../http/validate";
import { type Open311UpdatePostForm, open311UpdatePostForm } from "../schemas/open311";
import type { GatheredForm } from "./form";
import { badRequest } from "./intake";

/** The form's fields checked; throws a 400 naming the first bad one. */
export function parseUpdateForm(form: GatheredForm, withPhoto = false): Open311UpdatePostForm {
  const parsed = open311UpdatePostForm.safeParse(form);
  if (!parsed.success) {
    const { field, message } = firstIssue(parsed.error);
    throw badRequest(`${field}: ${message}`);
  }
  const f = parsed.data;
  if (!f.description && !f.media_url && !f.status && !withPhoto) {
    throw badRequest("description: is required (or media_url, a photo, or status)");
  }
  return f;
}

/** The note on the timeline: the words, the status the resident gave, the pictures' links. */
export function updateNote(f: Open311UpdatePostForm, pictures: string[]): string {
  const status = f.status?.trim().toLowerCase().replaceAll("_", " ");
  return [
    f.description,
    status ? `The resident says it is ${status}.` : "",
    ...pictures.map((url) => `Picture: ${url}`),
  ]
    .filter(Boolean)
    .join("\n");
}
