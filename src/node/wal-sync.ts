/**
 * Durable commits without blocking the event loop. With `synchronous = FULL` SQLite calls fsync
 * inside COMMIT, and the native driver runs COMMIT on the main thread: every commit stops the
 * server for the length of a disk flush (8 ms sequential on the benchmark machines, issue 18).
 * Instead the connection commits with `synchronous = NORMAL` (the WAL is written but not flushed)
 * and a write resolves only after `sync()` has flushed the WAL file in libuv's thread pool.
 * Frames are appended in order, so one flush started after a commit makes it and everything
 * before it durable: what a caller acknowledges survives a power loss exactly as with FULL, and
 * commits that land while a flush runs share the next one.
 *
 * The trade-off: for the length of one flush, a commit is visible to readers before it is
 * durable. A power loss in that window loses it together with its unanswered request, never an
 * acknowledged write. Only for WAL files: with a rollback journal NORMAL could corrupt the file.
 */
import { closeSync, existsSync, fsync, openSync, statSync } from "node:fs";
import { stat } from "node:fs/promises";
import { dirname } from "node:path";

/** Flushes an open file to disk (fsync; tests pass one that fails). */
export type FlushFile = (fd: number) => Promise<void>;

const flush: FlushFile = (fd) => new Promise<void>((done, fail) => fsync(fd, (e) => (e ? fail(e) : done())));

/** A file's device and inode, or null when there is no such file (yet). */
function fileIdentity(path: string): string | null {
  try {
    const s = statSync(path);
    return `${s.dev}:${s.ino}`;
  } catch {
    return null;
  }
}

/** The database file gone or another file in its place: what was committed since is in no file kept. */
const REMOVED = "ENOENT";

export class WalSync {
  readonly #dbPath: string;
  readonly #walPath: string;
  /** The database file as first flushed (device and inode), to tell it was removed or replaced. */
  #dbFile: string | null = null;
  #fd: number | null = null;
  #running: Promise<void> | null = null;
  #queued: Promise<void> | null = null;
  #closed = false;
  /**
   * The first failed flush. After an fsync error Linux may mark the lost pages clean, so a later
   * fsync can succeed without them: nothing after a failure is ever reported durable again.
   */
  #failure: Error | null = null;
  /** The failed flush that makes every later write fail until a restart; null while none has. */
  get failure(): Error | null {
    return this.#failure;
  }

  /** Flushes finished so far (for tests). */
  done = 0;

  /**
   * `dbPath` is the database file in WAL mode as SQLite opened it (symbolic links resolved); its
   * log is `dbPath-wal`. `flushFile` is fsync unless a test makes the disk fail.
   */
  constructor(
    dbPath: string,
    readonly flushFile: FlushFile = flush,
  ) {
    this.#dbPath = dbPath;
    this.#walPath = `${dbPath}-wal`;
    this.#dbFile = fileIdentity(dbPath);
  }

  /** Resolves once a flush that started after this call has finished. */
  sync(): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    if (!this.#running) {
      this.#running = this.#flush()
        .catch((e: unknown) => {
          this.#failure ??= e instanceof Error ? e : new Error(String(e));
          throw this.#failure;
        })
        .finally(() => {
          this.#running = null;
        });
      return this.#running;
    }
    // The running flush may have started before this commit was written: wait for the next one.
    this.#queued ??= this.#running
      .catch(() => undefined)
      .then(() => {
        this.#queued = null;
        return this.sync();
      });
    return this.#queued;
  }

  async #flush(): Promise<void> {
    if (this.#closed) throw new Error("the database was closed before its last commits were flushed");
    if (this.#fd === null) {
      // No log yet: nothing was committed through it (a PRAGMA that wrote nothing, say).
      if (!existsSync(this.#walPath)) return;
      // A new log's name must be on disk too (what SQLite's FULL does on the first sync).
      const fd = openSync(this.#walPath, "r");
      try {
        const dir = openSync(dirname(this.#walPath), "r");
        try {
          await this.flushFile(dir);
        } finally {
          closeSync(dir);
        }
      } catch (e) {
        closeSync(fd);
        throw e;
      }
      this.#fd = fd;
    }
    await this.flushFile(this.#fd);
    await this.#checkDatabaseFile();
    this.done++;
  }

  /**
   * Refuses a flush whose database file was removed (or replaced) under the running server: its
   * commits went to a file no name reaches, lost when the server stops, so none may be
   * acknowledged, and every later write fails (`failure`) as after a failed flush.
   */
  async #checkDatabaseFile(): Promise<void> {
    const now = await stat(this.#dbPath).then(
      (s) => `${s.dev}:${s.ino}`,
      // Only a file gone says so: a stat refused otherwise (EACCES, NFS's ESTALE) is no verdict.
      (e: NodeJS.ErrnoException) => (e.code === "ENOENT" ? null : this.#dbFile),
    );
    this.#dbFile ??= now;
    if (now === null || now !== this.#dbFile)
      throw Object.assign(new Error(`the database file ${this.#dbPath} was removed or replaced`), {
        code: REMOVED,
      });
  }

  close(): void {
    this.#closed = true;
    const fd = this.#fd;
    this.#fd = null;
    if (fd === null) return;
    // A flush under way keeps its descriptor until it ends.
    if (this.#running) void this.#running.catch(() => undefined).then(() => closeSync(fd));
    else closeSync(fd);
  }
}

/**
 * What the health check says of a failed flush: its error code only (`EIO`, `ENOSPC`), never
 * its message, which may name the file.
 */
export function flushFault(failure: Error | null): string | null {
  if (!failure) return null;
  const code = (failure as NodeJS.ErrnoException).code;
  if (code === REMOVED)
    return "the database file was removed, moved or replaced under the running server; every write is refused: read the README's durability section before stopping the server (a removed file is recovered from the running server only)";
  const why = typeof code === "string" && /^E[A-Z]+$/.test(code) ? ` (${code})` : "";
  return `a flush of the database's write-ahead log failed${why}; every write is refused until the server restarts`;
}
