/**
 * The secret that tells reporters apart, their receipts and device credentials (src/node/reporter-secret.ts):
 * on Node kept in `reporter.key` beside a local database file, never in the database, so a copy
 * of the database alone cannot be tried against every mobile number or network. A database of a
 * release that kept it in `settings` has it moved out at the first start, the same value.
 */
import { rmSync, statSync, writeFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { reporterSecretOf } from "../src/node/reporter-secret";
import { makeDatabase } from "./support/app";

const inSettings = async (db: Awaited<ReturnType<typeof makeDatabase>>["db"]) =>
  db.all<{ value: string }>(sql`SELECT value FROM settings WHERE key = 'reporter_key_secret'`);

describe("the reporter-key secret on Node", () => {
  it("is made in reporter.key, readable by its owner only, on a new database, and read back after", async () => {
    const { url, db } = await makeDatabase();
    const env = { DATABASE_URL: url, REPORTER_KEY_SECRET: undefined };
    const lines: string[] = [];
    const secret = await reporterSecretOf(env, db, (l) => lines.push(l));
    const file = join(dirname(url.slice("file:".length)), "reporter.key");
    expect((await readFile(file, "utf8")).trim()).toBe(secret);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await inSettings(db)).toEqual([]);
    expect(lines.join("\n")).toMatch(/reporter\.key: keep it, apart from backups/);
    expect(await reporterSecretOf(env, db, () => {})).toBe(secret);
  });

  it("moves a secret kept in the database out to the file, the same value, at the first start", async () => {
    const { url, db } = await makeDatabase();
    await db.run(
      sql`INSERT INTO settings (key, value) VALUES ('reporter_key_secret', 'kept-by-an-older-release')`,
    );
    const lines: string[] = [];
    const env = { DATABASE_URL: url, REPORTER_KEY_SECRET: undefined };
    expect(await reporterSecretOf(env, db, (l) => lines.push(l))).toBe("kept-by-an-older-release");
    expect(await inSettings(db)).toEqual([]);
    expect(lines.join("\n")).toMatch(/moved out of the database/);
    expect(await reporterSecretOf(env, db, () => {})).toBe("kept-by-an-older-release");
  });

  it("never changes a database's own secret for another one's file found beside it", async () => {
    const { url, db } = await makeDatabase();
    writeFileSync(join(dirname(url.slice("file:".length)), "reporter.key"), "another-databases-secret\n");
    await db.run(sql`INSERT INTO settings (key, value) VALUES ('reporter_key_secret', 'this-databases-own')`);
    const lines: string[] = [];
    const env = { DATABASE_URL: url, REPORTER_KEY_SECRET: undefined };
    expect(await reporterSecretOf(env, db, (l) => lines.push(l))).toBe("this-databases-own");
    expect(await inSettings(db)).toEqual([{ value: "this-databases-own" }]);
    expect(lines.join("\n")).toMatch(/WARNING: .*another reporter-key secret/);
  });

  it("refuses another database's file, an empty one, and drops a secret a rolled-back release made meanwhile", async () => {
    const { url, db } = await makeDatabase();
    const env = { DATABASE_URL: url, REPORTER_KEY_SECRET: undefined };
    const file = join(dirname(url.slice("file:".length)), "reporter.key");
    const secret = await reporterSecretOf(env, db, () => {});
    // A backup of it restored beside another city's reporter.key.
    writeFileSync(file, "another-citys-secret-0123456789\n");
    await expect(reporterSecretOf(env, db, () => {})).rejects.toThrow(/not this database's/);
    // A copy that failed and left the file empty.
    writeFileSync(file, "");
    await expect(reporterSecretOf(env, db, () => {})).rejects.toThrow(/is empty/);
    // Rolled back to a release that keeps it in the database, which made a new one there, then forward.
    writeFileSync(file, `${secret}\n`);
    await db.run(
      sql`INSERT INTO settings (key, value) VALUES ('reporter_key_secret', 'made-by-the-older-release')`,
    );
    const lines: string[] = [];
    expect(await reporterSecretOf(env, db, (l) => lines.push(l))).toBe(secret);
    expect(await inSettings(db)).toEqual([]);
    expect(lines.join("\n")).toMatch(/older release .* dropped/);
    // Set in the environment, another secret than this database's is said loudly.
    const said: string[] = [];
    await reporterSecretOf({ ...env, REPORTER_KEY_SECRET: "not-this-databases-0123" }, db, (l) =>
      said.push(l),
    );
    expect(said.join("\n")).toMatch(/WARNING: REPORTER_KEY_SECRET is not the secret/);
  });

  it("refuses a lost file even where a rolled-back release made a secret of its own, and says a changed variable", async () => {
    const { url, db } = await makeDatabase();
    const env = { DATABASE_URL: url, REPORTER_KEY_SECRET: undefined };
    await reporterSecretOf(env, db, () => {});
    rmSync(join(dirname(url.slice("file:".length)), "reporter.key"));
    await db.run(
      sql`INSERT INTO settings (key, value) VALUES ('reporter_key_secret', 'made-by-the-older-release')`,
    );
    await expect(reporterSecretOf(env, db, () => {})).rejects.toThrow(/reporter\.key is missing/);
    // A database of an older release, its secret inside, started with another in the environment.
    const older = await makeDatabase();
    await older.db.run(
      sql`INSERT INTO settings (key, value) VALUES ('reporter_key_secret', 'kept-inside-0123456')`,
    );
    const said: string[] = [];
    await reporterSecretOf(
      { DATABASE_URL: older.url, REPORTER_KEY_SECRET: "another-0123456789" },
      older.db,
      (l) => said.push(l),
    );
    expect(said.join("\n")).toMatch(/WARNING: REPORTER_KEY_SECRET is not the secret/);
    expect(await inSettings(older.db)).toEqual([{ value: "kept-inside-0123456" }]);
  });

  it("refuses to make a new one where the secret went to a file that is gone (a restore without it)", async () => {
    const { url, db } = await makeDatabase();
    const env = { DATABASE_URL: url, REPORTER_KEY_SECRET: undefined };
    await reporterSecretOf(env, db, () => {});
    rmSync(join(dirname(url.slice("file:".length)), "reporter.key"));
    await expect(reporterSecretOf(env, db, () => {})).rejects.toThrow(/reporter\.key is missing/);
    // Set in the environment, it is the one used, and no file is looked for.
    expect(
      await reporterSecretOf({ ...env, REPORTER_KEY_SECRET: "from-the-environment" }, db, () => {}),
    ).toBe("from-the-environment");
  });
});
