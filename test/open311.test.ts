/**
 * GeoReport v2 in JSON: every resource, every filter and the error cases, each answer checked
 * against the official GeoReport v2 JSON Schemas (loaded from ../shared/open311/schemas).
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { makeClock, makeTestApp, type TestApp } from "./support/app";
import {
  asAdmin,
  CHANGSHA,
  east,
  makeDepartment,
  makeService,
  POTHOLE_SERVICE,
  roadFeature,
  squareAround,
} from "./support/fixtures";

const SCHEMAS = resolve(import.meta.dirname, "../../shared/open311/schemas");
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
for (const name of ["request", "requests", "service", "services", "service-definition"]) {
  ajv.addSchema(JSON.parse(readFileSync(resolve(SCHEMAS, `${name}.json`), "utf8")), `${name}.json`);
}
function expectValid(schema: string, body: unknown) {
  const validate = ajv.getSchema(`${schema}.json`);
  if (!validate) throw new Error(`no schema ${schema}`);
  const ok = validate(body);
  expect(ok, `${schema}: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body, null, 2)}`).toBe(true);
}

/** Unique values planted in every private field; none may come back in any answer. */
const PRIVATE = {
  email: "o311.private.marker@example.com",
  phone: "+86 139 7777 0142",
  first_name: "Privatefirstname",
  last_name: "Privatelastname",
  device_id: "o311-device-marker-0042",
  account_id: "o311-account-marker-0042",
  address: "198.51.100.23",
};

const attributes = [
  {
    code: "depth",
    datatype: "number",
    required: true,
    description: "Depth in cm",
    order: 2,
    min: 0,
    max: 500,
  },
  {
    code: "surface",
    datatype: "singlevaluelist",
    required: false,
    description: "Road surface",
    order: 1,
    values: [
      { key: "asphalt", name: "Asphalt" },
      { key: "gravel", name: "Gravel" },
    ],
  },
  {
    code: "hazards",
    datatype: "multivaluelist",
    required: false,
    description: "What makes it dangerous",
    order: 3,
    values: [
      { key: "deep", name: "Deep" },
      { key: "wide", name: "Wide" },
      { key: "unlit", name: "Unlit at night" },
    ],
  },
  { code: "noticed", datatype: "datetime", required: false, description: "When you saw it first", order: 4 },
  { code: "note", datatype: "text", required: false, description: "Anything else", order: 5 },
];

const bodies: string[] = [];

describe("Open311 GeoReport v2 (JSON)", () => {
  let t: TestApp;
  let apiKey: string;

  async function get(path: string, status = 200) {
    const res = await t.app.request(`/open311/v2/${path}`);
    const text = await res.text();
    bodies.push(text);
    expect(res.status, `${path}: ${text}`).toBe(status);
    if (status < 300) expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    // biome-ignore lint/suspicious/noExplicitAny: answers are inspected field by field
    return JSON.parse(text) as any;
  }

  async function post(fields: [string, string][], status = 200, headers: Record<string, string> = {}) {
    const res = await t.app.request("/open311/v2/requests.json", {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "x-test-client-address": PRIVATE.address,
        ...headers,
      },
      body: new URLSearchParams(fields).toString(),
    });
    const text = await res.text();
    bodies.push(text);
    expect(res.status, text).toBe(status);
    // biome-ignore lint/suspicious/noExplicitAny: answers are inspected field by field
    return JSON.parse(text) as any;
  }

  const pothole = (p = CHANGSHA, extra: [string, string][] = []): [string, string][] => [
    ["api_key", apiKey],
    ["service_code", "pothole"],
    ["lat", String(p.lat)],
    ["long", String(p.lon)],
    ["description", "Hole by the bus stop"],
    ["attribute[depth]", "12"],
    ...extra,
  ];

  beforeAll(async () => {
    t = await makeTestApp();
    await makeService(t, {
      threshold: 2,
      group: "Roads",
      keywords: ["road", "hole"],
      description: "Holes in the road",
      // biome-ignore lint/suspicious/noExplicitAny: the fixture takes the admin API's JSON
      attributes: attributes as any,
    });
    await makeService(t, {
      code: "streetlight",
      name: { en: "Streetlight out", zh: "路灯不亮" },
      threshold: 1,
    });
    await makeDepartment(t, {
      code: "roads",
      services: ["pothole", "streetlight"],
      area: squareAround(CHANGSHA, 5000),
    });
    const res = await t.app.request("/api/admin/api-keys", {
      method: "POST",
      ...asAdmin({ name: "FixMyStreet" }),
    });
    expect(res.status).toBe(201);
    apiKey = ((await res.json()) as { key: string }).key;
  });

  it("answers discovery with the endpoint and both formats", async () => {
    const d = await get("discovery.json");
    expect(d.endpoints[0]).toMatchObject({
      specification: "http://wiki.open311.org/GeoReport_v2",
      url: "http://civicloop.test/open311/v2",
      type: "production",
      formats: ["text/xml", "application/json"],
    });
    expect(d.changeset).toMatch(/Z$/);
  });

  it("lists services as the schema has them, metadata true where there are questions", async () => {
    const list = await get("services.json");
    expectValid("services", list);
    expect(list.map((s: { service_code: string }) => s.service_code)).toEqual(["pothole", "streetlight"]);
    expect(list[0]).toMatchObject({
      service_name: "Pothole",
      metadata: true,
      type: "realtime",
      keywords: "road,hole",
      group: "Roads",
      description: "Holes in the road",
    });
    expect(list[1]).toMatchObject({ metadata: false, group: null, keywords: null });
  });

  it("defines a service's attributes in order, with list values", async () => {
    const def = await get("services/pothole.json");
    expectValid("service-definition", def);
    expect(def.service_code).toBe("pothole");
    expect(def.attributes.map((a: { code: string }) => a.code)).toEqual([
      "surface",
      "depth",
      "hazards",
      "noticed",
      "note",
    ]);
    expect(def.attributes[0]).toEqual({
      variable: true,
      code: "surface",
      datatype: "singlevaluelist",
      required: false,
      datatype_description: null,
      order: 1,
      description: "Road surface",
      values: [
        { key: "asphalt", name: "Asphalt" },
        { key: "gravel", name: "Gravel" },
      ],
    });
    // The spec has no min and max: the bounds are said in words, and no element of ours is added.
    expect(def.attributes[1]).toEqual({
      variable: true,
      code: "depth",
      datatype: "number",
      required: true,
      datatype_description: "A number from 0 to 500",
      order: 2,
      description: "Depth in cm",
    });
    expectValid("service-definition", await get("services/streetlight.json"));
    expect(await get("services/nosuch.json", 404)).toEqual([
      { code: 404, description: "service nosuch not found" },
    ]);
  });

  let first: string;
  let second: string;

  it("takes a form POST through the same intake as /api/reports: one cluster for both", async () => {
    const answer = await post(
      pothole(CHANGSHA, [
        ["attribute[surface]", "asphalt"],
        ["attribute[hazards][]", "deep"],
        ["attribute[hazards][]", "unlit"],
        ["attribute[noticed]", "2026-02-28T19:30:00+08:00"],
        ["email", PRIVATE.email],
        ["phone", PRIVATE.phone],
        ["first_name", PRIVATE.first_name],
        ["last_name", PRIVATE.last_name],
        ["device_id", PRIVATE.device_id],
        ["account_id", PRIVATE.account_id],
        ["media_url", "https://example.org/photo.jpg"],
      ]),
    );
    expect(answer).toHaveLength(1);
    expect(answer[0]).toEqual({
      service_request_id: expect.any(String),
      service_notice: "Thank you. 1 of the 2 residents needed has reported this problem.",
      account_id: null,
    });
    first = answer[0].service_request_id;

    const viaApi = await t.app.request("/api/reports", {
      method: "POST",
      headers: { "content-type": "application/json", "x-test-client-address": "192.0.2.9" },
      body: JSON.stringify({
        service: "pothole",
        ...east(CHANGSHA, 3),
        description: "Same hole",
        attributes: { depth: 10 },
      }),
    });
    expect(viaApi.status).toBe(201);
    const api = (await viaApi.json()) as { report: { id: string }; cluster: { id: string; reports: number } };
    second = api.report.id;
    expect(api.cluster.reports).toBe(2);

    const rows = await t.db.all<{ id: string; cluster_id: string; source: string; attributes: string }>(
      sql`SELECT id, cluster_id, source, attributes FROM reports ORDER BY created_at, id`,
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get(first)?.cluster_id).toBe(api.cluster.id);
    expect(byId.get(first)?.source).toBe("open311");
    expect(JSON.parse(byId.get(first)?.attributes ?? "{}")).toEqual({
      depth: 12,
      surface: "asphalt",
      hazards: ["deep", "unlit"],
      noticed: "2026-02-28T19:30:00+08:00",
    });
  });

  it("lists requests valid against the schema, with status in words, agency and deadline", async () => {
    const list = await get("requests.json");
    expectValid("requests", list);
    expect(list.map((r: { service_request_id: string }) => r.service_request_id).sort()).toEqual(
      [first, second].sort(),
    );
    const mine = list.find((r: { service_request_id: string }) => r.service_request_id === first);
    expect(mine).toMatchObject({
      status: "open",
      status_notes: "one of 2 reports of this problem; work order sent to the department",
      service_code: "pothole",
      service_name: "Pothole",
      description: "Hole by the bus stop",
      agency_responsible: "roads",
      requested_datetime: "2026-03-01T08:00:00Z",
      updated_datetime: "2026-03-01T08:00:00Z",
      // resolveHours 168 after the work order was made
      expected_datetime: "2026-03-08T08:00:00Z",
      lat: CHANGSHA.lat,
      long: CHANGSHA.lon,
    });
    expect(mine.extended_attributes).toBeUndefined();
  });

  it("adds the cluster, its count and its timeline with extensions=true", async () => {
    const [one] = await get(`requests/${first}.json?extensions=true`);
    expectValid("request", one);
    expect(one.extended_attributes).toMatchObject({ report_count: 2, reporter_count: 2 });
    // Where it stands now, as the POST's answer said where it stood then (it had been null).
    expect(one.service_notice).toBe("A work order for this problem has gone to the department responsible.");
    // The report that opened the problem is one note, as in servicerequestupdates; then the second
    // resident's report and the work order.
    const notes = one.extended_attributes.notes;
    expect(notes.map((n: { type: string }) => n.type)).toEqual([
      "opened",
      "report_added",
      "work_order_created",
    ]);
    expect(one.extended_attributes.notes_total).toBe(3);
    const updates = await get(`servicerequestupdates.json?service_request_id=${first}`);
    expect(updates).toHaveLength(notes.length);
    expect(one.extended_attributes.notes[2]).toMatchObject({
      datetime: "2026-03-01T08:00:00Z",
      status: "dispatched",
      description: "A work order was created.",
    });
  });

  it("answers one request, and 404 in the spec's shape for an unknown one", async () => {
    const one = await get(`requests/${second}.json`);
    expectValid("requests", one);
    expect(one).toHaveLength(1);
    expect(one[0].service_request_id).toBe(second);
    expect(await get("requests/nosuch.json", 404)).toEqual([
      { code: 404, description: "service request nosuch not found" },
    ]);
  });

  it("maps a token to its request (the id is the token here)", async () => {
    expect(await get(`tokens/${first}.json`)).toEqual([{ service_request_id: first, token: first }]);
    await get("tokens/nosuch.json", 404);
  });

  it("filters by service_code, status, dates, ids and pages", async () => {
    t.clock.advance(3_600_000);
    const light = (
      await post([
        ["api_key", apiKey],
        ["service_code", "streetlight"],
        ["lat", String(CHANGSHA.lat)],
        ["long", String(CHANGSHA.lon)],
      ])
    )[0].service_request_id as string;

    const ids = async (q: string) =>
      (await get(`requests.json?${q}`)).map((r: { service_request_id: string }) => r.service_request_id);

    expect(await ids("service_code=streetlight")).toEqual([light]);
    expect((await ids("service_code=pothole,streetlight")).length).toBe(3);
    expect(await ids("status=closed")).toEqual([]);
    expect((await ids("status=open")).length).toBe(3);
    expect(await ids("start_date=2026-03-01T08:30:00Z")).toEqual([light]);
    expect((await ids("end_date=2026-03-01T16:20:00%2B08:00")).sort()).toEqual([first, second].sort());
    expect(await ids(`service_request_id=${second},${light}&service_code=pothole`)).toEqual([light, second]);
    expect((await ids("service_request_id=&service_code=streetlight")).length).toBe(1);
    expect(await ids("page_size=2")).toHaveLength(2);
    expect(await ids("page_size=2&page=2")).toHaveLength(1);
    expect(await ids("page=3&page_size=2")).toEqual([]);

    // The lifecycle is another part's: change the status in the database as it would.
    t.clock.advance(60_000);
    await t.db.run(sql`UPDATE work_orders SET status = 'resolved', updated_at = ${t.clock()}
      WHERE cluster_id = (SELECT cluster_id FROM reports WHERE id = ${light})`);
    await t.db.run(sql`INSERT INTO events (id, cluster_id, work_order_id, type, from_status, to_status, actor, note, at)
      SELECT 'ev-resolved', cluster_id, (SELECT id FROM work_orders w WHERE w.cluster_id = r.cluster_id),
        'status_changed', 'dispatched', 'resolved', 'department', 'Filled and rolled', ${t.clock()}
      FROM reports r WHERE id = ${light}`);
    expect(await ids("status=closed")).toEqual([light]);
    expect(await ids("status=open,closed")).toHaveLength(3);
    // A value listed many times is asked for once (80 copies overflowed SQLite's expression depth: a 500).
    expect(await ids(`status=${Array(100).fill("closed").join(",")}`)).toEqual([light]);
    const [closed] = await get(`requests/${light}.json`);
    expect(closed).toMatchObject({
      status: "closed",
      status_notes: "the only report of this problem; work order resolved",
      updated_datetime: "2026-03-01T09:01:00Z",
    });
  });

  it("defaults to the last 90 days", async () => {
    t.clock.advance(100 * 86_400_000);
    expect(await get("requests.json")).toEqual([]);
    expect((await get("requests.json?start_date=2026-02-01")).length).toBe(3);
    t.clock.advance(-100 * 86_400_000);
  });

  it("reports updates per timeline event for FixMyStreet's servicerequestupdates", async () => {
    const updates = await get("servicerequestupdates.json?start_date=2026-03-01T00:00:00Z");
    const resolved = updates.filter((u: { status: string }) => u.status === "fixed");
    expect(resolved).toHaveLength(1);
    expect(resolved[0]).toMatchObject({
      status: "fixed",
      description: "Filled and rolled",
      updated_datetime: "2026-03-01T09:01:00Z",
      external_status_code: "resolved",
    });
    const forFirst = updates.filter((u: { service_request_id: string }) => u.service_request_id === first);
    // Its own report (the problem opened with it: one update), the second resident's, the work order.
    expect(forFirst.map((u: { status: string }) => u.status)).toEqual(["open", "open", "open"]);
    expect(new Set(updates.map((u: { update_id: string }) => u.update_id)).size).toBe(updates.length);
    expect(await get("servicerequestupdates.json?start_date=2026-03-01T09:30:00Z")).toEqual([]);
  });

  it("lists only the updates of the requests named by service_request_id", async () => {
    // How a client (CivicLoop's own, dispatching to a city) asks for one request's updates: the
    // answer must not be the whole city's, which a busy city would cut at the page's limit.
    const all = await get("servicerequestupdates.json?start_date=2026-03-01T00:00:00Z");
    const ids = [...new Set(all.map((u: { service_request_id: string }) => u.service_request_id))];
    expect(ids.length).toBeGreaterThan(1);
    const one = await get(
      `servicerequestupdates.json?start_date=2026-03-01T00:00:00Z&service_request_id=${first}`,
    );
    expect(one.length).toBeGreaterThan(0);
    expect(new Set(one.map((u: { service_request_id: string }) => u.service_request_id))).toEqual(
      new Set([first]),
    );
    expect(one).toEqual(all.filter((u: { service_request_id: string }) => u.service_request_id === first));
    const two = await get(
      `servicerequestupdates.json?start_date=2026-03-01T00:00:00Z&service_request_id=${ids[0]},${ids[1]}`,
    );
    expect(new Set(two.map((u: { service_request_id: string }) => u.service_request_id))).toEqual(
      new Set([ids[0], ids[1]]),
    );
    // An empty filter is no filter, as for requests.
    expect(
      await get("servicerequestupdates.json?start_date=2026-03-01T00:00:00Z&service_request_id="),
    ).toEqual(all);
  });

  it("refuses a POST without a valid api_key with 403", async () => {
    const withoutKey = pothole().filter(([k]) => k !== "api_key");
    expect(await post(withoutKey, 403)).toEqual([
      { code: 403, description: "api_key is missing or not valid" },
    ]);
    await post([["api_key", "civ_wrong"], ...withoutKey], 403);
  });

  it("keeps only a hash of an api_key, lists keys without it, and stops taking a revoked one", async () => {
    const made = await t.app.request("/api/admin/api-keys", {
      method: "POST",
      ...asAdmin({ name: "Old app" }),
    });
    const { key, apiKey: info } = (await made.json()) as {
      key: string;
      apiKey: { id: string; name: string };
    };
    expect(info.name).toBe("Old app");
    const stored = await t.db.all<{ key_hash: string }>(
      sql`SELECT key_hash FROM api_keys WHERE id = ${info.id}`,
    );
    expect(stored[0]?.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(await t.db.all(sql`SELECT * FROM api_keys`))).not.toContain(key);
    const list = await t.app.request("/api/admin/api-keys", asAdmin());
    const listed = await list.text();
    expect(listed).toContain("Old app");
    expect(listed).not.toContain(key);
    expect(listed).not.toContain(stored[0]?.key_hash);

    const withKey = (k: string) => pothole().map(([f, v]): [string, string] => [f, f === "api_key" ? k : v]);
    t.clock.advance(1000);
    await post(withKey(key), 200);
    const revoked = await t.app.request(`/api/admin/api-keys/${info.id}`, { method: "DELETE", ...asAdmin() });
    expect(revoked.status).toBe(204);
    await post(withKey(key), 403);
    // Only the admin may issue keys.
    const refused = await t.app.request("/api/admin/api-keys", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "Sneaky" }),
    });
    expect(refused.status).toBe(401);
    t.clock.advance(-1000);
  });

  it("refuses bad posts with 400 in the spec's shape, writing nothing", async () => {
    const before = await t.db.all(sql`SELECT id FROM reports`);
    const cases: [[string, string][], RegExp][] = [
      [
        pothole()
          .filter(([k]) => k !== "lat" && k !== "long")
          .concat([["address_string", "1 Wuyi Road"]]),
        /^address_string: no place named "1 Wuyi Road"/,
      ],
      [pothole().filter(([k]) => k !== "lat" && k !== "long"), /lat and long are required/],
      // Half a position names the half missing, and an address beside it does not stand in for it.
      [
        pothole()
          .filter(([k]) => k !== "long")
          .concat([["address_string", "Wuyi Avenue"]]),
        /^long: is required with lat$/,
      ],
      [pothole().filter(([k]) => k !== "lat"), /^lat: is required with long$/],
      [pothole().filter(([k]) => k !== "attribute[depth]"), /attribute\[depth\]: is required/],
      [
        pothole(CHANGSHA, [["attribute[surface]", "sand"]]),
        /attribute\[surface\]: must be one of asphalt, gravel/,
      ],
      [
        pothole().map(([k, v]) => [k, k === "attribute[depth]" ? "deep" : v]),
        /attribute\[depth\]: must be a number/,
      ],
      // Decimal notation only: `Number()` would read these as 16 and 1000.
      ...["0x10", "1e3", "12 cm"].map((depth): [[string, string][], RegExp] => [
        pothole().map(([k, v]) => [k, k === "attribute[depth]" ? depth : v]),
        /attribute\[depth\]: must be a number/,
      ]),
      [
        pothole().map(([k, v]) => [k, k === "attribute[depth]" ? "-5" : v]),
        /^attribute\[depth\]: must be at least 0$/,
      ],
      [pothole().map(([k, v]) => [k, k === "lat" ? "91" : v]), /^lat:/],
      // A phone app with no GPS fix sends 0,0: no location, not a point in the Gulf of Guinea.
      [
        pothole({ lat: 0, lon: 0 }),
        /^lat: is no location \(0,0 is what a phone without a position fix sends\)$/,
      ],
      // Beijing, far from every department's area: the JSON API names `lat`, as Open311's must.
      [pothole({ lat: 39.9, lon: 116.4 }), /^lat: the place is outside the area this city serves/],
      [pothole(CHANGSHA, [["email", "not-an-email"]]), /^email:/],
      [pothole(CHANGSHA, [["email", "two..dots@example.com"]]), /^email:/],
      [pothole(CHANGSHA, [["media_url", "javascript:alert(1)"]]), /^media_url:/],
    ];
    for (const [fields, message] of cases) {
      const errors = await post(fields, 400);
      expect(errors).toHaveLength(1);
      expect(errors[0].code).toBe(400);
      expect(errors[0].description).toMatch(message);
    }
    const res = await t.app.request("/open311/v2/requests.json", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ api_key: apiKey }),
    });
    expect(res.status).toBe(415);
    expect(await t.db.all(sql`SELECT id FROM reports`)).toEqual(before);
    // Mailboxes in any script, at a Chinese domain too, are mailboxes: the report is taken.
    for (const email of ["用户@例子.中国", "x@mail.xn--fiqs8s", "josé@example.com"])
      expect(await post(pothole(CHANGSHA, [["email", email]]), 200)).toHaveLength(1);
  });

  it("locates an address_string sent alone with the gazetteer, and answers the words sent as address", async () => {
    const csv =
      "kind,name_zh,name_en,pinyin,lat,lon\nlandmark,五一广场,Wuyi Square,Wǔyī Guǎngchǎng,28.1963,112.9767\n";
    const imported = await t.app.request("/api/admin/places", { method: "POST", ...asAdmin({ csv }) });
    expect(imported.status).toBe(201);
    const alone = pothole().filter(([k]) => k !== "lat" && k !== "long");
    const [made] = await post([...alone, ["address_string", "五一广场"]]);
    const [request] = await get(`requests/${made.service_request_id}.json`);
    expect([request.lat, request.long]).toEqual([28.1963, 112.9767]);
    expect(request.address).toBe("五一广场");
    const [missing] = await post([...alone, ["address_string", "Nowhere Lane"]], 400);
    expect(missing.description).toMatch(/^address_string:/);
    // Far from every named place (30 km north, still the city's to take): no address.
    const [elsewhere] = await post(pothole({ lat: 28.47, lon: 112.98 }));
    expect((await get(`requests/${elsewhere.service_request_id}.json`))[0].address).toBeNull();
  });

  it("answers a point located at a road's middle without float noise (28.19235, not 28.192349999999998)", async () => {
    const geojson = {
      type: "FeatureCollection",
      features: [
        roadFeature("解放西路", "Jiefang West Road", "Jiěfàng Xīlù", [
          [112.967, 28.1925],
          [112.985, 28.1922],
        ]),
        roadFeature("芙蓉中路", "Furong Middle Road", "Fúróng Zhōnglù", [
          [112.9741, 28.1931],
          [112.985, 28.1922],
          [112.99, 28.1952],
        ]),
      ],
    };
    const imported = await t.app.request("/api/admin/places", { method: "POST", ...asAdmin({ geojson }) });
    expect(imported.status).toBe(201);
    const alone = pothole().filter(([k]) => k !== "lat" && k !== "long");
    for (const [address, at] of [
      ["Jiefang West Road", [28.19235, 112.976]],
      ["Furong Middle Road", [28.1935, 112.9830333]],
    ] as const) {
      const [made] = await post([...alone, ["address_string", address]]);
      const [request] = await get(`requests/${made.service_request_id}.json`);
      expect([request.lat, request.long], address).toEqual(at);
    }
  });

  it("refuses bad query parameters and unknown resources in the spec's shape", async () => {
    expect((await get("requests.json?start_date=yesterday", 400))[0].description).toMatch(/^start_date:/);
    expect((await get("requests.json?status=pending", 400))[0].description).toMatch(/^status:/);
    expect((await get("requests.json?page_size=5000", 400))[0].description).toMatch(/^page_size:/);
    const many = Array.from({ length: 1001 }, (_, i) => `svc${i}`).join(",");
    expect((await get(`requests.json?service_code=${many}`, 400))[0].description).toMatch(
      /^service_code: lists 1001 values: at most 1000/,
    );
    expect((await get("nothing.json", 404))[0].code).toBe(404);
    expect((await get("services.csv", 404))[0].code).toBe(404);
    // Outside /v2 (a client set up without the version) too, not the JSON API's {error}.
    for (const path of ["/open311/discovery.json", "/open311/v1/services.json", "/open311", "/open311/"]) {
      const res = await t.app.request(path);
      expect(res.status, path).toBe(404);
      expect(res.headers.get("content-type"), path).toBe("application/json; charset=utf-8");
      expect(await res.json(), path).toEqual([
        { code: 404, description: `no GeoReport v2 resource at ${path}` },
      ]);
    }
    const xml = await t.app.request("/open311/services.xml");
    expect(xml.status).toBe(404);
    expect(xml.headers.get("content-type")).toBe("text/xml; charset=utf-8");
    expect(await xml.text()).toContain("<errors><error><code>404</code>");
  });

  it("shows the JSON API's intake the same questions", async () => {
    const res = await t.app.request("/api/reports", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        service: "pothole",
        ...CHANGSHA,
        description: "x",
        attributes: { surface: "gravel" },
      }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { field: "attributes.depth" } });
  });

  it("lets a client polling a list revalidate it: a weak ETag, 304 while nothing changed, never stale", async () => {
    for (const path of ["requests.json?status=open", "requests.xml?status=open", `requests/${first}.json`]) {
      const fresh = await t.app.request(`/open311/v2/${path}`);
      expect(fresh.status, path).toBe(200);
      const tag = fresh.headers.get("etag");
      expect(tag, path).toMatch(/^W\/"[^"]+"$/);
      expect(fresh.headers.get("cache-control"), path).toBe("no-cache");
      const again = await t.app.request(`/open311/v2/${path}`, {
        headers: { "if-none-match": tag as string },
      });
      expect(again.status, path).toBe(304);
      expect(await again.text(), path).toBe("");
      expect(again.headers.get("etag"), path).toBe(tag);
      expect(again.headers.get("cache-control"), path).toBe("no-cache");
    }
    // A change in the list is a new ETag: the client gets the new list, not a 304.
    const before = (await t.app.request("/open311/v2/requests.json?status=open")).headers.get("etag");
    await post(pothole(east(CHANGSHA, 9000)));
    const after = await t.app.request("/open311/v2/requests.json?status=open", {
      headers: { "if-none-match": before as string },
    });
    expect(after.status).toBe(200);
    expect(after.headers.get("etag")).not.toBe(before);
    // A refusal is never cached nor tagged.
    const refused = await t.app.request("/open311/v2/requests.json?status=lost");
    expect(refused.status).toBe(400);
    expect(refused.headers.get("etag")).toBeNull();
    expect(refused.headers.get("cache-control")).toBeNull();
  });

  it("never shows a private field in any answer", async () => {
    for (const format of ["json", "xml"]) {
      for (const path of [
        `requests.${format}?extensions=true&start_date=2026-01-01`,
        `requests/${first}.${format}?extensions=true`,
        `tokens/${first}.${format}`,
        `servicerequestupdates.${format}?start_date=2026-01-01T00:00:00Z`,
        `services.${format}`,
        `services/pothole.${format}`,
        `discovery.${format}`,
      ]) {
        const res = await t.app.request(`/open311/v2/${path}`);
        expect(res.status, path).toBe(200);
        bodies.push(await res.text());
      }
    }
    // The markers are really in the database, so a leak would show.
    const [stored] = await t.db.all<Record<string, string>>(
      sql`SELECT contact_name, contact_email, contact_phone, device_id FROM reports WHERE id = ${first}`,
    );
    expect(stored).toEqual({
      contact_name: `${PRIVATE.first_name} ${PRIVATE.last_name}`,
      contact_email: PRIVATE.email,
      contact_phone: PRIVATE.phone,
      device_id: PRIVATE.device_id,
    });
    const keys = (await t.db.all<{ k: string }>(sql`SELECT reporter_key AS k FROM reports`)).map((r) => r.k);
    expect(bodies.length).toBeGreaterThan(30);
    for (const body of bodies) {
      for (const needle of [...Object.values(PRIVATE), "7777", ...keys]) {
        expect(body, `an answer leaks ${needle}`).not.toContain(needle);
      }
    }
  });
  it("publishes a client's media_url masked as any words: a wa.me or ?phone= link is a contact", async () => {
    const [answer] = await post(
      pothole(east(CHANGSHA, 900), [
        ["media_url", "https://wa.me/8613912345678?text=hole&phone=13912345678"],
      ]),
    );
    const id = answer.service_request_id as string;
    const [request] = (await (await t.app.request(`/open311/v2/requests/${id}.json`)).json()) as {
      media_url: string;
    }[];
    expect(request?.media_url).toBe("https://wa.me/*************?text=hole&phone=***********");
    const report = (await (await t.app.request(`/api/reports/${id}`)).json()) as {
      report: { mediaUrl: string };
    };
    expect(report.report.mediaUrl).toBe(request?.media_url);
  });
});

describe("Open311 discovery's changeset", () => {
  it("moves when a service is added or changed, so clients caching the list and definitions refresh", async () => {
    const city = await makeTestApp({ clock: makeClock("2026-12-01T08:00:00Z") });
    const changeset = async () =>
      ((await (await city.app.request("/open311/v2/discovery.json")).json()) as { changeset: string })
        .changeset;
    // Before any service changed after the interface did: the interface's own date.
    expect(await changeset()).toBe("2026-11-24T00:00:00Z");
    await makeService(city, { code: "pothole" });
    expect(await changeset()).toBe("2026-12-01T08:00:00Z");
    city.clock.advance(3_600_000);
    const withdrawn = await city.app.request("/api/admin/services/pothole", {
      method: "PUT",
      ...asAdmin({ ...POTHOLE_SERVICE, code: "pothole", active: false }),
    });
    expect(withdrawn.status).toBe(200);
    const discovery = (await (await city.app.request("/open311/v2/discovery.json")).json()) as {
      changeset: string;
      endpoints: { changeset: string }[];
    };
    expect(discovery.changeset).toBe("2026-12-01T09:00:00Z");
    expect(discovery.endpoints[0]?.changeset).toBe("2026-12-01T09:00:00Z");
  });
});
