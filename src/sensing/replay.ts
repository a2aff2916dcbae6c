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
  /** When the trip (its time 0) is taken to have begun, ms since the epoch. */
  start: number;
  fetch: FetchLike;
  /** See `SendOptions.forwardedFor`. */
  forwardedFor?: string;
  /** See `SendOptions.onRetry`. */
  onRetry?: SendOptions["onRetry"];
}

export async function replayTrace(trace: Trace, options: ReplayOptions) {
  const samples = trace.samples.map((s) => ({ ...s, t: s.t + options.start }));
  // In order of time, as detectTrip takes them: cells are drawn between consecutive fixes.
  const fixes = byTime(trace.fixes).map((f) => ({ ...f, t: f.t + options.start }));
  const events = detectTrip(samples, fixes);
  const result = await uploadSensed(options.device, events, drivenCells(fixes), options);
  return { events, uploaded: result.accepted };
}
