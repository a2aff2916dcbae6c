/**
 * The outbox worker: one plain function that delivers what is due and returns. The Node server
 * calls it on an interval; a Cloudflare Worker calls it from its `scheduled` handler.
 */
import type { Db } from "../db/client";
import { isFollowUp } from "../domain/follow-up";
import { whereWords } from "../domain/places";
import { HANDED_OVER } from "../domain/states";
import {
  type AttemptOutcome,
  claimDue,
  type DeliveryRow,
  deliveryKey,
  recordAttempts,
  takenAway,
} from "../store/outbox";
import { nameThePoint } from "../store/places";
import { gate, passed, unsent } from "./follow-up";
import { deliverMail } from "./mail-deliver";
import { deliverMailFollowUps } from "./mail-follow-up";
import { deliverOpen311 } from "./open311-deliver";
import { deliverOpen311Update } from "./open311-update";
import { delivered, failed, refused } from "./outcome";
import { webhookPayload } from "./payload";
import { errorText, reach } from "./reach";
import type { RetryPolicy } from "./retry-policy";
import type { Senders } from "./senders";
import { SIGNATURE_HEADER, signBody } from "./signature";
import type { WebhookConnector } from "./webhook-connect";

export interface DeliverOptions {
  /** The time of this round, ms. */
  now: number;
  /**
   * The time now, ms, read as each webhook leaves: its signature's `t` must be the attempt's, not
   * the round's start, which earlier steps of a round (the deadline check, sensor filings, slow
   * receivers of an earlier pass) can leave minutes behind, past a receiver's replay window.
   * Without it, `now`.
   */
  clock?: (() => number) | undefined;
  fetch: typeof fetch;
  /** With `reporterSecret`, a round also files road-spot confirmations left unfiled (see run.ts). */
  config: {
    publicUrl: string;
    allowPrivateWebhooks: boolean;
    reporterSecret?: string;
    /** Opens followers' and reporters' addresses for mail (see `send-messages.ts`). */
    contactKey?: string | null | undefined;
    /** Days reporters' contacts are kept once their problem is over (see `store/contact-retention.ts`). */
    contactRetentionDays?: number | undefined;
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
  /** The mail sender serves e-mail departments too; without one their work orders are parked. */
  senders?: Senders | undefined;
}

export interface DeliverSummary {
  attempted: number;
  delivered: number;
  retrying: number;
  dead: number;
}

/** The secret a renewal replaced, while it still signs at `at` (ms) beside the new one. */
const stillSigning = (row: DeliveryRow, at: number) =>
  row.webhookPreviousUntil !== null && at < row.webhookPreviousUntil ? row.webhookPreviousSecret : null;

async function deliverWebhook(
  row: DeliveryRow,
  opts: DeliverOptions & { timeoutMs: number; place: Words | null },
): Promise<AttemptOutcome> {
  const { now } = opts;
  // A follow-up carries the residents' words, if they may leave (`follow-up.ts`).
  const words = isFollowUp(row.eventType) ? gate(row, now, opts.config.publicUrl) : undefined;
  if (words && !passed(words)) return words;
  const way = await reach(row.webhookUrl ?? "", { ...opts, allowPrivate: opts.config.allowPrivateWebhooks });
  if (!way.ok) {
    return failed(row, opts, {
      httpStatus: null,
      latencyMs: 0,
      error: way.retry ? way.reason : `webhook ${way.reason}`,
      final: !way.retry,
    });
  }
  const body = JSON.stringify(webhookPayload(row, opts.config.publicUrl, now, words, opts.place));
  const sentAt = opts.clock?.() ?? now;
  const started = performance.now();
  try {
    const post = way.fetch;
    const res = await post(way.url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "CivicLoop-Webhook/1",
        [SIGNATURE_HEADER]: await signBody(row.webhookSecret ?? "", body, sentAt, stillSigning(row, sentAt)),
        "Idempotency-Key": deliveryKey(row),
      },
      body,
      // A redirect could lead anywhere, including the private network the address rules keep out.
      redirect: "manual",
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
    await res.body?.cancel().catch(() => {});
    const latencyMs = Math.round(performance.now() - started);
    if (res.status >= 200 && res.status < 300)
      return delivered(row, now, { httpStatus: res.status, latencyMs });
    return refused(row, opts, { status: res.status, latencyMs, retryAfter: res.headers.get("retry-after") });
  } catch (e) {
    const latencyMs = Math.round(performance.now() - started);
    return failed(row, opts, { httpStatus: null, latencyMs, error: errorText(e), final: false });
  } finally {
    await way.close().catch(() => {});
  }
}

/** One row, by its department's method; `place` names where it is for a mail or a city's system. */
const deliverOne = async (
  row: DeliveryRow,
  opts: DeliverOptions & { timeoutMs: number; place: Words | null },
) =>
  row.dispatchMethod === "open311"
    ? takenAway(row)
      ? unsent(row, opts.now, "GeoReport v2 has no way to withdraw a request from a city's system")
      : isFollowUp(row.eventType)
        ? deliverOpen311Update(row, opts)
        : deliverOpen311(row, { ...opts, where: opts.place?.en })
    : row.dispatchMethod === "email"
      ? deliverMail(row, opts)
      : deliverWebhook(row, opts);

type Words = { zh: string | null; en: string | null };

/**
 * The gazetteer's words for where a row is: for the methods that speak to people, and for a
 * webhook's hand-over (a ticket system shows its crews a street, not a latitude).
 */
const placeOf = async (db: Db, row: DeliveryRow): Promise<Words | null> =>
  isFollowUp(row.eventType) ||
  (row.dispatchMethod === "webhook" && (!HANDED_OVER.has(row.eventType) || takenAway(row)))
    ? null
    : whereWords(await nameThePoint(db, row));

/** E-mail departments' follow-ups: delivered together per work order (coalesced). */
const isMailFollowUp = (row: DeliveryRow) => row.dispatchMethod === "email" && isFollowUp(row.eventType);

/**
 * Delivers the outbox rows that are due at `now`: each is claimed, POSTed (signed, with
 * `Idempotency-Key` = its event id), and its attempt logged; failures are scheduled again with
 * backoff or, once given up, left as dead letters.
 */
export async function deliverDue(db: Db, opts: DeliverOptions): Promise<DeliverSummary> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  // The lease outlasts the slowest delivery, so no second worker takes a row still in flight.
  const rows = await claimDue(
    db,
    opts.now,
    opts.now + timeoutMs + 60_000,
    opts.limit ?? 50,
    !!opts.senders?.mail,
  );
  // A row for a department its work order has since moved away from is not sent: the body is
  // built from the work order as it is now, which is another department's business. Except the
  // word that it was taken away, while it still is (come back, the reroute back says so).
  const isDue = (row: DeliveryRow) => (row.holderCode === row.departmentCode) !== takenAway(row);
  const movedAway = rows.filter((row) => !isDue(row));
  const due = rows.filter(isDue);
  // Each outcome is recorded as soon as its own send ends: held back for the slowest of the pass,
  // a fast delivery's lease could lapse unrecorded, and another process would send it again.
  const recorded = async (outcomes: AttemptOutcome[]) => {
    await recordAttempts(db, outcomes);
    return outcomes;
  };
  const outcomes = (
    await Promise.all([
      recorded(
        movedAway.map((row) =>
          unsent(
            row,
            opts.now,
            takenAway(row)
              ? "the work order came back to this department"
              : "the work order went to another department",
          ),
        ),
      ),
      ...due
        .filter((row) => !isMailFollowUp(row))
        .map(async (row) =>
          recorded([await deliverOne(row, { ...opts, timeoutMs, place: await placeOf(db, row) })]),
        ),
      deliverMailFollowUps(due.filter(isMailFollowUp), { ...opts, timeoutMs }, recorded),
    ])
  ).flat();
  const tried = outcomes.filter((o) => !o.held);
  return {
    attempted: tried.length,
    delivered: outcomes.filter((o) => o.state === "delivered").length,
    retrying: tried.filter((o) => o.state === "pending").length,
    dead: outcomes.filter((o) => o.state === "dead").length,
  };
}
