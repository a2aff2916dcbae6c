/**
 * Sends the waiting batches whenever the network allows: at once, when the browser says it is
 * online again, and on a timer that backs off while the server cannot be reached. Each batch is
 * sent with the key stored beside it, so a retry (after a lost answer or a reload) adds nothing
 * twice on the server. The shared uploader does the sending; this only decides when.
 */
import { BatchRejected, BatchUndelivered, sendBatch } from "../../../src/sensing/uploader";
import { listBatches, markBatch, type Refusal } from "./drive-store";

const FIRST_RETRY_MS = 2000;
const LAST_RETRY_MS = 60_000;
/** A request hanging on a bad network must not hold the queue: given up on, retried later. */
const REQUEST_TIMEOUT_MS = 20_000;
const WAIT_KEY = "civicloop.driveWaitUntil";
/** A proxy's Retry-After of days would keep the events here that long: tried again after this at most. */
const LONGEST_WAIT_MS = 15 * 60_000;

/** The server's `{error: {code, message, field}}` of a refused batch (the uploader checked its code). */
function refusalOf(rejected: BatchRejected): Refusal {
  const error = (rejected.answer as { error: Partial<Refusal> }).error;
  const refusal: Refusal = {
    code: String(error.code),
    message: typeof error.message === "string" ? error.message : `HTTP ${rejected.status}`,
  };
  if (typeof error.field === "string") refusal.field = error.field;
  return refusal;
}

const timedFetch = (url: string, init: RequestInit) =>
  fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });

/** Until when the server asked this device (any tab of it) to wait, if it still must. */
function keptWait(): number | null {
  try {
    const at = Number(localStorage.getItem(WAIT_KEY));
    return at > Date.now() ? Math.min(at, Date.now() + LONGEST_WAIT_MS) : null;
  } catch {
    return null;
  }
}

export class DriveSync {
  private running = false;
  private again = false;
  private retryMs = FIRST_RETRY_MS;
  private timer: ReturnType<typeof setTimeout> | undefined;
  /**
   * Until when the server asked this phone's network to wait (a 429), or null. Kept in
   * localStorage: a reload or another tab inside the wait would only spend a try the server refuses.
   */
  private waitUntil: number | null = keptWait();
  private readonly onOnline = () => this.kick();

  /** Read from storage each time: another open tab may have been told to wait since. */
  get limitedUntil(): number | null {
    return keptWait() ?? (this.waitUntil !== null && this.waitUntil > Date.now() ? this.waitUntil : null);
  }

  private set limitedUntil(at: number | null) {
    this.waitUntil = at;
    try {
      if (at === null) localStorage.removeItem(WAIT_KEY);
      else localStorage.setItem(WAIT_KEY, String(at));
    } catch {
      // Storage refused: the wait is kept for this page only.
    }
  }

  /** `changed` runs after every batch that changed state, so the page can show it. */
  constructor(private readonly changed: () => void) {}

  start(): void {
    window.addEventListener("online", this.onOnline);
    this.kick();
  }

  stop(): void {
    window.removeEventListener("online", this.onOnline);
    clearTimeout(this.timer);
  }

  /** Sends what waits now (or right after the round already running, or once the server's wait ends). */
  kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    const limited = this.limitedUntil;
    if (limited !== null) {
      this.timer = setTimeout(() => this.kick(), limited - Date.now());
      return;
    }
    this.running = true;
    // A failing IndexedDB read counts as unreachable: retried later rather than stuck running.
    void this.round()
      .catch(() => false)
      .then((reached) => {
        this.running = false;
        if (reached) this.retryMs = FIRST_RETRY_MS;
        if (this.again) {
          this.again = false;
          this.kick();
        } else if (!reached) {
          // A 429's Retry-After first: trying sooner only spends tries inside the same window.
          const wait = Math.max(this.retryMs, (this.limitedUntil ?? 0) - Date.now());
          this.timer = setTimeout(() => this.kick(), wait);
          this.retryMs = Math.min(LAST_RETRY_MS, this.retryMs * 2);
        }
      });
  }

  /**
   * One pass over the waiting batches, oldest first; false when the server could not be reached.
   * One tab of the page at a time (a Web Lock where the browser has them): two tabs sending the
   * same batches would add nothing twice (the key), but would spend the phone's rate limit twice.
   */
  private round(): Promise<boolean> {
    const locks = (navigator as { locks?: LockManager }).locks;
    if (!locks) return this.sendWaiting();
    // Typed as a promise of the callback's promise; the lock resolves with what that settles to.
    return locks.request("civicloop-drive-send", () => this.sendHoldingWait()) as unknown as Promise<boolean>;
  }

  /**
   * Told to wait, the tab keeps the lock through the wait: another tab reads the wait from
   * localStorage, which reaches it a moment later, and in that moment it had sent again.
   */
  private async sendHoldingWait(): Promise<boolean> {
    const reached = await this.sendWaiting();
    const left = (this.limitedUntil ?? 0) - Date.now();
    if (!reached && left > 0) await new Promise((done) => setTimeout(done, left));
    return reached;
  }

  private async sendWaiting(): Promise<boolean> {
    // Another tab, holding the lock before this one, may have been told to wait meanwhile.
    if (this.limitedUntil !== null) return false;
    for (const batch of await listBatches()) {
      if (batch.state !== "waiting") continue;
      try {
        // One attempt here: the waiting between attempts is this class's timer.
        const answer = await sendBatch(batch, {
          fetch: timedFetch,
          server: "",
          attempts: 1,
        });
        this.limitedUntil = null;
        await markBatch(batch, "sent", { accepted: answer.accepted });
      } catch (error) {
        // A 4xx will not change on retry: kept, shown as refused, not sent again.
        if (error instanceof BatchRejected) await markBatch(batch, "rejected", { refusal: refusalOf(error) });
        else {
          const asked = error instanceof BatchUndelivered ? error.retryAfterMs : null;
          this.limitedUntil =
            asked === null ? null : Date.now() + Math.min(LONGEST_WAIT_MS, Math.max(asked, FIRST_RETRY_MS));
          return false;
        }
      } finally {
        this.changed();
      }
    }
    return true;
  }
}
