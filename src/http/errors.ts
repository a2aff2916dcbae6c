import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { AppError, asClientError, loggableError, methodNotAllowed } from "../domain/errors";
import { methodsAt } from "./allowed-methods";

const body = (code: string, message: string, field?: string) => ({
  error: { code, message, ...(field ? { field } : {}) },
});

/** The headers a refusal carries: when to try again (429, 503), what the path takes (405). */
export function setErrorHeaders(c: Context, err: AppError): void {
  if (err.status === 429) c.header("Retry-After", String(err.details?.retryAfter ?? 60));
  if (err.status === 503 && err.details?.retryAfter) c.header("Retry-After", String(err.details.retryAfter));
  if (err.status === 405) c.header("Allow", String(err.details?.allow));
}

/** The app's one error handler: every failure leaves as `{ error: { code, message, field? } }`. */
export function onError(thrown: Error, c: Context) {
  const err = asClientError(thrown);
  if (err instanceof AppError) {
    // Details (such as the allowed moves of an illegal transition) belong to the error itself.
    const { error } = body(err.code, err.message, err.field);
    setErrorHeaders(c, err);
    return c.json({ error: { ...error, ...(err.details ?? {}) } }, err.status);
  }
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    const code = status === 413 ? "payload_too_large" : status === 401 ? "unauthorized" : "bad_request";
    return c.json(body(code, err.message || "bad request", status === 413 ? "body" : undefined), status);
  }
  // Only the error itself is logged: never the request, whose body may hold a contact.
  console.error(`unhandled error on ${c.req.method} ${c.req.routePath}: ${loggableError(err)}`);
  return c.json(body("internal", "something went wrong on our side"), 500);
}

export function notFoundJson(c: Context) {
  return c.json(body("not_found", `no route for ${c.req.method} ${new URL(c.req.url).pathname}`), 404);
}

/**
 * The answer to a request none of `app`'s routes took: 405 with `Allow` when the path is one of
 * its routes' under another method (`DELETE /api/reports`), else 404.
 */
export function unroutedJson(app: Parameters<typeof methodsAt>[0]) {
  const allowedAt = methodsAt(app);
  return (c: Context) => {
    const allowed = allowedAt(c.req.path);
    if (!allowed.length) return notFoundJson(c);
    return onError(methodNotAllowed(c.req.method, new URL(c.req.url).pathname, allowed), c);
  };
}
