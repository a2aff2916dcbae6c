/**
 * The OpenAPI 3.1 document, built from the route registry and the zod schemas that validate
 * the requests (`z.toJSONSchema`, as the request's input: what a client sends).
 */
import { z } from "zod";
import { errorBody } from "../schemas/common";
import { open311Errors } from "../schemas/open311";
import { type Access, ROUTES, type RouteDoc } from "./registry";

type JsonSchema = Record<string, unknown>;

/** The JSON Schema (2020-12, which OpenAPI 3.1 uses) of what a client sends. */
export function inputSchema(schema: z.ZodType): JsonSchema {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io: "input",
    unrepresentable: "any",
  }) as JsonSchema;
  return rest;
}

const SECURITY: Record<Exclude<Access, "public" | "apiKey">, Record<string, string[]>[]> = {
  admin: [{ adminToken: [] }],
  department: [{ departmentToken: [] }],
};

const ACCESS_WORDS: Record<Access, string> = {
  public: "Public.",
  admin: "Admin only: `Authorization: Bearer <ADMIN_TOKEN>`.",
  department: "Department only: `Authorization: Bearer <department token>` (the admin's token sees all).",
  apiKey: "Client apps only: a valid `api_key` in the form (issued by the admin).",
};

const isOpen311 = (r: RouteDoc) => r.path.startsWith("/open311/");

function parameters(r: RouteDoc) {
  const out: Record<string, unknown>[] = [];
  for (const [, name] of r.path.matchAll(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g)) {
    out.push({
      name,
      in: "path",
      required: true,
      schema: name === "format" ? { type: "string", enum: ["json", "xml"] } : { type: "string" },
      ...(name === "format" ? { description: "The answer's format" } : {}),
    });
  }
  if (r.query) {
    const schema = inputSchema(r.query);
    const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((schema.required ?? []) as string[]);
    for (const [name, prop] of Object.entries(props)) {
      const { description, ...rest } = prop;
      out.push({
        name,
        in: "query",
        required: required.has(name),
        schema: rest,
        ...(typeof description === "string" ? { description } : {}),
      });
    }
  }
  for (const p of r.manualQuery ?? []) {
    out.push({
      name: p.name,
      in: "query",
      required: p.required ?? false,
      description: p.description,
      schema: p.schema,
    });
  }
  return out;
}

function requestBody(r: RouteDoc) {
  if (r.bodyType === "image") {
    return {
      required: true,
      content: {
        "image/jpeg": { schema: { type: "string", contentMediaType: "image/jpeg" } },
        "image/png": { schema: { type: "string", contentMediaType: "image/png" } },
        "image/webp": { schema: { type: "string", contentMediaType: "image/webp" } },
        "multipart/form-data": {
          schema: { type: "object", properties: { photo: { type: "string", contentMediaType: "image/*" } } },
        },
      },
    };
  }
  if (!r.body) return undefined;
  const schema = inputSchema(r.body);
  if (r.bodyType === "form") {
    return {
      required: true,
      content: {
        "application/x-www-form-urlencoded": {
          schema,
          // `attribute[code]=v` and `attribute[code][]=v`, as GeoReport v2 sends them.
          encoding: { attribute: { style: "deepObject", explode: true } },
        },
      },
    };
  }
  return { required: true, content: { "application/json": { schema } } };
}

function responses(r: RouteDoc) {
  const status = String(r.status ?? 200);
  const produces = r.produces ?? ["application/json"];
  const errorRef = {
    $ref: isOpen311(r) ? "#/components/schemas/Open311Errors" : "#/components/schemas/Error",
  };
  const errorContent = isOpen311(r)
    ? { "application/json": { schema: errorRef }, "text/xml": { schema: { type: "string" } } }
    : { "application/json": { schema: errorRef } };
  const out: Record<string, unknown> = {
    [status]: {
      description: r.response,
      ...(produces.length ? { content: Object.fromEntries(produces.map((t) => [t, {}])) } : {}),
    },
  };
  if (r.query || r.body || r.manualQuery || r.bodyType) {
    out["400"] = { description: "A parameter or field is invalid", content: errorContent };
  }
  if (r.access === "admin" || r.access === "department") {
    out["401"] = { description: "No bearer token", content: errorContent };
    out["403"] = { description: "This token may not do this", content: errorContent };
  }
  if (r.access === "apiKey")
    out["403"] = { description: "api_key missing or not valid", content: errorContent };
  if (/\{(?!format\})/.test(r.path)) out["404"] = { description: "No such resource", content: errorContent };
  return out;
}

/** A stable, unique name for an operation: `get_api_clusters_id`. */
export const operationId = (r: RouteDoc) =>
  `${r.method}_${r.path
    .replace(/[{}]/g, "")
    .replace(/[^A-Za-z0-9]+/g, "_")
    .replace(/^_|_$/g, "")}`;

function operation(r: RouteDoc) {
  const access = r.access ?? "public";
  const body = requestBody(r);
  const params = parameters(r);
  return {
    operationId: operationId(r),
    summary: r.summary,
    description: [r.description, ACCESS_WORDS[access]].filter(Boolean).join("\n\n"),
    tags: [r.tag],
    ...(params.length ? { parameters: params } : {}),
    ...(body ? { requestBody: body } : {}),
    responses: responses(r),
    ...(access === "admin" || access === "department" ? { security: SECURITY[access] } : {}),
    "x-civicloop-access": access,
  };
}

/** The whole OpenAPI 3.1 document. */
export function openApiDocument(opts: { serverUrl?: string } = {}) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of ROUTES) {
    paths[r.path] ??= {};
    (paths[r.path] as Record<string, unknown>)[r.method] = operation(r);
  }
  return {
    openapi: "3.1.0",
    info: {
      title: "CivicLoop API",
      version: "1",
      summary: "Report civic problems, follow them to the end, and read the city's open data.",
      description:
        "Residents report problems at a place; reports of one problem gather into a cluster; when enough distinct residents have reported, one work order goes to the department responsible. Open311 GeoReport v2 is served at `/open311/v2`, and open data exports at `/api/exports`. Errors are `{error: {code, message, field?}}` (Open311: `[{code, description}]`).",
      license: { name: "Open data", identifier: "CC-BY-4.0" },
    },
    ...(opts.serverUrl ? { servers: [{ url: opts.serverUrl }] } : {}),
    tags: [...new Set(ROUTES.map((r) => r.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: { Error: inputSchema(errorBody), Open311Errors: inputSchema(open311Errors) },
      securitySchemes: {
        adminToken: { type: "http", scheme: "bearer", description: "The ADMIN_TOKEN the server runs with" },
        departmentToken: {
          type: "http",
          scheme: "bearer",
          description: "A token the admin issued to a department",
        },
      },
    },
  };
}
