/**
 * Uploads what a phone sensed to `POST /api/sensor/batches`: events and road cells, split into
 * batches the server accepts, each with an Idempotency-Key derived from its content, so a retry
 * after a lost answer (or a reload that rebuilds the same batch) adds nothing twice. The Drive page
 * keeps the planned batches in IndexedDB and sends them with this; `sensor replay` sends them
 * straight away. Takes the fetch function, so it runs in browsers, Node and tests alike.
 */
import type { RoadEvent } from "../domain/bump-detector/detector";
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
}

const wait = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Sends one batch, retrying on network errors and 5xx (and 429) with the same key. */
export async function sendBatch(batch: PlannedBatch, options: SendOptions): Promise<BatchAnswer> {
  const attempts = options.attempts ?? 5;
  const sleep = options.sleep ?? wait;
  const url = `${options.server.replace(/\/+$/, "")}/api/sensor/batches`;
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt > 0) await sleep(Math.min(30_000, 500 * 2 ** (attempt - 1)));
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
      lastError = error;
      continue;
    }
    const answer = await response.json().catch(() => null);
    if (response.status >= 500 || response.status === 429) {
      lastError = new Error(`server answered ${response.status}`);
      continue;
    }
    if (!response.ok) throw new BatchRejected(response.status, answer);
    return answer as BatchAnswer;
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
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
    accepted += answer.accepted ?? 0;
    spots.push(...(answer.spots ?? []));
  }
  return { batches: batches.length, accepted, spots };
}
