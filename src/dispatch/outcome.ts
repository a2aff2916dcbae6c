/** The outcome of a failed delivery attempt, shared by every dispatch method. */
import type { AttemptOutcome, DeliveryRow } from "../store/outbox";
import { afterFailure, DEFAULT_RETRY, type RetryPolicy } from "./retry-policy";

/** A failed attempt: given up (`final`), or pending again with backoff. */
export function failed(
  row: DeliveryRow,
  opts: { now: number; random?: (() => number) | undefined; retry?: RetryPolicy | undefined },
  f: { httpStatus: number | null; latencyMs: number; error: string; final: boolean },
): AttemptOutcome {
  const base = { row, at: opts.now, httpStatus: f.httpStatus, latencyMs: f.latencyMs, error: f.error };
  if (f.final) return { ...base, state: "dead", nextAttemptAt: opts.now };
  return {
    ...base,
    ...afterFailure(row, opts.now, (opts.random ?? Math.random)(), opts.retry ?? DEFAULT_RETRY),
  };
}
