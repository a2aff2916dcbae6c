/**
 * `npm run restore` refuses what `npm run backup` did not make, and a damaged copy, in words and
 * before writing anything: no database file is left where a server would start on it.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { describe, expect, it } from "vitest";
import { BackupError, backup, restore } from "../src/node/backup";
import { makeDatabase, makeTestApp } from "./support/app";
import { CHANGSHA, makeService, reportAt, uploadPhoto } from "./support/fixtures";

const scratch = (name: string) => mkdtempSync(join(tmpdir(), `civicloop-${name}-`));

/** A real backup of a migrated database, in a folder of its own. */
async function realBackup(): Promise<string> {
  const { url, client } = await makeDatabase();
  client.close();
  const dir = join(scratch("backup"), "b");
  await backup({ databaseUrl: url, photosDir: join(scratch("photos"), "none"), dir });
  return dir;
}

/** A folder shaped like a backup (manifest, photos) around the given database bytes. */
function lookalike(database: Buffer | null): string {
  const dir = scratch("lookalike");
  writeFileSync(join(dir, "backup.json"), JSON.stringify({ database: "civicloop.db", photos: 0 }));
  mkdirSync(join(dir, "photos"));
  if (database) writeFileSync(join(dir, "civicloop.db"), database);
  return dir;
}

async function restoreInto(dir: string) {
  const target = scratch("target");
  const file = join(target, "data", "civicloop.db");
  const result = restore({ dir, databaseUrl: `file:${file}`, photosDir: join(target, "photos") });
  return { target, file, result };
}

describe("restore refuses a wrong backup, writing nothing", () => {
  it("an empty folder, a file, or a folder without a manifest", async () => {
    const empty = scratch("empty");
    const real = await realBackup();
    for (const dir of [empty, join(real, "civicloop.db")]) {
      const { file, result } = await restoreInto(dir);
      await expect(result).rejects.toThrow(/not a folder made by npm run backup/);
      expect(existsSync(file)).toBe(false);
    }
  });

  it("a file that is no SQLite database", async () => {
    const { file, result } = await restoreInto(lookalike(Buffer.from("hello, not a database\n")));
    await expect(result).rejects.toThrow(/is not an SQLite database/);
    expect(existsSync(file)).toBe(false);
  });

  it("another program's SQLite database", async () => {
    const other = join(scratch("other"), "other.db");
    const client = createClient({ url: `file:${other}` });
    await client.execute("CREATE TABLE notes (x TEXT)");
    client.close();
    const { target, file, result } = await restoreInto(lookalike(readFileSync(other)));
    await expect(result).rejects.toBeInstanceOf(BackupError);
    await expect(result).rejects.toThrow(/is not a CivicLoop database/);
    expect(existsSync(file)).toBe(false);
    // Not even the checked copy is left beside it.
    expect(readdirSync(join(target, "data"))).toEqual([]);
  });

  it("a damaged (cut short) copy", async () => {
    const real = await realBackup();
    const bytes = readFileSync(join(real, "civicloop.db"));
    const { file, result } = await restoreInto(lookalike(bytes.subarray(0, Math.floor(bytes.length / 2))));
    await expect(result).rejects.toThrow(/damaged|cannot be read/);
    expect(existsSync(file)).toBe(false);
  });

  it("restores a real backup, whole", async () => {
    const real = await realBackup();
    const { file, result } = await restoreInto(real);
    expect(await result).toEqual({ missingPhotos: [] });
    const client = createClient({ url: `file:${file}` });
    const [row] = (await client.execute("SELECT count(*) AS n FROM __drizzle_migrations")).rows;
    client.close();
    expect(Number(row?.n)).toBeGreaterThan(0);
    expect(readdirSync(join(file, "..")).filter((f) => f.includes(".restoring"))).toEqual([]);
  });

  it("says which photos the restored reports show that a backup copied short lacks", async () => {
    const t = await makeTestApp();
    await makeService(t);
    const photo = await uploadPhoto(t);
    expect((await reportAt(t, CHANGSHA, { photoIds: [photo] })).status).toBe(201);
    const dir = join(scratch("backup"), "b");
    await backup({ databaseUrl: t.url, photosDir: t.photosDir, dir });
    t.client.close();
    // The backup folder moved to another disk, its photos lost on the way.
    for (const name of readdirSync(join(dir, "photos"))) rmSync(join(dir, "photos", name));
    const { file, result } = await restoreInto(dir);
    expect((await result).missingPhotos).toHaveLength(1);
    expect(existsSync(file)).toBe(true);
  });
});
