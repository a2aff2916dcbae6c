/**
 * The Cloudflare Workers entry: the same app as `server.ts`, built from the request's bindings.
 *
 * - `fetch`: the Hono app from `createApp` (API, Open311). The web app never reaches this code:
 *   Workers static assets serve `web/dist` first (see wrangler.toml).
 * - `scheduled`: the Cron Trigger that runs the outbox worker and the deadline checks.
 *
 * The database is a D1 binding (`DB`) when there is one, otherwise Turso over HTTP
 * (`DATABASE_URL`, `DATABASE_AUTH_TOKEN`). It is made per request and per scheduled run, never
 * held across them.
 */

import type { D1Database, ExecutionContext, R2Bucket, ScheduledController } from "@cloudflare/workers-types";
import { createClient } from "@libsql/client/web";
import type { Context } from "hono";
import { z } from "zod";
import { createApp } from "./app";
import { createD1Db, createDb, type Db } from "./db/client";
import { remoteDatabaseFetch } from "./db/remote-fetch";
import { DEFAULT_MAIL_FROM, httpMailSender } from "./dispatch/http-mail";
import { runDispatch } from "./dispatch/run";
import { type VapidKeys, vapidKeysOf, vapidSubject, webPushEncoder } from "./dispatch/web-push";
import { loggableError } from "./domain/errors";
import { newId } from "./domain/ids";
import { envSchema } from "./env";
import type { AppConfig, AppDeps } from "./http/context";
import { sharedConfig } from "./http/shared-config";
import { r2PhotoStore } from "./photos/r2-photo-store";
import { shareCatalogCache } from "./store/catalog-cache";
import { databaseRateLimiter } from "./store/rate-limits";
import { settingOrCreate } from "./store/settings";

/** What wrangler.toml and `wrangler secret put` give the Worker. */
export interface WorkerEnv {
  DB?: D1Database;
  /** Report photos; without it, photo uploads answer 503. */
  PHOTOS?: R2Bucket;
  DATABASE_URL?: string;
  DATABASE_AUTH_TOKEN?: string;
  ADMIN_TOKEN?: string;
  REPORTER_KEY_SECRET?: string;
  CONTACT_KEY?: string;
  CONTACT_RETENTION_DAYS?: string;
  PRIVACY_CONTACT?: string;
  PUBLIC_URL?: string;
  ALLOW_PRIVATE_WEBHOOKS?: string;
  MAX_BODY_BYTES?: string;
  TILE_URL?: string;
  MAP_VIEW?: string;
  TILE_ATTRIBUTION?: string;
  TRUSTED_PROXIES?: string;
  RATE_LIMITS?: string;
  MAIL_API_URL?: string;
  MAIL_API_KEY?: string;
  MAIL_FROM?: string;
  VAPID_PUBLIC_KEY?: string;
  VAPID_PRIVATE_KEY?: string;
  VAPID_SUBJECT?: string;
}

// The same rules as on Node (src/env.ts), minus what only a process has (PORT, a file path).
const workerVars = envSchema
  .pick({
    DATABASE_AUTH_TOKEN: true,
    ADMIN_TOKEN: true,
    REPORTER_KEY_SECRET: true,
    CONTACT_KEY: true,
    CONTACT_RETENTION_DAYS: true,
    PRIVACY_CONTACT: true,
    ALLOW_PRIVATE_WEBHOOKS: true,
    MAX_BODY_BYTES: true,
    TILE_URL: true,
    MAP_VIEW: true,
    TILE_ATTRIBUTION: true,
    TRUSTED_PROXIES: true,
    RATE_LIMITS: true,
    MAIL_API_URL: true,
    MAIL_API_KEY: true,
    MAIL_FROM: true,
    VAPID_PUBLIC_KEY: true,
    VAPID_PRIVATE_KEY: true,
    VAPID_SUBJECT: true,
  })
  .extend({
    DATABASE_URL: z
      .string()
      .regex(/^(libsql|https?):\/\//, "must be a libsql:// or https:// URL (Turso)")
      .optional(),
    PUBLIC_URL: z.url(),
  });
type WorkerVars = z.infer<typeof workerVars>;

/** What is read from the database once per isolate: the app's settings and the VAPID keys. */
interface Setup {
  config: AppConfig;
  vapid: VapidKeys;
}

interface Runtime {
  vars: WorkerVars;
  setup: Promise<Setup> | null;
}

// Validated once per isolate: the env object of an isolate does not change between requests.
const runtimes = new WeakMap<object, Runtime>();

function runtimeOf(env: WorkerEnv): Runtime {
  let runtime = runtimes.get(env);
  if (!runtime) {
    const parsed = workerVars.safeParse(env);
    if (!parsed.success) {
      const problems = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
      throw new Error(`invalid Worker environment: ${problems}`);
    }
    runtime = { vars: parsed.data, setup: null };
    runtimes.set(env, runtime);
  }
  return runtime;
}

// Reads that may lag the primary by a moment: the map's clusters in a box. With D1 read
// replication turned on, they are answered by the nearest replica; everything else (every write,
// and pages a resident expects to show their own report) goes to the primary.
const REPLICA_READS = /^\/api\/(map|clusters)\/?$/;

function databaseOf(env: WorkerEnv, vars: WorkerVars, request?: Request): Db {
  if (env.DB) {
    const replicaRead = request?.method === "GET" && REPLICA_READS.test(new URL(request.url).pathname);
    return createD1Db(replicaRead ? env.DB.withSession("first-unconstrained") : env.DB);
  }
  if (vars.DATABASE_URL) {
    return createDb(
      createClient({
        url: vars.DATABASE_URL,
        authToken: vars.DATABASE_AUTH_TOKEN,
        fetch: remoteDatabaseFetch(),
      }),
    );
  }
  throw new Error("no database: bind a D1 database as DB, or set the DATABASE_URL secret (Turso)");
}

/**
 * The app's settings and the VAPID keys; the reporter secret and the keys may live in the
 * database, so this is read once per isolate.
 */
function setupOf(runtime: Runtime, db: Db): Promise<Setup> {
  if (!runtime.setup) {
    const { vars } = runtime;
    runtime.setup = (async () => {
      // Made by the first runtime that asks (Node or Worker) and kept: every one signs alike.
      const vapid = await vapidKeysOf(db, {
        publicKey: vars.VAPID_PUBLIC_KEY,
        privateKey: vars.VAPID_PRIVATE_KEY,
      });
      return { vapid, config: await configFrom(vars, db, vapid.publicKey) };
    })();
    // A failed read (the database was unreachable) is retried by the next request.
    runtime.setup.catch(() => {
      runtime.setup = null;
    });
  }
  return runtime.setup;
}

async function configFrom(vars: WorkerVars, db: Db, pushKey: string): Promise<AppConfig> {
  return {
    adminToken: vars.ADMIN_TOKEN ?? null,
    reporterSecret: vars.REPORTER_KEY_SECRET ?? (await settingOrCreate(db, "reporter_key_secret", newId)),
    // A secret (`wrangler secret put CONTACT_KEY`); without it no contact is kept at all.
    contactKey: vars.CONTACT_KEY ?? null,
    publicUrl: vars.PUBLIC_URL,
    pushKey,
    mail: Boolean(vars.MAIL_API_URL && vars.MAIL_API_KEY),
    ...sharedConfig(vars),
  };
}

/** The dependencies of one request or one scheduled run. */
async function depsOf(env: WorkerEnv, request?: Request): Promise<AppDeps> {
  const runtime = runtimeOf(env);
  // One isolate's handles share the catalogue's copies (a handle per request kept them for none).
  const db = shareCatalogCache(databaseOf(env, runtime.vars, request), runtime);
  const { config } = await setupOf(runtime, db);
  return {
    db,
    config,
    clock: Date.now,
    // Cloudflare sets this header itself and overwrites any a client sends.
    clientAddress: (c) => c.req.header("cf-connecting-ip"),
    photos: env.PHOTOS ? r2PhotoStore(env.PHOTOS) : undefined,
    // Isolates share no memory: the counts live in the database (one upsert per limited write).
    limiter: databaseRateLimiter(db, Date.now, config.reporterSecret),
  };
}

// Built once per isolate; each request hands it that request's dependencies as its env.
const app = createApp((c: Context) => (c.env as { deps: AppDeps }).deps);

const misconfigured = (message: string) =>
  Response.json({ error: { code: "misconfigured", message } }, { status: 500 });

export default {
  async fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext): Promise<Response> {
    let deps: AppDeps;
    try {
      deps = await depsOf(env, request);
    } catch (e) {
      // Names which setting is wrong, never its value.
      console.error(loggableError(e));
      return misconfigured("the service is not configured correctly; see its logs");
    }
    return app.fetch(request, { deps }, ctx);
  },

  // Awaited rather than left to waitUntil, so a failed run is reported as the Cron's outcome.
  async scheduled(_controller: ScheduledController, env: WorkerEnv): Promise<void> {
    await runScheduled(env);
  },
};

/**
 * One Cron run: raise missed deadlines, deliver the outbox rows that are due (src/dispatch), and
 * delete unlinked uploads older than a day.
 * Runs overlapping in time are safe: rows are claimed with a lease before they are sent.
 */
async function runScheduled(env: WorkerEnv): Promise<void> {
  const { db, config, photos } = await depsOf(env);
  const runtime = runtimeOf(env);
  const { vars } = runtime;
  const { vapid } = await setupOf(runtime, db);
  // Called as a plain function: workerd refuses `fetch` called on another object.
  const plainFetch: typeof fetch = (input, init) => fetch(input, init);
  // A Worker cannot speak SMTP: mail leaves through an HTTP mail API when one is configured, and
  // is otherwise kept in the outbox (parked). Web Push is encrypted and signed by web-push (Node's
  // crypto under nodejs_compat) and POSTed with fetch, as on Node.
  const from = vars.MAIL_FROM ?? DEFAULT_MAIL_FROM;
  const mail =
    vars.MAIL_API_URL && vars.MAIL_API_KEY
      ? httpMailSender({
          url: vars.MAIL_API_URL,
          key: vars.MAIL_API_KEY,
          from,
          fetch: plainFetch,
        })
      : undefined;
  const summary = await runDispatch(db, {
    photos,
    now: Date.now(),
    clock: Date.now,
    fetch: plainFetch,
    config,
    senders: { mail, push: webPushEncoder(vapid, vapidSubject(vars.VAPID_SUBJECT, config.publicUrl, from)) },
  });
  // Counts only: never a payload, an address or a department's webhook URL.
  console.log(`dispatch: ${JSON.stringify(summary)}`);
}
