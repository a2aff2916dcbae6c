/**
 * The OpenAPI document: valid OpenAPI 3.1 (structure, every $ref resolves, every schema
 * compiles), built from the zod schemas that validate the requests, and complete: every route
 * the app serves is in it, and nothing it lists is missing from the app.
 */
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { beforeAll, describe, expect, it } from "vitest";
import { inputSchema } from "../src/openapi/document";
import { honoPatterns, ROUTES } from "../src/openapi/registry";
import { open311PostForm } from "../src/schemas/open311";
import { reportInput } from "../src/schemas/report";
import { serviceInput } from "../src/schemas/service";
import { makeTestApp, type TestApp } from "./support/app";

type Json = Record<string, unknown>;
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/** Every value under a node, with its JSON pointer. */
function* walk(node: unknown, pointer = ""): Generator<[string, unknown]> {
  yield [pointer, node];
  if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      yield* walk(v, `${pointer}/${k.replaceAll("~", "~0").replaceAll("/", "~1")}`);
    }
  }
}

function resolvePointer(doc: unknown, ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  let node: unknown = doc;
  for (const raw of ref.slice(2).split("/")) {
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (!node || typeof node !== "object" || !(key in node)) return undefined;
    node = (node as Json)[key];
  }
  return node;
}

describe("the OpenAPI document", () => {
  let t: TestApp;
  let doc: Json;
  let paths: Record<string, Record<string, Json>>;

  beforeAll(async () => {
    t = await makeTestApp();
    const res = await t.app.request("/openapi.json");
    expect(res.status).toBe(200);
    doc = (await res.json()) as Json;
    paths = doc.paths as typeof paths;
  });

  it("is structurally OpenAPI 3.1", () => {
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
    expect(Object.keys(paths).length).toBeGreaterThan(20);
    const ids = new Set<string>();
    for (const [path, item] of Object.entries(paths)) {
      expect(path.startsWith("/"), path).toBe(true);
      const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      for (const [method, op] of Object.entries(item)) {
        expect(METHODS, `${path}: ${method}`).toContain(method);
        const responses = op.responses as Record<string, { description?: string }>;
        expect(Object.keys(responses).length, `${method} ${path} has no responses`).toBeGreaterThan(0);
        for (const [status, r] of Object.entries(responses)) {
          expect(status).toMatch(/^[1-5]\d\d$/);
          expect(typeof r.description, `${method} ${path} ${status}`).toBe("string");
        }
        expect(ids.has(op.operationId as string), `duplicate operationId ${op.operationId}`).toBe(false);
        ids.add(op.operationId as string);
        // Every path template has its path parameter, required.
        const params = (op.parameters ?? []) as Json[];
        for (const name of templated) {
          expect(params.find((p) => p.in === "path" && p.name === name)?.required, `${path} {${name}}`).toBe(
            true,
          );
        }
        for (const p of params) expect(["path", "query", "header", "cookie"]).toContain(p.in);
        for (const s of (op.security ?? []) as Json[]) {
          for (const scheme of Object.keys(s)) {
            expect((doc.components as Json).securitySchemes as Json, scheme).toHaveProperty(scheme);
          }
        }
      }
    }
  });

  it("resolves every $ref", () => {
    let refs = 0;
    for (const [pointer, node] of walk(doc)) {
      if (node && typeof node === "object" && "$ref" in node) {
        refs++;
        const ref = (node as Json).$ref as string;
        expect(resolvePointer(doc, ref), `${pointer}: ${ref} does not resolve`).toBeDefined();
      }
    }
    expect(refs).toBeGreaterThan(0);
  });

  it("holds JSON Schemas that compile", () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    let compiled = 0;
    for (const [pointer, node] of walk(doc)) {
      if (!pointer.endsWith("/schema") && !/\/components\/schemas\/[^/]+$/.test(pointer)) continue;
      // The document's components ride along so that "#/components/…" resolves.
      const wrapper = { components: doc.components, allOf: [node] };
      expect(() => ajv.compile(wrapper), pointer).not.toThrow();
      compiled++;
    }
    expect(compiled).toBeGreaterThan(30);
  });

  it("is made from the zod schemas that validate the requests", () => {
    const bodyOf = (path: string, method: string, type: string) => {
      const op = paths[path]?.[method] as { requestBody?: { content: Record<string, { schema: unknown }> } };
      return op?.requestBody?.content[type]?.schema;
    };
    const body = { "application/json": { schema: bodyOf("/api/reports", "post", "application/json") } };
    expect(body["application/json"].schema).toEqual(inputSchema(reportInput));
    expect(bodyOf("/api/admin/services", "post", "application/json")).toEqual(inputSchema(serviceInput));
    const form = {
      schema: bodyOf("/open311/v2/requests.{format}", "post", "application/x-www-form-urlencoded"),
    };
    expect(form?.schema).toEqual(inputSchema(open311PostForm));
    // The generated schema is usable: it takes a good report and refuses one off the globe.
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    const validate = ajv.compile(body["application/json"]?.schema as Json);
    expect(validate({ service: "pothole", lat: 28.2, lon: 112.9, description: "hole" })).toBe(true);
    expect(validate({ service: "pothole", lat: 128.2, lon: 112.9, description: "hole" })).toBe(false);
    const requests = paths["/open311/v2/requests.{format}"]?.get?.parameters as Json[];
    expect(requests.map((p) => p.name)).toEqual(
      expect.arrayContaining([
        "service_request_id",
        "service_code",
        "start_date",
        "end_date",
        "status",
        "page",
      ]),
    );
  });

  it("marks who may call each route", () => {
    for (const [path, item] of Object.entries(paths)) {
      for (const [method, op] of Object.entries(item)) {
        const access = op["x-civicloop-access"];
        if (path.startsWith("/api/admin/")) expect(access, `${method} ${path}`).toBe("admin");
        if (path.startsWith("/api/department/")) expect(access, `${method} ${path}`).toBe("department");
        if (access === "admin") expect(op.security, `${method} ${path}`).toEqual([{ adminToken: [] }]);
        else if (access === "department")
          expect(op.security, `${method} ${path}`).toEqual([{ departmentToken: [] }]);
        else expect(op.security, `${method} ${path}`).toBeUndefined();
      }
    }
    expect(paths["/open311/v2/requests.{format}"]?.post?.["x-civicloop-access"]).toBe("apiKey");
  });

  it("marks as guarded exactly what the app guards: no token, 401", async () => {
    for (const r of ROUTES) {
      if (r.access !== "admin" && r.access !== "department") continue;
      const path = r.path.replace(/\{[^}]+\}/g, "x0");
      const res = await t.app.request(path, {
        method: r.method.toUpperCase(),
        ...(r.method === "get" || r.method === "delete"
          ? {}
          : { headers: { "content-type": "application/json" }, body: "{}" }),
      });
      expect(res.status, `${r.method} ${r.path}`).toBe(401);
    }
  });

  it("lists every route of the app, and no route the app lacks", () => {
    // Hono lists middleware as method ALL, and one entry per handler (validators included).
    const served = new Set(
      t.app.routes.filter((r) => r.method !== "ALL").map((r) => `${r.method} ${r.path}`),
    );
    const documented = new Set(
      ROUTES.flatMap((r) => honoPatterns(r).map((p) => `${r.method.toUpperCase()} ${p}`)),
    );
    const undocumented = [...served].filter((r) => !documented.has(r));
    const stale = [...documented].filter((r) => !served.has(r));
    expect(
      undocumented,
      `routes missing from src/openapi/registry.ts (add an entry for each):\n  ${undocumented.join("\n  ")}`,
    ).toEqual([]);
    expect(stale, `documented routes the app does not serve:\n  ${stale.join("\n  ")}`).toEqual([]);
  });

  it("renders a readable reference page with every path, offline", async () => {
    const res = await t.app.request("/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html>/);
    for (const path of Object.keys(paths)) expect(html, path).toContain(`<code>${path}</code>`);
    expect(html).not.toMatch(/<script|<link[^>]+href="https?:|src="https?:/i);
    expect(html).toContain("/openapi.json");
  });
});
