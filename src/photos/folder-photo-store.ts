/**
 * Photos in a folder, for the Node server. The one file under src/photos that uses Node's own
 * modules: the Worker never imports it (it keeps photos in R2, `r2-photo-store.ts`).
 */
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync } from "node:fs";
import { mkdir, readFile, rename, rm, statfs } from "node:fs/promises";
import { resolve } from "node:path";
import { AppError } from "../domain/errors";
import { syncFolder, writeSynced } from "../node/synced-files";
import type { PhotoStore } from "./photo-store";

/** Disk space photos never take: the database's commits (and its WAL's checkpoints) must find room. */
export const PHOTO_DISK_RESERVE_BYTES = 256 * 1024 * 1024;

const diskFreeBytes = async (dir: string) => {
  const disk = await statfs(dir);
  return disk.bavail * disk.bsize;
};

/**
 * One file per key, its content type in the name's extension, written to a temporary name first
 * so a reader never sees half a photo.
 */
export function folderPhotoStore(
  dir: string,
  opts: { freeBytes?: (dir: string) => Promise<number> } = {},
): PhotoStore {
  const freeBytes = opts.freeBytes ?? diskFreeBytes;
  // The owner's alone, as the database is: residents' photos, hidden ones and unused uploads among
  // them. A folder made before (or restored) is closed too: files it holds from then stay 0644, but
  // no other user can reach them through it.
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    chmodSync(dir, 0o700);
  } catch {
    // Not this user's folder (a mount): left as it is.
  }
  const ext: Record<string, string> = { "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp" };
  const safe = (key: string) => {
    if (!/^[a-z0-9]{1,64}$/.test(key)) throw new Error("photo keys are lower-case letters and digits");
    return key;
  };
  return {
    async put(key, bytes, contentType) {
      const file = resolve(dir, `${safe(key)}.${ext[contentType] ?? "bin"}`);
      // Uploads are limited per network, not in total: many networks (an IPv6 /48 holds 256) could
      // fill the disk the database commits to. The last of it is the database's.
      const free = await freeBytes(dir).catch(() => Number.POSITIVE_INFINITY);
      if (free - bytes.length < PHOTO_DISK_RESERVE_BYTES) {
        throw new AppError(
          503,
          "storage_full",
          "the server has no room for photos now: send the report without them, or try again later",
          "photo",
        );
      }
      // On the disk before the upload is answered (a report may name it then). A name of its own
      // for each write: two processes may make one thumbnail at once.
      const part = `${file}.${randomBytes(6).toString("hex")}.part`;
      try {
        await writeSynced(part, bytes, 0o600).catch(async (e: NodeJS.ErrnoException) => {
          // The folder removed under a running server (a slip): made again rather than every
          // upload failing until a restart. Only the folder itself: where its parent is gone too
          // (a disk not mounted), uploads fail rather than land on another disk.
          if (e.code !== "ENOENT") throw e;
          await mkdir(dir, 0o700).catch((m: NodeJS.ErrnoException) => {
            if (m.code !== "EEXIST") throw m;
          });
          await syncFolder(resolve(dir, ".."));
          await writeSynced(part, bytes, 0o600);
        });
        await rename(part, file);
      } catch (e) {
        await rm(part, { force: true });
        throw e;
      }
      await syncFolder(dir);
    },
    async get(key) {
      for (const [contentType, e] of Object.entries(ext)) {
        try {
          return { bytes: new Uint8Array(await readFile(resolve(dir, `${safe(key)}.${e}`))), contentType };
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
        }
      }
      return null;
    },
    async delete(key) {
      for (const e of Object.values(ext)) await rm(resolve(dir, `${safe(key)}.${e}`), { force: true });
    },
  };
}
