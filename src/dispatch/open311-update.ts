/**
 * Residents' later words (a follow-up, `domain/follow-up.ts`) to a department that runs its own
 * Open311 server: each is POSTed as an update to the request its work order became there
 * (FixMyStreet's `servicerequestupdates` extension), while that request is open.
 *
 * Like a request, an update has no idempotency key: it carries the mark of its work order and
 * event first in its words, and an attempt after any earlier claim of the row looks the mark up
 * in the city's updates before it POSTs again, so a retried row adds no second update.
 */
import { updateText } from "../domain/follow-up";
import { dispatchMark, findMarkedUpdate, open311Url, updateForm } from "../domain/open311-client";
import type { AttemptOutcome, DeliveryRow } from "../store/outbox";
import type { DeliverOptions } from "./deliver";
import { gate, heldUntil, passed, unsent } from "./follow-up";
import { lookUpEarlier, postForm, serverOf, w3cSeconds } from "./open311-get";
import { delivered, failed, refused } from "./outcome";
import { errorText, reach } from "./reach";

type Options = DeliverOptions & { timeoutMs: number };

/**
 * How far back the city's updates are searched for an earlier attempt. Shorter than a request's
 * look-back: the extension lists every request's updates, oldest first, up to a server's limit.
 */
const LOOK_BACK_MS = 3_600_000;

/** How long a follow-up waits for its work order's request id at the city, and how often it looks. */
const WAIT_FOR_REQUEST_MS = 7 * 24 * 3_600_000;
const WAIT_STEP_MS = 15 * 60_000;

export async function deliverOpen311Update(row: DeliveryRow, opts: Options): Promise<AttemptOutcome> {
  const { now } = opts;
  const words = gate(row, now, opts.config.publicUrl);
  if (!passed(words)) return words;
  if (!row.open311Endpoint || !row.open311ApiKey) {
    const error = "Open311 settings incomplete: no endpoint or API key";
    return failed(row, opts, { httpStatus: null, latencyMs: 0, error, final: true });
  }
  const requestId = row.remoteId;
  if (!requestId) {
    // The work order's own dispatch has not reached the city yet, or its token has no id yet:
    // waiting for it is no failed attempt (the row would die unsent), but not for ever.
    if (now - row.createdAt < WAIT_FOR_REQUEST_MS) return heldUntil(row, now, now + WAIT_STEP_MS);
    const error = "the city never gave the work order's request id";
    return failed(row, opts, { httpStatus: null, latencyMs: 0, error, final: true });
  }
  const mark = dispatchMark(row.workOrderId, row.eventId);
  if (row.claims > 1 || row.attempts > 0) {
    const earlier = await lookUpEarlier(
      serverOf(row),
      "servicerequestupdates.json",
      opts,
      { service_request_id: requestId, start_date: w3cSeconds(row.createdAt - LOOK_BACK_MS) },
      (list) => findMarkedUpdate(list, mark, requestId),
    );
    if (earlier === "unknown") {
      const error = "an earlier attempt's outcome is unknown and the city's updates could not be searched";
      return failed(row, opts, { httpStatus: null, latencyMs: 0, error, final: false });
    }
    if (earlier)
      return { ...unsent(row, now, ""), error: `adopted update ${earlier}, which an earlier attempt made` };
  }
  const way = await reach(open311Url(row.open311Endpoint, "servicerequestupdates.json").href, {
    ...opts,
    allowPrivate: opts.config.allowPrivateWebhooks,
  });
  if (!way.ok) {
    const error = way.retry ? way.reason : `Open311 ${way.reason}`;
    return failed(row, opts, { httpStatus: null, latencyMs: 0, error, final: !way.retry });
  }
  const form = updateForm({
    requestId,
    updateId: row.eventId,
    at: w3cSeconds(row.eventAt),
    description: updateText(mark, words, row.eventType),
    mediaUrl: words.photoUrls[0] ?? null,
    apiKey: row.open311ApiKey,
    jurisdictionId: row.open311Jurisdiction,
  });
  const started = performance.now();
  try {
    const answer = await postForm(way, form, opts.timeoutMs);
    if (answer.status < 200 || answer.status >= 300) return refused(row, opts, answer);
    return delivered(row, now, { httpStatus: answer.status, latencyMs: answer.latencyMs });
  } catch (e) {
    const latencyMs = Math.round(performance.now() - started);
    return failed(row, opts, { httpStatus: null, latencyMs, error: errorText(e), final: false });
  } finally {
    await way.close().catch(() => {});
  }
}
