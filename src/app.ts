/**
 * The CivicLoop app, built from its dependencies. Runtime-neutral: `server.ts` (Node) and
 * `worker.ts` (Cloudflare Workers) each make the dependencies and hand them over.
 */
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import { secureHeaders } from "hono/secure-headers";
import { pingDatabase } from "./db/client";
import { AppError } from "./domain/errors";
// Refusals in plain words (zod's own are set once, for every schema, on load).
import "./schemas/plain-words";
import { clientAddress, networkOf } from "./domain/network";
import { afterAnswer } from "./http/after-answer";
import { requireAdmin } from "./http/auth";
import { limitBody, limitBodyTo } from "./http/body-limit";
import type { AppDeps, AppEnv } from "./http/context";
import { onError, unroutedJson } from "./http/errors";
import { limitWrites } from "./http/rate-limit";
import { describe } from "./openapi/describe";
import { addOpenApiRoutes } from "./openapi/routes";
import { adminRoutes } from "./routes/admin";
import { adminApiKeyRoutes } from "./routes/admin-api-keys";
import { adminCatalogRoutes } from "./routes/admin-catalog";
import { adminDepartmentRoutes } from "./routes/admin-departments";
import { adminSensorRoutes } from "./routes/admin-sensor";
import { adminStaffRoutes } from "./routes/admin-staff";
import { authRoutes } from "./routes/auth";
import { catalogRoutes } from "./routes/catalog";
import { clusterRoutes } from "./routes/clusters";
import { departmentRoutes } from "./routes/department";
import { deskRoutes } from "./routes/desk";
import { deviceRoutes } from "./routes/devices";
import { exportRoutes } from "./routes/exports";
import { feedRoutes } from "./routes/feeds";
import { followRoutes } from "./routes/follows";
import { mapRoutes } from "./routes/map";
import { adminModerationRoutes, flagRoutes } from "./routes/moderation";
import { open311Elsewhere, open311Routes } from "./routes/open311";
import { photoRoutes } from "./routes/photos";
import { adminPlaceRoutes, placeRoutes } from "./routes/places";
import { questionnaireRoutes } from "./routes/questionnaire";
import { ratingRoutes } from "./routes/ratings";
import { reopenRoutes } from "./routes/reopen";
import { reportContactRoutes } from "./routes/report-contact";
import { reportRoutes } from "./routes/reports";
import { routingRoutes } from "./routes/routing";
import { sensorRoutes } from "./routes/sensor";
import { statsRoutes } from "./routes/stats";
import { statsDefinitionRoutes } from "./routes/stats-definitions";
import { webConfigRoutes } from "./routes/web-config";
import { health } from "./schemas/meta";

/** The largest gazetteer import (`POST /api/admin/places`): 5000 places as GeoJSON lines. */
const PLACES_BODY_BYTES = 8 * 1024 * 1024;
/** A department with its area as a survey or a GIS exports it (tens of thousands of corners). */
const DEPARTMENT_BODY_BYTES = 4 * 1024 * 1024;

// No cookie authorizes anything (tokens travel in Authorization headers; the sign-in's device
// cookie, sent to /api/auth only and never from another site, gives a budget of failed attempts
// and nothing else), so any site may call the API: open data and Open311 are meant to be built
// on, from browsers too. A page's script that keeps
// its own copy of a tile, a figure or an Open311 list revalidates it with If-None-Match (or
// If-Modified-Since), which are not safelisted: without them here its preflight would fail. So is
// X-Requested-With, which jQuery-era Open311 clients add to every request.
const preflight = cors({
  origin: "*",
  allowHeaders: [
    "Content-Type",
    "Authorization",
    "Idempotency-Key",
    "If-None-Match",
    "If-Modified-Since",
    "X-Requested-With",
  ],
  allowMethods: ["GET", "POST", "PUT", "PATCH", "DELETE"],
  maxAge: 86_400,
});

/** The headers of an answer a page's script on another site may read, beyond the safelisted ones. */
const EXPOSED_HEADERS = "Retry-After, ETag, Last-Modified, Link, Content-Disposition";

/**
 * CORS for any origin. Hono's `cors()` writes its header on `c.res` before the route runs; on
 * Node that makes the route's answer a full `Response` whose body is then read back as a stream
 * instead of written out as it is (about a tenth of a report's CPU). Set after the route, as
 * `secureHeaders` does, the answer stays light. Preflights still go to `cors()`.
 */
const anyOrigin: MiddlewareHandler = async (c, next) => {
  if (c.req.method === "OPTIONS") return preflight(c, next);
  await next();
  c.res.headers.set("Access-Control-Allow-Origin", "*");
  // A page's script may read only safelisted headers unless told: after a 429 (a report, an
  // Open311 POST), how long to wait is in Retry-After; the ETag it sends back in If-None-Match;
  // the Link naming a CSV's definitions; the file name an export suggests.
  c.res.headers.set("Access-Control-Expose-Headers", EXPOSED_HEADERS);
};

/**
 * The pages the API answers itself (mailed links, `/docs`) run no script and load nothing: their
 * Content-Security-Policy says so. The web app's page carries its own (`web/vite.config.ts`).
 */
const OWN_PAGE_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";
const ownPagePolicy: MiddlewareHandler = async (c, next) => {
  await next();
  const page = c.res.headers.get("content-type")?.startsWith("text/html");
  if (page && (c.req.path.startsWith("/api/") || c.req.path === "/docs")) {
    c.res.headers.set("Content-Security-Policy", OWN_PAGE_POLICY);
  }
};

/** Builds the app; `deps` may be a function of the request where the runtime gives bindings per request. */
export function createApp(deps: AppDeps | ((c: Context) => AppDeps)) {
  const depsOf = typeof deps === "function" ? deps : () => deps;
  // Used where the runtime gives none (Workers: the work is handed to `waitUntil` anyway).
  const later = afterAnswer();
  const provideDeps: MiddlewareHandler<AppEnv> = async (c, next) => {
    const d = depsOf(c);
    c.set("db", d.db);
    c.set("config", d.config);
    c.set("now", d.clock);
    const address = clientAddress(
      d.clientAddress(c),
      c.req.header("x-forwarded-for"),
      d.config.trustedProxies,
    );
    c.set("clientAddress", address ?? undefined);
    c.set("network", networkOf(address ?? undefined));
    c.set("limiter", d.limiter);
    c.set("photos", d.photos);
    c.set("thumbnails", d.thumbnails);
    c.set("afterAnswer", d.afterAnswer ?? later);
    c.set("bodyText", d.bodyText);
    c.set("sensorBodies", d.sensorBodies);
    await next();
  };
  // Every route documents itself where it is defined, and `/openapi.json` is generated from
  // these routes (see `openapi/describe.ts`). A new route: `describe({tag, summary, responses})`
  // first, with its answers' zod schemas from `src/schemas`; then the validators of
  // `http/validate.ts` for its query and body; behind `requireAdmin`/`requireDepartment`, its
  // access is documented too. `test/openapi.test.ts` names any route left undescribed.
  const api = new Hono<AppEnv>()
    .use(provideDeps)
    // Before the JSON body limit: photos have their own, larger one.
    .use("/photos/*", limitWrites("photos"))
    .route("/photos", photoRoutes)
    // Also before it: a batch of 2000 events is larger than a report, and has its own limit.
    .use("/sensor/*", limitWrites("sensor"))
    .route("/sensor", sensorRoutes)
    // Also before it: a city's gazetteer (up to 5000 places) is far larger than a report. The
    // admin is checked first, so nobody else can make the server read 8 MB.
    .use("/admin/places", requireAdmin, limitBodyTo(PLACES_BODY_BYTES))
    .route("/admin", adminPlaceRoutes)
    // Also before it: a department's area pasted as surveyed, simplified once read (admin first).
    .use("/admin/departments", requireAdmin, limitBodyTo(DEPARTMENT_BODY_BYTES))
    .use("/admin/departments/:code", requireAdmin, limitBodyTo(DEPARTMENT_BODY_BYTES))
    .route("/admin", adminDepartmentRoutes)
    .use(limitBody)
    .route("/devices", deviceRoutes)
    .route("/reports", reportRoutes)
    .route("/clusters", clusterRoutes)
    .route("/exports", exportRoutes)
    .route("/feeds", feedRoutes)
    .route("/", reopenRoutes)
    .route("/", followRoutes)
    .route("/", ratingRoutes)
    .route("/", reportContactRoutes)
    .route("/", questionnaireRoutes)
    .route("/department", departmentRoutes)
    .route("/stats", statsRoutes)
    .route("/stats", statsDefinitionRoutes)
    .route("/map", mapRoutes)
    .route("/config", webConfigRoutes)
    .route("/routing", routingRoutes)
    .route("/places", placeRoutes)
    .route("/", catalogRoutes)
    .route("/auth", authRoutes)
    .route("/desk", deskRoutes)
    .route("/admin", adminRoutes)
    .route("/admin", adminStaffRoutes)
    .route("/admin", adminApiKeyRoutes)
    .route("/admin", adminCatalogRoutes)
    .route("/", flagRoutes)
    .route("/admin", adminModerationRoutes)
    .route("/admin", adminSensorRoutes);

  const app = new Hono<AppEnv>()
    .use(anyOrigin)
    .use(
      secureHeaders({
        crossOriginResourcePolicy: "cross-origin",
        referrerPolicy: "strict-origin-when-cross-origin",
      }),
    )
    .use(ownPagePolicy)
    .route("/api", api)
    .route("/open311/v2", new Hono<AppEnv>().use(provideDeps).route("/", open311Routes))
    .route("/open311", open311Elsewhere);
  app.get(
    "/healthz",
    describe({
      tag: "Meta",
      summary: "Liveness check",
      responses: { 200: { description: "Alive", json: health } },
      errors: {
        503: "`storage_failed`: every write fails until a restart (a failed WAL flush); the message says why",
      },
    }),
    (c) => {
      const fault = depsOf(c).storageFault?.();
      if (fault) throw new AppError(503, "storage_failed", fault);
      return c.json({ ok: true as const });
    },
  );
  app.get(
    "/readyz",
    describe({
      tag: "Meta",
      summary: "Readiness check: the database answers",
      description:
        "One trivial read of the database. `/healthz` says the process is alive and may stay 200 while a remote database (Turso, sqld) is down; this says whether requests can be served now. Point a load balancer's readiness check here, a supervisor's restart at `/healthz`.",
      responses: { 200: { description: "The database answered", json: health } },
      errors: {
        503: "`database_unavailable`: the database gave no answer in time or could not be reached (with `Retry-After`); `storage_failed` as for `/healthz`",
      },
    }),
    async (c) => {
      const deps = depsOf(c);
      const fault = deps.storageFault?.();
      if (fault) throw new AppError(503, "storage_failed", fault);
      await pingDatabase(deps.db);
      return c.json({ ok: true as const });
    },
  );
  addOpenApiRoutes(app);
  app.notFound(unroutedJson(app));
  // A write that failed because the log could not be flushed is the storage's fault, not a bug:
  // 503 with the health check's reason (no file path), as every later write gets until a restart.
  app.onError((err, c) => {
    const fault = err instanceof AppError ? null : depsOf(c).storageFault?.();
    if (!fault) return onError(err, c);
    console.error(`write refused on ${c.req.method} ${c.req.routePath}: ${fault}`);
    return c.json({ error: { code: "storage_failed", message: fault } }, 503);
  });
  return app;
}

export type App = ReturnType<typeof createApp>;
