/**
 * The outbox worker: one plain function that delivers what is due and returns. The Node server
 * calls it on an interval; a Cloudflare Worker calls it from its `scheduled` handler.
 */
import type { Db } from "../db/client";
import { checkWebhookUrl } from "../domain/webhook-url";
import { type AttemptOutcome, claimDue, type DeliveryRow, recordAttempts } from "../store/outbox";
import { webhookPayload } from "./payload";
import { afterFailure, DEFAULT_RETRY, isRetryableStatus, type RetryPolicy } from "./retry-policy";
import { SIGNATURE_HEADER, signBody } from "./signature";
import type { WebhookConnector } from "./webhook-connect";

export interface DeliverOptions {
  /** The time of this round, ms. */
  now: number;
  fetch: typeof fetch;
  /** With `reporterSecret`, a round also files road-spot confirmations left unfiled (see run.ts). */
  config: {
    publicUrl: string;
    allowPrivateWebhooks: boolean;
    reporterSecret?: string;
    /** Opens followers' and reporters' addresses for mail (see `send-messages.ts`). */
    contactKey?: string | null | undefined;
  };
  /** Most rows delivered in one round. */
  limit?: number;
  /** A receiver slower than this counts as a timeout. */
  timeoutMs?: number;
  retry?: RetryPolicy;
  /** Jitter source in [0, 1). */
  random?: () => number;
  /**
   * Resolves the webhook's host, vets every address and pins the connection (the Node server
   * passes one); without it `fetch` connects as it does (a Worker's cannot reach private addresses).
   */
  connect?: WebhookConnector;
}

export interface DeliverSummary {
  attempted: number;
  delivered: number;
  retrying: number;
  dead: number;
}

const errorText = (e: unknown) =>
  e instanceof Error
    ? e.name === "TimeoutError" || e.name === "AbortError"
      ? "timeout"
      : e.message
    : "failed";

async function deliverOne(
  row: DeliveryRow,
  opts: DeliverOptions & { timeoutMs: number },
): Promise<AttemptOutcome> {
  const { now } = opts;
  const retry = opts.retry ?? DEFAULT_RETRY;
  const random = opts.random ?? Math.random;
  const verdict = checkWebhookUrl(row.webhookUrl, opts.config.allowPrivateWebhooks);
  if (!verdict.ok) {
    return {
      row,
      at: now,
      httpStatus: null,
      latencyMs: 0,
      error: `webhook address refused: ${verdict.reason}`,
      state: "dead",
      nextAttemptAt: now,
    };
  }
  const connection = opts.connect ? await opts.connect(verdict.url) : null;
  if (connection && !connection.ok) {
    const refused = {
      row,
      at: now,
      httpStatus: null,
      latencyMs: 0,
      error: connection.retry ? connection.reason : `webhook address refused: ${connection.reason}`,
    };
    return connection.retry
      ? { ...refused, ...afterFailure(row, now, random(), retry) }
      : { ...refused, state: "dead", nextAttemptAt: now };
  }
  const body = JSON.stringify(webhookPayload(row, opts.config.publicUrl, now));
  const started = performance.now();
  try {
    // Called unbound: a Worker's fetch refuses any other `this` than the global one.
    const post = connection?.fetch ?? opts.fetch;
    const res = await post(verdict.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "CivicLoop-Webhook/1",
        [SIGNATURE_HEADER]: await signBody(row.webhookSecret, body, now),
        "Idempotency-Key": row.eventId,
      },
      body,
      // A redirect could lead anywhere, including the private network the address rules keep out.
      redirect: "manual",
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
    await res.body?.cancel().catch(() => {});
    const latencyMs = Math.round(performance.now() - started);
    const base = { row, at: now, httpStatus: res.status, latencyMs };
    if (res.status >= 200 && res.status < 300) {
      return { ...base, error: null, state: "delivered", nextAttemptAt: now };
    }
    const error = `HTTP ${res.status}`;
    if (!isRetryableStatus(res.status)) return { ...base, error, state: "dead", nextAttemptAt: now };
    return { ...base, error, ...afterFailure(row, now, random(), retry) };
  } catch (e) {
    const latencyMs = Math.round(performance.now() - started);
    return {
      row,
      at: now,
      httpStatus: null,
      latencyMs,
      error: errorText(e),
      ...afterFailure(row, now, random(), retry),
    };
  } finally {
    await connection?.close().catch(() => {});
  }
}

/**
 * Delivers the outbox rows that are due at `now`: each is claimed, POSTed (signed, with
 * `Idempotency-Key` = its event id), and its attempt logged; failures are scheduled again with
 * backoff or, once given up, left as dead letters.
 */
export async function deliverDue(db: Db, opts: DeliverOptions): Promise<DeliverSummary> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  // The lease outlasts the slowest delivery, so no second worker takes a row still in flight.
  const rows = await claimDue(db, opts.now, opts.now + timeoutMs + 60_000, opts.limit ?? 50);
  const outcomes = await Promise.all(rows.map((row) => deliverOne(row, { ...opts, timeoutMs })));
  await recordAttempts(db, outcomes);
  return {
    attempted: outcomes.length,
    delivered: outcomes.filter((o) => o.state === "delivered").length,
    retrying: outcomes.filter((o) => o.state === "pending").length,
    dead: outcomes.filter((o) => o.state === "dead").length,
  };
}
