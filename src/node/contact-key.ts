/**
 * The contact key on Node: CONTACT_KEY, or else a key file made once beside the database file
 * (`contact.key`, readable by its owner only), never in the database itself, so a copy of the
 * database alone does not reveal reporters' contacts.
 */
import { randomBytes } from "node:crypto";
import { link, mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";
import type { Env } from "../env";
import { besideDatabase } from "./paths";

export async function contactKeyOf(env: Env, log: (line: string) => void): Promise<string> {
  if (env.CONTACT_KEY) return env.CONTACT_KEY;
  const file = besideDatabase(env, "contact.key");
  try {
    return (await readFile(file, "utf8")).trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  // Written aside and linked into place, so a second process starting now reads a whole key.
  await mkdir(dirname(file), { recursive: true });
  // Its own name per call: two starts in one process (tests) wrote one part file, and the second
  // found it gone (ENOENT) once the first had linked and removed it.
  const part = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.part`;
  await writeFile(part, `${randomBytes(32).toString("hex")}\n`, { mode: 0o600 });
  try {
    await link(part, file);
    log(
      `CONTACT_KEY was not set; contacts are sealed with the key made in ${file}: keep it, apart from backups`,
    );
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  } finally {
    await rm(part, { force: true });
  }
  return (await readFile(file, "utf8")).trim();
}
