import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { AppError } from "../domain/errors";
import type { AppEnv } from "./context";

/** Hono's middleware for each size in use (one per app in practice), made once rather than per request. */
const limits = new Map<number, MiddlewareHandler>();

const tooLarge = (maxSize: number): never => {
  throw new AppError(413, "payload_too_large", `the body is over ${maxSize} bytes`);
};

function limitOf(maxSize: number): MiddlewareHandler {
  let limit = limits.get(maxSize);
  if (!limit) {
    limit = bodyLimit({ maxSize, onError: () => tooLarge(maxSize) });
    limits.set(maxSize, limit);
  }
  return limit;
}

/**
 * Refuses a body over the configured size with 413, before anything reads it. A body of a stated
 * length (not chunked) is judged by its header, as Hono's middleware does, but without touching
 * the body: on Node that would make the full `Request` that `bodyText` spares.
 */
export const limitBody: MiddlewareHandler<AppEnv> = async (c, next) => {
  const maxSize = c.get("config").maxBodyBytes;
  const length = c.req.header("content-length");
  if (length === undefined || c.req.header("transfer-encoding") !== undefined)
    return limitOf(maxSize)(c, next);
  if (Number.parseInt(length, 10) > maxSize) return tooLarge(maxSize);
  await next();
};
