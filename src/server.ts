/**
 * The Node entry: parse the environment, open and migrate the database, serve the API and the
 * web app. The only file in `src/` that uses Node's own modules.
 */
import { mkdirSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { serve } from "@hono/node-server";
import { serveStatic } from "@hono/node-server/serve-static";
import { type Client, createClient } from "@libsql/client";
import { migrate } from "drizzle-orm/libsql/migrator";
import { Hono } from "hono";
import { createApp } from "./app";
import { createDb, type Db } from "./db/client";
import { newId, newSecret } from "./domain/ids";
import { type Env, parseEnv } from "./env";
import type { AppConfig } from "./http/context";
import { notFoundJson } from "./http/errors";
import { loadDemoCity } from "./seed/demo-city";
import { settingOrCreate } from "./store/settings";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
export const MIGRATIONS_DIR = resolve(root, "migrations");
const WEB_DIST = resolve(root, "web/dist");

/** Opens a libSQL database (`file:` or `libsql://`) and brings its schema up to date. */
export async function openDatabase(url: string, authToken?: string): Promise<{ client: Client; db: Db }> {
  if (url.startsWith("file:") && !url.includes(":memory:")) {
    mkdirSync(dirname(resolve(url.slice("file:".length))), { recursive: true });
  }
  const client = createClient({ url, authToken, timeout: 10_000 });
  if (url.startsWith("file:")) await client.execute("PRAGMA journal_mode = WAL");
  const db = createDb(client);
  await migrateDatabase(db);
  return { client, db };
}

/** Applies the migrations; a second process starting at the same moment simply finds them done. */
export async function migrateDatabase(db: Db): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await migrate(db, { migrationsFolder: MIGRATIONS_DIR });
      return;
    } catch (e) {
      if (attempt >= 3) throw e;
      await new Promise((r) => setTimeout(r, 200 * attempt));
    }
  }
}

export interface StartOptions {
  env: Env;
  clock?: () => number;
  log?: (line: string) => void;
}

/** Starts the service; resolves once it listens, with a way to stop it. */
export async function startServer({ env, clock = Date.now, log = console.log }: StartOptions) {
  const { client, db } = await openDatabase(env.DATABASE_URL, env.DATABASE_AUTH_TOKEN);
  if (env.DEMO_DATA !== false && (await loadDemoCity(db, clock()))) log("Loaded the demo city (Changsha).");

  const adminToken = env.ADMIN_TOKEN ?? newSecret("admin");
  if (!env.ADMIN_TOKEN) log(`ADMIN_TOKEN was not set; this run's admin token: ${adminToken}`);
  const config: AppConfig = {
    adminToken,
    reporterSecret: env.REPORTER_KEY_SECRET ?? (await settingOrCreate(db, "reporter_key_secret", newId)),
    publicUrl: env.PUBLIC_URL ?? `http://localhost:${env.PORT}`,
    allowPrivateWebhooks: env.ALLOW_PRIVATE_WEBHOOKS ?? false,
    maxBodyBytes: env.MAX_BODY_BYTES,
  };
  const api = createApp({
    db,
    config,
    clock,
    clientAddress: (c) =>
      (c.env as { incoming?: { socket?: { remoteAddress?: string } } })?.incoming?.socket?.remoteAddress,
  });

  const app = new Hono();
  app.route("/", api);
  // The web app: files from web/dist, and its index for the pages' own paths (/c/:id, /r/:id, ...).
  const spaIndex = serveStatic({ path: resolve(WEB_DIST, "index.html") });
  app.use("/*", serveStatic({ root: WEB_DIST }));
  app.get("*", (c, next) => (c.req.header("accept")?.includes("text/html") ? spaIndex(c, next) : next()));
  app.notFound(notFoundJson);

  const server = await new Promise<ReturnType<typeof serve>>((ready) => {
    const s = serve({ fetch: app.fetch, port: env.PORT }, () => ready(s));
  });
  log(`CivicLoop listening on http://localhost:${env.PORT}`);
  return {
    db,
    async stop() {
      await new Promise<void>((done) => server.close(() => done()));
      client.close();
    },
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const running = await startServer({ env: parseEnv(process.env) });
  const stop = () => running.stop().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
