/**
 * Uploads what a phone sensed to `POST /api/sensor/batches`: events and road cells, split into
 * batches the server accepts, each with an Idempotency-Key derived from its content, so a retry
 * after a lost answer (or a reload that rebuilds the same batch) adds nothing twice. The Drive page
 * keeps the planned batches in IndexedDB and sends them with this; `sensor replay` sends them
 * straight away. Takes the fetch function, so it runs in browsers, Node and tests alike.
 */
import type { RoadEvent } from "../domain/bump-detector/detector";
import { retryAfterMs } from "../domain/retry-after";
import type { RoadCell } from "../domain/road-cells";

export const MAX_EVENTS_PER_BATCH = 2000;
export const MAX_CELLS_PER_BATCH = 5000;

/** An event as the API takes it: `at` in ISO 8601. */
export interface WireEvent extends Omit<RoadEvent, "at"> {
  at: string;
}

export interface BatchBody {
  deviceId: string;
  events: WireEvent[];
  cells?: RoadCell[];
}

export interface PlannedBatch {
  key: string;
  body: BatchBody;
}

export interface BatchAnswer {
  accepted: number;
  spots: { id: string; state: string }[];
}

export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

async function keyOf(body: BatchBody): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(JSON.stringify(body)));
  const hex = [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return `sb-${hex.slice(0, 40)}`;
}

/**
 * The batches for one upload: events in order of time, cells as a sorted set (no order, no times,
 * so no path can be read from them). `at` of each event is in ms since the epoch.
 */
export async function planBatches(
  deviceId: string,
  events: readonly RoadEvent[],
  cells: Iterable<RoadCell> = [],
  limits = { events: MAX_EVENTS_PER_BATCH, cells: MAX_CELLS_PER_BATCH },
): Promise<PlannedBatch[]> {
  const wire = [...events]
    .sort((a, b) => a.at - b.at)
    // Field by field (the API refuses any other), in the order the detector writes them, so a
    // batch keeps the Idempotency-Key it had.
    .map((e) => ({
      at: new Date(e.at).toISOString(),
      lat: e.lat,
      lon: e.lon,
      accuracyM: e.accuracyM,
      speedMps: e.speedMps,
      headingDeg: e.headingDeg,
      kind: e.kind,
      score: e.score,
    }));
  const cellList = [...new Set(cells)].sort();
  const count = Math.max(
    1,
    Math.ceil(wire.length / limits.events),
    Math.ceil(cellList.length / limits.cells),
  );
  const batches: PlannedBatch[] = [];
  for (let i = 0; i < count; i++) {
    const body: BatchBody = { deviceId, events: wire.slice(i * limits.events, (i + 1) * limits.events) };
    const part = cellList.slice(i * limits.cells, (i + 1) * limits.cells);
    if (part.length > 0) body.cells = part;
    if (body.events.length === 0 && !body.cells) continue;
    batches.push({ key: await keyOf(body), body });
  }
  return batches;
}

/** The server refused a batch (4xx): retrying the same body cannot help. */
export class BatchRejected extends Error {
  constructor(
    readonly status: number,
    readonly answer: unknown,
  ) {
    super(`batch rejected with ${status}: ${JSON.stringify(answer)}`);
  }
}

export interface SendOptions {
  fetch: FetchLike;
  /** Base URL of the CivicLoop server, e.g. `https://civicloop.example`. */
  server: string;
  attempts?: number;
  /** Waits between attempts; tests pass one that does not wait. */
  sleep?: (ms: number) => Promise<void>;
  /**
   * The network the phone says it uploads from, through a server that trusts this machine as a
   * proxy (`TRUSTED_PROXIES`): how a replay of several phones from one machine says they are
   * several vehicles. A browser never sets it.
   */
  forwardedFor?: string;
  /** Told before each wait between attempts, with why (`sensor replay` says it on stderr). */
  onRetry?: (reason: string, waitMs: number) => void;
  /**
   * Longest `Retry-After` a 429 may ask for before giving up (default 15 minutes: the sensor limit's
   * window is 10).
   */
  maxRetryAfterMs?: number;
}

const isBatchAnswer = (a: unknown): a is BatchAnswer =>
  typeof (a as BatchAnswer | null)?.accepted === "number" && Array.isArray((a as BatchAnswer).spots);
/** CivicLoop's every error: `{error: {code, message}}`. */
const isErrorAnswer = (a: unknown) =>
  typeof (a as { error?: { code?: unknown } } | null)?.error?.code === "string";

/** Thrown when a batch could not be delivered after every attempt (no answer, 5xx or 429). */
export class BatchUndelivered extends Error {
  /** The last answer was a 429 asking to wait this long (ms; 0 when it named no time). */
  retryAfterMs: number | null = null;
}

/** What a failed fetch says: Node's `fetch failed` hides the reason (ECONNREFUSED…) in `cause`. */
function networkReason(error: unknown): string {
  if ((error as { name?: string } | null)?.name === "TimeoutError") return "timed out";
  const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
  const message = error instanceof Error ? error.message : String(error);
  return cause?.code ?? cause?.message ?? message;
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Sends one batch, retrying on network errors and 5xx (and 429) with the same key. A 429 waits at
 * least its `Retry-After`: retrying sooner only spends attempts inside the same limit window.
 */
export async function sendBatch(batch: PlannedBatch, options: SendOptions): Promise<BatchAnswer> {
  const attempts = options.attempts ?? 5;
  const sleep = options.sleep ?? wait;
  const maxRetryAfter = options.maxRetryAfterMs ?? 15 * 60_000;
  const url = `${options.server.replace(/\/+$/, "")}/api/sensor/batches`;
  let lastReason = "";
  let asked = 0;
  let limited = false;
  let made = 0;
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt > 0) {
      const ms = Math.max(asked, Math.min(30_000, 500 * 2 ** (attempt - 1)));
      options.onRetry?.(lastReason, ms);
      await sleep(ms);
    }
    asked = 0;
    limited = false;
    made++;
    let response: Response;
    try {
      response = await options.fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "idempotency-key": batch.key,
          ...(options.forwardedFor ? { "x-forwarded-for": options.forwardedFor } : {}),
        },
        body: JSON.stringify(batch.body),
      });
    } catch (error) {
      lastReason = `no answer (${networkReason(error)})`;
      continue;
    }
    const answer = await response.json().catch(() => undefined);
    // CivicLoop's answer, cut short (the connection dropped in its body): as if none came.
    if (answer === undefined && /json/i.test(response.headers.get("content-type") ?? "")) {
      lastReason = `the answer (${response.status}) was cut short`;
      continue;
    }
    if (response.status === 429) {
      limited = true;
      asked = retryAfterMs(response.headers.get("retry-after")) ?? 0;
      lastReason = `server answered 429 (rate limited${asked > 0 ? `, Retry-After ${Math.ceil(asked / 1000)} s` : ""})`;
      // Longer than anyone would wait at a terminal: say so now rather than hang.
      if (asked > maxRetryAfter) break;
      continue;
    }
    if (response.status >= 500) {
      lastReason = `server answered ${response.status}`;
      continue;
    }
    // A captive portal's sign-in page, a proxy's refusal or another server at the address is not
    // CivicLoop's answer: a 4xx of theirs must not mark the batch refused for good, nor a 200 sent.
    if (response.ok ? !isBatchAnswer(answer) : !isErrorAnswer(answer)) {
      lastReason = `the answer (${response.status}) is not CivicLoop's: is the server's address right?`;
      break;
    }
    if (!response.ok) throw new BatchRejected(response.status, answer);
    return answer as BatchAnswer;
  }
  const undelivered = new BatchUndelivered(
    `${url}: ${lastReason}, after ${made} attempt${made === 1 ? "" : "s"}`,
  );
  if (limited) undelivered.retryAfterMs = asked;
  throw undelivered;
}

/** Plans and sends one upload, batch after batch; returns the events the server accepted. */
export async function uploadSensed(
  deviceId: string,
  events: readonly RoadEvent[],
  cells: Iterable<RoadCell>,
  options: SendOptions,
): Promise<{ batches: number; accepted: number; spots: BatchAnswer["spots"] }> {
  const batches = await planBatches(deviceId, events, cells);
  let accepted = 0;
  const spots: BatchAnswer["spots"] = [];
  for (const batch of batches) {
    const answer = await sendBatch(batch, options);
    accepted += answer.accepted;
    spots.push(...answer.spots);
  }
  return { batches: batches.length, accepted, spots };
}
