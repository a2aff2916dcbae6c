/**
 * `sensor replay`'s core: a recorded trip run through exactly the detector and uploader the Drive
 * page runs, as if driven from `start`, its events and road cells sent to a CivicLoop server.
 */
import { byTime, detectTrip } from "../domain/bump-detector/detector";
import { drivenCells } from "../domain/bump-detector/driven-cells";
import type { Trace } from "../domain/bump-detector/trace";
import { type FetchLike, type SendOptions, uploadSensed } from "./uploader";

export interface ReplayOptions {
  server: string;
  device: string;
  /** When the trip (its first row) is taken to have begun, ms since the epoch. */
  start: number;
  fetch: FetchLike;
  /** See `SendOptions.forwardedFor`. */
  forwardedFor?: string;
  /** See `SendOptions.onRetry`. */
  onRetry?: SendOptions["onRetry"];
}

export async function replayTrace(trace: Trace, options: ReplayOptions) {
  // Counted from the first row, not from 0: a trace written with the clock's own times (ms since
  // 1970) would otherwise be replayed decades ahead, and the server dates such events at arrival.
  let first = Number.POSITIVE_INFINITY;
  for (const row of [...trace.samples, ...trace.fixes]) if (row.t < first) first = row.t;
  const shift = options.start - (Number.isFinite(first) ? first : 0);
  const samples = trace.samples.map((s) => ({ ...s, t: s.t + shift }));
  // In order of time, as detectTrip takes them: cells are drawn between consecutive fixes.
  const fixes = byTime(trace.fixes).map((f) => ({ ...f, t: f.t + shift }));
  const events = detectTrip(samples, fixes);
  const result = await uploadSensed(options.device, events, drivenCells(fixes), options);
  return { events, uploaded: result.accepted };
}
