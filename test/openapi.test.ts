/**
 * The OpenAPI document: valid OpenAPI 3.1 (structure, every $ref resolves, every schema
 * compiles), generated from the routes' own declarations and the zod schemas that validate the
 * requests, complete (every route the app serves is in it, and nothing it lists is missing from
 * the app), and true: real answers of the app match the schemas documented for them.
 */
import { crc32 } from "node:zlib";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { beforeAll, describe, expect, it } from "vitest";
import { jsonSchemaOf } from "../src/openapi/describe";
import { open311PostForm } from "../src/schemas/open311";
import { reportInput } from "../src/schemas/report";
import { serviceInput } from "../src/schemas/service";
import { makeTestApp, type TestApp } from "./support/app";
import {
  asAdmin,
  CHANGSHA,
  makeDepartment,
  makeService,
  north,
  POTHOLE_SERVICE,
  squareAround,
} from "./support/fixtures";

/** The pothole service as a PUT body (its code is in the path). */
const { code: _code, ...servicePut } = POTHOLE_SERVICE;

import { fromResident } from "./support/residents";
import { asToken, departmentToken, move, workOrderAt } from "./support/work-orders";

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

/** The OpenAPI path of a Hono route pattern: `:id` and `:id{regex}` become `{id}`. */
const openApiPath = (honoPath: string) => honoPath.replace(/:([A-Za-z_][A-Za-z0-9_]*)(\{[^/]*\})?/g, "{$1}");

/** The smallest PNG: one 1 x 1 pixel. */
function tinyPng(): Uint8Array<ArrayBuffer> {
  const be32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
  const chunk = (type: string, data: number[]) => {
    const typeAndData = [...new TextEncoder().encode(type), ...data];
    return [...be32(data.length), ...typeAndData, ...be32(crc32(Uint8Array.from(typeAndData)))];
  };
  return Uint8Array.from([
    ...[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    ...chunk("IHDR", [...be32(1), ...be32(1), 8, 2, 0, 0, 0]),
    ...chunk("IDAT", [0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0x00, 0x00, 0x03, 0x01, 0x01, 0x00]),
    ...chunk("IEND", []),
  ]);
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
        // Named by its own method, not a guard's on a prefix of its path ("allApiAdminPlaces").
        expect(op.operationId, `${method} ${path}`).toMatch(new RegExp(`^${method}[A-Z]`));
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
    expect(body["application/json"].schema).toEqual(jsonSchemaOf(reportInput, "input"));
    expect(bodyOf("/api/admin/services", "post", "application/json")).toEqual(
      jsonSchemaOf(serviceInput, "input"),
    );
    for (const format of ["json", "xml"]) {
      expect(bodyOf(`/open311/v2/requests.${format}`, "post", "application/x-www-form-urlencoded")).toEqual(
        jsonSchemaOf(open311PostForm, "input"),
      );
    }
    // The generated schema is usable: it takes a good report and refuses one off the globe.
    const ajv = new Ajv2020({ strict: false });
    addFormats(ajv);
    const validate = ajv.compile(body["application/json"]?.schema as Json);
    expect(validate({ service: "pothole", lat: 28.2, lon: 112.9, description: "hole" })).toBe(true);
    expect(validate({ service: "pothole", lat: 128.2, lon: 112.9, description: "hole" })).toBe(false);
    const requests = paths["/open311/v2/requests.json"]?.get?.parameters as Json[];
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
        if (access === "admin")
          expect(op.security, `${method} ${path}`).toEqual([{ adminToken: [] }, { staffSession: [] }]);
        else if (access === "department")
          expect(op.security, `${method} ${path}`).toEqual([
            { departmentToken: [] },
            { staffSession: [] },
            { adminToken: [] },
          ]);
        else if (access === "desk" || access === "staff")
          expect(op.security, `${method} ${path}`).toContainEqual({ staffSession: [] });
        else expect(op.security, `${method} ${path}`).toBeUndefined();
        // A guarded route answers 429 once its network has sent too many refused tokens.
        if (op.security) expect(Object.keys(op.responses as object), `${method} ${path}`).toContain("429");
      }
    }
    expect(paths["/open311/v2/requests.xml"]?.post?.["x-civicloop-access"]).toBe("apiKey");
    expect(paths["/api/photos/attach"]?.post?.["x-civicloop-access"]).toBe("department");
  });

  it("marks as guarded exactly what the app guards: no token, 401", async () => {
    let guarded = 0;
    for (const [docPath, item] of Object.entries(paths)) {
      for (const [method, op] of Object.entries(item)) {
        const access = op["x-civicloop-access"];
        if (!["admin", "department", "desk", "staff"].includes(access as string)) continue;
        guarded++;
        const res = await t.app.request(docPath.replace(/\{[^}]+\}/g, "x0"), {
          method: method.toUpperCase(),
          ...(method === "get" || method === "delete"
            ? {}
            : { headers: { "content-type": "application/json" }, body: "{}" }),
        });
        expect(res.status, `${method} ${docPath}`).toBe(401);
      }
    }
    expect(guarded).toBeGreaterThan(15);
    // And the public ones answer without a token.
    expect((await t.app.request("/api/services")).status).toBe(200);
  });

  it("lists every route of the app, and no route the app lacks", () => {
    // Hono lists middleware as method ALL, and one entry per handler (validators included).
    const served = new Set(
      t.app.routes.filter((r) => r.method !== "ALL").map((r) => `${r.method} ${openApiPath(r.path)}`),
    );
    const documented = new Set(
      Object.entries(paths).flatMap(([path, item]) =>
        Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`),
      ),
    );
    const undocumented = [...served].filter((r) => !documented.has(r));
    const stale = [...documented].filter((r) => !served.has(r));
    expect(
      undocumented,
      `routes without describe() (see src/openapi/describe.ts):\n  ${undocumented.join("\n  ")}`,
    ).toEqual([]);
    expect(stale, `documented routes the app does not serve:\n  ${stale.join("\n  ")}`).toEqual([]);
  });

  it("describes every operation with a summary, a tag and a success answer with its schema", () => {
    for (const [path, item] of Object.entries(paths)) {
      for (const [method, op] of Object.entries(item)) {
        const where = `${method} ${path}`;
        expect(op.summary, where).toEqual(expect.any(String));
        expect((op.tags as string[]).length, where).toBe(1);
        const responses = op.responses as Record<string, { content?: Record<string, { schema?: Json }> }>;
        const ok = Object.entries(responses).filter(([s]) => s.startsWith("2"));
        expect(ok.length, `${where} has no success answer`).toBeGreaterThan(0);
        for (const [status, r] of Object.entries(responses)) {
          if (status === "204" || status === "304") {
            expect(r.content, where).toBeUndefined();
            continue;
          }
          expect(Object.keys(r.content ?? {}).length, `${where} ${status} has no content`).toBeGreaterThan(0);
          for (const [type, media] of Object.entries(r.content ?? {})) {
            expect(media.schema, `${where} ${status} ${type}`).toBeDefined();
          }
        }
      }
    }
  });

  it("renders a readable reference page with every path, offline", async () => {
    const res = await t.app.request("/docs");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html>/);
    for (const path of Object.keys(paths)) expect(html, path).toContain(`<code>${path}</code>`);
    expect(html).not.toMatch(/<script|<link[^>]+href="https?:|src="https?:/i);
    // ...and says so: nothing that slipped into it could run or load.
    expect(res.headers.get("content-security-policy")).toMatch(/^default-src 'none';/);
    expect(html).toContain("/openapi.json");
    // What the service sends, too: the department's webhook, its headers and body.
    expect(html).toContain('<h2 id="webhooks">Webhooks</h2>');
    expect(html).toContain("<code>CivicLoop-Signature</code>");
  });

  /** Staff accounts, sign-in, the audit trail and the desk. */
  async function checkStaffAnswers(
    // biome-ignore lint/suspicious/noExplicitAny: the answers are checked by the schema, then read
    call: (docPath: string, url: string, init?: RequestInit) => Promise<any>,
    json: (method: string, body: unknown, headers?: Record<string, string>) => RequestInit,
    workOrderId: string,
  ) {
    const email = "desk@city.example";
    const made = await call("/api/admin/staff", "/api/admin/staff", {
      method: "POST",
      ...asAdmin({ email, name: "Desk", role: "call_taker", password: "a long password" }),
    });
    await call("/api/admin/staff", "/api/admin/staff", {
      method: "POST",
      ...asAdmin({ email, name: "D", role: "viewer" }),
    });
    await call("/api/admin/staff", "/api/admin/staff", asAdmin());
    await call("/api/admin/staff/{id}", `/api/admin/staff/${made.staff.id}`, asAdmin());
    await call("/api/admin/staff/{id}", `/api/admin/staff/${made.staff.id}`, {
      method: "PATCH",
      ...asAdmin({ name: "Desk One" }),
    });
    await call("/api/auth/sign-in", "/api/auth/sign-in", json("POST", { email, password: "wrong password" }));
    const session = await call(
      "/api/auth/sign-in",
      "/api/auth/sign-in",
      json("POST", { email, password: "a long password" }),
    );
    const as = (body?: unknown) => asToken(session.token, body);
    await call("/api/auth/me", "/api/auth/me", as());
    const filed = await call("/api/desk/reports", "/api/desk/reports", {
      method: "POST",
      ...as({
        service: "pothole",
        ...CHANGSHA,
        description: "A caller's hole",
        caller: { name: "W", phone: "13900000001" },
      }),
    });
    expect(filed.readOut.joined).toBeGreaterThan(0);
    await call("/api/desk/reports", "/api/desk/reports", { method: "POST", ...as({ service: "pothole" }) });
    await call("/api/desk/callers/reports", "/api/desk/callers/reports?phone=13900000001", as());
    await call("/api/admin/audit", "/api/admin/audit?subjectType=work_order", asAdmin());
    await call("/api/admin/audit", "/api/admin/audit", as());
    await call("/api/department/work-orders/{id}", `/api/department/work-orders/${workOrderId}`, as());
    await call("/api/auth/sign-out", "/api/auth/sign-out", { method: "POST", ...as() });
    await call("/api/auth/me", "/api/auth/me", as());
  }

  /** Street Bump mode's routes, on the pothole service fed by sensor spots. */
  async function checkSensorAnswers(
    // biome-ignore lint/suspicious/noExplicitAny: the answers are checked by the schema, then read
    call: (docPath: string, url: string, init?: RequestInit) => Promise<any>,
    json: (method: string, body: unknown, headers?: Record<string, string>) => RequestInit,
  ) {
    await call("/api/admin/services/{code}", "/api/admin/services/pothole", {
      method: "PUT",
      ...asAdmin({
        ...servicePut,
        sensor: { kinds: ["pothole"], minDevices: 2, minHitShare: 0.5, radiusM: 12 },
      }),
    });
    const spot = north(CHANGSHA, 500);
    const event = {
      at: "2026-03-01T07:59:00Z",
      ...spot,
      accuracyM: 4,
      speedMps: 10,
      headingDeg: 0,
      kind: "pothole",
      score: 0.9,
    };
    let answer: { spots: { id: string }[] } = { spots: [] };
    for (const deviceId of ["phone-1", "phone-2"]) {
      answer = await call(
        "/api/sensor/batches",
        "/api/sensor/batches",
        json(
          "POST",
          { deviceId, events: [event], cells: ["281941:1129823"] },
          { "idempotency-key": deviceId, ...fromResident(deviceId) },
        ),
      );
    }
    await call(
      "/api/sensor/batches",
      "/api/sensor/batches",
      json("POST", { deviceId: "x", events: [{ ...event, lat: 99 }] }),
    );
    const id = answer.spots[0]?.id as string;
    const { spot: view } = await call("/api/sensor/spots/{id}", `/api/sensor/spots/${id}`);
    expect(view.state).toBe("confirmed");
    await call("/api/sensor/spots/{id}", "/api/sensor/spots/nope");
    await call("/api/sensor/spots", "/api/sensor/spots?bbox=112,28,113,29&state=confirmed");
    await call("/api/clusters/{id}", `/api/clusters/${view.clusterId}`);
    const features = {
      type: "FeatureCollection",
      features: [
        {
          type: "Feature",
          geometry: { type: "Point", coordinates: [112.99, 28.2] },
          properties: { kind: "manhole" },
        },
      ],
    };
    await call("/api/admin/known-features", "/api/admin/known-features", {
      method: "POST",
      ...asAdmin(features),
    });
    const listed = await call("/api/admin/known-features", "/api/admin/known-features", asAdmin());
    await call("/api/sensor/known-features", "/api/sensor/known-features?bbox=112,28,113,29");
    await call("/api/admin/sensor/spots", "/api/admin/sensor/spots", asAdmin());
    await call("/api/admin/known-features/{id}", `/api/admin/known-features/${listed.features[0].id}`, {
      method: "DELETE",
      ...asAdmin(),
    });
  }

  it("matches the app's real answers, successes and errors, with the schemas it documents", async () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const checked = new Set<string>();
    /** Sends a request and checks its answer against the documented status, media type and schema. */
    const call = async (docPath: string, url: string, init: RequestInit = {}) => {
      const method = (init.method ?? "GET").toLowerCase();
      const res = await t.app.request(url, init);
      const where = `${method} ${url} → ${res.status}`;
      const answer = (
        paths[docPath]?.[method]?.responses as Record<string, { content?: Record<string, Json> }>
      )?.[res.status];
      expect(answer, `${where}: status not documented for ${docPath}`).toBeDefined();
      // A read that hands out an ETag answers it with a 304, which the document must say too.
      const tag = res.headers.get("etag");
      if (method === "get" && res.status === 200 && tag) {
        const again = await t.app.request(url, { ...init, headers: { "if-none-match": tag } });
        expect(again.status, `${where}: If-None-Match`).toBe(304);
        expect(
          (paths[docPath]?.get?.responses as Record<string, unknown> | undefined)?.["304"],
          `${where}: its 304 is not documented`,
        ).toBeDefined();
      }
      const type = (res.headers.get("content-type") ?? "").split(";")[0] as string;
      const text = await res.text();
      if (res.status === 204) return undefined;
      const media = answer?.content?.[type];
      expect(media, `${where}: ${type} not documented`).toBeDefined();
      if (!/json$/.test(type)) return text;
      const body = JSON.parse(text);
      const validate = ajv.compile({ components: doc.components, allOf: [media?.schema] });
      expect(validate(body), `${where}: ${ajv.errorsText(validate.errors)}\n${text.slice(0, 500)}`).toBe(
        true,
      );
      checked.add(`${method} ${docPath} ${res.status}`);
      return body;
    };
    const json = (method: string, body: unknown, headers: Record<string, string> = {}) => ({
      method,
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });

    await makeService(t, {
      attributes: [
        {
          code: "depth",
          datatype: "singlevaluelist",
          description: "How deep",
          order: 1,
          required: false,
          variable: true,
          values: [{ key: "s", name: "Shallow" }],
        },
      ],
    });
    await makeDepartment(t, { code: "roads", services: ["pothole"], area: squareAround(CHANGSHA, 5000) });
    const token = await departmentToken(t, "roads");
    const wo = await workOrderAt(t, CHANGSHA);
    const photo = await call("/api/photos", "/api/photos", {
      method: "POST",
      headers: { "content-type": "image/png" },
      body: tinyPng(),
    });
    const made = await call(
      "/api/reports",
      "/api/reports",
      json("POST", {
        ...CHANGSHA,
        service: "pothole",
        description: "Still a hole",
        attributes: { depth: "s" },
        photoIds: [photo.photo.id],
      }),
    );
    const reportId = made.report.id as string;
    const receipt = made.receipt as string;
    await call("/api/devices", "/api/devices", { method: "POST" });
    await call("/api/reports", "/api/reports", json("POST", { service: "pothole" }));
    // Refusals that say more than code, message and field: every attribute at fault, and a budget spent.
    const badAttribute = await call(
      "/api/reports",
      "/api/reports",
      json("POST", { ...CHANGSHA, service: "pothole", description: "Hole", attributes: { depth: "deep" } }),
    );
    expect(badAttribute.error.problems).toBeDefined();
    await call("/api/reports/{id}", `/api/reports/${reportId}`);
    await call("/api/reports/{id}", "/api/reports/nope");
    await call("/api/reports/{id}/rating", `/api/reports/${reportId}/rating`);
    await call("/api/reports/{id}/rating", `/api/reports/${reportId}/rating`, json("POST", { stars: 4 }));
    const rating = json("POST", { stars: 4, receipt });
    await call("/api/reports/{id}/rating", `/api/reports/${reportId}/rating`, rating);
    for (const to of ["acknowledged", "in_progress"]) await move(t, token, wo.id, { to });
    const moved = `/api/department/work-orders/${wo.id}/transitions`;
    await call("/api/department/work-orders/{id}/transitions", moved, {
      method: "POST",
      ...asToken(token, { to: "closed" }),
    });
    await call("/api/department/work-orders/{id}/transitions", moved, {
      method: "POST",
      ...asToken(token, { to: "resolved" }),
    });
    await call("/api/reports/{id}/rating", `/api/reports/${reportId}/rating`, rating);
    await call("/api/reports/{id}/rating", `/api/reports/${reportId}/rating`);
    await call("/api/clusters", "/api/clusters?bbox=112,28,113,29");
    await call("/api/clusters", "/api/clusters?bbox=1,2");
    await call("/api/clusters/{id}", `/api/clusters/${wo.clusterId}`);
    const reopen = `/api/clusters/${wo.clusterId}/reopen`;
    await call("/api/clusters/{id}/reopen", reopen, { method: "POST" });
    await call("/api/clusters/{id}/reopen", reopen, json("POST", { receipt: wo.receipts[0] }));
    await call("/api/clusters/{id}/reopen", reopen, json("POST", { receipt: wo.receipts[0] }));
    await call("/api/map", "/api/map?bbox=112,28,113,29&zoom=16");
    await call("/api/map", "/api/map?bbox=100,20,125,40&zoom=3");
    await call("/api/photos", `/api/photos?cluster=${wo.clusterId}`);
    await call("/api/photos/{id}", `/api/photos/${photo.photo.id}`);
    await call("/api/photos/{id}/thumbnail", `/api/photos/${photo.photo.id}/thumbnail`);
    await call("/api/services", "/api/services");
    await call("/api/departments", "/api/departments");
    await call("/api/stats/departments", "/api/stats/departments");
    await call("/api/stats/departments", "/api/stats/departments?period=365d");
    await call("/api/stats/departments", "/api/stats/departments?period=7d");
    await call("/api/stats/departments.csv", "/api/stats/departments.csv?period=90d");
    await call("/api/stats/definitions.csv", "/api/stats/definitions.csv");
    await call("/api/stats/areas", "/api/stats/areas?period=90d");
    await call("/api/stats/overdue", "/api/stats/overdue");
    const behind = "/api/stats/departments/{code}/work-orders";
    await call(behind, "/api/stats/departments/roads/work-orders?figure=onTimeShare&period=90d");
    await call(behind, "/api/stats/departments/roads/work-orders?figure=satisfiedShare");
    await call(behind, "/api/stats/departments/roads/work-orders?figure=speed");
    await call(behind, "/api/stats/departments/nowhere/work-orders?figure=open");
    await call("/api/stats/trends", "/api/stats/trends?period=90d");
    await call("/api/stats/trends", "/api/stats/trends?department=nowhere");
    await call("/api/config", "/api/config");
    await call("/api/catalog", "/api/catalog");
    await call("/api/routing", "/api/routing?service=pothole&lat=28.195&lon=112.99");
    await call("/api/routing", "/api/routing?service=pothole&lat=north&lon=112.99");
    await call("/api/routing", "/api/routing?service=nothing_here&lat=28.1&lon=112.9");
    for (const name of ["clusters", "work-orders"]) {
      await call(`/api/exports/${name}.geojson`, `/api/exports/${name}.geojson`);
      await call(`/api/exports/${name}.csv`, `/api/exports/${name}.csv`);
    }
    const follows = `/api/clusters/${wo.clusterId}/follows`;
    await call("/api/clusters/{id}/follows", follows, json("POST", { email: "a@example.com", lang: "en" }));
    await call("/api/clusters/{id}/follows", follows, json("POST", { lang: "en" }));
    await call("/api/follows/confirm", "/api/follows/confirm?token=fc_0123456789abcdefghijk");
    await call("/api/follows/unsubscribe", "/api/follows/unsubscribe?token=short");
    await call("/api/feeds/clusters/{id}", `/api/feeds/clusters/${wo.clusterId}.atom`);
    await call("/api/feeds/clusters/{id}", "/api/feeds/clusters/nope.atom");
    await call("/api/feeds/area.atom", "/api/feeds/area.atom?bbox=112,28,113,29&service=pothole");
    await call("/api/feeds/area.atom", "/api/feeds/area.atom?bbox=1,2");
    await call("/api/feeds/departments/{code}", "/api/feeds/departments/roads.atom");
    await call("/api/feeds/departments/{code}", "/api/feeds/departments/nope.atom");
    await call("/api/department/me", "/api/department/me", asToken(token));
    await call("/api/department/me", "/api/department/me");
    await call("/api/department/work-orders", "/api/department/work-orders?status=open,done", asToken(token));
    await call("/api/department/work-orders/{id}", `/api/department/work-orders/${wo.id}`, asToken(token));
    await call("/api/admin/work-orders", "/api/admin/work-orders", asAdmin());
    await call("/api/admin/work-orders", "/api/admin/work-orders", asToken("wrong-token-0123456789"));
    await call("/api/admin/work-orders/{id}/reroute", `/api/admin/work-orders/${wo.id}/reroute`, {
      method: "POST",
      ...asAdmin({ department: "roads" }),
    });
    await call("/api/admin/departments/{code}/tokens", "/api/admin/departments/roads/tokens", asAdmin());
    await call("/api/admin/outbox/dead", "/api/admin/outbox/dead", asAdmin());
    await call("/api/flags", "/api/flags", json("POST", { target: "report", id: reportId, reason: "spam" }));
    await call("/api/flags", "/api/flags", json("POST", { target: "photo", id: "nope", reason: "spam" }));
    await call("/api/admin/flags", "/api/admin/flags", asAdmin());
    for (const action of ["hide", "restore"]) {
      const path = `/api/admin/moderation/reports/{id}/${action}`;
      await call(path, path.replace("{id}", reportId), { method: "POST", ...asAdmin() });
    }
    const photoHide = "/api/admin/moderation/photos/{id}/hide";
    await call(photoHide, photoHide.replace("{id}", "nope"), { method: "POST", ...asAdmin() });
    const block = "/api/admin/moderation/reports/{id}/block-reporter";
    await call(block, block.replace("{id}", reportId), { method: "POST", ...asAdmin() });
    await call(block, block.replace("{id}", reportId), { method: "DELETE", ...asAdmin() });
    const key = await call("/api/admin/api-keys", "/api/admin/api-keys", {
      method: "POST",
      ...asAdmin({ name: "app" }),
    });
    await call("/api/admin/api-keys", "/api/admin/api-keys", asAdmin());
    await call("/api/admin/services", "/api/admin/services", asAdmin());
    await call("/api/admin/departments", "/api/admin/departments", asAdmin());
    await call("/api/admin/departments/{code}", "/api/admin/departments/roads", {
      method: "PUT",
      ...asAdmin({
        name: { en: "Roads", zh: "道路" },
        services: ["pothole"],
        webhookUrl: "https://example.org/hook",
      }),
    });
    await call("/api/admin/services/{code}", "/api/admin/services/pothole", {
      method: "PUT",
      ...asAdmin(servicePut),
    });
    for (const format of ["json", "xml"]) {
      const o = (p: string) => `/open311/v2/${p}`;
      await call(o(`discovery.${format}`), o(`discovery.${format}`));
      await call(o(`services.${format}`), o(`services.${format}`));
      await call(o("services/{service_code}"), o(`services/pothole.${format}`));
      await call(o(`requests.${format}`), o(`requests.${format}?extensions=true`));
      await call(o("requests/{id}"), o(`requests/${reportId}.${format}`));
      await call(o("requests/{id}"), o(`requests/nope.${format}`));
      await call(o("tokens/{token}"), o(`tokens/${reportId}.${format}`));
      await call(o(`servicerequestupdates.${format}`), o(`servicerequestupdates.${format}`));
      await call(o(`requests.${format}`), o(`requests.${format}`), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          api_key: key.key,
          service_code: "pothole",
          lat: "28.2",
          long: "112.9",
          description: "hole",
        }).toString(),
      });
      await call(o(`requests.${format}`), o(`requests.${format}`), {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: "api_key=wrong",
      });
    }
    await call("/api/admin/api-keys/{id}", `/api/admin/api-keys/${key.apiKey.id}`, {
      method: "DELETE",
      ...asAdmin(),
    });
    await checkStaffAnswers(call, json, wo.id);
    await checkSensorAnswers(call, json);
    await call("/healthz", "/healthz");
    await call("/readyz", "/readyz");
    // Enough of the document is checked against real answers to catch a schema that drifted.
    expect(checked.size).toBeGreaterThan(45);
  });
});
