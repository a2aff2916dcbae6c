/**
 * The CivicLoop app, built from its dependencies. Runtime-neutral: `server.ts` (Node) and
 * `worker.ts` (Cloudflare Workers) each make the dependencies and hand them over.
 */
import { type Context, Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { AppError } from "./domain/errors";
import type { AppDeps, AppEnv } from "./http/context";
import { notFoundJson, onError } from "./http/errors";
import { adminRoutes } from "./routes/admin";
import { catalogRoutes } from "./routes/catalog";
import { clusterRoutes } from "./routes/clusters";
import { exportRoutes } from "./routes/exports";
import { departmentRoutes } from "./routes/department";
import { mapRoutes } from "./routes/map";
import { photoRoutes } from "./routes/photos";
import { reopenRoutes } from "./routes/reopen";
import { reportRoutes } from "./routes/reports";
import { statsRoutes } from "./routes/stats";
import { webConfigRoutes } from "./routes/web-config";

/** Builds the app; `deps` may be a function of the request where the runtime gives bindings per request. */
export function createApp(deps: AppDeps | ((c: Context) => AppDeps)) {
  const depsOf = typeof deps === "function" ? deps : () => deps;
  const api = new Hono<AppEnv>()
    .use(async (c, next) => {
      const d = depsOf(c);
      c.set("db", d.db);
      c.set("config", d.config);
      c.set("now", d.clock);
      c.set("clientAddress", d.clientAddress(c));
      c.set("photos", d.photos);
      await next();
    })
    // Before the JSON body limit: photos have their own, larger one.
    .route("/photos", photoRoutes)
    .use(async (c, next) =>
      bodyLimit({
        maxSize: c.var.config.maxBodyBytes,
        onError: () => {
          throw new AppError(413, "payload_too_large", `the body is over ${c.var.config.maxBodyBytes} bytes`);
        },
      })(c, next),
    )
    .route("/reports", reportRoutes)
    .route("/clusters", clusterRoutes)
    .route("/exports", exportRoutes)
    .route("/", reopenRoutes)
    .route("/department", departmentRoutes)
    .route("/stats", statsRoutes)
    .route("/map", mapRoutes)
    .route("/config", webConfigRoutes)
    .route("/", catalogRoutes)
    .route("/admin", adminRoutes);

  const app = new Hono<AppEnv>().route("/api", api);
  app.get("/healthz", (c) => c.json({ ok: true }));
  app.notFound(notFoundJson);
  app.onError(onError);
  return app;
}

export type App = ReturnType<typeof createApp>;
