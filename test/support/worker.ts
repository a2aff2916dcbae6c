/**
 * The real Worker (src/worker.ts) in workerd, through the pinned wrangler's own programmatic start,
 * with a local D1 database migrated by `wrangler d1 migrations apply --local`: the path
 * `npm run dev:worker` takes. Everything it writes (D1 state, bundles) lives in one temporary
 * folder that `stop()` deletes.
 */
import { execFile } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { createClient } from "@libsql/client";
import { ADMIN_TOKEN, LOCAL_PROXIES, type TestApp } from "./app";
import { withDirLock } from "./dir-lock";

// Never reach Cloudflare from a test: no metrics, no request-metadata fetch.
process.env.WRANGLER_SEND_METRICS = "false";
process.env.CLOUDFLARE_CF_FETCH_ENABLED = "false";

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const WRANGLER = join(ROOT, "node_modules/.bin/wrangler");
const run = promisify(execFile);

/** The environment wrangler is run with: offline, no colours, no prompts. */
export const wranglerEnv = () => ({
  ...process.env,
  WRANGLER_SEND_METRICS: "false",
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  FORCE_COLOR: "0",
  CI: "true",
});

/**
 * Runs the pinned wrangler with arguments; rejects with its output when it fails or outlasts
 * `timeoutMs`. The timeout is ours, not execFile's: wrangler answers SIGTERM by exiting with code 0,
 * so execFile's own timeout reports a run it cut short (migrations half-applied) as a success.
 */
export async function wrangler(args: string[], opts: { cwd: string; timeoutMs?: number }) {
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const running = run(WRANGLER, args, { cwd: opts.cwd, env: wranglerEnv() });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    running.child.kill("SIGTERM");
  }, timeoutMs);
  try {
    const result = await running;
    if (timedOut) throw Object.assign(new Error("timed out"), result);
    return result;
  } catch (e) {
    const { stdout = "", stderr = "" } = e as { stdout?: string; stderr?: string };
    const why = timedOut ? `did not finish within ${timeoutMs / 1000} s` : "failed";
    throw new Error(`wrangler ${args.join(" ")} ${why}:\n${stdout}\n${stderr}`);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Throws unless the local D1 under `persist` lists every migration of the repository as applied:
 * a cut-short `migrations apply` must fail here, not later as "no such table" in some test.
 */
async function expectAllMigrationsApplied(persist: string): Promise<void> {
  const d1 = join(persist, "v3/d1/miniflare-D1DatabaseObject");
  const files = readdirSync(d1).filter((f) => f.endsWith(".sqlite") && f !== "metadata.sqlite");
  if (files.length !== 1)
    throw new Error(`expected one local D1 database in ${d1}, found ${files.join(", ")}`);
  const db = createClient({ url: `file:${join(d1, files[0] as string)}` });
  try {
    const applied = new Set(
      (await db.execute("SELECT name FROM d1_migrations")).rows.map((r) => String(r.name)),
    );
    const missing = readdirSync(join(ROOT, "migrations")).filter(
      (f) => f.endsWith(".sql") && !applied.has(f),
    );
    if (missing.length) throw new Error(`wrangler d1 migrations apply left out ${missing.join(", ")}`);
  } finally {
    db.close();
  }
}

/**
 * A copy of the repository's wrangler.toml in `dir`, with its paths made absolute, so wrangler's
 * scratch files (.wrangler/) land in `dir` and not in the repository. When the web app has not been
 * built, the assets come from a one-page stand-in so the Worker can still start.
 */
export function edgeConfigIn(
  dir: string,
  opts: { assets: boolean; d1?: boolean },
): { configPath: string; assetsDir: string } {
  let assetsDir = join(ROOT, "web/dist");
  if (!existsSync(join(assetsDir, "index.html"))) {
    assetsDir = join(dir, "assets");
    mkdirSync(assetsDir, { recursive: true });
    writeFileSync(
      join(assetsDir, "index.html"),
      '<!doctype html><title>CivicLoop</title><div id="app"></div>\n',
    );
  }
  const source = readFileSync(join(ROOT, "wrangler.toml"), "utf8");
  let rewritten = source
    .replace(/^main = ".*"$/m, `main = ${JSON.stringify(join(ROOT, "src/worker.ts"))}`)
    .replace(/^directory = ".*"$/m, `directory = ${JSON.stringify(assetsDir)}`)
    .replace(/^migrations_dir = ".*"$/m, `migrations_dir = ${JSON.stringify(join(ROOT, "migrations"))}`);
  if (!opts.assets) rewritten = rewritten.replace(/^\[assets\]\n[\s\S]*?(?=^\[)/m, "");
  // As the README tells a city on Turso: the D1 block deleted, the database named by DATABASE_URL.
  if (opts.d1 === false) {
    rewritten = rewritten.replace(/^\[\[d1_databases\]\]\n[\s\S]*?(?=^\[)/m, "");
    if (rewritten.includes("d1_databases")) throw new Error("wrangler.toml: the D1 block was not removed");
  }
  for (const key of [
    "main",
    ...(opts.assets ? ["directory"] : []),
    ...(opts.d1 === false ? [] : ["migrations_dir"]),
  ]) {
    if (!new RegExp(`^${key} = "/`, "m").test(rewritten))
      throw new Error(`wrangler.toml: no ${key} line to rewrite`);
  }
  const configPath = join(dir, "wrangler.toml");
  writeFileSync(configPath, rewritten);
  return { configPath, assetsDir };
}

/**
 * A local D1 freshly migrated by `wrangler d1 migrations apply --local`, made once per test run (in
 * the run's folder) and copied for each Worker: wrangler starts a workerd for every migration, some
 * 15-40 s, and the result is the same bytes each time. Each Worker still gets a database of its own.
 * Outside a test run (no run folder) every call migrates anew.
 */
async function migratedD1(): Promise<string> {
  const runDir = process.env.CIVICLOOP_RUN_DIR;
  const template = join(runDir ?? mkdtempSync(join(tmpdir(), "civicloop-d1-")), "edge-d1-migrated");
  return withDirLock(`${template}.lock`, 300_000, async () => {
    if (existsSync(template)) return template;
    const dir = mkdtempSync(join(tmpdir(), "civicloop-d1-apply-"));
    try {
      const { configPath } = edgeConfigIn(dir, { assets: false });
      const apply = () =>
        wrangler(
          [
            "d1",
            "migrations",
            "apply",
            "DB",
            "--local",
            "--persist-to",
            join(dir, "state"),
            "-c",
            configPath,
          ],
          // A workerd is started for each migration: slow on a loaded machine.
          { cwd: dir, timeoutMs: 240_000 },
        );
      // One of the 60-odd workerds it starts failed once on a loaded machine, with no word on
      // stderr, and every Worker test with it: applied again, wrangler goes on from where it
      // stopped (what applied is recorded), and `expectAllMigrationsApplied` still checks the end.
      await apply().catch(apply);
      await expectAllMigrationsApplied(join(dir, "state"));
      // Made complete, then moved into place: a template that exists is a whole one.
      renameSync(join(dir, "state"), template);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return template;
  });
}

/**
 * The settings of the city scenarios' Worker: its residents all come from this machine, each
 * through the local "proxy" from its own network (X-Forwarded-For; see test/support/residents.ts),
 * and its departments' webhooks reach a receiver on this machine.
 */
export const CITY_WORKER = {
  vars: {
    PUBLIC_URL: "http://civicloop.test",
    ALLOW_PRIVATE_WEBHOOKS: "true",
    TRUSTED_PROXIES: LOCAL_PROXIES,
  },
  secrets: { ADMIN_TOKEN, REPORTER_KEY_SECRET: "edge-test-reporter-secret" },
};

export interface EdgeWorker {
  url: URL;
  assetsDir: string;
  /** A request to the Worker over real HTTP. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** Runs the Cron Trigger once through wrangler's scheduled test endpoint; rejects if the run failed. */
  scheduled(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Starts the Worker in workerd on a free loopback port with a freshly migrated local D1 (or, given
 * `databaseUrl`, on that libSQL server instead).
 * `vars` become plain-text bindings and `secrets` secret bindings, over wrangler.toml's vars.
 */
export async function startEdgeWorker(opts: {
  /**
   * Serve web assets as wrangler.toml says. Off, the Worker has no assets, which is the only way
   * its scheduled handler can be run locally with wrangler 4.86: with assets, miniflare sends the
   * scheduled event to the assets router, which has no such handler (workers-sdk #9882, fixed only
   * in releases that need Node 22).
   */
  assets: boolean;
  vars?: Record<string, string>;
  secrets?: Record<string, string>;
  /** A libSQL server's URL (Turso, or `hrana-server.ts`): the Worker runs on it, with no D1 bound. */
  databaseUrl?: string;
}): Promise<EdgeWorker> {
  const dir = mkdtempSync(join(tmpdir(), "civicloop-edge-"));
  const persist = join(dir, "state");
  try {
    const d1 = opts.databaseUrl === undefined;
    const { configPath, assetsDir } = edgeConfigIn(dir, { assets: opts.assets, d1 });
    if (d1) {
      cpSync(await migratedD1(), persist, { recursive: true });
      await expectAllMigrationsApplied(persist);
    }
    const secrets = d1 ? opts.secrets : { ...opts.secrets, DATABASE_URL: opts.databaseUrl as string };
    const { unstable_startWorker } = await import("wrangler");
    const bindings = {
      ...Object.fromEntries(
        Object.entries(opts.vars ?? {}).map(([k, value]) => [k, { type: "plain_text" as const, value }]),
      ),
      ...Object.fromEntries(
        Object.entries(secrets ?? {}).map(([k, value]) => [k, { type: "secret_text" as const, value }]),
      ),
    };
    const worker = await unstable_startWorker({
      config: configPath,
      envFiles: [],
      bindings,
      // As `wrangler dev` and `wrangler deploy` build it: with wrangler.toml's nodejs_compat, Node's
      // modules a dependency imports (web-push) come from workerd. The programmatic start does not
      // derive this from the config by itself.
      build: {
        nodejsCompatMode: (config: { compatibility_flags?: string[] }) =>
          config.compatibility_flags?.includes("nodejs_compat") ? ("v2" as const) : null,
      },
      sendMetrics: false,
      dev: {
        remote: false,
        persist,
        server: { hostname: "127.0.0.1", port: 0 },
        inspector: false,
        watch: false,
        liveReload: false,
        testScheduled: true,
        logLevel: (process.env.EDGE_LOG_LEVEL as "warn" | undefined) ?? "warn",
      },
    });
    try {
      await worker.ready;
      const url = await worker.url;
      return {
        url,
        assetsDir,
        fetch: (path, init) => fetch(new URL(path, url), { signal: AbortSignal.timeout(20_000), ...init }),
        // The endpoint `--test-scheduled` adds. (worker.scheduled() asks wrangler's proxy for the
        // Worker by name and does not find it in 4.86.)
        async scheduled() {
          const res = await fetch(new URL("/cdn-cgi/handler/scheduled?cron=*+*+*+*+*", url), {
            signal: AbortSignal.timeout(30_000),
          });
          const body = await res.text();
          if (!res.ok) throw new Error(`the scheduled run failed: ${res.status} ${body}`);
        },
        async stop() {
          try {
            await worker.dispose();
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        },
      };
    } catch (e) {
      await worker.dispose();
      throw e;
    }
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    throw e;
  }
}

/**
 * A Worker of one script (no bindings) in workerd, with the repository's compatibility date and
 * flags, on a free loopback port; its scratch folder is removed at exit (wrangler's bundler still
 * reads it for a moment after dispose).
 */
export async function startScriptWorker(entrypoint: string): Promise<{ url: URL; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), "civicloop-script-"));
  process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  const date = /^compatibility_date = "(.*)"$/m.exec(readFileSync(join(ROOT, "wrangler.toml"), "utf8"))?.[1];
  const config = join(dir, "wrangler.toml");
  writeFileSync(
    config,
    `name = "script"\nmain = ${JSON.stringify(entrypoint)}\n` +
      `compatibility_date = "${date}"\ncompatibility_flags = ["nodejs_compat"]\n`,
  );
  const { unstable_startWorker } = await import("wrangler");
  const worker = await unstable_startWorker({
    config,
    envFiles: [],
    sendMetrics: false,
    dev: {
      remote: false,
      persist: join(dir, "state"),
      server: { hostname: "127.0.0.1", port: 0 },
      inspector: false,
      watch: false,
      liveReload: false,
      logLevel: "warn",
    },
  });
  await worker.ready;
  return { url: await worker.url, stop: () => worker.dispose() };
}

/**
 * The Worker seen as the domain fixtures' `TestApp` (makeService, makeDepartment, reportAt), so the
 * edge scenario speaks the same language as the Node tests. Those fixtures only call
 * `t.app.request(path, init)`, which here goes over HTTP to workerd.
 */
export function workerAsTestApp(worker: EdgeWorker): TestApp {
  const app = { request: (path: string, init?: RequestInit) => worker.fetch(path, init) };
  return { app } as unknown as TestApp;
}
