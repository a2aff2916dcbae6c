/**
 * The report form's photos, kept for the tab in IndexedDB until the report is sent (the rest of the
 * draft is in sessionStorage, which holds no files). On a phone short of memory, opening the camera
 * from the form can end the tab, which reloads when the resident comes back: the photos they took
 * come back with it. Each tab keeps its own, under an id that lives in its sessionStorage.
 */
import { randomHex } from "../lib/device";

const DB_NAME = "civicloop-draft-photos";
const PHOTOS = "photos";
const TAB = "civicloop.reportDraftTab";
/** A tab closed with a draft leaves its photos behind: gone after this long. */
const KEPT_MS = 2 * 24 * 3600_000;

interface Kept {
  tab: string;
  at: number;
  photos: File[];
}

let opened: Promise<IDBDatabase> | null = null;

function open(): Promise<IDBDatabase> {
  opened ??= new Promise((done, fail) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(PHOTOS, { keyPath: "tab" });
    request.onsuccess = () => done(request.result);
    request.onerror = () => fail(request.error);
  });
  return opened;
}

function tabId(): string {
  let id = sessionStorage.getItem(TAB);
  if (!id) {
    id = randomHex();
    sessionStorage.setItem(TAB, id);
  }
  return id;
}

/** Runs `work` in one transaction and resolves once it is committed. */
async function inTransaction<T>(
  mode: IDBTransactionMode,
  work: (store: IDBObjectStore) => IDBRequest<T>,
): Promise<T> {
  const tx = (await open()).transaction(PHOTOS, mode);
  const request = work(tx.objectStore(PHOTOS));
  return new Promise<T>((done, fail) => {
    tx.oncomplete = () => done(request.result);
    tx.onerror = () => fail(tx.error);
    tx.onabort = () => fail(tx.error);
  });
}

/** This tab's kept photos (none if storage is refused); drops what closed tabs left long ago. */
export async function keptPhotos(): Promise<File[]> {
  try {
    const all = await inTransaction("readonly", (s) => s.getAll() as IDBRequest<Kept[]>);
    const stale = all.filter((k) => k.at < Date.now() - KEPT_MS);
    if (stale.length > 0)
      await Promise.all(stale.map((k) => inTransaction("readwrite", (s) => s.delete(k.tab))));
    return all.find((k) => k.tab === tabId())?.photos ?? [];
  } catch {
    return [];
  }
}

/** Keeps `photos` as this tab's (none: forgets them). */
export async function keepPhotos(photos: File[]): Promise<void> {
  try {
    const tab = tabId();
    if (photos.length > 0)
      await inTransaction("readwrite", (s) => s.put({ tab, at: Date.now(), photos } satisfies Kept));
    else await inTransaction("readwrite", (s) => s.delete(tab));
  } catch {
    // A private window or full storage: the photos are not kept, as before.
  }
}
