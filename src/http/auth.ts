import type { Context, MiddlewareHandler } from "hono";
import { timingSafeEqual } from "../domain/crypto";
import { AppError } from "../domain/errors";
import { ACCESS_KEY, documents } from "../openapi/describe";
import { departmentForToken } from "../store/department-tokens";
import type { AppEnv } from "./context";
import { enforceLimit } from "./rate-limit";

/** The bearer token of a request, if it sent one. */
export function bearerToken(c: Context): string | null {
  const header = c.req.header("authorization") ?? "";
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? null;
}

/**
 * Guessing tokens is limited per network: a network over its budget of failed attempts is
 * refused (429) before its token is even looked at, the right one included, until the window ends.
 */
const signInAllowed = (c: Context<AppEnv>) => enforceLimit(c, "sign_in", "network", c.var.network, 0);
const failedSignIn = (c: Context<AppEnv>) => enforceLimit(c, "sign_in", "network", c.var.network);

/**
 * Lets only the holder of `ADMIN_TOKEN` through: 401 without a token, 403 with a wrong one.
 * Every route behind it is documented as admin-only, with those answers.
 */
export const requireAdmin: MiddlewareHandler<AppEnv> = documents(
  async (c, next) => {
    const token = bearerToken(c);
    if (!token) throw new AppError(401, "unauthorized", "send Authorization: Bearer <token>");
    await signInAllowed(c);
    const admin = c.var.config.adminToken;
    if (!admin || !timingSafeEqual(token, admin)) {
      await failedSignIn(c);
      throw new AppError(403, "forbidden", "this token may not use the admin API");
    }
    await next();
  },
  {
    spec: {
      [ACCESS_KEY]: "admin",
      responses: { 401: { description: "No bearer token" }, 403: { description: "Not the admin's token" } },
    },
  },
);

/**
 * Lets a department's token (or the admin's) through and sets `c.var.department`.
 * 401 without a token and for an unknown or revoked one: the department API does not say which.
 */
export const requireDepartment: MiddlewareHandler<AppEnv> = documents(
  async (c, next) => {
    const token = bearerToken(c);
    if (!token) throw new AppError(401, "unauthorized", "send Authorization: Bearer <department token>");
    await signInAllowed(c);
    const admin = c.var.config.adminToken;
    if (admin && timingSafeEqual(token, admin)) {
      c.set("department", { role: "admin", code: null, name: null });
    } else {
      const dept = await departmentForToken(c.var.db, token);
      if (!dept) {
        await failedSignIn(c);
        throw new AppError(401, "unauthorized", "this token is unknown or revoked");
      }
      c.set("department", { role: "department", ...dept });
    }
    await next();
  },
  {
    spec: {
      [ACCESS_KEY]: "department",
      responses: { 401: { description: "No token, or one unknown or revoked" } },
    },
  },
);
