/**
 * The contact key on Node: CONTACT_KEY, or else a key file made once beside the database file
 * (`contact.key`, readable by its owner only), never in the database itself, so a copy of the
 * database alone does not reveal reporters' contacts.
 */
import { randomBytes } from "node:crypto";
import { keyOpens } from "../domain/contact-seal";
import type { Env } from "../env";
import { readKeyFile, writeKeyFileOnce } from "./key-files";
import { besideDatabase } from "./paths";

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
  const kept = await readKeyFile(file);
  if (kept !== null) return kept;
  if (anySealed)
    throw new Error(
      `${file} is missing, yet this database holds residents' contacts sealed with a key: put back the contact.key kept with it, or set CONTACT_KEY (a new key leaves those contacts unreadable)`,
    );
  // On the disk before a contact is sealed with it.
  return writeKeyFileOnce(file, randomBytes(32).toString("hex"), () =>
    log(
      `CONTACT_KEY was not set; contacts are sealed with the key made in ${file}: keep it, apart from backups`,
    ),
  );
}
