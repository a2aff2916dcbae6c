/**
 * One migrated, empty database per test run, made by the global set-up: a test's fresh database
 * starts as a copy of it (~25 ms) instead of applying every migration again (~350 ms of CPU, a
 * few hundred times a run). Migrating from nothing is still tested: by `migrations.test.ts` and by
 * every server process a test starts on a new file (two at once in `multi-process.test.ts`).
 */
import { copyFileSync } from "node:fs";
import { join } from "node:path";
import { openDatabase } from "../../src/node/database";

const VARIABLE = "CIVICLOOP_TEMPLATE_DB";

/** Migrates the run's template in `dir`; test processes inherit where it is. */
export async function makeTemplateDatabase(dir: string): Promise<void> {
  const path = join(dir, "template.db");
  const { client } = await openDatabase(`file:${path}`);
  // Everything into the main file, so that a copy of that file alone is the whole database.
  await client.execute("PRAGMA wal_checkpoint(TRUNCATE)");
  client.close();
  process.env[VARIABLE] = path;
}

/** Puts a copy of the template at `path` (a new file); without a template, the file starts empty. */
export function copyTemplateDatabase(path: string): void {
  const template = process.env[VARIABLE];
  if (template) copyFileSync(template, path);
}
