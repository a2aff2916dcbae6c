/**
 * `npm run migrate` (scripts/migrate.ts): what a Worker's operator runs before deploying a
 * release, against a real database; it says how many migrations it applied, and fails saying why.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

const ROOT = resolve(import.meta.dirname, "..");
const run = (env: Record<string, string>) =>
  promisify(execFile)(resolve(ROOT, "node_modules/.bin/tsx"), ["scripts/migrate.ts"], {
    cwd: ROOT,
    env: { ...process.env, ...env },
  });
const MIGRATIONS = readdirSync(join(ROOT, "migrations")).filter((f) => f.endsWith(".sql")).length;

describe("npm run migrate", () => {
  it("applies every migration to a new database once, then none, and says so", async () => {
    const url = `file:${join(mkdtempSync(join(tmpdir(), "civicloop-migrate-")), "city.db")}`;
    const path = url.slice("file:".length);
    expect((await run({ DATABASE_URL: url })).stdout.trim()).toBe(
      `${path}: ${MIGRATIONS} migrations applied now, ${MIGRATIONS} in all`,
    );
    expect((await run({ DATABASE_URL: url })).stdout.trim()).toBe(
      `${path}: 0 migrations applied now, ${MIGRATIONS} in all`,
    );
  });

  it("fails with a word on stderr where the database cannot be reached, its token never printed", async () => {
    const failed = await run({
      DATABASE_URL: "libsql://127.0.0.1:9",
      DATABASE_AUTH_TOKEN: "secret-token-123",
    }).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toContain("libsql://127.0.0.1:9:");
    expect(failed?.stderr).not.toContain("secret-token-123");
    // A token in the URL itself, as @libsql/client takes it, is not printed either.
    const inUrl = await run({ DATABASE_URL: "libsql://127.0.0.1:9?authToken=secret-token-456" }).then(
      () => null,
      (e: { stderr: string }) => e,
    );
    expect(inUrl?.stderr).toContain("libsql://127.0.0.1:9:");
    expect(inUrl?.stderr).not.toContain("secret-token-456");
  });
});
