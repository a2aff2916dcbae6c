/**
 * The audit trail of admin changes: after a successful write under `/api/admin`, one entry says
 * who (the caller the guard found) did what (the method and route) to what (the route's first
 * path parameter). Writes that record their own entry inside their batch (work-order moves and
 * reroutes) set `audited`, and are skipped here. The entry is written after the change, as its
 * own statement: a crash between the two would lose the entry, never the change.
 */
import type { MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import { recordAction } from "../store/staff-actions";
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

export const auditAdminWrites: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  if (c.req.method === "GET" || c.res.status >= 400 || c.get("audited")) return;
  const caller = c.get("caller");
  if (!caller) return;
  // The handler's own route: the last one matched that is not a middleware.
  const route = [...matchedRoutes(c)].reverse().find((r) => r.method !== "ALL");
  const pattern = route?.path ?? c.req.path;
  await recordAction(
    c.var.db,
    caller.by,
    `${c.req.method} ${pattern.replace(/^\/api/, "")}`,
    subjectOf(pattern, c.req.path),
    c.var.now(),
  );
};
