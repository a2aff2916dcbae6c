/**
 * Files that must be on the disk before the service answers: the bytes, then the new name, as the
 * database's own commit is. Else a power cut could keep a row and lose the file it names.
 */
import { open } from "node:fs/promises";

/** Writes a new file and waits for its bytes to reach the disk. */
export async function writeSynced(path: string, data: Uint8Array | string, mode = 0o666) {
  const file = await open(path, "w", mode);
  try {
    await file.writeFile(data);
    await file.sync();
  } finally {
    await file.close();
  }
}

/** Waits for a folder's entries (a name just given) to reach the disk. */
export async function syncFolder(dir: string) {
  const folder = await open(dir, "r");
  try {
    await folder.sync();
  } finally {
    await folder.close();
  }
}
