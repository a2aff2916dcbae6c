import type { Translate } from "../i18n/i18n";

/**
 * A typed coordinate as a number (NaN when it is none). Written as residents type it: full-width
 * digits and point from a Chinese input method in full-width mode (`２８．１９５`), the minus sign
 * the error message itself shows (`−`), or a decimal comma (`28,195`: as thousands it would be
 * out of range anyway) all mean the number they look like.
 */
export function typedCoordinate(text: string): number {
  const plain = text
    .normalize("NFKC")
    .replace(/[\u2212\u2012\u2013\uFE63]/g, "-")
    .trim()
    .replace(/^(-?\d+),(\d+)$/, "$1.$2");
  return plain === "" ? Number.NaN : Number(plain);
}

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
    const n = typedCoordinate(text);
    return text.trim() !== "" && !(Number.isFinite(n) && Math.abs(n) <= limit);
  };
  // Exactly 0, 0 is what a phone without a position sends: no place, which the server refuses.
  const noPlace = typedCoordinate(latText) === 0 && typedCoordinate(lonText) === 0;
  return {
    ...(wrong(latText, 90) ? { lat: t("latOutOfRange") } : noPlace ? { lat: t("zeroZero") } : {}),
    ...(wrong(lonText, 180) ? { lon: t("lonOutOfRange") } : {}),
  };
}
