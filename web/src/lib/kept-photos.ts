/**
 * Photos chosen in a form, kept for the tab in IndexedDB until the form is sent (the forms keep
 * their words in sessionStorage, which holds no files). On a phone short of memory, opening the
 * camera from a form can end the tab, which reloads when the resident or the crew comes back: the
 * photos chosen before come back with it. Each tab keeps its own, under an id in its sessionStorage,
 * one list per form (`report`, a work order's).
 */
import { useEffect, useState } from "preact/hooks";
import { randomHex } from "./device";
import { database } from "./idb";

const DB_NAME = "civicloop-kept-photos";
const PHOTOS = "photos";
const TAB = "civicloop.photosTab";
/** A tab closed with a form unsent leaves its photos behind: gone after this long. */
const KEPT_MS = 2 * 24 * 3600_000;

interface Kept {
  /** The tab's id, "/", the form's name. */
  key: string;
  at: number;
  photos: File[];
}

const db = database(DB_NAME, { [PHOTOS]: "key" });

function tabPrefix(): string {
  let id = sessionStorage.getItem(TAB);
  if (!id) {
    id = randomHex();
    sessionStorage.setItem(TAB, id);
  }
  return `${id}/`;
}

const change = (work: (store: IDBObjectStore) => void) =>
  db.write([PHOTOS], (tx) => work(tx.objectStore(PHOTOS)));

const allKept = () => db.read(PHOTOS, (s) => s.getAll() as IDBRequest<Kept[]>);
const forget = (kept: Kept[]) => Promise.all(kept.map((k) => change((s) => s.delete(k.key))));

/** The photos this tab kept for `form` (none if storage is refused); drops what closed tabs left long ago. */
export async function keptPhotos(form: string): Promise<File[]> {
  try {
    const all = await allKept();
    await forget(all.filter((k) => k.at < Date.now() - KEPT_MS));
    return all.find((k) => k.key === tabPrefix() + form)?.photos ?? [];
  } catch {
    return [];
  }
}

/** Keeps `photos` as this tab's for `form` (none: forgets them); fails if storage refuses. */
export async function storePhotos(form: string, photos: File[]): Promise<void> {
  const key = tabPrefix() + form;
  if (photos.length > 0) await change((s) => s.put({ key, at: Date.now(), photos } satisfies Kept));
  else await change((s) => s.delete(key));
}

/** Keeps `photos` as this tab's for `form` (none: forgets them), if storage allows. */
export async function keepPhotos(form: string, photos: File[]): Promise<void> {
  try {
    await storePhotos(form, photos);
  } catch {
    // A private window or full storage: the photos are not kept, as before.
  }
}

/** Forgets every form's photos this tab kept (signing out). */
export async function forgetKeptPhotos(): Promise<void> {
  try {
    const prefix = tabPrefix();
    await forget((await allKept()).filter((k) => k.key.startsWith(prefix)));
  } catch {
    // Nothing kept.
  }
}

/**
 * Keeps a form's `photos` as they change, and once, at first, gives back through `restore` those
 * kept before a reload. Nothing is written before that: the first render's empty list would
 * forget them.
 */
export function useKeptPhotos(form: string, photos: File[], restore: (photos: File[]) => void): void {
  const [backFor, setBackFor] = useState<string | null>(null);
  // Restored once per form: `restore` is a new function on every render.
  useEffect(() => {
    let live = true;
    keptPhotos(form).then((kept) => {
      if (!live) return;
      if (kept.length > 0) restore(kept);
      setBackFor(form);
    });
    return () => {
      live = false;
    };
  }, [form]);
  useEffect(() => {
    if (backFor === form) void keepPhotos(form, photos);
  }, [backFor, form, photos]);
}
