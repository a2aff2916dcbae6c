/**
 * Runs `runDispatch` over and over in-process (the Node server's way; a Worker uses a Cron
 * Trigger instead). Rounds never overlap, and `stop()` waits for the round in flight, so a
 * restart picks up exactly where the database says: the outbox is the queue.
 */

import type { Db } from "../db/client";
import { loggableError } from "../domain/errors";
import { type RunOptions, runDispatch } from "./run";

export interface LoopOptions extends Omit<RunOptions, "now"> {
  clock: () => number;
  /** Pause between the end of one round and the start of the next. */
  intervalMs?: number;
  onError?: (e: unknown) => void;
  /** Told of each round that had a failed attempt (counts only), as a Worker logs each run. */
  onFailures?: (summary: Awaited<ReturnType<typeof runDispatch>>) => void;
}

/** Whether a round had an attempt fail (to be tried again, or given up as a dead letter). */
const hadFailures = (s: Awaited<ReturnType<typeof runDispatch>>) =>
  s.retrying + s.dead + s.messages.retrying + s.messages.dead > 0;

export function startDispatchLoop(db: Db, opts: LoopOptions) {
  const {
    clock,
    intervalMs = 2000,
    onError = (e) => console.error(`dispatch round failed: ${loggableError(e)}`),
    // Counts only: never a payload, an address or a department's webhook URL (each attempt's
    // error is in the work order's deliveries and the admin's outbox).
    onFailures = (summary) =>
      console.error(`dispatch: attempts failed this round: ${JSON.stringify(summary)}`),
    ...rest
  } = opts;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let inFlight: Promise<void> = Promise.resolve();

  const round = async () => {
    try {
      const summary = await runDispatch(db, { ...rest, now: clock(), clock });
      if (hadFailures(summary)) onFailures(summary);
    } catch (e) {
      onError(e);
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      inFlight = round().then(schedule);
    }, intervalMs);
  };
  schedule();

  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await inFlight;
    },
  };
}
