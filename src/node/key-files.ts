/**
 * Secrets kept in files beside the database (`contact.key`, `reporter.key`), readable by their
 * owner only and never in the database itself, so a copy of the database alone does not undo them.
 */
import { randomBytes } from "node:crypto";
import { link, mkdir, readFile, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { syncFolder, writeSynced } from "./synced-files";

/** The file's secret, or null when there is no such file. */
export async function readKeyFile(file: string): Promise<string | null> {
  try {
    return (await readFile(file, "utf8")).trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    return null;
  }
}

/**
 * Writes `value` as the file's secret unless another process made the file first, and answers
 * the file's secret (this one's, or the first's). Written aside, on the disk, then linked into
 * place: a second process starting now reads a whole key, and a power cut never keeps what was
 * written with a key that was lost.
 */
export async function writeKeyFileOnce(file: string, value: string, made: () => void): Promise<string> {
  await mkdir(dirname(file), { recursive: true });
  // Its own name per call: two starts in one process (tests) wrote one part file, and the second
  // found it gone (ENOENT) once the first had linked and removed it.
  const part = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.part`;
  await writeSynced(part, `${value}\n`, 0o600);
  try {
    await link(part, file);
    await syncFolder(dirname(file));
    made();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  } finally {
    await rm(part, { force: true });
  }
  return (await readFile(file, "utf8")).trim();
}
