/**
 * The one-column window CSV of the labelled road anomalies and of `sensor classify`: a header
 * `acc_z`, then one vertical acceleration (m/s², gravity included) per line, at 50 Hz unless told.
 * Read strictly: a value that is missing or not a number is an error naming its line, never
 * skipped or read as 0 (`Number("")` is 0, a 9.8 m/s² drop the classifier would take for a hit).
 */
import { SAMPLE_HZ } from "./extent";

export const WINDOW_HEADER = "acc_z";

export class WindowFormatError extends Error {}

/**
 * A header line's names as compared: without a byte-order mark, spaces, quotes around a name
 * (R's `write.csv`), or capitals (a spreadsheet's `ACC_Z`).
 */
export function headerNames(line: string): string[] {
  return line
    .replace(/^\uFEFF/, "")
    .split(",")
    .map((name) =>
      name
        .trim()
        .replace(/^"(.*)"$/, "$1")
        .trim()
        .toLowerCase(),
    );
}

/** A cell's text without the quotes and spaces around it. */
export const cellText = (cell: string) =>
  cell
    .trim()
    .replace(/^"(.*)"$/, "$1")
    .trim();

/** A decimal number as CSV writers write one (`Number` alone also reads `0x10`, `0b1` and `Infinity`). */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/**
 * A value as written, quotes and spaces around it dropped; null when it is empty or not a finite
 * decimal number.
 */
export function numberOf(cell: string): number | null {
  const text = cellText(cell);
  if (!DECIMAL.test(text)) return null;
  const v = Number(text);
  return Number.isFinite(v) ? v : null;
}

/**
 * The values of a window CSV. Blank lines before and after are ignored; a first line that is
 * itself a number means the header was left out (a column of numbers is nothing else).
 */
export function parseAccZ(text: string): number[] {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n|\r/);
  let first = 0;
  while (first < lines.length && (lines[first] as string).trim() === "") first++;
  let last = lines.length - 1;
  while (last >= first && (lines[last] as string).trim() === "") last--;
  if (first > last) throw new WindowFormatError("empty file");
  const headerLine = lines[first] as string;
  const hasHeader = numberOf(headerLine) === null;
  if (hasHeader && headerNames(headerLine).join(",") !== WINDOW_HEADER)
    throw new WindowFormatError(`line ${first + 1}: header must be ${WINDOW_HEADER}`);
  const values: number[] = [];
  for (let i = hasHeader ? first + 1 : first; i <= last; i++) {
    const line = lines[i] as string;
    if (line.includes(",")) throw new WindowFormatError(`line ${i + 1}: one column expected, got "${line}"`);
    const v = numberOf(line);
    if (v === null)
      throw new WindowFormatError(
        line.trim() === "" ? `line ${i + 1}: empty value` : `line ${i + 1}: not a number: "${line.trim()}"`,
      );
    values.push(v);
  }
  if (values.length === 0) throw new WindowFormatError("no values after the header");
  return values;
}

/**
 * A window recorded at `hz` as the classifier reads it, at 50 Hz: linear interpolation, as the
 * live detector resamples what `devicemotion` gives. The classifier's features count samples, so
 * a 100 Hz window read as 50 Hz looks twice as long and slow (potholes turn into bumps).
 */
export function windowAt50Hz(signal: readonly number[], hz: number): number[] {
  if (hz === SAMPLE_HZ || signal.length < 2) return [...signal];
  const step = hz / SAMPLE_HZ;
  const n = Math.floor((signal.length - 1) / step) + 1;
  return Array.from({ length: n }, (_, i) => {
    const x = i * step;
    const a = Math.floor(x);
    const f = x - a;
    const left = signal[a] as number;
    return f === 0 || a + 1 >= signal.length ? left : left + ((signal[a + 1] as number) - left) * f;
  });
}

/** Standard gravity: a window written in g is scaled by it. */
const G = 9.80665;

/**
 * A window in m/s², upwards, as the classifier learnt them: one written in g (gravity included, so
 * its median is near 1, where one in m/s² sits near 9.8 and one without gravity near 0) is scaled,
 * and one whose axis points down (gravity near −9.8 or −1: a phone lying face down, or a logger
 * counting down) is turned up, as a pothole's drop would otherwise read as a rise. `inG` and
 * `flipped` say what was done, so the caller can say so.
 */
export function inMetresPerSecond2(signal: readonly number[]): {
  values: number[];
  inG: boolean;
  flipped: boolean;
} {
  const sorted = [...signal].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)] ?? 0;
  const inG = Math.abs(median) >= 0.5 && Math.abs(median) <= 2;
  const flipped = median < -0.5;
  const factor = (inG ? G : 1) * (flipped ? -1 : 1);
  return { values: signal.map((v) => v * factor), inG, flipped };
}
