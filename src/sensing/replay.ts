/**
 * `sensor replay`'s core: a recorded trip run through exactly the detector and uploader the Drive
 * page runs, as if driven from `start`, its events and road cells sent to a CivicLoop server.
 */
import { byTime, detectTrip } from "../domain/bump-detector/detector";
import { drivenCells } from "../domain/bump-detector/driven-cells";
import { recordingsOf, type Trace } from "../domain/bump-detector/trace";
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

/** A trace's recordings one after another from `start`: times shifted, the next a second after one ends. */
function laidEndToEnd(trace: Trace, start: number): Trace[] {
  let from = start;
  return recordingsOf(trace).map((recording) => {
    // Counted from the first row, not from 0: a trace written with the clock's own times (ms since
    // 1970) would otherwise be replayed decades ahead, and the server dates such events at arrival.
    let first = Number.POSITIVE_INFINITY;
    let last = Number.NEGATIVE_INFINITY;
    for (const { t } of [...recording.samples, ...recording.fixes]) {
      first = Math.min(first, t);
      last = Math.max(last, t);
    }
    const shift = from - first;
    from += last - first + 1000;
    return {
      samples: recording.samples.map((s) => ({ ...s, t: s.t + shift })),
      // In order of time, as detectTrip takes them: cells are drawn between consecutive fixes.
      fixes: byTime(recording.fixes).map((f) => ({ ...f, t: f.t + shift })),
    };
  });
}

export async function replayTrace(trace: Trace, options: ReplayOptions) {
  const recordings = laidEndToEnd(trace, options.start);
  const events = recordings.flatMap((r) => detectTrip(r.samples, r.fixes));
  const cells = recordings.flatMap((r) => drivenCells(r.fixes));
  const result = await uploadSensed(options.device, events, cells, options);
  return { events, uploaded: result.accepted };
}
