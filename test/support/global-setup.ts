import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeTemplateDatabase } from "./template-database";

/**
 * Every test run gets one temporary folder of its own (databases, photos, browser profiles, child
 * servers' files all land there through TMPDIR) and removes it at the end, so runs leave nothing
 * behind in the machine's /tmp. Workers and child processes inherit TMPDIR. It also migrates the
 * run's template database (`template-database.ts`), which tests copy.
 */
export default async function setup() {
  // Each project of the config runs its global set-up: the first makes the folder, the rest share it.
  if (process.env.CIVICLOOP_RUN_DIR) return;
  const root = mkdtempSync(join(tmpdir(), "civicloop-run-"));
  process.env.TMPDIR = root;
  process.env.CIVICLOOP_RUN_DIR = root;
  await makeTemplateDatabase(root);
  return () => {
    rmSync(root, { recursive: true, force: true });
    delete process.env.CIVICLOOP_RUN_DIR;
  };
}
