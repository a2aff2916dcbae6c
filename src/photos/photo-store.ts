/**
 * Where photo bytes live, behind the smallest interface both runtimes can offer: a folder on
 * Node (`folder-photo-store.ts`), an object bucket on the edge (`r2-photo-store.ts`). Rows about photos stay in the database.
 */
export interface PhotoStore {
  /** Stores the bytes under a key; writing the same key again replaces them. */
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** The bytes under a key, or null when there are none. */
  get(key: string): Promise<{ bytes: Uint8Array; contentType: string } | null>;
  /** Removes the bytes under a key; nothing happens when there are none. */
  delete(key: string): Promise<void>;
}
