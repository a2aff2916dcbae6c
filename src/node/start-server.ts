/**
 * The Node server, as a function: open and migrate the database, load the demo city, serve the
 * API and the web app, run the outbox worker in-process. `src/server.ts` runs it from the
 * environment; tests and benchmarks start it directly.
 */

import { readFile } from "node:fs/promises";
import {
  createServer,
  type Server as HttpServer,
  type IncomingMessage,
  type RequestListener,
  type ServerOptions,
  type ServerResponse,
} from "node:http";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { serve } from "@hono/node-server";
import { serveStatic } from "@hono/node-server/serve-static";
import { type Context, Hono } from "hono";
import { createApp } from "../app";
import { DEFAULT_MAIL_FROM, httpMailSender } from "../dispatch/http-mail";
import { type LoopOptions, startDispatchLoop } from "../dispatch/loop";
import { vapidKeysOf, vapidSubject, webPushEncoder } from "../dispatch/web-push";
import { vettedConnector } from "../dispatch/webhook-connect";
import { newSecret } from "../domain/ids";
import { ignoredLocalProxy } from "../domain/network";
import { type Env, EnvError } from "../env";
import { afterAnswer } from "../http/after-answer";
import type { AppConfig } from "../http/context";
import { unroutedJson } from "../http/errors";
import { pageFeed, withFeedLink } from "../http/feed-discovery";
import { answersPage } from "../http/page-paths";
import { sharedConfig } from "../http/shared-config";
import { folderPhotoStore } from "../photos/folder-photo-store";
import { loadDemoCity } from "../seed/demo-city";
import { addDemoReports } from "../seed/sample-reports";
import { sealedContactSample, sealStoredContacts } from "../store/contacts";
import { wakeParkedMessages } from "../store/messages";
import { wakeParkedMailDispatch } from "../store/outbox";
import { answerClientError, answerConnect, answerExpectation, answerHostless } from "./client-error";
import { compressed } from "./compress";
import { capConnections, defaultTotalConnections } from "./connection-cap";
import { contactKeyOf } from "./contact-key";
import { databaseName, openDatabase } from "./database";
import { memoryRateLimiter } from "./memory-rate-limiter";
import { useNodeHashing } from "./native-hashing";
import { photosDirOf } from "./paths";
import { storageFaultOf } from "./prepared-client";
import { nodeBodyText } from "./read-body";
import { reporterSecretOf } from "./reporter-secret";
import { sharpThumbnailer } from "./sharp-thumbnails";
import { smtpMailSender } from "./smtp-mail";
import { uploadWorkers } from "./upload-workers";
import { nodeResolve, pinnedFetch } from "./webhook-fetch";

const WEB_DIST = resolve(dirname(fileURLToPath(import.meta.url)), "../../web/dist");

export interface StartOptions {
  env: Env;
  clock?: () => number;
  log?: (line: string) => void;
  /** The outbox worker's settings (tests shorten them); `fetch` is the global one by default. */
  dispatch?: Partial<Omit<LoopOptions, "clock" | "config">>;
}

/** The address the connection comes from (the proxy's, behind one). */
const peerOf = (c: Context) =>
  (c.env as { incoming?: { socket?: { remoteAddress?: string } } })?.incoming?.socket?.remoteAddress;

/** Starts the service; resolves once it listens, with a way to stop it. */
/** How long a stop waits for connections with a request in flight before cutting them. */
const STOP_GRACE_MS = 10_000;

export async function startServer({ env, clock = Date.now, log = console.log, dispatch }: StartOptions) {
  useNodeHashing();
  const { client, db, migrations } = await openDatabase(
    env.DATABASE_URL,
    env.DATABASE_AUTH_TOKEN,
    env.DATABASE_FLUSH,
  );
  log(
    `Database ${databaseName(env.DATABASE_URL)}: ${migrations.applied ? `${migrations.applied} ${migrations.applied === 1 ? "migration" : "migrations"} applied now, ` : ""}${migrations.total} in all.`,
  );
  if (migrations.newerThanThisBuild)
    log(
      "WARNING: this database has migrations newer than this build knows (a newer release used it): run that release, or restore a backup made before it.",
    );
  const newCity = env.DEMO_DATA !== false && (await loadDemoCity(db, clock()));
  if (newCity) log("Loaded the demo city (Changsha).");
  const reporterSecret = await reporterSecretOf(env, db, log);
  // At once: a stop between the city's load and the replay's start would leave it without them, unsaid.
  if (env.DEMO_REPORTS) await addDemoReports(db, newCity, log, reporterSecret);

  const vapid = await vapidKeysOf(db, { publicKey: env.VAPID_PUBLIC_KEY, privateKey: env.VAPID_PRIVATE_KEY });
  const adminToken = env.ADMIN_TOKEN ?? newSecret("admin");
  const contactKey = await contactKeyOf(env, log, () => sealedContactSample(db));
  if (!env.ADMIN_TOKEN) log(`ADMIN_TOKEN was not set; this run's admin token: ${adminToken}`);
  const config: AppConfig = {
    adminToken,
    reporterSecret,
    contactKey,
    publicUrl: env.PUBLIC_URL ?? `http://localhost:${env.PORT}`,
    pushKey: vapid.publicKey,
    mail: Boolean(env.SMTP_URL || (env.MAIL_API_URL && env.MAIL_API_KEY)),
    ...sharedConfig(env),
  };
  const sealed = await sealStoredContacts(db, contactKey);
  if (sealed > 0)
    log(
      `Sealed ${sealed} rows of contacts, device ids or rating comments an earlier release kept in the clear.`,
    );
  const photos = folderPhotoStore(photosDirOf(env));
  const later = afterAnswer();
  const uploads = uploadWorkers();
  const api = createApp({
    db,
    afterAnswer: later,
    config,
    clock,
    clientAddress: peerOf,
    photos,
    thumbnails: sharpThumbnailer,
    limiter: memoryRateLimiter(),
    storageFault: storageFaultOf(client),
    bodyText: nodeBodyText,
    sensorBodies: uploads.prepare,
  });

  const app = new Hono();
  // Hono answers a HEAD with `new Response(null, getAnswer)`. @hono/node-server's light Response
  // then copies the headers the GET answer was made with, dropping those added afterwards (CORS,
  // nosniff, Vary…), unless the answer was rebuilt on the way out (`compressed()` does so for
  // clients taking gzip, which `curl -I` is not). Rebuilt here on its headers as they are, a HEAD
  // says what a GET would.
  app.use("*", async (c, next) => {
    if (c.req.method !== "HEAD") return next();
    await next();
    const { status, headers } = c.res;
    c.res = undefined;
    c.res = new Response(null, { status, headers });
  });
  // Behind a proxy with TRUSTED_PROXIES unset, every resident counts as the proxy's one network
  // (one budget, one reporter toward thresholds): said once, the first time a proxy's header comes.
  // Set, but not to the proxy's address (a proxy on this machine connecting over ::1 while
  // 127.0.0.1 is named): the same, said once, never naming an address.
  let warned = false;
  app.use("*", async (c, next) => {
    const forwarded = c.req.header("x-forwarded-for");
    if (warned || forwarded === undefined) return next();
    if (config.trustedProxies.length === 0) {
      warned = true;
      log(
        "WARNING: requests arrive with X-Forwarded-For, but TRUSTED_PROXIES is not set: the header is ignored, and every client counts as the network it comes from (behind a proxy: all as one). Set TRUSTED_PROXIES to the proxy's address.",
      );
    } else if (ignoredLocalProxy(peerOf(c), forwarded, config.trustedProxies)) {
      warned = true;
      log(
        "WARNING: requests arrive with X-Forwarded-For from this machine or a private network, from an address TRUSTED_PROXIES does not name: the header is ignored, and every client behind that proxy counts as one network. Name the proxy's address (a proxy on this machine may connect over ::1 rather than 127.0.0.1).",
      );
    }
    return next();
  });
  // JSON (map views, exports, Open311) goes out compressed to clients that accept it; on
  // Workers, Cloudflare compresses by itself. Registered before the routes so it wraps them.
  app.use("/api/*", compressed());
  app.use("/open311/*", compressed());
  app.route("/", api);
  // The web app: files from web/dist, and its index for the pages' own paths (/c/:id, /r/:id, ...).
  const spaIndex = serveStatic({ path: resolve(WEB_DIST, "index.html") });
  // The web app's scripts and styles go out gzipped (its budget is counted that way).
  app.use("/assets/*", compressed());
  // Vite names these files by their content hash: a browser may keep them for a year unasked
  // (web/public/_headers says the same to Workers static assets).
  app.use("/assets/*", async (c, next) => {
    await next();
    if (c.res.status === 200) c.header("Cache-Control", "public, max-age=31536000, immutable");
  });
  // The icon keeps its name: kept a day; the classic `/favicon.ico` leads to it (web/public/_headers
  // and _redirects say the same to Workers static assets).
  app.get("/favicon.ico", (c) => c.redirect("/favicon.svg", 301));
  app.use("/favicon.svg", async (c, next) => {
    await next();
    if (c.res.status === 200) c.header("Cache-Control", "public, max-age=86400");
  });
  // The service worker and the manifest keep their names across releases: asked again each time
  // (cheaply, by date), so a new release reaches installed apps (web/public/_headers says the same).
  app.use("/*", async (c, next) => {
    await next();
    if (c.req.path === "/sw.js" || c.req.path === "/manifest.webmanifest")
      c.header("Cache-Control", "no-cache");
  });
  // The page itself is asked again each time (cheaply, by its date), so a new release is seen at once.
  app.use("/*", async (c, next) => {
    await next();
    if (c.res.headers.get("content-type")?.startsWith("text/html") && !c.res.headers.has("cache-control"))
      c.header("Cache-Control", "no-cache");
  });
  // The map and a problem's page announce their Atom feed in the HTML itself, for feed readers
  // (which run no script); the other paths are served as they are.
  app.get("*", async (c, next) => {
    const feed = answersPage(c.req.path, c.req.header("accept"))
      ? pageFeed(c.req.path, new URL(c.req.url).searchParams, config.mapView)
      : null;
    if (!feed) return next();
    const page = await readFile(resolve(WEB_DIST, "index.html"), "utf8").catch(() => null);
    return page === null ? next() : c.html(withFeedLink(page, feed));
  });
  // GET (and HEAD, which Hono answers as a GET without the body) only: `POST /` or `DELETE /sw.js`
  // had been answered 200 with the file; any other method falls to the JSON 404 or 405.
  app.get("/*", serveStatic({ root: WEB_DIST }));
  app.get("*", (c, next) => (answersPage(c.req.path, c.req.header("accept")) ? spaIndex(c, next) : next()));
  // The API's routes only: the web app's `GET *` above takes any path, and would allow GET everywhere.
  app.notFound(unroutedJson(api));

  let stopping = false;
  /** The answers being made, so a stop can close their connections once they are sent. */
  const answering = new Set<ServerResponse>();
  /** The handlers still running: a stop waits for them before it closes the database. */
  const handling = new Set<Promise<unknown>>();
  const server = await new Promise<ReturnType<typeof serve>>((ready, fail) => {
    const s = serve(
      {
        fetch: app.fetch,
        port: env.PORT,
        // A request without a valid Host gets the API's JSON 400, not Node's empty one.
        serverOptions: { requireHostHeader: false },
        createServer: ((options: ServerOptions, listener: RequestListener) =>
          createServer(options, (req, res) => {
            correctHead(req, res);
            if (stopping) res.setHeader("Connection", "close");
            else {
              answering.add(res);
              res.once("close", () => answering.delete(res));
            }
            if (answerHostless(req, res)) return;
            // A connection cut by the stop's grace leaves its handler running: tracked, so the
            // database is not closed under it.
            const handler = Promise.resolve(listener(req, res)).catch(() => {});
            handling.add(handler);
            void handler.finally(() => handling.delete(handler));
          })) as typeof createServer,
      },
      () => ready(s),
    );
    s.once("error", (e: NodeJS.ErrnoException) => {
      client.close();
      void uploads.close();
      fail(
        e.code === "EADDRINUSE"
          ? new EnvError(
              `port ${env.PORT} is in use (another CivicLoop?): stop that one, or set PORT to a free port`,
            )
          : e,
      );
    });
  });
  server.on("clientError", answerClientError);
  server.on("checkExpectation", answerExpectation);
  server.on("connect", answerConnect);
  capConnections(
    server,
    config.trustedProxies,
    { perClient: env.MAX_CONNECTIONS_PER_ADDRESS, total: env.MAX_CONNECTIONS ?? defaultTotalConnections() },
    log,
  );
  log(`CivicLoop listening on http://localhost:${env.PORT}`);
  // Deliveries and deadline checks run in-process; the outbox in the database is the queue.
  // Webhook host names are resolved at each delivery and the vetted address pinned for it.
  const connect = vettedConnector({
    resolve: nodeResolve,
    pin: pinnedFetch,
    allowPrivate: config.allowPrivateWebhooks,
  });
  // Mail goes out over SMTP_URL (or an HTTP mail API); without either, mail waits in the outbox
  // (parked) until one is set.
  const from = env.MAIL_FROM ?? DEFAULT_MAIL_FROM;
  const smtp = env.SMTP_URL ? smtpMailSender(env.SMTP_URL, from) : undefined;
  const mail =
    smtp ??
    (env.MAIL_API_URL && env.MAIL_API_KEY
      ? httpMailSender({ url: env.MAIL_API_URL, key: env.MAIL_API_KEY, from, fetch: globalThis.fetch })
      : undefined);
  if (mail) {
    await wakeParkedMessages(db, "mail", clock());
    await wakeParkedMailDispatch(db, clock());
  } else log("SMTP_URL is not set: mail is kept in the outbox until it is.");
  const worker = startDispatchLoop(db, {
    fetch: globalThis.fetch,
    connect,
    photos,
    senders: { mail, push: webPushEncoder(vapid, vapidSubject(env.VAPID_SUBJECT, config.publicUrl, from)) },
    ...dispatch,
    clock,
    config,
  });
  return {
    db,
    /**
     * Stops taking connections and lets the requests in flight and the dispatch round running
     * finish, side by side (the round had gone first, up to a 10 s webhook timeout, while the
     * server went on answering); connections still open after `STOP_GRACE_MS` are cut, their
     * requests unanswered (a client retries them with their `Idempotency-Key`).
     */
    async stop() {
      log(
        "Stopping: no new connections; the requests in flight and the dispatch round running finish first.",
      );
      stopping = true;
      // Each answer closes its connection, so a client keeping one busy (a steady keep-alive
      // load) lets it go rather than hold the stop for as long as it sends.
      for (const res of answering) {
        if (!res.headersSent) res.setHeader("Connection", "close");
        else res.once("finish", () => res.socket?.end());
      }
      const closed = new Promise<void>((done) => server.close(() => done()));
      // Made by `createServer` above: an HTTP/1 server.
      const http = server as HttpServer;
      http.closeIdleConnections();
      const grace = setTimeout(() => http.closeAllConnections(), STOP_GRACE_MS);
      await Promise.all([worker.stop(), closed]);
      clearTimeout(grace);
      // Cut off, a handler ends at its next step; one that never would does not hold the stop for good.
      let waited: ReturnType<typeof setTimeout> | undefined;
      await Promise.race([
        Promise.all([...handling]),
        new Promise((done) => {
          waited = setTimeout(done, STOP_GRACE_MS);
        }),
      ]);
      clearTimeout(waited);
      // Work left running after an answer (a password reset's) ends before the database closes.
      await later.drain();
      await uploads.close();
      smtp?.close();
      client.close();
      // Said, so an operator (or a supervisor's log) knows the stop ended rather than hung.
      log("Stopped.");
    },
  };
}

/**
 * Two corrections to the head the Node adapter writes:
 * - A 304 or 204 has no body, so no type: the adapter gives every answer without a `Content-Type`
 *   `text/plain`, and a cache that updates what it stored from a 304's headers (RFC 9111 §4.3.4)
 *   would then serve its CSV, GeoJSON or Atom as plain text.
 * - An answer made before the request's body had all come (a chunked upload refused as too large)
 *   says `Connection: close`: the rest of the body is dropped by closing the socket, and a client
 *   told keep-alive had its next request on that connection lost, unanswered.
 */
function correctHead(req: IncomingMessage, res: ServerResponse) {
  const writeHead = res.writeHead.bind(res) as (status: number, ...rest: unknown[]) => ServerResponse;
  res.writeHead = ((status: number, ...rest: unknown[]) => {
    const headers = rest.at(-1);
    if (
      (status === 304 || status === 204) &&
      headers &&
      typeof headers === "object" &&
      !Array.isArray(headers)
    )
      delete (headers as Record<string, unknown>)["content-type"];
    if (!req.complete) res.setHeader("Connection", "close");
    return writeHead(status, ...rest);
  }) as ServerResponse["writeHead"];
}
