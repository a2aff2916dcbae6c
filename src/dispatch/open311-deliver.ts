/**
 * Dispatch to a department that runs its own Open311 server: a new (or rerouted) work order is
 * POSTed there as a GeoReport v2 request, and the id it answers is kept for polling
 * (`open311-poll.ts`). Other events need no call: the city's system owns the request from then on,
 * and its status comes back by polling.
 */
import { open311Url, readPostAnswer, requestForm } from "../domain/open311-client";
import type { AttemptOutcome, DeliveryRow } from "../store/outbox";
import type { DeliverOptions } from "./deliver";
import { failed } from "./outcome";
import { errorText, reach } from "./reach";
import { isRetryableStatus } from "./retry-policy";

/** The request's words: the first resident's, else the service's name, with the public page's link. */
const describeRow = (row: DeliveryRow, publicUrl: string) =>
  `${row.description || `${row.serviceNameEn} / ${row.serviceNameZh}`}\n\n${publicUrl.replace(/\/$/, "")}/c/${row.clusterId}`;

const parseAttributes = (text: string | null): Record<string, unknown> => {
  try {
    const parsed = text ? JSON.parse(text) : {};
    return parsed && typeof parsed === "object" ? parsed : {};
  } catch {
    return {};
  }
};

export async function deliverOpen311(
  row: DeliveryRow,
  opts: DeliverOptions & { timeoutMs: number },
): Promise<AttemptOutcome> {
  const { now } = opts;
  const done = (): AttemptOutcome => ({
    row,
    at: now,
    httpStatus: null,
    latencyMs: 0,
    error: null,
    state: "delivered",
    nextAttemptAt: now,
  });
  if (row.remoteRequested) return done();
  if (!row.open311Endpoint || !row.open311ApiKey || !row.remoteServiceCode) {
    const error = `Open311 settings incomplete: no ${row.remoteServiceCode ? "endpoint or API key" : `service code for ${row.serviceCode}`}`;
    return failed(row, opts, { httpStatus: null, latencyMs: 0, error, final: true });
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
    mediaUrl: row.mediaUrl,
    attributes: parseAttributes(row.attributes),
    apiKey: row.open311ApiKey,
    jurisdictionId: row.open311Jurisdiction,
  });
  const started = performance.now();
  try {
    const post = way.fetch;
    const res = await post(way.url, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", "user-agent": "CivicLoop-Open311/1" },
      body: form.toString(),
      redirect: "manual",
      signal: AbortSignal.timeout(opts.timeoutMs),
    });
    const text = await res.text().catch(() => "");
    const latencyMs = Math.round(performance.now() - started);
    if (res.status < 200 || res.status >= 300) {
      // Open311 servers describe a refusal in the body: keep its first words for the dead letter.
      const error = `HTTP ${res.status} ${text.slice(0, 200)}`.trim();
      return failed(row, opts, {
        httpStatus: res.status,
        latencyMs,
        error,
        final: !isRetryableStatus(res.status),
      });
    }
    let answer: ReturnType<typeof readPostAnswer> = null;
    try {
      answer = readPostAnswer(JSON.parse(text));
    } catch {
      answer = null;
    }
    if (!answer) {
      const error = "the Open311 server's answer carried neither service_request_id nor token";
      return failed(row, opts, { httpStatus: res.status, latencyMs, error, final: true });
    }
    return { ...done(), httpStatus: res.status, latencyMs, remote: answer };
  } catch (e) {
    const latencyMs = Math.round(performance.now() - started);
    return failed(row, opts, { httpStatus: null, latencyMs, error: errorText(e), final: false });
  } finally {
    await way.close().catch(() => {});
  }
}
