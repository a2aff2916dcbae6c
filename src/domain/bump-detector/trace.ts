/**
 * The trip trace CSV, the raw record of a drive that the Drive page can download and
 * `sensor replay` reads: one row per accelerometer sample, and the GPS fix on the row at which it
 * arrived. Header: `t_ms,ax,ay,az,lat,lon,speed_mps,heading_deg,accuracy_m`.
 */

import { MAX_EVENT_SPEED_MPS } from "../sensor";
import type { AccelSample, GpsFix } from "./detector";
import { cellText, headerNames, numberOf } from "./window-csv";

/** A fix no phone reports worse than (a cell tower's guess: kilometres); past it, a typo. */
const MAX_FIX_ACCURACY_M = 100_000;

export const TRACE_HEADER = "t_ms,ax,ay,az,lat,lon,speed_mps,heading_deg,accuracy_m";

export interface Trace {
  samples: AccelSample[];
  fixes: GpsFix[];
  /**
   * Where each recording after the first begins, in `samples` and in `fixes`, when the trace
   * holds several (files joined end to end, each clock from 0): see `recordingsOf`.
   */
  recordingStarts?: { sample: number; fix: number }[];
}

/** A time this far back from the row before starts another recording (trips joined end to end). */
const NEW_RECORDING_MS = 10_000;

/** A fix on a row without an accelerometer sample would have no row: it goes on the next one. */
export function traceToCsv(trace: Trace): string {
  const lines = [TRACE_HEADER];
  let j = 0;
  const fixes = [...trace.fixes].sort((a, b) => a.t - b.t);
  for (const s of trace.samples) {
    let fixCols = ",,,,";
    while (j < fixes.length && (fixes[j] as GpsFix).t <= s.t) {
      const f = fixes[j++] as GpsFix;
      fixCols = `${f.lat},${f.lon},${f.speedMps ?? ""},${f.headingDeg ?? ""},${f.accuracyM}`;
    }
    lines.push(`${Math.round(s.t)},${s.x},${s.y},${s.z},${fixCols}`);
  }
  return `${lines.join("\n")}\n`;
}

export class TraceFormatError extends Error {}

/** Why a header is not the trace's, naming the columns it lacks when that is the reason. */
function headerProblem(names: string[]): string | null {
  if (names.join(",") === TRACE_HEADER) return null;
  const missing = TRACE_HEADER.split(",").filter((c) => !names.includes(c));
  return `line 1: header must be ${TRACE_HEADER}${missing.length > 0 ? ` (missing ${missing.join(", ")})` : ""}`;
}

/**
 * Parses a trace; a fix's time is its row's. The header is compared as `headerNames` reads it
 * (a byte-order mark, quotes, spaces or capitals do not matter), and values as `numberOf` reads
 * them. A speed or heading below zero is iOS's "not known" (−1), read as not given; a negative
 * accuracy is its "no position", and the row's fix is left out. Throws TraceFormatError naming the
 * line as an editor counts them, and when there is no sample at all (nothing to detect is not
 * "nothing felt").
 */
export function parseTrace(text: string): Trace {
  const lines = text.split(/\r\n|\r|\n/);
  const first = lines.findIndex((l) => l.trim() !== "");
  const problem = headerProblem(headerNames(lines[first] ?? ""));
  if (problem) throw new TraceFormatError(problem);
  const samples: AccelSample[] = [];
  const fixes: GpsFix[] = [];
  const recordingStarts: { sample: number; fix: number }[] = [];
  for (let i = first + 1; i < lines.length; i++) {
    const line = lines[i] as string;
    if (line.trim() === "") continue;
    const cols = line.split(",");
    const where = `line ${i + 1}`;
    if (cols.length !== 9) throw new TraceFormatError(`${where}: expected 9 columns, got ${cols.length}`);
    const blank = (k: number) => cellText(cols[k] ?? "") === "";
    const num = (k: number, name: string) => {
      const v = numberOf(cols[k] ?? "");
      if (v === null) throw new TraceFormatError(`${where}: ${name} is not a number`);
      return v;
    };
    const optional = (k: number, name: string) => (blank(k) ? null : num(k, name));
    const t = num(0, "t_ms");
    if (t < (samples.at(-1)?.t ?? t) - NEW_RECORDING_MS)
      recordingStarts.push({ sample: samples.length, fix: fixes.length });
    samples.push({ t, x: num(1, "ax"), y: num(2, "ay"), z: num(3, "az") });
    if (blank(4) && blank(5)) continue;
    const lat = num(4, "lat");
    const lon = num(5, "lon");
    if (Math.abs(lat) > 90 || Math.abs(lon) > 180)
      throw new TraceFormatError(`${where}: lat/lon out of range`);
    // As a phone's fix has them (and the server takes them): refused here with the line's number
    // rather than whole upload by the server after a replay.
    const within = (v: number | null, name: string, max: number) => {
      if (v !== null && v > max) throw new TraceFormatError(`${where}: ${name} must be at most ${max}`);
      return v !== null && v >= 0 ? v : null;
    };
    const accuracyM = optional(8, "accuracy_m");
    if (accuracyM !== null && accuracyM < 0) continue;
    fixes.push({
      t,
      lat,
      lon,
      speedMps: within(optional(6, "speed_mps"), "speed_mps", MAX_EVENT_SPEED_MPS),
      headingDeg: within(optional(7, "heading_deg"), "heading_deg", 360),
      accuracyM: within(accuracyM, "accuracy_m", MAX_FIX_ACCURACY_M) ?? 50,
    });
  }
  if (samples.length === 0) throw new TraceFormatError("no samples after the header");
  return recordingStarts.length > 0 ? { samples, fixes, recordingStarts } : { samples, fixes };
}

/** The median time between a trace's samples (ms), or null for fewer than two distinct times. */
export function medianStepMs(trace: Trace): number | null {
  const times = trace.samples.map((s) => s.t).sort((a, b) => a - b);
  const steps: number[] = [];
  for (let i = 1; i < times.length; i++) {
    const step = (times[i] as number) - (times[i - 1] as number);
    if (step > 0) steps.push(step);
  }
  steps.sort((a, b) => a - b);
  return steps[steps.length >> 1] ?? null;
}

/**
 * Why a trace's times cannot be milliseconds of a phone's accelerometer (10-1000 Hz), or null:
 * times in seconds or microseconds would parse, and the detector would silently feel nothing.
 */
export function traceTimesProblem(trace: Trace): string | null {
  const median = medianStepMs(trace);
  if (median === null || (median >= 1 && median <= 100)) return null;
  return `t_ms: samples are ${Number(median.toPrecision(3))} apart (median), not 1-100 ms: the times must be milliseconds`;
}

/**
 * The recordings a trace holds: one, or several when files were joined end to end (each with its
 * clock from 0), as `parseTrace` found them, where the time went back by more than
 * NEW_RECORDING_MS. Run as one trip, put in order of time, they were interleaved: passes over one
 * street merged into one, and road cells drawn between fixes of different drives.
 */
export function recordingsOf(trace: Trace): Trace[] {
  const starts = [{ sample: 0, fix: 0 }, ...(trace.recordingStarts ?? [])];
  return starts.map((start, k) => {
    const end = starts[k + 1];
    return {
      samples: trace.samples.slice(start.sample, end?.sample),
      fixes: trace.fixes.slice(start.fix, end?.fix),
    };
  });
}
