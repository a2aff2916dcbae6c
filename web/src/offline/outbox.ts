/**
 * The page's side of the outbox: queue a report written here, send it now or when the
 * connection returns (at start, on `online`, and through Background Sync where the browser has
 * it), and tell every part of the page when something changed.
 */
import { askedCredential, deviceCredential, randomHex, rememberReport } from "../lib/device";
import {
  flushOutbox,
  OUTBOX_CHANGED,
  OUTBOX_SYNC,
  type SendOptions,
  sendQueued,
  Unanswered,
} from "./outbox-send";
import { deleteQueued, listQueued, putQueued, type QueuedReport, type ReportDraft } from "./outbox-store";

/** Other tabs of the site are told too: each shows what waits on the device, on every page. */
const otherTabs = typeof BroadcastChannel === "undefined" ? null : new BroadcastChannel(OUTBOX_CHANGED);
const changedHere = () => window.dispatchEvent(new Event(OUTBOX_CHANGED));

/** Tells this page and the site's other tabs that a kept report changed. */
export function announceOutboxChange(): void {
  changedHere();
  otherTabs?.postMessage(OUTBOX_CHANGED);
}

/** The credential kept on this device, asked for only when online (the body is fixed after). */
const credentialOf = () => (navigator.onLine ? deviceCredential() : Promise.resolve(undefined));

/**
 * The credential for a report about to be sent: its body is fixed with it (or without, when the
 * server will not issue one), so no answer at all stops this attempt, and the next one asks again.
 */
const credentialToSend = () =>
  askedCredential().catch((e: unknown) => {
    throw new Unanswered(e);
  });

/** Keeps a report (photos already shrunk) on this device, with its `Idempotency-Key`. */
export async function queueReport(draft: ReportDraft, photos: Blob[]): Promise<QueuedReport> {
  const credential = await credentialOf();
  const record: QueuedReport = {
    id: randomHex(),
    key: randomHex(),
    draft,
    photos,
    photoIds: photos.map(() => null),
    ...(credential ? { credential } : {}),
    state: "waiting",
    createdAt: Date.now(),
  };
  await putQueued(record);
  requestBackgroundSync();
  announceOutboxChange();
  return record;
}

/** Reports the form is sending right now. */
const inFlight = new Set<string>();

/** Whether this page is sending the report now (the form's attempt, or a round of the outbox). */
export const isSending = (id: string) => inFlight.has(id) || flushing !== null;

/** Sends one queued report now and remembers it in "my reports". */
export async function sendNow(id: string, progress?: SendOptions["progress"]): Promise<QueuedReport> {
  inFlight.add(id);
  announceOutboxChange();
  try {
    const record = await sendQueued(id, { credential: credentialToSend, progress });
    await rememberSent();
    return record;
  } finally {
    inFlight.delete(id);
    announceOutboxChange();
  }
}

/**
 * Drops a queued report the form has dealt with itself (it opened the report, or showed the
 * refusal at its field), and says so: the banner, told of it as "sent" or "refused" a moment
 * before, would otherwise keep announcing it beside the form's own answer.
 */
export async function forgetQueued(id: string): Promise<void> {
  try {
    await deleteQueued(id);
  } finally {
    announceOutboxChange();
  }
}

const FIRST_RETRY_MS = 4000;
const LAST_RETRY_MS = 60_000;
let retryMs = FIRST_RETRY_MS;
let retry: ReturnType<typeof setTimeout> | undefined;
let flushing: Promise<void> | null = null;

/**
 * Sends whatever waits (a round already running is joined, not doubled). While something still
 * waits, tries again on a timer that backs off: `online` is not fired on every network change
 * (a captive portal, a flaky cell), and `navigator.onLine` can be wrong.
 */
export function flushFromPage(): Promise<void> {
  clearTimeout(retry);
  if (flushing) return flushing;
  flushing = flushOutbox({ credential: credentialToSend })
    .catch(() => 1)
    .then(async (left) => {
      await rememberSent().catch(() => {});
      if (left === 0) retryMs = FIRST_RETRY_MS;
      else {
        retry = setTimeout(() => void flushFromPage(), retryMs);
        retryMs = Math.min(LAST_RETRY_MS, retryMs * 2);
      }
    })
    .finally(() => {
      flushing = null;
      announceOutboxChange();
    });
  announceOutboxChange();
  return flushing;
}

/**
 * Tries what waits again after the current back-off (after a failed send the resident may not
 * retry), or after the wait the server asked for, if longer.
 */
export function retrySoon(afterMs = 0): void {
  clearTimeout(retry);
  retry = setTimeout(() => void flushFromPage(), Math.max(retryMs, afterMs));
}

/** Reports the worker sent go into "my reports" here: only a page has localStorage. */
export async function rememberSent(): Promise<void> {
  for (const r of await listQueued()) {
    if (r.state !== "sent" || r.remembered || !r.answer) continue;
    rememberReport({
      id: r.answer.reportId,
      clusterId: r.answer.clusterId,
      service: r.draft.service,
      createdAt: r.answer.createdAt,
      ...(r.answer.receipt ? { receipt: r.answer.receipt } : {}),
      description: r.draft.description.slice(0, 120),
    });
    await putQueued({ ...r, remembered: true });
  }
}

/**
 * The report's own page opened: the notice that it went through has been read, and is not
 * shown again on every page of every later visit until tapped away.
 */
export async function forgetSentNotice(reportId: string): Promise<void> {
  // Only once it is among "my reports", its receipt kept there: the record holds it until then.
  const seen = (await listQueued()).filter(
    (r) => r.state === "sent" && r.remembered && r.answer?.reportId === reportId,
  );
  if (seen.length === 0) return;
  for (const r of seen) await deleteQueued(r.id);
  announceOutboxChange();
}

/** Asks the service worker to send the outbox when the connection is back, even with no tab open. */
export function requestBackgroundSync(): void {
  if (!("serviceWorker" in navigator)) return;
  void navigator.serviceWorker.ready
    .then((reg) => (reg as { sync?: { register(tag: string): Promise<void> } }).sync?.register(OUTBOX_SYNC))
    .catch(() => {});
}

/** Starts sending at app start and whenever the browser is back online; returns a stop function. */
export function startOutbox(): () => void {
  const online = () => void flushFromPage();
  const fromWorker = (e: MessageEvent) => {
    if ((e.data as { type?: string } | null)?.type === OUTBOX_CHANGED)
      void rememberSent().then(announceOutboxChange);
  };
  window.addEventListener("online", online);
  navigator.serviceWorker?.addEventListener("message", fromWorker);
  otherTabs?.addEventListener("message", changedHere);
  void flushFromPage();
  return () => {
    clearTimeout(retry);
    window.removeEventListener("online", online);
    navigator.serviceWorker?.removeEventListener("message", fromWorker);
    otherTabs?.removeEventListener("message", changedHere);
  };
}
