/**
 * The audit trail of admin changes: each entry says who (the caller the guard found) did what
 * (the method and route) to what (the route's first path parameter, or the thing created).
 *
 * The admin changes of services, departments, staff, department tokens and API keys take their
 * entry from `adminAudit` and hand it to their store function, which writes it in the change's
 * own batch (see `auditAfter` in `store/writes.ts`): a change is never committed without its entry.
 * Work-order moves and reroutes do the same with their event. Any other admin write (moderation,
 * sensor settings, places, dead-letter retries) is recorded by `auditAdminWrites` after it
 * succeeds, as its own statement.
 */
import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import { recordAction } from "../store/staff-actions";
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
    action: `${c.req.method} ${pattern.replace(/^\/api/, "")}`,
    subject: subjectOf(pattern, c.req.path),
  };
}

/**
 * This admin change's audit entry, for its store function to write in the change's batch;
 * `id` names what a create makes (its path has no id). The after-the-fact entry is skipped.
 */
export function adminAudit(c: Context<AppEnv>, id?: string): AuditEntry {
  c.set("audited", true);
  const { action, subject } = describeRequest(c);
  return { by: c.var.caller.by, action, subject: subject && id ? { ...subject, id } : subject };
}

export const auditAdminWrites: MiddlewareHandler<AppEnv> = async (c, next) => {
  await next();
  if (c.req.method === "GET" || c.res.status >= 400 || c.get("audited")) return;
  const caller = c.get("caller");
  if (!caller) return;
  const { action, subject } = describeRequest(c);
  await recordAction(c.var.db, caller.by, action, subject, c.var.now());
};
