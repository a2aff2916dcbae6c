/**
 * Any script's decimal digits as ASCII ones (full-width ８, as a Chinese input method half
 * switched types them; Arabic-Indic ٨): they were dropped, and the number read was another one.
 * A digit's value is its place in its run of digits (Unicode lays each script's 0-9 in a row).
 */
export function asciiDigits(text: string): string {
  const isDigit = (cp: number) => /\p{Nd}/u.test(String.fromCodePoint(cp));
  return text.replace(/\p{Nd}/gu, (d) => {
    const cp = d.codePointAt(0) as number;
    let start = cp;
    while (start > 0 && isDigit(start - 1)) start--;
    return String((cp - start) % 10);
  });
}
