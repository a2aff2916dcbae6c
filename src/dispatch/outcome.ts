/** The outcomes of delivery attempts, shared by every dispatch method. */

import { retryAfterMs } from "../domain/retry-after";
import type { AttemptOutcome, DeliveryRow } from "../store/outbox";
import { afterFailure, DEFAULT_RETRY, isRetryableStatus, type RetryPolicy } from "./retry-policy";

/** A delivered attempt, or a row settled without sending (`error` then says why). */
export function delivered(
  row: DeliveryRow,
  now: number,
  f: { httpStatus?: number | null; latencyMs?: number; error?: string | null } = {},
): AttemptOutcome {
  return {
    row,
    at: now,
    httpStatus: f.httpStatus ?? null,
    latencyMs: f.latencyMs ?? 0,
    error: f.error ?? null,
    state: "delivered",
    nextAttemptAt: now,
  };
}

type AttemptOptions = {
  now: number;
  random?: (() => number) | undefined;
  retry?: RetryPolicy | undefined;
  /** The time as the answer comes (the pass's `now` is when it began, which may be long before). */
  clock?: (() => number) | undefined;
};

/**
 * When an attempt's answer (or its failure) came: the backoff and a `Retry-After` count from
 * there, not from the pass's start (a receiver answering 429 "in 40 s" after 9 s had been asked
 * again 31 s later, and a timed-out one 12 s after its 10 s timeout).
 */
const answeredAt = (opts: AttemptOptions, latencyMs: number) => opts.clock?.() ?? opts.now + latencyMs;

/** A failed attempt: given up (`final`), or pending again with backoff. */
export function failed(
  row: DeliveryRow,
  opts: AttemptOptions,
  f: { httpStatus: number | null; latencyMs: number; error: string; final: boolean; askedMs?: number | null },
): AttemptOutcome {
  const base = { row, at: opts.now, httpStatus: f.httpStatus, latencyMs: f.latencyMs, error: f.error };
  if (f.final) return { ...base, state: "dead", nextAttemptAt: opts.now };
  const random = (opts.random ?? Math.random)();
  const at = answeredAt(opts, f.latencyMs);
  return { ...base, ...afterFailure(row, at, random, opts.retry ?? DEFAULT_RETRY, f.askedMs) };
}

/**
 * An answer outside 2xx: retried or given up by its status, its first words kept for the dead
 * letter (Open311 servers describe a refusal in the body). A retry waits at least the answer's
 * `Retry-After` (a 429 or 503 saying when to come back).
 */
export const refused = (
  row: DeliveryRow,
  opts: AttemptOptions,
  answer: { status: number; text?: string; latencyMs: number; retryAfter?: string | null },
): AttemptOutcome =>
  failed(row, opts, {
    httpStatus: answer.status,
    latencyMs: answer.latencyMs,
    error: `HTTP ${answer.status} ${(answer.text ?? "").slice(0, 200)}`.trim(),
    final: !isRetryableStatus(answer.status),
    askedMs: retryAfterMs(answer.retryAfter, answeredAt(opts, answer.latencyMs)),
  });
