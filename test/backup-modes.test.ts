/** A backup is its owner's alone: it holds password hashes, sealed contacts and secrets. */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BACKUP_DATABASE, BackupError, backup } from "../src/node/backup";
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

  it("refuses a database that is not there, making none, and a folder holding others' files, changing nothing", async () => {
    const t = await makeTestApp();
    const base = mkdtempSync(join(tmpdir(), "civicloop-backup-"));
    // A DATABASE_URL mistyped in a cron job: refused, where it had made an empty file and backed it up.
    const typo = join(base, "civicloop-typo.db");
    await expect(
      backup({ databaseUrl: `file:${typo}`, photosDir: join(base, "p"), dir: join(base, "a") }),
    ).rejects.toThrow(BackupError);
    expect(existsSync(typo)).toBe(false);
    expect(existsSync(join(base, "a"))).toBe(false);
    // A shared folder (`/backups`, `/tmp`): refused, its mode as it was, where it had been made the owner's alone.
    const shared = join(base, "shared");
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    writeFileSync(join(shared, "someone-elses-file"), "x");
    await expect(backup({ databaseUrl: t.url, photosDir: join(base, "p"), dir: shared })).rejects.toThrow(
      /not empty/,
    );
    expect(statSync(shared).mode & 0o7777).toBe(0o1777);
    expect(existsSync(join(shared, BACKUP_DATABASE))).toBe(false);
    t.client.close();
  });
});
