/**
 * The Node entry: parse the environment, open and migrate the database, serve the API and the
 * web app. The only file in `src/` that uses Node's own modules.
 */
import { lookup } from "node:dns/promises";
import { mkdirSync } from "node:fs";
import { readFile, rename, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { serve } from "@hono/node-server";
import { serveStatic } from "@hono/node-server/serve-static";
import { type Client, createClient } from "@libsql/client";
import { migrate } from "drizzle-orm/libsql/migrator";
import { Hono } from "hono";
import { compress } from "hono/compress";
import { Agent, fetch as undiciFetch } from "undici";
import { createApp } from "./app";
import { createDb, type Db } from "./db/client";
import { type LoopOptions, startDispatchLoop } from "./dispatch/loop";
import { type PinnedFetch, type ResolveHost, vettedConnector } from "./dispatch/webhook-connect";
import { newId, newSecret } from "./domain/ids";
import { type Env, parseEnv } from "./env";
import type { AppConfig } from "./http/context";
import { notFoundJson } from "./http/errors";
import type { PhotoStore } from "./photos/photo-store";
import { DEFAULT_TILES } from "./routes/web-config";
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

/**
 * Photos in a folder: one file per key, its content type in the name's extension, written to a
 * temporary name first so a reader never sees half a photo.
 */
export function folderPhotoStore(dir: string): PhotoStore {
  mkdirSync(dir, { recursive: true });
  const ext: Record<string, string> = { "image/jpeg": "jpg", "image/png": "png", "image/webp": "webp" };
  const safe = (key: string) => {
    if (!/^[a-z0-9]{1,64}$/.test(key)) throw new Error("photo keys are lower-case letters and digits");
    return key;
  };
  return {
    async put(key, bytes, contentType) {
      const file = resolve(dir, `${safe(key)}.${ext[contentType] ?? "bin"}`);
      await writeFile(`${file}.part`, bytes);
      await rename(`${file}.part`, file);
    },
    async get(key) {
      for (const [contentType, e] of Object.entries(ext)) {
        try {
          return { bytes: new Uint8Array(await readFile(resolve(dir, `${safe(key)}.${e}`))), contentType };
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code !== "ENOENT") throw err;
        }
      }
      return null;
    },
  };
}

/** Every address a name resolves to, as the system resolver (getaddrinfo) answers. */
export const nodeResolve: ResolveHost = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((a) => ({
    address: a.address,
    family: a.family === 6 ? 6 : 4,
  }));

/**
 * A fetch whose connections go to the vetted addresses only: undici's `connect.lookup` answers
 * with them instead of asking DNS again. The URL's host name still names the server for TLS
 * (SNI and certificate check) and in the Host header.
 */
export const pinnedFetch: PinnedFetch = (addresses) => {
  const agent = new Agent({
    connect: {
      lookup: (_hostname, options, callback) => {
        const first = addresses[0] as { address: string; family: number };
        // Node asks for every address when it races IPv4 and IPv6 (autoSelectFamily), else one.
        if ((options as { all?: boolean }).all)
          (callback as (e: null, a: typeof addresses) => void)(null, addresses);
        else callback(null, first.address, first.family);
      },
    },
  });
  return {
    fetch: ((input, init) =>
      undiciFetch(input as string | URL, { ...(init as object), dispatcher: agent })) as typeof fetch,
    close: () => agent.close(),
  };
};

/** The photo folder: PHOTOS_DIR, or `photos/` beside a `file:` database. */
const photosDirOf = (env: Env) =>
  env.PHOTOS_DIR ??
  (env.DATABASE_URL.startsWith("file:") && !env.DATABASE_URL.includes(":memory:")
    ? resolve(dirname(resolve(env.DATABASE_URL.slice("file:".length))), "photos")
    : resolve("data/photos"));

export interface StartOptions {
  env: Env;
  clock?: () => number;
  log?: (line: string) => void;
  /** The outbox worker's settings (tests shorten them); `fetch` is the global one by default. */
  dispatch?: Partial<Omit<LoopOptions, "clock" | "config">>;
}

/** Starts the service; resolves once it listens, with a way to stop it. */
export async function startServer({ env, clock = Date.now, log = console.log, dispatch }: StartOptions) {
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
    tiles: env.TILE_URL
      ? { url: env.TILE_URL, attribution: env.TILE_ATTRIBUTION ?? "" }
      : { ...DEFAULT_TILES, attribution: env.TILE_ATTRIBUTION ?? DEFAULT_TILES.attribution },
  };
  const api = createApp({
    db,
    config,
    clock,
    clientAddress: (c) =>
      (c.env as { incoming?: { socket?: { remoteAddress?: string } } })?.incoming?.socket?.remoteAddress,
    photos: folderPhotoStore(photosDirOf(env)),
  });

  const app = new Hono();
  app.route("/", api);
  // The web app: files from web/dist, and its index for the pages' own paths (/c/:id, /r/:id, ...).
  const spaIndex = serveStatic({ path: resolve(WEB_DIST, "index.html") });
  // The web app's scripts and styles go out gzipped (its budget is counted that way).
  app.use("/assets/*", compress());
  app.use("/*", serveStatic({ root: WEB_DIST }));
  app.get("*", (c, next) => (c.req.header("accept")?.includes("text/html") ? spaIndex(c, next) : next()));
  app.notFound(notFoundJson);

  const server = await new Promise<ReturnType<typeof serve>>((ready) => {
    const s = serve({ fetch: app.fetch, port: env.PORT }, () => ready(s));
  });
  log(`CivicLoop listening on http://localhost:${env.PORT}`);
  // Deliveries and deadline checks run in-process; the outbox in the database is the queue.
  // Webhook host names are resolved at each delivery and the vetted address pinned for it.
  const connect = vettedConnector({
    resolve: nodeResolve,
    pin: pinnedFetch,
    allowPrivate: config.allowPrivateWebhooks,
  });
  const worker = startDispatchLoop(db, { fetch: globalThis.fetch, connect, ...dispatch, clock, config });
  return {
    db,
    async stop() {
      await worker.stop();
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
