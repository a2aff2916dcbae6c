/** A backup is its owner's alone: it holds password hashes, sealed contacts and secrets. */
import { mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BACKUP_DATABASE, backup } from "../src/node/backup";
import { makeTestApp } from "./support/app";

describe("backup", () => {
  it("makes the folder and the database copy readable by their owner only, whatever the umask", async () => {
    const t = await makeTestApp();
    const dir = join(mkdtempSync(join(tmpdir(), "civicloop-backup-")), "nightly");
    const umask = process.umask(0o022);
    try {
      await backup({ databaseUrl: t.url, photosDir: join(dir, "..", "no-photos"), dir });
    } finally {
      process.umask(umask);
      t.client.close();
    }
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, BACKUP_DATABASE)).mode & 0o777).toBe(0o600);
  });
});
