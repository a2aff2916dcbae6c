import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { envSchema } from "../src/env";
import { ADMIN_TOKEN, makeTestApp, type TestApp } from "./support/app";
import { asAdmin, CHANGSHA, makeService } from "./support/fixtures";

const good = { service: "pothole", lat: CHANGSHA.lat, lon: CHANGSHA.lon, description: "A hole" };

describe("rejected input", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp();
    await makeService(t);
  });

  const written = async () =>
    (
      await t.db.all<{ n: number }>(sql`SELECT
        (SELECT count(*) FROM reports) + (SELECT count(*) FROM clusters) + (SELECT count(*) FROM events)
        + (SELECT count(*) FROM work_orders) + (SELECT count(*) FROM idempotency_keys) AS n`)
    )[0]?.n;

  const post = (body: string, headers: Record<string, string> = { "content-type": "application/json" }) =>
    t.app.request("/api/reports", { method: "POST", headers, body });

  const cases: [string, string, number, string, string?][] = [
    [
      "missing coordinates",
      JSON.stringify({ service: "pothole", description: "x" }),
      400,
      "invalid_field",
      "lat",
    ],
    ["latitude out of range", JSON.stringify({ ...good, lat: 91 }), 400, "invalid_field", "lat"],
    ["longitude out of range", JSON.stringify({ ...good, lon: -181 }), 400, "invalid_field", "lon"],
    ["coordinates as strings", JSON.stringify({ ...good, lat: "28.19" }), 400, "invalid_field", "lat"],
    // What a phone without a position fix sends: no place at all, not the Gulf of Guinea.
    ["exactly 0,0", JSON.stringify({ ...good, lat: 0, lon: 0 }), 400, "invalid_field", "lat"],
    ["unknown service", JSON.stringify({ ...good, service: "volcano" }), 400, "unknown_service", "service"],
    [
      "empty description",
      JSON.stringify({ ...good, description: "   " }),
      400,
      "invalid_field",
      "description",
    ],
    [
      "over-long description",
      JSON.stringify({ ...good, description: "x".repeat(4001) }),
      400,
      "invalid_field",
      "description",
    ],
    [
      "description of the wrong type",
      JSON.stringify({ ...good, description: 42 }),
      400,
      "invalid_field",
      "description",
    ],
    [
      "bad e-mail",
      JSON.stringify({ ...good, contact: { email: "not-an-address" } }),
      400,
      "invalid_field",
      "contact.email",
    ],
    [
      "a source only Open311 may set",
      JSON.stringify({ ...good, source: "open311" }),
      400,
      "invalid_field",
      "source",
    ],
    [
      "an answer named __proto__, which no copy of an object keeps",
      '{"service":"pothole","lat":28.19,"lon":112.98,"description":"A hole","attributes":{"__proto__":"deep"}}',
      400,
      "invalid_field",
      "attributes.__proto__",
    ],
    [
      "a __proto__ at the top, even written with an escape",
      '{"service":"pothole","lat":28.19,"lon":112.98,"description":"A hole","\\u005f_proto__":{"admin":true}}',
      400,
      "invalid_field",
      "__proto__",
    ],
    [
      "JSON nested deeper than any report (8,000 levels in 16 KB), which no walk by recursion survives",
      `{"service":"pothole","lat":28.19,"lon":112.98,"attributes":{"a":${"[".repeat(8000)}${"]".repeat(8000)}}}`,
      400,
      "invalid_json",
      `attributes.a${".0".repeat(30)}`,
    ],
    ["a JSON array", "[]", 400, "invalid_field", "body"],
    ["malformed JSON", '{"service": ', 400, "invalid_json", "body"],
  ];

  it.each(cases)("%s", async (_name, body, status, code, field) => {
    const res = await post(body);
    expect(res.status).toBe(status);
    const json = (await res.json()) as { error: { code: string; message: string; field?: string } };
    expect(json.error.code).toBe(code);
    expect(json.error.message.length).toBeGreaterThan(0);
    if (field) expect(json.error.field).toBe(field);
    expect(await written()).toBe(0);
  });

  it("says what is wrong in plain words a resident reads on the English page, not zod's", async () => {
    const says = async (body: unknown) =>
      ((await (await post(JSON.stringify(body))).json()) as { error: { message: string } }).error.message;
    expect(await says({ ...good, description: "x".repeat(4001) })).toBe(
      "description: is too long: at most 4000 characters",
    );
    expect(await says({ ...good, lat: "28.19" })).toBe("lat: must be a number, not text");
    expect(await says({ ...good, lat: 91 })).toBe("lat: is too large: at most 90");
    // JSON's 1e400 reads as Infinity: it had been "must be a number, not not a finite number".
    const huge = await post(JSON.stringify({ ...good, lat: 1 }).replace('"lat":1', '"lat":1e400'));
    expect(((await huge.json()) as { error: { message: string } }).error.message).toBe(
      "lat: must be a number, not a number out of range",
    );
    // Text read as a number that is none (a Worker's setting `MAX_BODY_BYTES=abc`) is said so, not "out of range".
    expect(
      envSchema.pick({ MAX_BODY_BYTES: true }).safeParse({ MAX_BODY_BYTES: "abc" }).error?.issues[0]?.message,
    ).toBe("must be a number");
    expect(await says({ service: "pothole", lat: 28.19, lon: 112.98 })).toBe("description: is required");
    // What a form's empty number field sends (NaN in JSON), and a Java or .NET client an empty field.
    expect(await says({ ...good, lat: null })).toBe("lat: is required");
    expect(await says({ ...good, contact: { email: null } })).toBe(
      "contact.email: must be text, not null: leave it out to give none",
    );
    expect(await says({ ...good, deviceId: null })).toBe(
      "deviceId: must be text, not null: leave it out to give none",
    );
    expect(await says({ ...good, contact: { email: "not-an-address" } })).toBe(
      "contact.email: is not an e-mail address",
    );
    expect(await says({ ...good, source: "open311" })).toMatch(/^source: must be one of "web", /);
    expect(await written()).toBe(0);
  });

  it("refuses a body that is not JSON with 415", async () => {
    const res = await post("service=pothole", { "content-type": "application/x-www-form-urlencoded" });
    expect(res.status).toBe(415);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("unsupported_media_type");
    expect(await written()).toBe(0);
  });

  it("refuses JSON in another charset, or compressed, with 415 naming the header, and takes UTF-8 however it is named", async () => {
    for (const [headers, field] of [
      [{ "content-type": "application/json; charset=utf-16" }, "Content-Type"],
      [{ "content-type": 'application/json; charset="iso-8859-1"' }, "Content-Type"],
      [{ "content-type": "application/json", "content-encoding": "gzip" }, "Content-Encoding"],
    ] as const) {
      const res = await post(JSON.stringify(good), headers);
      expect(res.status, JSON.stringify(headers)).toBe(415);
      expect(((await res.json()) as { error: { field: string } }).error.field).toBe(field);
    }
    // UTF-8 by any of its names is read: past the type, to the field it gets wrong.
    for (const type of ["application/json; charset=UTF-8", 'application/json;charset="utf8"']) {
      const res = await post(JSON.stringify({ ...good, lat: 91 }), { "content-type": type });
      expect(((await res.json()) as { error: { field: string } }).error.field, type).toBe("lat");
    }
    expect(await written()).toBe(0);
  });

  it("says what an answer or a dispatch method may be, rather than zod's 'Invalid input'", async () => {
    for (const [value, says] of [
      [null, "attributes.depth: must be text, a number or a list, not null"],
      [{ a: 1 }, "attributes.depth: must be text, a number or a list, not an object"],
      [true, "attributes.depth: must be text, a number or a list, not true"],
      [[1, 2], "attributes.depth: item 1: must be text, not a number"],
    ] as const) {
      const res = await post(JSON.stringify({ ...good, attributes: { depth: value } }));
      expect(res.status, JSON.stringify(value)).toBe(400);
      const { error } = (await res.json()) as { error: { field: string; message: string } };
      expect([error.field, error.message]).toEqual(["attributes.depth", says]);
    }
    const department = await t.app.request("/api/admin/departments", {
      method: "POST",
      ...asAdmin({
        code: "roads",
        name: { en: "Roads", zh: "道路" },
        services: ["pothole"],
        dispatch: { a: 1 },
      }),
    });
    expect(department.status).toBe(400);
    expect(((await department.json()) as { error: { message: string } }).error.message).toBe(
      'dispatch.method: must be one of "webhook", "open311", "email"',
    );
    expect(await written()).toBe(0);
  });

  it("refuses a body over the size limit with 413", async () => {
    const res = await post(JSON.stringify({ ...good, description: "x".repeat(70_000) }));
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe("payload_too_large");
    expect(await written()).toBe(0);
  });

  describe("the admin API", () => {
    const service = {
      code: "noise",
      name: { en: "Noise", zh: "噪声" },
      radiusM: 100,
      windowDays: 2,
      threshold: 5,
      ackHours: 4,
      resolveHours: 24,
    };
    const createService = (headers: Record<string, string>, body: unknown = service) =>
      t.app.request("/api/admin/services", { method: "POST", headers, body: JSON.stringify(body) });

    it("answers 401 without a token and 403 with a wrong one", async () => {
      const none = await createService({ "content-type": "application/json" });
      expect(none.status).toBe(401);
      const wrong = await createService({
        "content-type": "application/json",
        authorization: "Bearer nope-nope-nope",
      });
      expect(wrong.status).toBe(403);
      const list = await t.app.request("/api/admin/work-orders");
      expect(list.status).toBe(401);
      expect(((await none.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
    });

    it("validates services and departments field by field", async () => {
      const auth = { "content-type": "application/json", authorization: `Bearer ${ADMIN_TOKEN}` };
      const bad = await createService(auth, { ...service, threshold: 0 });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { field: string } }).error.field).toBe("threshold");
      const order = await createService(auth, { ...service, ackHours: 48, resolveHours: 24 });
      expect(((await order.json()) as { error: { field: string } }).error.field).toBe("resolveHours");
      const dupe = await createService(auth, { ...service, code: "pothole" });
      expect(dupe.status).toBe(409);

      const dept = (body: unknown) =>
        t.app.request("/api/admin/departments", { method: "POST", ...asAdmin(body) });
      const unknown = await dept({ code: "roads", name: { en: "Roads", zh: "道路" }, services: ["volcano"] });
      expect(unknown.status).toBe(400);
      expect(((await unknown.json()) as { error: { field: string } }).error.field).toBe("services");
      const openRing = await dept({
        code: "roads",
        name: { en: "Roads", zh: "道路" },
        services: ["pothole"],
        area: {
          type: "Polygon",
          coordinates: [
            [
              [112, 28],
              [113, 28],
              [113, 29],
              [112, 29],
            ],
          ],
        },
      });
      expect(openRing.status).toBe(400);
      expect(((await openRing.json()) as { error: { field: string } }).error.field).toMatch(/^area/);
      const missing = await t.app.request("/api/admin/services/volcano", {
        method: "PUT",
        ...asAdmin({
          name: { en: "V", zh: "V" },
          radiusM: 1,
          windowDays: 1,
          threshold: 1,
          ackHours: 1,
          resolveHours: 1,
        }),
      });
      expect(missing.status).toBe(404);
    });

    it("names a field a request does not take, as a department token's `name` (it is `label`)", async () => {
      const dept = await t.app.request("/api/admin/departments", {
        method: "POST",
        ...asAdmin({ code: "parks", name: { en: "Parks", zh: "园林" }, services: ["pothole"] }),
      });
      expect(dept.status).toBe(201);
      const token = (body: unknown) =>
        t.app.request("/api/admin/departments/parks/tokens", { method: "POST", ...asAdmin(body) });
      const named = await token({ name: "night shift" });
      expect(named.status).toBe(400);
      expect(await named.json()).toMatchObject({
        error: { field: "name", message: "name: is not a field this request takes" },
      });
      expect((await token({ label: "night shift" })).status).toBe(201);
    });
  });

  it("rejects a bad bounding box with 400 naming it", async () => {
    for (const bbox of [
      "",
      "1,2,3",
      "113,28,112,29",
      "a,b,c,d",
      "0,0,200,10",
      ",,,",
      "112,28,,29",
      "0x70,28,113,29",
    ]) {
      const res = await t.app.request(`/api/clusters?bbox=${bbox}`);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { field: string } }).error.field).toBe("bbox");
    }
    expect((await t.app.request("/api/clusters")).status).toBe(400);
  });

  it("answers 404 as JSON for unknown reports, clusters and routes", async () => {
    for (const path of ["/api/reports/nope", "/api/clusters/nope", "/api/nothing-here"]) {
      const res = await t.app.request(path);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("not_found");
    }
  });

  it("says 0,0 is no location, as a phone without a position fix sends it", async () => {
    const res = await post(JSON.stringify({ ...good, lat: 0, lon: 0 }));
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe(
      "lat: is no location (0,0 is what a phone without a position fix sends)",
    );
    // Only the exact pair: a point on the equator or the prime meridian is a place (written last:
    // the tests above count on nothing written).
    for (const at of [
      { lat: 0, lon: 0.0001 },
      { lat: -0.0001, lon: 0 },
    ])
      expect((await post(JSON.stringify({ ...good, ...at }))).status, JSON.stringify(at)).toBe(201);
  });
});

describe("an optional JSON body", () => {
  it("holds an optional body to what every JSON body is: none is taken, one compressed or in another charset is a 415", async () => {
    const t = await makeTestApp();
    await makeService(t);
    const reported = await t.app.request("/api/reports", {
      method: "POST",
      headers: { "content-type": "application/json", "x-forwarded-for": "10.77.0.1" },
      body: JSON.stringify(good),
    });
    const { report } = (await reported.json()) as { report: { id: string } };
    const block = (body: string | undefined, headers: Record<string, string>) =>
      t.app.request(`/api/admin/moderation/reports/${report.id}/block-reporter`, {
        method: "POST",
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, ...headers },
        ...(body === undefined ? {} : { body }),
      });
    for (const [headers, field] of [
      [{ "content-type": "application/json", "content-encoding": "br" }, "Content-Encoding"],
      [{ "content-type": "application/json; charset=iso-8859-1" }, "Content-Type"],
      [{ "content-type": "text/plain" }, "Content-Type"],
    ] as const) {
      const res = await block('{"days":7}', headers);
      expect(res.status, JSON.stringify(headers)).toBe(415);
      expect(((await res.json()) as { error: { field: string } }).error.field).toBe(field);
    }
    const unblocked = await t.app.request(`/api/admin/moderation/reports/${report.id}/block-reporter`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    expect(((await unblocked.json()) as { blocked: boolean }).blocked).toBe(false);
    for (const [body, headers] of [
      [undefined, {}],
      ["", { "content-type": "text/plain" }],
      ['{"days":7}', { "content-type": "application/json" }],
    ] as const)
      expect((await block(body, headers)).status, String(body)).toBe(200);
  });
});
