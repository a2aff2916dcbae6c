/**
 * Backup and restore of a Node installation while it serves: the database and the photos.
 *
 * The database is copied first, with `VACUUM INTO` (one read transaction: a consistent snapshot
 * that never blocks writers, the file being in WAL mode), then the photo folder. Photos are
 * immutable files written before any report can link them, so every photo the snapshot links
 * is already on disk when the folder is copied; files newer than the snapshot are harmless extras.
 * Restoring copies both back into place, with the service stopped.
 */
import { chmod, copyFile, cp, mkdir, open, readdir, readFile, rename, rm, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { type Client, createClient } from "@libsql/client";
import { isThumbnailKey } from "../photos/thumbnails";
import { syncFolder, writeSynced } from "./synced-files";

export const BACKUP_DATABASE = "civicloop.db";
export const BACKUP_PHOTOS = "photos";

/** A backup or restore refused: said in words, with nothing written. */
export class BackupError extends Error {}

/** The database file of a `file:` URL; other URLs (Turso) are backed up by their platform. */
export function databaseFileOf(url: string): string {
  if (!url.startsWith("file:") || url.includes(":memory:"))
    throw new BackupError(
      "only a file: database is backed up here; use Turso's point-in-time restore for libsql:// URLs",
    );
  return resolve(url.slice("file:".length));
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );
const isFolder = (path: string) =>
  stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );

/**
 * Copies the folder's finished photos (never a `.part` being written, nor a thumbnail, made again
 * when first asked for); returns how many.
 */
async function copyPhotos(from: string, to: string): Promise<number> {
  await mkdir(to, { recursive: true });
  if (!(await exists(from))) return 0;
  let copied = 0;
  for (const name of await readdir(from)) {
    if (name.endsWith(".part") || isThumbnailKey(keyOf(name))) continue;
    await copyFile(join(from, name), join(to, name));
    await syncFile(join(to, name));
    copied++;
  }
  await syncFolder(to);
  return copied;
}

/** A photo file's key: its name without the extension its content type gave it. */
const keyOf = (name: string) => name.replace(/\.[a-z]+$/, "");

/** Waits for a file copied (not written by us) to reach the disk. */
async function syncFile(path: string) {
  const file = await open(path, "r");
  try {
    await file.sync();
  } finally {
    await file.close();
  }
}

/** Takes a backup into `dir` (which must not hold one already) while the service runs. */
export async function backup(opts: { databaseUrl: string; photosDir: string; dir: string; now?: number }) {
  const file = databaseFileOf(opts.databaseUrl);
  // Opened, a missing file would be made empty, and backed up "successfully" night after night
  // (a DATABASE_URL mistyped in a cron job): refused, with nothing made.
  if (!(await exists(file)))
    throw new BackupError(
      `there is no database at ${file}: check DATABASE_URL (as the server is started with)`,
    );
  await checkCoreTables(file);
  const target = join(resolve(opts.dir), BACKUP_DATABASE);
  // A new or empty folder only: the backup makes it its owner's alone, which must not happen to a
  // folder others use (`/backups`, `/tmp`).
  const inside = await readdir(dirname(target)).catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT") return [];
    throw new BackupError(`cannot back up into ${dirname(target)}: ${e.code ?? e.message}`);
  });
  if (inside.length > 0)
    throw new BackupError(
      `${dirname(target)} is not empty; back up into a new folder (such as one named for the date)`,
    );
  await mkdir(dirname(target), { recursive: true });
  // The copy holds password hashes, sealed contacts and the reporter-key secret: the folder and
  // the file are the owner's alone, whatever the umask.
  await chmod(dirname(target), 0o700);
  const client = createClient({ url: `file:${file}`, timeout: 10_000 });
  try {
    await client.execute({ sql: "VACUUM INTO ?", args: [target] });
  } finally {
    client.close();
  }
  await chmod(target, 0o600);
  // Everything on the disk before the manifest, which is written last: a backup folder with a
  // manifest is whole, even after a power cut during the night's run.
  await syncFile(target);
  const photos = await copyPhotos(opts.photosDir, join(resolve(opts.dir), BACKUP_PHOTOS));
  const manifest = {
    takenAt: new Date(opts.now ?? Date.now()).toISOString(),
    database: BACKUP_DATABASE,
    photos,
  };
  await writeSynced(join(resolve(opts.dir), "backup.json"), `${JSON.stringify(manifest, null, 2)}\n`, 0o600);
  await syncFolder(resolve(opts.dir));
  return manifest;
}

const SQLITE_HEADER = "SQLite format 3\0";
/** Tables every CivicLoop database has had since its first migration. */
const CORE_TABLES = ["__drizzle_migrations", "services", "departments", "clusters", "reports"];

/** Refuses what `backup` did not make: no manifest, no photo folder, or no database of ours. */
async function checkBackupFolder(dir: string): Promise<void> {
  const notOurs = `${dir} is not a folder made by npm run backup`;
  let manifest: unknown;
  try {
    manifest = JSON.parse(await readFile(join(dir, "backup.json"), "utf8"));
  } catch {
    throw new BackupError(`${notOurs}: it has no readable backup.json`);
  }
  if ((manifest as { database?: unknown } | null)?.database !== BACKUP_DATABASE)
    throw new BackupError(`${notOurs}: its backup.json names no ${BACKUP_DATABASE}`);
  if (!(await isFolder(join(dir, BACKUP_PHOTOS))))
    throw new BackupError(`${notOurs}: it has no ${BACKUP_PHOTOS}/ folder`);
  const header = Buffer.alloc(SQLITE_HEADER.length);
  try {
    const f = await open(join(dir, BACKUP_DATABASE));
    await f.read(header, 0, header.length, 0).finally(() => f.close());
  } catch {
    throw new BackupError(`${notOurs}: it has no ${BACKUP_DATABASE}`);
  }
  if (header.toString("latin1") !== SQLITE_HEADER)
    throw new BackupError(`${join(dir, BACKUP_DATABASE)} is not an SQLite database`);
}

/**
 * Refuses a copy that is damaged or is not a CivicLoop database (read, never changed); returns
 * the keys of the photos its reports and status changes link.
 */
async function checkDatabaseCopy(file: string, from: string): Promise<string[]> {
  let linked: string[] = [];
  await readDatabase(file, from, async (client) => {
    const check = await client.execute("PRAGMA quick_check");
    const verdict = check.rows.map((r) => String(r[0])).join("; ");
    if (verdict !== "ok") throw new BackupError(`${from} is damaged (SQLite's quick_check: ${verdict})`);
    await hasCoreTables(client, from);
    // Linked photos only: an unlinked upload may expire between the snapshot and the folder's copy.
    const rows = await client.execute(
      "SELECT storage_key FROM photos WHERE report_id IS NOT NULL OR event_id IS NOT NULL",
    );
    linked = rows.rows.map((r) => String(r[0]));
  });
  return linked;
}

/** Refuses to back up what is not a CivicLoop database (another file named by DATABASE_URL). */
const checkCoreTables = (file: string) => readDatabase(file, file, (client) => hasCoreTables(client, file));

async function hasCoreTables(client: Client, from: string): Promise<void> {
  const tables = await client.execute("SELECT name FROM sqlite_master WHERE type = 'table'");
  const have = new Set(tables.rows.map((r) => String(r[0])));
  const missing = CORE_TABLES.filter((t) => !have.has(t));
  if (missing.length > 0)
    throw new BackupError(`${from} is not a CivicLoop database (no ${missing.join(", ")} table)`);
}

/** Runs `read` on the database file, any failure to read it said as a refusal naming `from`. */
async function readDatabase(file: string, from: string, read: (client: Client) => Promise<void>) {
  const client = createClient({ url: `file:${file}` });
  try {
    await read(client);
  } catch (e) {
    throw e instanceof BackupError ? e : new BackupError(`${from} cannot be read: ${(e as Error).message}`);
  } finally {
    client.close();
  }
}

/**
 * Puts a backup back in place; the service must be stopped and the database file absent. What
 * `backup` did not make, or a damaged copy, is refused before anything is written; the database
 * file appears last, whole (a copy checked beside it, then renamed), so a restore that fails
 * leaves no database a server would start on.
 */
export async function restore(opts: {
  dir: string;
  databaseUrl: string;
  photosDir: string;
}): Promise<{ missingPhotos: string[] }> {
  const file = databaseFileOf(opts.databaseUrl);
  const dir = resolve(opts.dir);
  for (const f of [file, `${file}-wal`, `${file}-shm`])
    if (await exists(f))
      throw new BackupError(
        `${f} exists; stop the service (a server still running keeps writing to the file it opened, wherever it is moved), then move it away before restoring over it`,
      );
  await checkBackupFolder(dir);
  await mkdir(dirname(file), { recursive: true });
  const copy = `${file}.restoring`;
  const dropCopy = () => Promise.all(["", "-wal", "-shm"].map((s) => rm(`${copy}${s}`, { force: true })));
  try {
    await copyFile(join(dir, BACKUP_DATABASE), copy);
    const linked = await checkDatabaseCopy(copy, join(dir, BACKUP_DATABASE));
    // A photo folder copied short (an interrupted transfer of the backup): said, not refused, as
    // the database may be all there is to restore.
    const inBackup = new Set((await readdir(join(dir, BACKUP_PHOTOS))).map(keyOf));
    const missingPhotos = linked.filter((key) => !inBackup.has(key));
    await mkdir(opts.photosDir, { recursive: true });
    await cp(join(dir, BACKUP_PHOTOS), opts.photosDir, { recursive: true });
    await syncFile(copy);
    await rename(copy, file);
    await syncFolder(dirname(file));
    return { missingPhotos };
  } finally {
    await dropCopy();
  }
}
