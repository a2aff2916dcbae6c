/**
 * The contact key on Node: CONTACT_KEY, or else a key file made once beside the database file
 * (`contact.key`, readable by its owner only), never in the database itself, so a copy of the
 * database alone does not reveal reporters' contacts.
 */
import { randomBytes } from "node:crypto";
import { link, mkdir, readFile, rm } from "node:fs/promises";
import { dirname } from "node:path";
import { keyOpens } from "../domain/contact-seal";
import type { Env } from "../env";
import { besideDatabase } from "./paths";
import { syncFolder, writeSynced } from "./synced-files";

/** A value sealed with the key in use so far, to check the key against. */
export interface SealedSample {
  id: string;
  field: string;
  sealed: string;
}

/**
 * The key, checked against what the database already holds: a key file lost (a restore without
 * it) is not silently replaced while contacts sealed with the old one remain, which would leave
 * every mail to those residents failing; a key that does not open them is said loudly.
 */
export async function contactKeyOf(
  env: Env,
  log: (line: string) => void,
  sample: () => Promise<SealedSample | null>,
): Promise<string> {
  const sealed = await sample();
  const key = await keyOf(env, log, sealed !== null);
  if (sealed) {
    const opens = await keyOpens(key, sealed.id, sealed.field, sealed.sealed);
    if (!opens)
      log(
        `WARNING: the contact key does not open the contacts sealed before it (report ${sealed.id}): mail and push to those residents will fail. Start with the key they were sealed with (CONTACT_KEY, or the contact.key kept with the database).`,
      );
  }
  return key;
}

async function keyOf(env: Env, log: (line: string) => void, anySealed: boolean): Promise<string> {
  if (env.CONTACT_KEY) return env.CONTACT_KEY;
  const file = besideDatabase(env, "contact.key");
  try {
    return (await readFile(file, "utf8")).trim();
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
  }
  if (anySealed)
    throw new Error(
      `${file} is missing, yet this database holds residents' contacts sealed with a key: put back the contact.key kept with it, or set CONTACT_KEY (a new key leaves those contacts unreadable)`,
    );
  // Written aside and linked into place, so a second process starting now reads a whole key.
  await mkdir(dirname(file), { recursive: true });
  // Its own name per call: two starts in one process (tests) wrote one part file, and the second
  // found it gone (ENOENT) once the first had linked and removed it.
  const part = `${file}.${process.pid}.${randomBytes(6).toString("hex")}.part`;
  // On the disk before a contact is sealed with it: a power cut must not keep the sealed
  // contacts and lose their key.
  await writeSynced(part, `${randomBytes(32).toString("hex")}\n`, 0o600);
  try {
    await link(part, file);
    await syncFolder(dirname(file));
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
