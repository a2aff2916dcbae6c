/**
 * Sends queued reports: their photos first (each id kept as soon as it is known), then the report
 * with its stored `Idempotency-Key` and, from the first attempt on, its stored body. The page and
 * the service worker (Background Sync) both call this; a Web Lock makes them take turns, so two
 * of them never upload one report's photos twice or send it side by side.
 */
import { ApiError, retryAfterOf } from "../api/client";
import type { SubmitAnswer } from "../api/types";
import { getQueued, listQueued, putQueued, type QueuedReport, type SentAnswer } from "./outbox-store";

/** The Background Sync tag the page registers and the service worker answers. */
export const OUTBOX_SYNC = "civicloop-outbox";
/** Fired on the page's `window` (and posted by the worker) whenever a queued report changed. */
export const OUTBOX_CHANGED = "civicloop-outbox-changed";

/** A request hanging on a bad network must not hold the queue: given up on, retried later. */
const REQUEST_TIMEOUT_MS = 30_000;
/**
 * The slowest upload still waited for (2 KB/s, a poor 2G cell), on top of that: a photo takes its
 * time to go up, and a fixed 30 s cut every attempt of a 300 KB photo short below 10 KB/s, so the
 * report never went while the resident was told the connection was down.
 */
const SLOWEST_UPLOAD_BYTES_PER_MS = 2;

/** How long a request with a body of `bytes` is given before it counts as unanswered. */
export const requestTimeoutMs = (bytes: number) =>
  REQUEST_TIMEOUT_MS + Math.ceil(bytes / SLOWEST_UPLOAD_BYTES_PER_MS);

/** Where a send stands: a photo going up (1-based, of how many), or the report itself. */
export type SendStep = { photo: number; of: number } | "report";

export interface SendOptions {
  /** The device credential to send with a report whose body is not fixed yet. */
  credential: (record: QueuedReport) => Promise<string | undefined>;
  /** Told each step as it starts: on a slow connection a photo takes tens of seconds. */
  progress?: (step: SendStep) => void;
}

/** True for a refusal that sending again will not change (a 4xx other than "too many"). */
export const isRefusal = (e: unknown): e is ApiError =>
  e instanceof ApiError && e.status >= 400 && e.status < 500 && e.status !== 408 && e.status !== 429;

/** A refusal as a queued record keeps it, as the error it was (a record kept before `code` was stored has none). */
export const refusalError = (problem: NonNullable<QueuedReport["problem"]>) =>
  new ApiError(problem.status, problem.code ?? "", problem.message, problem.field);

async function answerOf<T>(res: Response, field?: string): Promise<T> {
  const body = (await res.json().catch(() => null)) as
    | (T & { error?: { code: string; message: string; field?: string } })
    | null;
  if (!res.ok || !body) {
    const error = body?.error;
    throw new ApiError(
      res.status,
      error?.code ?? "http_error",
      error?.message ?? `HTTP ${res.status}`,
      field ?? error?.field,
      retryAfterOf(res.headers),
    );
  }
  return body;
}

/** A request that got no answer at all: offline, a dropped connection, or none within the timeout. */
export class Unanswered extends Error {
  constructor(cause: unknown) {
    super("no answer came from the server", { cause });
    this.name = "Unanswered";
  }
}

const post = (path: string, init: RequestInit & { body?: Blob | string | undefined }) => {
  // A report's JSON is a few KB at most (its characters at most 3 bytes each in UTF-8).
  const bytes = init.body instanceof Blob ? init.body.size : (init.body?.length ?? 0) * 3;
  return fetch(path, { method: "POST", ...init, signal: AbortSignal.timeout(requestTimeoutMs(bytes)) }).catch(
    (e: unknown) => {
      throw new Unanswered(e);
    },
  );
};

/** One record to the server, step by step, each step kept before the next. */
async function sendRecord(record: QueuedReport, opts: SendOptions, again = false): Promise<QueuedReport> {
  let r = record;
  for (const [i, photo] of r.photos.entries()) {
    if (!photo || r.photoIds[i]) continue;
    opts.progress?.({ photo: i + 1, of: r.photos.length });
    const res = await post("/api/photos", { headers: { "content-type": photo.type }, body: photo });
    const { photo: uploaded } = await answerOf<{ photo: { id: string } }>(res, "photos");
    const photoIds = [...r.photoIds];
    photoIds[i] = uploaded.id;
    r = { ...r, photoIds };
    await putQueued(r);
  }
  if (r.body === undefined) {
    const credential = r.credential ?? (await opts.credential(r));
    const photoIds = r.photoIds.filter((id): id is string => id !== null);
    r = {
      ...r,
      body: JSON.stringify({
        ...r.draft,
        ...(photoIds.length ? { photoIds } : {}),
        ...(credential ? { deviceCredential: credential } : {}),
      }),
    };
    await putQueued(r);
  }
  opts.progress?.("report");
  const res = await post("/api/reports", {
    headers: { "content-type": "application/json", "idempotency-key": r.key },
    body: r.body,
  });
  let answer: SubmitAnswer;
  try {
    answer = await answerOf<SubmitAnswer>(res);
  } catch (e) {
    // The server deletes uploads no report links within a day: a report queued longer is refused
    // naming photoIds, with nothing written. Its photos are uploaded again, once.
    if (again || !(e instanceof ApiError && e.status === 400 && e.field === "photoIds")) throw e;
    const { body: _refused, ...unsent } = r;
    const fresh: QueuedReport = { ...unsent, photoIds: r.photoIds.map(() => null) };
    await putQueued(fresh);
    return sendRecord(fresh, opts, true);
  }
  const sent: SentAnswer = {
    reportId: answer.report.id,
    clusterId: answer.cluster.id,
    createdAt: answer.report.createdAt,
    receipt: answer.receipt,
  };
  r = { ...r, state: "sent", answer: sent, photos: [] };
  await putQueued(r);
  return r;
}

/** Runs `work` while holding the outbox's lock (across tabs and the service worker). */
function locked<T>(work: () => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as Navigator | undefined)?.locks;
  return locks ? (locks.request("civicloop-outbox", work) as Promise<T>) : work();
}

/** Sends one record now; its answer, or the failure (a refusal is kept on the record). */
export function sendQueued(id: string, opts: SendOptions): Promise<QueuedReport> {
  return locked(async () => {
    const record = await getQueued(id);
    if (!record) throw new Error("the queued report is gone");
    if (record.state !== "waiting") return record;
    try {
      return await sendRecord(record, opts);
    } catch (e) {
      // Too many requests: kept as it stands now (photos uploaded, body fixed), with the wait the
      // server asked for, for the page to say.
      const kept = e instanceof ApiError && e.status === 429 ? await getQueued(id) : undefined;
      if (kept && e instanceof ApiError)
        await putQueued({ ...kept, waitUntil: Date.now() + (e.retryAfterS ?? 60) * 1000 });
      if (isRefusal(e))
        await putQueued({
          ...record,
          state: "refused",
          problem: {
            status: e.status,
            code: e.code,
            message: e.message,
            ...(e.field ? { field: e.field } : {}),
          },
        });
      throw e;
    }
  });
}

/**
 * Sends every waiting report, oldest first; stops at the first one the network fails (the rest
 * would fail too). Returns how many still wait.
 */
export async function flushOutbox(opts: SendOptions): Promise<number> {
  const waiting = (await listQueued()).filter((r) => r.state === "waiting");
  let left = waiting.length;
  for (const record of waiting) {
    try {
      await sendQueued(record.id, opts);
      left -= 1;
    } catch (e) {
      if (!isRefusal(e)) break;
      left -= 1;
    }
  }
  return left;
}
