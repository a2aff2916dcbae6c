import type { MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { AppError } from "../domain/errors";
import type { AppEnv } from "./context";

/** The limit for each size in use, made once rather than per request. */
const limits = new Map<number, MiddlewareHandler>();

const tooLarge = (maxSize: number): never => {
  throw new AppError(413, "payload_too_large", `the body is over ${maxSize} bytes`, "body");
};

/**
 * Refuses a body over `maxSize` bytes with 413, before anything reads it. A body of a stated
 * length (not chunked) is judged by its header, as Hono's middleware does, but without touching
 * the body: on Node, Hono's check makes the full `Request` around the socket's stream, which
 * pauses the stream under `bodyText` (a body over one chunk then never ends) and costs what
 * `bodyText` spares. Only a chunked body goes through Hono's limit, which reads it itself.
 */
export function limitBodyTo(maxSize: number): MiddlewareHandler {
  let limit = limits.get(maxSize);
  if (limit) return limit;
  const chunked = bodyLimit({ maxSize, onError: () => tooLarge(maxSize) });
  limit = async (c, next) => {
    const length = c.req.header("content-length");
    if (length === undefined || c.req.header("transfer-encoding") !== undefined) return chunked(c, next);
    if (Number.parseInt(length, 10) > maxSize) return tooLarge(maxSize);
    await next();
  };
  limits.set(maxSize, limit);
  return limit;
}

/** `limitBodyTo` the configured size of an API body. */
export const limitBody: MiddlewareHandler<AppEnv> = (c, next) =>
  limitBodyTo(c.get("config").maxBodyBytes)(c, next);
