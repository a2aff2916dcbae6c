/**
 * The audit trail of admin changes: each entry says who (the caller the guard found) did what
 * (the method and route) to what (the route's first path parameter, or the thing created).
 *
 * Every admin change takes its entry from `adminAudit` and hands it to its store function, which
 * writes it in the change's own batch (`auditAfter`, `auditAlong` in `store/writes.ts`): a change
 * is never committed without its entry, nor an entry without its change. Work-order moves and
 * reroutes write theirs with their event, sign-in and sign-out with the session, the desk's report
 * with the intake. There is no after-the-fact entry: `test/admin-audit-atomic.test.ts` holds a
 * change for every admin write of the API document and fails for one it does not know.
 */
import type { Context } from "hono";
import { matchedRoutes } from "hono/route";
import type { RouteAction } from "../domain/audit-actions";
import { auditDetail } from "../domain/audit-detail";
import type { AuditEntry } from "../store/writes";
import type { AppEnv } from "./context";

/** `/api/admin/services/:code` and `/api/admin/services/pothole` → `{type: "services", id: "pothole"}`. */
export function subjectOf(pattern: string, path: string): { type: string; id: string } | null {
  const p = pattern.split("/");
  const q = path.split("/");
  const at = p.indexOf("admin");
  const type = p[at + 1];
  if (at < 0 || !type) return null;
  const param = p.findIndex((s) => s.startsWith(":"));
  return { type: type === "moderation" ? (p[at + 2] ?? type) : type, id: param >= 0 ? (q[param] ?? "") : "" };
}

/** The request's action and subject, from the handler's own route (the last matched that is not a middleware). */
function describeRequest(c: Context<AppEnv>) {
  const route = [...matchedRoutes(c)].reverse().find((r) => r.method !== "ALL");
  const pattern = route?.path ?? c.req.path;
  return {
    // Only the admin API's changes (POST, PUT, PATCH, DELETE under /admin) take an entry.
    action: `${c.req.method} ${pattern.replace(/^\/api/, "")}` as RouteAction,
    subject: subjectOf(pattern, c.req.path),
  };
}

/**
 * The route a request came to, asked from a middleware (a guard), as `GET /api/admin/staff/:id`:
 * its handler's, or for a path no handler has, the guard's (`/api/admin/*`). Never the path
 * itself, which is whatever was sent. The handler is the first route from the guard on that is no
 * middleware and is of the guard's app: an app around it (the Node server's) has a `GET *` for
 * the web app's pages after it, which every GET matches.
 */
export function routeOf(c: Context<AppEnv>): string {
  const routes = matchedRoutes(c);
  const guard = routes[c.req.routeIndex];
  const handler = routes
    .slice(c.req.routeIndex)
    .find((r) => r.method !== "ALL" && r.basePath.startsWith(guard?.basePath ?? "/"));
  return `${c.req.method} ${(handler ?? guard)?.path ?? "*"}`;
}

/**
 * This admin change's audit entry, for its store function to write in the change's batch;
 * `id` names what a create makes (its path has no id).
 */
export function adminAudit(c: Context<AppEnv>, id?: string): AuditEntry {
  const { action, subject } = describeRequest(c);
  // The body as the route's validator read it (none: a DELETE, a body-less POST).
  const body = (c.req.valid as (target: "json") => unknown)("json");
  return {
    by: c.var.caller.by,
    action,
    subject: subject && id ? { ...subject, id } : subject,
    detail: auditDetail(body),
  };
}
