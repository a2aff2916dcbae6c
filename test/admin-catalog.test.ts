/**
 * The admin console's lists (`GET /api/admin/services`, `GET /api/admin/departments`): admin only,
 * inactive services included, a department's webhook address and population but never its secret;
 * and the edits the console sends (`PUT`) refused with the field named, nothing half-written.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { servicesChangedAt } from "../src/store/services";
import { makeTestApp, type TestApp } from "./support/app";
import { asAdmin, CHANGSHA, makeService, POTHOLE_SERVICE, reportAt, squareAround } from "./support/fixtures";

/** A ring whose edges cross: corners clicked across, not around. */
const BOW_TIE = [
  [112.97, 28.19],
  [112.99, 28.21],
  [112.99, 28.19],
  [112.97, 28.21],
  [112.97, 28.19],
];

/** How many entries the admin's audit trail holds. */
const trailLength = async (t: TestApp) =>
  (
    (await (await t.app.request("/api/admin/audit?limit=200", asAdmin())).json()) as {
      actions: unknown[];
    }
  ).actions.length;

describe("the admin's lists", () => {
  let t: TestApp;
  let secret: string;
  beforeAll(async () => {
    t = await makeTestApp({ config: { allowPrivateWebhooks: true } });
    await makeService(t);
    await makeService(t, { code: "graffiti", name: { en: "Graffiti", zh: "涂鸦" }, active: false });
    const res = await t.app.request("/api/admin/departments", {
      method: "POST",
      ...asAdmin({
        code: "roads",
        name: { en: "Roads", zh: "道路" },
        services: ["pothole"],
        area: squareAround(CHANGSHA, 1000),
        population: 12000,
        webhookUrl: "https://roads.example.org/hook",
      }),
    });
    expect(res.status).toBe(201);
    secret = ((await res.json()) as { webhookSecret: string }).webhookSecret;
  });

  for (const path of ["/api/admin/services", "/api/admin/departments"]) {
    it(`${path}: 401 without a token, 403 with a wrong one`, async () => {
      expect((await t.app.request(path)).status).toBe(401);
      const wrong = await t.app.request(path, { headers: { authorization: "Bearer not-the-admin-token-0" } });
      expect(wrong.status).toBe(403);
      expect(await wrong.json()).toMatchObject({ error: { code: "forbidden" } });
    });
  }

  it("lists inactive services, which the public catalogue leaves out", async () => {
    const admin = await (await t.app.request("/api/admin/services", asAdmin())).json();
    expect(admin.services.map((s: { code: string }) => s.code)).toEqual(["graffiti", "pothole"]);
    expect(admin.services[0]).toMatchObject({ active: false, attributes: [], sensor: null });
    const open = await (await t.app.request("/api/services")).json();
    expect(open.services.map((s: { code: string }) => s.code)).toEqual(["pothole"]);
    // The web app's catalogue names the withdrawn ones apart, for the problems reported before:
    // one never reported under (graffiti, made withdrawn) is not offered in the map's filter.
    const litter = await makeService(t, { code: "litter", name: { en: "Litter", zh: "垃圾" } });
    await reportAt(t, CHANGSHA, { service: "litter" });
    const withdrawn = await t.app.request("/api/admin/services/litter", {
      method: "PUT",
      ...asAdmin({ ...litter, active: false }),
    });
    expect(withdrawn.status).toBe(200);
    const catalog = await (await t.app.request("/api/catalog")).json();
    expect(catalog.services.map((s: { code: string }) => s.code)).toEqual(["pothole"]);
    expect(catalog.retiredServices).toEqual([{ code: "litter", name: { en: "Litter", zh: "垃圾" } }]);
  });

  it("shows a department's webhook address and population, never its secret", async () => {
    const res = await t.app.request("/api/admin/departments", asAdmin());
    const body = await res.text();
    expect(body).not.toContain(secret);
    const [roads] = JSON.parse(body).departments;
    expect(roads).toMatchObject({
      code: "roads",
      population: 12000,
      webhookUrl: "https://roads.example.org/hook",
      hasWebhookSecret: true,
      services: ["pothole"],
    });
    expect(roads.area.type).toBe("Polygon");
  });

  it("answers a saved department as the list reads it back, so a PUT of that answer keeps its webhook", async () => {
    const listed = async () =>
      (await (await t.app.request("/api/admin/departments", asAdmin())).json()).departments.find(
        (d: { code: string }) => d.code === "roads",
      );
    const before = await listed();
    // An integrator edits what the last save answered: only the population changes.
    const first = await t.app.request("/api/admin/departments/roads", { method: "PUT", ...asAdmin(before) });
    expect(first.status).toBe(200);
    const { department } = (await first.json()) as { department: Record<string, unknown> };
    expect(department).toEqual(before);
    const again = await t.app.request("/api/admin/departments/roads", {
      method: "PUT",
      ...asAdmin({ ...department, population: 13000 }),
    });
    expect(again.status).toBe(200);
    expect(await listed()).toEqual({ ...before, population: 13000 });
    await t.app.request("/api/admin/departments/roads", { method: "PUT", ...asAdmin(before) });
  });

  it("refuses an edit naming the field, and leaves the record as it was", async () => {
    const put = (path: string, body: unknown) => t.app.request(path, { method: "PUT", ...asAdmin(body) });
    const cases: [string, unknown, string][] = [
      ["/api/admin/services/pothole", { ...POTHOLE_SERVICE, code: undefined, threshold: 0 }, "threshold"],
      [
        "/api/admin/services/pothole",
        { ...POTHOLE_SERVICE, code: undefined, ackHours: 48, resolveHours: 24 },
        "resolveHours",
      ],
      // The code comes from the path: a body's other code would rename the service, which a PUT cannot.
      ["/api/admin/services/pothole", { ...POTHOLE_SERVICE, code: "kerb" }, "code"],
      // Open311's keywords are one comma-separated list: "a,b" would come out as two keywords.
      [
        "/api/admin/services/pothole",
        { ...POTHOLE_SERVICE, code: undefined, keywords: ["a,b", "c"] },
        "keywords.0",
      ],
      [
        "/api/admin/departments/roads",
        { name: { en: "Roads", zh: "道路" }, area: { type: "Polygon", coordinates: [[[1, 2]]] } },
        "area.coordinates.0",
      ],
      // Reports are routed by the area: a bow tie (corners in the wrong order), a ring on one line,
      // or a MultiPolygon part crossing itself routes by accident, so it is refused where it is.
      [
        "/api/admin/departments/roads",
        { name: { en: "Roads", zh: "道路" }, area: { type: "Polygon", coordinates: [BOW_TIE] } },
        "area.coordinates.0",
      ],
      [
        "/api/admin/departments/roads",
        {
          name: { en: "Roads", zh: "道路" },
          area: {
            type: "Polygon",
            coordinates: [
              [
                [113, 28],
                [113.01, 28.01],
                [113.02, 28.02],
                [113, 28],
              ],
            ],
          },
        },
        "area.coordinates.0",
      ],
      [
        "/api/admin/departments/roads",
        {
          name: { en: "Roads", zh: "道路" },
          area: { type: "MultiPolygon", coordinates: [squareAround(CHANGSHA, 1000).coordinates, [BOW_TIE]] },
        },
        "area.coordinates.1.0",
      ],
      // A strip across the antimeridian, its edges read the long way round the world.
      [
        "/api/admin/departments/roads",
        {
          name: { en: "Roads", zh: "道路" },
          area: {
            type: "Polygon",
            coordinates: [
              [
                [179, 10],
                [-179, 10],
                [-179, 11],
                [179, 11],
                [179, 10],
              ],
            ],
          },
        },
        "area.coordinates.0",
      ],
      // Sound rings that do not fit together: a hole outside its ring, two parts over each other.
      [
        "/api/admin/departments/roads",
        {
          name: { en: "Roads", zh: "道路" },
          area: {
            type: "Polygon",
            coordinates: [
              ...squareAround(CHANGSHA, 1000).coordinates,
              ...squareAround({ lat: CHANGSHA.lat + 0.1, lon: CHANGSHA.lon }, 100).coordinates,
            ],
          },
        },
        "area.coordinates.1",
      ],
      [
        "/api/admin/departments/roads",
        {
          name: { en: "Roads", zh: "道路" },
          area: {
            type: "MultiPolygon",
            coordinates: [squareAround(CHANGSHA, 1000).coordinates, squareAround(CHANGSHA, 500).coordinates],
          },
        },
        "area.coordinates.1",
      ],
      ["/api/admin/departments/roads", { name: { en: "", zh: "道路" } }, "name.en"],
      // A name heads mail subjects: a line break there would start a header of its own.
      [
        "/api/admin/departments/roads",
        { name: { en: "Roads", zh: "道路\r\nBcc: x@example.org" } },
        "name.zh",
      ],
      // Read back, a department names its code: taken only as the path's.
      ["/api/admin/departments/roads", { code: "elsewhere", name: { en: "Roads", zh: "道路" } }, "code"],
    ];
    for (const [path, body, field] of cases) {
      const res = await put(path, body);
      expect(res.status, field).toBe(400);
      expect(((await res.json()) as { error: { field: string } }).error.field, path).toBe(field);
    }
    const after = await (await t.app.request("/api/admin/departments", asAdmin())).json();
    expect(after.departments[0]).toMatchObject({ population: 12000, name: { en: "Roads" } });
    const services = await (await t.app.request("/api/admin/services", asAdmin())).json();
    expect(services.services[1]).toMatchObject({ threshold: 3, ackHours: 24 });
  });

  it("says a GeoJSON position is [longitude, latitude] when an area's latitudes are out of range", async () => {
    // Changsha's square written [latitude, longitude], as a spreadsheet's columns often are.
    const swapped = squareAround(CHANGSHA, 1000).coordinates.map((ring) =>
      ring.map(([lon, lat]) => [lat, lon]),
    );
    const res = await t.app.request("/api/admin/departments/roads", {
      method: "PUT",
      ...asAdmin({ name: { en: "Roads", zh: "道路" }, area: { type: "Polygon", coordinates: swapped } }),
    });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { field: string; message: string } };
    expect(error.field).toBe("area.coordinates.0.0.1");
    expect(error.message).toContain("GeoJSON writes [longitude, latitude]");
  });

  it("takes a service as the admin reads it back, its code the path's", async () => {
    await makeService(t, {
      code: "streetlight",
      name: { en: "Streetlight out", zh: "路灯不亮" },
      keywords: ["lamp"],
      askAfterDays: 5,
      attributes: [
        {
          code: "pole",
          datatype: "string",
          required: true,
          variable: true,
          description: "Pole number",
          order: 1,
        },
        {
          code: "height",
          datatype: "number",
          required: false,
          variable: true,
          description: "How high?",
          order: 2,
          min: 1,
          max: 20,
        },
        {
          code: "kind",
          datatype: "singlevaluelist",
          required: false,
          variable: true,
          description: "Which lamp?",
          order: 3,
          values: [{ key: "led", name: "LED" }],
        },
      ],
      sensor: { kinds: ["pothole"], minDevices: 2, minHitShare: 0.5, radiusM: 12 },
    });
    const readBack = async () =>
      (
        (await (await t.app.request("/api/admin/services", asAdmin())).json()) as {
          services: { code: string }[];
        }
      ).services.find((s) => s.code === "streetlight");
    const before = await readBack();
    const res = await t.app.request("/api/admin/services/streetlight", { method: "PUT", ...asAdmin(before) });
    expect(res.status, await res.clone().text()).toBe(200);
    expect((await res.json()).service).toEqual(before);
    expect(await readBack()).toEqual(before);
  });

  it("refuses a keyword with a comma on create, which Open311 would show as two keywords", async () => {
    const create = (keywords: string[]) =>
      t.app.request("/api/admin/services", {
        method: "POST",
        ...asAdmin({ ...POTHOLE_SERVICE, code: "kerb", keywords }),
      });
    const res = await create(["a,b", "c"]);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { field: string } }).error.field).toBe("keywords.0");
    expect((await t.app.request("/open311/v2/services/kerb.json")).status).toBe(404);
    expect((await create(["a b", "c"])).status).toBe(201);
    const services = await (await t.app.request("/open311/v2/services.json")).json();
    expect(services.find((s: { service_code: string }) => s.service_code === "kerb").keywords).toBe("a b,c");
  });

  it("writes nothing for a service saved as it was: no audit entry, no new changeset for Open311 clients", async () => {
    const read = async () => {
      const { services } = await (await t.app.request("/api/admin/services", asAdmin())).json();
      return services.find((s: { code: string }) => s.code === "pothole");
    };
    // Discovery's changeset is the later of this and the interface's own change.
    const changeset = () => servicesChangedAt(t.db);
    const save = (body: unknown) =>
      t.app.request("/api/admin/services/pothole", { method: "PUT", ...asAdmin(body) });
    const service = await read();
    const [before, entries] = [await changeset(), await trailLength(t)];
    t.clock.advance(60_000);
    const same = await save(service);
    expect(same.status).toBe(200);
    expect((await same.json()).service).toEqual(service);
    expect(await changeset()).toBe(before);
    expect(await trailLength(t)).toBe(entries);
    // A change is written, as always.
    t.clock.advance(60_000);
    expect((await save({ ...service, windowDays: service.windowDays + 1 })).status).toBe(200);
    expect(await changeset()).not.toBe(before);
    expect(await trailLength(t)).toBe(entries + 1);
  });

  it("writes nothing for a department saved as it was, and an entry for each real change", async () => {
    const read = async () =>
      (await (await t.app.request("/api/admin/departments", asAdmin())).json()).departments.find(
        (d: { code: string }) => d.code === "roads",
      );
    const save = (body: unknown) =>
      t.app.request("/api/admin/departments/roads", { method: "PUT", ...asAdmin(body) });
    const department = await read();
    const entries = await trailLength(t);
    t.clock.advance(60_000);
    const same = await save(department);
    expect(same.status).toBe(200);
    expect((await same.json()).department).toEqual(department);
    expect(await trailLength(t)).toBe(entries);
    // Who takes what is part of the department: a service's fallback alone is a change.
    t.clock.advance(60_000);
    expect((await save({ ...department, fallbackFor: ["pothole"] })).status).toBe(200);
    expect(await trailLength(t)).toBe(entries + 1);
    expect((await save(department)).status).toBe(200);
    expect(await trailLength(t)).toBe(entries + 2);
    expect(await read()).toEqual(department);
  });
});
