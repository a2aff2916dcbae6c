/**
 * One of the app's IndexedDB databases (version 1, its stores made on first use), opened at its
 * first use and opened again whenever it must be: after an open that failed, and after the
 * browser closed the connection under the page (site data cleared in the settings, Safari with
 * the page in the background), which otherwise failed every later read and write until a
 * reload. Used by the page and by the service worker alike (no DOM here).
 */
export interface Database {
  /** Runs `work` in one read-write transaction over `stores`; resolves once it is committed. */
  write(stores: string[], work: (tx: IDBTransaction) => void): Promise<void>;
  /** One read of `store`. */
  read<T>(store: string, ask: (store: IDBObjectStore) => IDBRequest<T>): Promise<T>;
}

/** `stores`: each store's name and key path. */
export function database(name: string, stores: Record<string, string>): Database {
  let opened: Promise<IDBDatabase> | null = null;

  const open = (): Promise<IDBDatabase> => {
    if (opened) return opened;
    const opening = new Promise<IDBDatabase>((done, fail) => {
      const request = indexedDB.open(name, 1);
      request.onupgradeneeded = () => {
        for (const [store, keyPath] of Object.entries(stores))
          if (!request.result.objectStoreNames.contains(store))
            request.result.createObjectStore(store, { keyPath });
      };
      request.onsuccess = () => {
        const db = request.result;
        db.onclose = () => forget(opening);
        // Another tab deleting or upgrading the database waits for this connection to close.
        db.onversionchange = () => {
          db.close();
          forget(opening);
        };
        done(db);
      };
      request.onerror = () => fail(request.error);
    });
    opening.catch(() => forget(opening));
    opened = opening;
    return opening;
  };
  const forget = (connection: Promise<IDBDatabase>) => {
    if (opened === connection) opened = null;
  };

  const transaction = async (names: string[], mode: IDBTransactionMode): Promise<IDBTransaction> => {
    const connection = open();
    try {
      return (await connection).transaction(names, mode);
    } catch (error) {
      // Closed without a close event (Safari does that): one new connection is tried.
      if (!(error instanceof DOMException && error.name === "InvalidStateError")) throw error;
      forget(connection);
      return (await open()).transaction(names, mode);
    }
  };

  return {
    async write(names, work) {
      const tx = await transaction(names, "readwrite");
      work(tx);
      await new Promise<void>((done, fail) => {
        tx.oncomplete = () => done();
        tx.onerror = () => fail(tx.error);
        tx.onabort = () => fail(tx.error);
      });
    },
    async read(store, ask) {
      const request = ask((await transaction([store], "readonly")).objectStore(store));
      return new Promise((done, fail) => {
        request.onsuccess = () => done(request.result);
        request.onerror = () => fail(request.error);
      });
    },
  };
}
