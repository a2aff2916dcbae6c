/**
 * When to try a failed delivery again, and when to give up. Pure: randomness is passed in.
 * Network errors, timeouts, 408, 429 and 5xx are retried with exponential backoff and jitter;
 * any other answer outside 2xx is final. A row is given up (dead) only after it has been retried
 * for `windowMs` (24 hours by default) and at least `minAttempts` times, so an admin's retry of a
 * dead letter gets a fresh round of attempts.
 */
export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
  windowMs: number;
  minAttempts: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  baseMs: 30_000,
  maxMs: 3_600_000,
  windowMs: 24 * 3_600_000,
  minAttempts: 8,
};

/** Whether an HTTP answer is worth trying again. */
export const isRetryableStatus = (status: number) => status === 408 || status === 429 || status >= 500;

/**
 * Whether a mail server's refusal is final: a reply refusing the mail or its recipient (550–559,
 * RFC 5321 §4.2.2; 521, the domain takes no mail, RFC 7504). Its other 5xx are about the session
 * or this server's settings (530, 534, 535: the sign-in refused; 503: a command out of sequence),
 * which an admin or the mail server's own restart clears: tried again like a 4xx, within the window.
 */
export const isFinalMailReply = (code: number) => code === 521 || (code >= 550 && code <= 559);

/** Whether a mail API's answer is worth trying again: as any HTTP answer, and its key refused (this server's settings). */
export const isRetryableMailStatus = (status: number) =>
  isRetryableStatus(status) || status === 401 || status === 403;

/** Delay before attempt `attempts + 1`, after `attempts` failures: exponential, capped, jittered to 50-100%. */
export function backoffMs(attempts: number, random: number, policy: RetryPolicy = DEFAULT_RETRY): number {
  const exp = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempts - 1));
  return Math.round(exp * (0.5 + 0.5 * random));
}

/**
 * After a retryable failure: dead, or pending again at a later time. `askedMs` is how long the
 * server asked us to wait (its `Retry-After`): the next attempt is no sooner, as one sooner would
 * only meet the same refusal, and no later than the window's end (a server asking for days is
 * tried again when the window ends, so the row is given up then, or after its few last tries, and
 * seen by an admin, not kept pending for a week).
 */
export function afterFailure(
  row: { attempts: number; createdAt: number },
  now: number,
  random: number,
  policy: RetryPolicy = DEFAULT_RETRY,
  askedMs: number | null = null,
): { state: "dead" | "pending"; nextAttemptAt: number } {
  const attempts = row.attempts + 1;
  if (now - row.createdAt >= policy.windowMs && attempts >= policy.minAttempts) {
    return { state: "dead", nextAttemptAt: now };
  }
  const windowLeft = Math.max(0, policy.windowMs - (now - row.createdAt));
  const wait = Math.max(backoffMs(attempts, random, policy), Math.min(askedMs ?? 0, windowLeft));
  return { state: "pending", nextAttemptAt: now + wait };
}
