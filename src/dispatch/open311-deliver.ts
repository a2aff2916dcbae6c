/**
 * Dispatch to a department that runs its own Open311 server: a new (or rerouted) work order is
 * POSTed there as a GeoReport v2 request, and the id it answers is kept for polling
 * (`open311-poll.ts`). A reopening here is POSTed as a new request naming the old one (GeoReport
 * v2 has no reopening, and `servicerequestupdates` is an extension few servers take). Residents'
 * later words go as updates to the open request (`open311-update.ts`). Other events need no
 * call: the city's system owns the request, and its status comes back by polling.
 *
 * GeoReport v2 has no idempotency key either: each request carries a mark naming the work order
 * and event (`dispatchMark`), and an attempt after any earlier claim of the row (whose POST may
 * have reached the city unrecorded: a lost answer, a crash, a lapsed lease, a retried dead letter)
 * first looks the mark up at the city, adopting the request it finds instead of making a second.
 */
import { answersAsWritten } from "../domain/attributes";
import { clusterPageUrl } from "../domain/links";
import {
  dispatchMark,
  findMarked,
  open311Url,
  readPostAnswer,
  reopenWords,
  requestForm,
} from "../domain/open311-client";
import { HANDED_OVER } from "../domain/states";
import type { AttemptOutcome, DeliveryRow } from "../store/outbox";
import type { DeliverOptions } from "./deliver";
import { lookUpEarlier, postForm, serverOf, w3cSeconds } from "./open311-get";
import { delivered, failed, refused } from "./outcome";
import { photoLinks, reportAnswers, serviceQuestions } from "./problem";
import { errorText, reach } from "./reach";

type Options = DeliverOptions & { timeoutMs: number; where?: string | null | undefined };

const isReopening = (row: DeliveryRow) => row.eventType === "status_changed" && row.toStatus === "reopened";

/**
 * The request's words: the mark first (a server that cuts long descriptions keeps it), the first
 * resident's words (or the reopening's), the public page's link.
 */
const describeRow = (row: DeliveryRow, publicUrl: string) =>
  [
    dispatchMark(row.workOrderId, row.eventId),
    isReopening(row)
      ? reopenWords(row.remoteRef, row.eventNote)
      : row.description || `${row.serviceNameEn} / ${row.serviceNameZh}`,
    clusterPageUrl(publicUrl, row.clusterId),
    ...photoUrls(row, publicUrl),
  ].join("\n\n");

/** The public links of the residents' visible photos (GeoReport v2 has room for one media_url). */
const photoUrls = (row: DeliveryRow, publicUrl: string) => photoLinks(row.photoIds, publicUrl);

/** How far back the city's list is searched for an earlier attempt: beyond any clock skew. */
const LOOK_BACK_MS = 24 * 3_600_000;

/**
 * The request an earlier attempt of this row made at the city, if the city holds one: its id,
 * null when it holds none (or cannot list), `"unknown"` when the city could not be asked now.
 */
const madeEarlier = (row: DeliveryRow, opts: Options) =>
  lookUpEarlier(
    serverOf(row),
    "requests.json",
    opts,
    { service_code: row.remoteServiceCode ?? "", start_date: w3cSeconds(row.createdAt - LOOK_BACK_MS) },
    (list) => findMarked(list, dispatchMark(row.workOrderId, row.eventId)),
  );

export async function deliverOpen311(row: DeliveryRow, opts: Options): Promise<AttemptOutcome> {
  const { now } = opts;
  const done = (): AttemptOutcome => delivered(row, now);
  if (!isReopening(row) && (!HANDED_OVER.has(row.eventType) || row.remoteRequested)) return done();
  if (!row.open311Endpoint || !row.open311ApiKey || !row.remoteServiceCode) {
    const error = `Open311 settings incomplete: no ${row.remoteServiceCode ? "endpoint or API key" : `service code for ${row.serviceCode}`}`;
    return failed(row, opts, { httpStatus: null, latencyMs: 0, error, final: true });
  }
  // `claims` counts this claim too; rows older than the count know only their recorded attempts.
  if (row.claims > 1 || row.attempts > 0) {
    const earlier = await madeEarlier(row, opts);
    if (earlier === "unknown") {
      const error = "an earlier attempt's outcome is unknown and the city's requests could not be searched";
      return failed(row, opts, { httpStatus: null, latencyMs: 0, error, final: false });
    }
    if (earlier)
      return {
        ...done(),
        error: "adopted the request an earlier attempt made",
        remote: { remoteId: earlier, token: null },
      };
  }
  const way = await reach(open311Url(row.open311Endpoint, "requests.json").href, {
    ...opts,
    allowPrivate: opts.config.allowPrivateWebhooks,
  });
  if (!way.ok) {
    const error = way.retry ? way.reason : `Open311 ${way.reason}`;
    return failed(row, opts, { httpStatus: null, latencyMs: 0, error, final: !way.retry });
  }
  const form = requestForm({
    serviceCode: row.remoteServiceCode,
    lat: row.lat,
    lon: row.lon,
    description: describeRow(row, opts.config.publicUrl),
    mediaUrl: row.mediaUrl ?? photoUrls(row, opts.config.publicUrl)[0] ?? null,
    attributes: answersAsWritten(serviceQuestions(row.questions), reportAnswers(row.attributes)),
    apiKey: row.open311ApiKey,
    jurisdictionId: row.open311Jurisdiction,
    // The reporter's own words for the place when they gave some, else the gazetteer's nearest name.
    addressString: row.address ?? opts.where ?? null,
  });
  const started = performance.now();
  try {
    const posted = await postForm(way, form, opts.timeoutMs);
    const { status, text, latencyMs } = posted;
    if (status < 200 || status >= 300) return refused(row, opts, posted);
    let answer: ReturnType<typeof readPostAnswer> = null;
    try {
      answer = readPostAnswer(JSON.parse(text));
    } catch {
      answer = null;
    }
    if (!answer) {
      const error = "the Open311 server's answer carried neither service_request_id nor token";
      return failed(row, opts, { httpStatus: status, latencyMs, error, final: true });
    }
    return { ...delivered(row, now, { httpStatus: status, latencyMs }), remote: answer };
  } catch (e) {
    const latencyMs = Math.round(performance.now() - started);
    return failed(row, opts, { httpStatus: null, latencyMs, error: errorText(e), final: false });
  } finally {
    await way.close().catch(() => {});
  }
}
