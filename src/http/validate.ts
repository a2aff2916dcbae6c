import type { MiddlewareHandler } from "hono";
import type { z } from "zod";
import { AppError } from "../domain/errors";
import type { AppEnv } from "./context";

/** The first problem zod found, as `{ field, message }` with a dotted path. */
export function firstIssue(error: z.ZodError): { field: string; message: string } {
  const issue = error.issues[0];
  const field = issue?.path.map(String).join(".") || "body";
  return { field, message: issue?.message ?? "is invalid" };
}

/**
 * Validates a JSON body with a zod schema: 415 when it is not JSON, 400 naming the field
 * otherwise. The typed value is then `c.req.valid("json")`, and the schema's input type flows
 * to the typed client.
 */
export const jsonBody =
  <S extends z.ZodType>(
    schema: S,
  ): MiddlewareHandler<AppEnv, string, { in: { json: z.input<S> }; out: { json: z.output<S> } }> =>
  async (c, next) => {
    const type = c.req.header("content-type") ?? "";
    if (!/^application\/(.+\+)?json\b/i.test(type)) {
      throw new AppError(415, "unsupported_media_type", "send the body as application/json");
    }
    let value: unknown;
    try {
      value = JSON.parse(await c.req.text());
    } catch {
      throw new AppError(400, "invalid_json", "the body is not valid JSON", "body");
    }
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const { field, message } = firstIssue(parsed.error);
      throw new AppError(400, "invalid_field", `${field}: ${message}`, field);
    }
    c.req.addValidatedData("json", parsed.data as object);
    await next();
  };

/** Validates the query string with a zod schema; 400 naming the parameter otherwise. */
export const queryParams =
  <S extends z.ZodType>(
    schema: S,
  ): MiddlewareHandler<
    AppEnv,
    string,
    { in: { query: Record<string, string> }; out: { query: z.output<S> } }
  > =>
  async (c, next) => {
    const parsed = schema.safeParse(c.req.query());
    if (!parsed.success) {
      const { field, message } = firstIssue(parsed.error);
      throw new AppError(400, "invalid_parameter", `${field}: ${message}`, field);
    }
    c.req.addValidatedData("query", parsed.data as object);
    await next();
  };
