/**
 * Reports waiting on this device to be sent, in IndexedDB, so a report written on a train with no
 * signal survives the tab closing. Each keeps the `Idempotency-Key` it is sent with for as long
 * as it takes (reloads, the service worker's Background Sync), its photos as blobs until they are
 * uploaded, and, once it was first sent, its exact body: a retry is the same request, so it can
 * never make a second report. Used by the page and by the service worker alike (no DOM here).
 */

import type { api } from "../api/client";
import { database } from "../lib/idb";

const DB_NAME = "civicloop-outbox";
const REPORTS = "reports";

/** A report as the form makes it, without what is added when it is sent (photo ids, credential). */
export type ReportDraft = Omit<
  Parameters<typeof api.reports.$post>[0]["json"],
  "photoIds" | "deviceCredential"
>;

/** What the server answered (the receipt is the resident's private capability). */
export interface SentAnswer {
  reportId: string;
  clusterId: string;
  createdAt: string;
  receipt?: string;
}

export type QueuedState = "waiting" | "sent" | "refused";

export interface QueuedReport {
  id: string;
  /** The `Idempotency-Key`, made once with the record. */
  key: string;
  draft: ReportDraft;
  /** The photos (already shrunk), kept until the report is sent (an upload can expire first). */
  photos: (Blob | null)[];
  /** The uploaded photos' ids, in the same order. */
  photoIds: (string | null)[];
  /** The device credential known when the report was written. */
  credential?: string;
  /** The body as first sent; every retry sends exactly this. */
  body?: string;
  state: QueuedState;
  createdAt: number;
  answer?: SentAnswer;
  /** Why the server refused it (a 4xx: sending again would not help). */
  problem?: { status: number; code?: string; message: string; field?: string };
  /** Whether the page has added it to "my reports" (the service worker cannot: no localStorage). */
  remembered?: boolean;
  /** When the server, having had too many requests, asked for it to wait until (ms), if it did. */
  waitUntil?: number;
}

const db = database(DB_NAME, { [REPORTS]: "id" });

const write = (work: (store: IDBObjectStore) => void) =>
  db.write([REPORTS], (tx) => work(tx.objectStore(REPORTS)));

/** Every queued report, oldest first. */
export async function listQueued(): Promise<QueuedReport[]> {
  const all = await db.read(REPORTS, (s) => s.getAll() as IDBRequest<QueuedReport[]>);
  return all.sort((a, b) => a.createdAt - b.createdAt);
}

export function getQueued(id: string): Promise<QueuedReport | undefined> {
  return db.read(REPORTS, (s) => s.get(id) as IDBRequest<QueuedReport | undefined>);
}

export function putQueued(record: QueuedReport): Promise<void> {
  return write((store) => store.put(record));
}

export function deleteQueued(id: string): Promise<void> {
  return write((store) => store.delete(id));
}
