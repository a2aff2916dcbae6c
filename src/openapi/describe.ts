/**
 * How a route documents itself, where it is defined: `describe({...})` as the first middleware
 * of the route (summary, tag, answers with their zod schemas, the route's own refusals), the
 * validators in `http/validate.ts` for the request, and the guards in `http/auth.ts` for who may
 * call it. hono-openapi gathers all three from the app's routes into `/openapi.json`.
 */
import type { Input, MiddlewareHandler } from "hono";
import { type DescribeRouteOptions, describeRoute, uniqueSymbol } from "hono-openapi";
import { z } from "zod";
import type { AppEnv } from "../http/context";

type JsonSchema = Record<string, unknown>;

/**
 * Who may call a route: anyone, admins, departments, the desk (call-takers), any staff, or an
 * Open311 api_key. The guards of `http/auth.ts` set it.
 */
export type Access = "public" | "admin" | "department" | "desk" | "staff" | "apiKey";

/** The document's extension naming who may call an operation (the guards set it). */
export const ACCESS_KEY = "x-civicloop-access";

/**
 * The JSON Schema (2020-12, which OpenAPI 3.1 uses) of a zod schema: `input` for what a client
 * sends (defaults make fields optional), `output` for what the server answers.
 */
export function jsonSchemaOf(schema: z.ZodType, io: "input" | "output"): JsonSchema {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io,
    unrepresentable: "any",
    override: ({ jsonSchema: s }) => {
      // `format: date-time` says it all; zod's long pattern for it would fill the page.
      if (s.format === "date-time") delete s.pattern;
      // `z.int()` bounds itself to safe integers, which every JSON reader assumes anyway.
      if (s.minimum === Number.MIN_SAFE_INTEGER) delete s.minimum;
      if (s.maximum === Number.MAX_SAFE_INTEGER) delete s.maximum;
    },
  }) as JsonSchema;
  return rest;
}

/**
 * A schema hono-openapi turns into JSON Schema only when the document is built, so a cold
 * start (a Worker isolate) pays nothing for documentation it does not serve.
 */
export const lazySchema = (schema: z.ZodType | JsonSchema, io: "input" | "output") => ({
  toOpenAPISchema: async () => ({
    schema: schema instanceof z.ZodType ? jsonSchemaOf(schema, io) : schema,
  }),
});

/** Marks a middleware (a validator or a guard) with what it adds to the document. */
export function documents<M extends MiddlewareHandler>(middleware: M, doc: object): M {
  return Object.assign(middleware, { [uniqueSymbol]: doc });
}

/** A success answer: its description and the schema of each media type it comes in. */
export interface Answer {
  description: string;
  /** Shorthand for `content: {"application/json": schema}`. */
  json?: z.ZodType;
  content?: Record<string, z.ZodType | JsonSchema>;
  headers?: Record<string, { description: string; schema: JsonSchema }>;
}

export interface RouteSpec {
  tag: string;
  summary: string;
  /** Longer text for the reference page; `code` in backquotes. */
  description?: string;
  /** Success answers by status. */
  responses: Record<number, Answer>;
  /** This route's own refusals by status (400, 404 and the guards' are added for it). */
  errors?: Record<number, string>;
  /** Only where no validator of `http/validate.ts` reads the body (forms, images, optional bodies). */
  requestBody?: { required: boolean; content: Record<string, z.ZodType | JsonSchema>; encoding?: object };
  /** Parameters no validator declares, such as what a path parameter holds. */
  parameters?: {
    name: string;
    in: "path" | "query" | "header";
    required?: boolean;
    description: string;
    schema: JsonSchema;
  }[];
  /** Only for access a guard cannot show: the Open311 `api_key` in a form. */
  access?: "apiKey";
}

const contentOf = (content: Record<string, z.ZodType | JsonSchema>, io: "input" | "output") =>
  Object.fromEntries(Object.entries(content).map(([type, s]) => [type, { schema: lazySchema(s, io) }]));

/**
 * Documents the route it leads; see the file comment. It reads no input: its input type is
 * whatever the route's validators declare (so routes on several paths keep their types).
 */
// biome-ignore lint/complexity/noBannedTypes: Hono's own empty input
export function describe<I extends Input = {}>(spec: RouteSpec): MiddlewareHandler<AppEnv, string, I> {
  const responses: Record<string, unknown> = {};
  for (const [status, a] of Object.entries(spec.responses)) {
    const content = { ...(a.json ? { "application/json": a.json } : {}), ...a.content };
    responses[status] = {
      description: a.description,
      ...(a.headers ? { headers: a.headers } : {}),
      ...(Object.keys(content).length ? { content: contentOf(content, "output") } : {}),
    };
  }
  for (const [status, description] of Object.entries(spec.errors ?? {})) responses[status] = { description };
  const options = {
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: [spec.tag],
    responses,
    ...(spec.parameters ? { parameters: spec.parameters } : {}),
    ...(spec.requestBody
      ? {
          requestBody: {
            required: spec.requestBody.required,
            content: Object.fromEntries(
              Object.entries(spec.requestBody.content).map(([type, s]) => [
                type,
                {
                  schema: lazySchema(s, "input"),
                  ...(spec.requestBody?.encoding ? { encoding: spec.requestBody.encoding } : {}),
                },
              ]),
            ),
          },
        }
      : {}),
    ...(spec.access ? { [ACCESS_KEY]: spec.access } : {}),
  };
  return describeRoute(options as unknown as DescribeRouteOptions);
}
