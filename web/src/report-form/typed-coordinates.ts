import type { Translate } from "../i18n/i18n";

/**
 * What is wrong with typed coordinates, if anything, at the field that is wrong: a number out of
 * range, or no number. A field left empty is not wrong yet. The report form and the desk both
 * say it at the field as soon as it is left, and again on sending.
 */
export function coordinateProblems(
  latText: string,
  lonText: string,
  t: Translate,
): { lat?: string; lon?: string } {
  const wrong = (text: string, limit: number) => {
    const n = Number(text);
    return text.trim() !== "" && !(Number.isFinite(n) && Math.abs(n) <= limit);
  };
  return {
    ...(wrong(latText, 90) ? { lat: t("latOutOfRange") } : {}),
    ...(wrong(lonText, 180) ? { lon: t("lonOutOfRange") } : {}),
  };
}
