/**
 * `wrangler deploy --dry-run` builds the Worker exactly as a deploy would, offline, and stops
 * before uploading: the bundle must build from wrangler.toml with the pinned wrangler.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ensureWebBuilt } from "./support/browser";
import { edgeConfigIn, wrangler } from "./support/worker";

describe("the Worker bundle", () => {
  const dir = mkdtempSync(join(tmpdir(), "civicloop-bundle-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("builds with `wrangler deploy --dry-run`", async () => {
    // The assets are web/dist, which a browser test file running beside this one may be building:
    // wait for that build (one builder at a time) rather than read a half-written folder.
    await ensureWebBuilt();
    const { configPath } = edgeConfigIn(dir, { assets: true });
    const out = join(dir, "out");
    const metafile = join(dir, "meta.json");
    const args = ["deploy", "--dry-run", "--outdir", out, "--metafile", metafile, "-c", configPath];
    const { stdout } = await wrangler(args, {
      cwd: dir,
      timeoutMs: 120_000,
    });
    expect(stdout).toContain("--dry-run: exiting now.");
    // The bindings wrangler.toml declares are the ones the Worker gets.
    for (const binding of ["env.DB", "env.PHOTOS", "env.PUBLIC_URL"]) expect(stdout).toContain(binding);
    const bundle = join(out, "worker.js");
    expect(existsSync(bundle)).toBe(true);
    const code = readFileSync(bundle, "utf8");
    expect(code).toContain("function createApp(");
    expect(code).toContain("function submitReport(");
    // Both database drivers made it in: D1's, and libSQL's client for the web (HTTP), not the
    // one for Node, which needs a native module.
    const inputs = Object.keys(JSON.parse(readFileSync(metafile, "utf8")).inputs as object);
    expect(inputs.some((f) => f.endsWith("drizzle-orm/d1/session.js"))).toBe(true);
    expect(inputs.some((f) => f.endsWith("@libsql/client/lib-esm/web.js"))).toBe(true);
    expect(inputs.filter((f) => /@libsql\/client\/lib-esm\/(node|sqlite3)\.js$/.test(f))).toEqual([]);
    // Web Push is built by web-push on Workers too (its Node modules come from nodejs_compat).
    expect(inputs.some((f) => f.endsWith("web-push/src/web-push-lib.js"))).toBe(true);
  }, 300_000);
});
