/**
 * Backup and restore of a Node installation while it serves: the database and the photos.
 *
 * The database is copied first, with `VACUUM INTO` (one read transaction: a consistent snapshot
 * that never blocks writers, the file being in WAL mode), then the photo folder. Photos are
 * immutable files written before any report can link them, so every photo the snapshot links
 * is already on disk when the folder is copied; files newer than the snapshot are harmless extras.
 * Restoring copies both back into place, with the service stopped.
 */
import { copyFile, cp, mkdir, readdir, stat, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { createClient } from "@libsql/client";

export const BACKUP_DATABASE = "civicloop.db";
export const BACKUP_PHOTOS = "photos";

/** The database file of a `file:` URL; other URLs (Turso) are backed up by their platform. */
export function databaseFileOf(url: string): string {
  if (!url.startsWith("file:") || url.includes(":memory:"))
    throw new Error(
      "only a file: database is backed up here; use Turso's point-in-time restore for libsql:// URLs",
    );
  return resolve(url.slice("file:".length));
}

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );

/** Copies the folder's finished photos (never a `.part` being written); returns how many. */
async function copyPhotos(from: string, to: string): Promise<number> {
  await mkdir(to, { recursive: true });
  if (!(await exists(from))) return 0;
  let copied = 0;
  for (const name of await readdir(from)) {
    if (name.endsWith(".part")) continue;
    await copyFile(join(from, name), join(to, name));
    copied++;
  }
  return copied;
}

/** Takes a backup into `dir` (which must not hold one already) while the service runs. */
export async function backup(opts: { databaseUrl: string; photosDir: string; dir: string; now?: number }) {
  const file = databaseFileOf(opts.databaseUrl);
  const target = join(resolve(opts.dir), BACKUP_DATABASE);
  if (await exists(target)) throw new Error(`${target} already exists; back up into an empty folder`);
  await mkdir(dirname(target), { recursive: true });
  const client = createClient({ url: `file:${file}`, timeout: 10_000 });
  try {
    await client.execute({ sql: "VACUUM INTO ?", args: [target] });
  } finally {
    client.close();
  }
  const photos = await copyPhotos(opts.photosDir, join(resolve(opts.dir), BACKUP_PHOTOS));
  const manifest = {
    takenAt: new Date(opts.now ?? Date.now()).toISOString(),
    database: BACKUP_DATABASE,
    photos,
  };
  await writeFile(join(resolve(opts.dir), "backup.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

/** Puts a backup back in place; the service must be stopped and the database file absent. */
export async function restore(opts: { dir: string; databaseUrl: string; photosDir: string }) {
  const file = databaseFileOf(opts.databaseUrl);
  for (const f of [file, `${file}-wal`, `${file}-shm`])
    if (await exists(f)) throw new Error(`${f} exists; move it away before restoring over it`);
  await mkdir(dirname(file), { recursive: true });
  await copyFile(join(resolve(opts.dir), BACKUP_DATABASE), file);
  await mkdir(opts.photosDir, { recursive: true });
  await cp(join(resolve(opts.dir), BACKUP_PHOTOS), opts.photosDir, { recursive: true });
}
