/**
 * What every dispatch method says of the problem handed over: its residents' photos as public
 * links, the service's questions and the first report's answers as stored.
 */

import type { AttributeDefinition } from "../domain/attributes";
import { photoUrl } from "../domain/links";

/** The public links of photos kept as a comma-separated list of ids. */
export const photoLinks = (ids: string | null, publicUrl: string): string[] =>
  (ids ? ids.split(",") : []).map((id) => photoUrl(publicUrl, id));

/** A report's answers as stored (JSON text); none when absent or unreadable. */
export const reportAnswers = (text: string | null): Record<string, unknown> => {
  try {
    const parsed = text ? JSON.parse(text) : {};
    return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? parsed : {};
  } catch {
    return {};
  }
};

/** A service's questions as stored (JSON text); none when absent or unreadable. */
export const serviceQuestions = (text: string | null): AttributeDefinition[] => {
  try {
    const parsed = text ? JSON.parse(text) : [];
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
};
