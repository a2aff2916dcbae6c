/**
 * What the Drive page keeps on the phone, in IndexedDB, so that nothing felt on the road is lost
 * when the tab closes or the phone stays offline: events and road cells as they are found
 * ("pending"), and the batches sealed from them ("batches"), each with the Idempotency-Key it
 * will be sent with for as long as it takes, reloads included.
 */
import type { RoadEvent } from "../../../src/domain/bump-detector/detector";
import type { RoadCell } from "../../../src/domain/road-cells";
import { type BatchBody, planBatches } from "../../../src/sensing/uploader";
import { randomHex } from "../lib/device";
import { database } from "../lib/idb";

const DB_NAME = "civicloop-drive";
const PENDING = "pending";
const BATCHES = "batches";

type PendingRecord = { id: string; event: RoadEvent } | { id: string; cell: RoadCell };

export type BatchState = "waiting" | "sent" | "rejected";

export interface StoredBatch {
  key: string;
  /** What is sent; once sent, emptied (see `markBatch`). */
  body: BatchBody;
  state: BatchState;
  createdAt: number;
  sentAt?: number;
  /** How many of a sent batch's events the server counted (those outside every area, too old or at 0,0 it keeps uncounted). */
  accepted?: number;
  /** How many events a sent batch held, its body emptied. */
  sentEvents?: number;
  /** Why the server refused a batch, in its words: without them the driver saw only a count. */
  refusal?: Refusal;
}

/** CivicLoop's `{error: {code, message, field}}`. */
export interface Refusal {
  code: string;
  message: string;
  field?: string;
}

/** The events a batch holds or held. */
export const eventsIn = (b: StoredBatch): number => b.sentEvents ?? b.body.events.length;

/** The events the server counted of a sent batch (no count kept: all it held). */
export const countedIn = (b: StoredBatch): number => b.accepted ?? eventsIn(b);

/**
 * A sent batch as kept: its counts, not its events and cells. Kept whole, every drive's bumps with
 * their places and times stayed on the phone for good, a history of where it had been.
 */
const forgotten = (b: StoredBatch): StoredBatch => ({
  ...b,
  body: { ...b.body, events: [], cells: [] },
  sentEvents: eventsIn(b),
});

const db = database(DB_NAME, { [PENDING]: "id", [BATCHES]: "key" });
const write = db.write;
const readAll = <T>(store: string) => db.read(store, (s) => s.getAll() as IDBRequest<T[]>);

/** Keeps an event found on the road until it is sealed into a batch (same event twice: once). */
export function keepEvent(event: RoadEvent): Promise<void> {
  return write([PENDING], (tx) =>
    tx.objectStore(PENDING).put({ id: `e:${event.at}:${event.kind}`, event } satisfies PendingRecord),
  );
}

/** Keeps road cells driven through (a set: a cell driven twice is kept once). */
export function keepCells(cells: readonly RoadCell[]): Promise<void> {
  if (cells.length === 0) return Promise.resolve();
  return write([PENDING], (tx) => {
    for (const cell of cells) tx.objectStore(PENDING).put({ id: `c:${cell}`, cell } satisfies PendingRecord);
  });
}

/** A random key, made once per batch and stored with it (a content key could repeat on a daily route). */
function newKey(): string {
  return `drive-${randomHex()}`;
}

let sealing: Promise<number> = Promise.resolve(0);

/**
 * Turns what is pending into batches within the API's limits. The batches and the removal of
 * what they hold are one transaction, so a tab closing half-way leaves either the pending
 * records or the batches, never both and never neither. Another tab of the page may seal the
 * same records meanwhile (planning a batch awaits a hash, so the read and the write are two
 * transactions): the write first checks that every record it planned from is still pending,
 * and plans again if not, so no event goes out in two batches under two keys. Returns the
 * number of new batches.
 */
export function seal(deviceId: string): Promise<number> {
  sealing = sealing.catch(() => 0).then(() => sealPending(deviceId));
  return sealing;
}

async function sealPending(deviceId: string): Promise<number> {
  for (;;) {
    const pending = await readAll<PendingRecord>(PENDING);
    if (pending.length === 0) return 0;
    const events = pending.flatMap((p) => ("event" in p ? [p.event] : []));
    const cells = pending.flatMap((p) => ("cell" in p ? [p.cell] : []));
    const planned = await planBatches(deviceId, events, cells);
    const now = Date.now();
    let taken = false;
    await write([PENDING, BATCHES], (tx) => {
      const store = tx.objectStore(PENDING);
      store.getAllKeys().onsuccess = (e) => {
        const still = new Set((e.target as IDBRequest<IDBValidKey[]>).result);
        if (pending.some((p) => !still.has(p.id))) return;
        taken = true;
        planned.forEach((b, i) => {
          const batch: StoredBatch = { key: newKey(), body: b.body, state: "waiting", createdAt: now + i };
          tx.objectStore(BATCHES).put(batch);
        });
        for (const p of pending) store.delete(p.id);
      };
    });
    if (taken) {
      announce();
      return planned.length;
    }
  }
}
/** Every batch, oldest first (a sent one kept whole by an older version of the page emptied now). */
export async function listBatches(): Promise<StoredBatch[]> {
  const list = (await readAll<StoredBatch>(BATCHES)).sort((a, b) => a.createdAt - b.createdAt);
  const whole = list.filter((b) => b.state === "sent" && b.sentEvents === undefined);
  if (whole.length)
    await write([BATCHES], (tx) => {
      for (const b of whole) tx.objectStore(BATCHES).put(forgotten(b));
    });
  return list.map((b) => (b.state === "sent" && b.sentEvents === undefined ? forgotten(b) : b));
}

/** Events found but not yet sealed (a trip running, or one cut short by a closed tab). */
export async function pendingEventCount(): Promise<number> {
  return (await readAll<PendingRecord>(PENDING)).filter((p) => "event" in p).length;
}

/** Marks a batch sent (with how many events the server counted) or refused (with why). */
export async function markBatch(
  batch: StoredBatch,
  state: BatchState,
  answer: { accepted?: number; refusal?: Refusal } = {},
): Promise<void> {
  await write([BATCHES], (tx) => {
    const marked: StoredBatch = { ...batch, state, sentAt: Date.now() };
    const next = state === "sent" ? forgotten(marked) : marked;
    if (answer.accepted !== undefined) next.accepted = answer.accepted;
    if (answer.refusal) next.refusal = answer.refusal;
    tx.objectStore(BATCHES).put(next);
  });
  announce();
}

/** The page's other tabs hear when batches change, so none shows what another has sent as waiting. */
const channel = typeof BroadcastChannel === "function" ? new BroadcastChannel(DB_NAME) : null;
const announce = () => channel?.postMessage("batches");

/** Runs `changed` whenever another tab of the page sealed or sent batches; returns the way to stop. */
export function onOtherTabs(changed: () => void): () => void {
  if (!channel) return () => {};
  const listener = () => changed();
  channel.addEventListener("message", listener);
  return () => channel.removeEventListener("message", listener);
}
