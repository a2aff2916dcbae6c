/**
 * A field a request does not take is a 400 naming it, with its path, on every JSON body: never
 * silently dropped (a mistyped `contact.emial` lost the reporter's address, and answered 201).
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { memberCount, repeatedKey } from "../src/domain/repeated-key";
import { ADMIN_TOKEN, makeTestApp, type TestApp } from "./support/app";
import { CHANGSHA, makeDepartment, makeService, POTHOLE_SERVICE, reportAt } from "./support/fixtures";
import { fromResident } from "./support/residents";
import { hitAt } from "./support/sensor";

const report = { service: "pothole", lat: CHANGSHA.lat, lon: CHANGSHA.lon, description: "A hole" };
const push = {
  endpoint: "https://push.example/send/abc",
  keys: { p256dh: `B${"a".repeat(86)}`, auth: "b".repeat(22) },
};
const service = { ...POTHOLE_SERVICE, code: "noise" };
const department = { code: "parks", name: { en: "Parks", zh: "园林" }, services: ["pothole"] };
const attribute = { code: "depth", datatype: "number", description: "How deep?", order: 1 };

/** [route, body, the field named]; every route as admin, which may call them all. */
const cases: [string, unknown, string][] = [
  ["POST /api/reports", { ...report, contact: { emial: "me@x.com", updates: true } }, "contact.emial"],
  ["POST /api/reports", { ...report, photoId: "abc" }, "photoId"],
  [
    "POST /api/desk/reports",
    { ...report, caller: { name: "Li", phone: "13800000000" }, contact: {} },
    "contact",
  ],
  [
    "POST /api/desk/reports",
    { ...report, caller: { name: "Li", phone: "13800000000", age: 3 } },
    "caller.age",
  ],
  ["POST /api/flags", { target: "report", id: "abc", reason: "spam", note: "rude" }, "note"],
  ["POST /api/auth/sign-in", { email: "a@b.cn", password: "x", remember: true }, "remember"],
  ["POST /api/auth/password-reset", { email: "a@b.cn", foo: 1 }, "foo"],
  ["POST /api/auth/password-reset/confirm", { token: "t", password: "a long passphrase", foo: 1 }, "foo"],
  ["POST /api/department/work-orders/wo1/transitions", { to: "acknowledged", comment: "on it" }, "comment"],
  ["POST /api/department/work-orders/wo1/notes", { note: "called", private: true }, "private"],
  ["POST /api/admin/work-orders/wo1/transitions", { to: "acknowledged", by: "me" }, "by"],
  ["POST /api/admin/work-orders/wo1/reroute", { department: "parks", reason: "theirs" }, "reason"],
  ["POST /api/clusters/c1/follows", { email: "a@b.cn", lang: "en", name: "Li" }, "name"],
  [
    "POST /api/clusters/c1/follows",
    { push: { ...push, keys: { ...push.keys, x: "y" } }, lang: "en" },
    "push.keys.x",
  ],
  ["POST /api/reports/r1/rating", { receipt: "r".repeat(20), stars: 5, note: "thanks" }, "note"],
  ["POST /api/clusters/c1/reopen", { receipt: "r".repeat(20), photo: "x" }, "photo"],
  ["POST /api/admin/staff", { email: "a@b.cn", name: "Li", role: "admin", phone: "1" }, "phone"],
  ["PATCH /api/admin/staff/s1", { disabled: true, phone: "1" }, "phone"],
  ["POST /api/admin/services", { ...service, colour: "red" }, "colour"],
  ["POST /api/admin/services", { ...service, name: { ...service.name, fr: "Bruit" } }, "name.fr"],
  [
    "POST /api/admin/services",
    { ...service, attributes: [{ ...attribute, hint: "cm" }] },
    "attributes.0.hint",
  ],
  ["PUT /api/admin/services/pothole", { ...POTHOLE_SERVICE, colour: "red" }, "colour"],
  ["POST /api/admin/departments", { ...department, email: "parks@city.cn" }, "email"],
  [
    "POST /api/admin/departments",
    { ...department, dispatch: { method: "webhook", url: "x" } },
    "dispatch.url",
  ],
  ["POST /api/admin/api-keys", { name: "app", scopes: ["all"] }, "scopes"],
  ["POST /api/admin/departments/parks/tokens", { label: "night", name: "x" }, "name"],
  ["POST /api/photos/attach", { workOrderId: "wo1", photoIds: ["abc"], note: "done" }, "note"],
  ["POST /api/admin/places", { csv: "kind,name_zh,name_en,pinyin,lat,lon\n", replace: true }, "replace"],
  ["POST /api/reports/r1/questionnaire?receipt=rrrrrrrrrrrr", { answer: "fixed", stars: 5, foo: 1 }, "foo"],
  ["POST /api/follows/manage?token=tttttttttttttttttttttttt", { cluster: "c1", all: true }, "all"],
];

describe("a field a request does not take", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp({ config: { contactKey: "test-contact-key-for-strict-0123" } });
    await makeService(t);
    await makeDepartment(t, { code: "parks", services: ["pothole"] });
  });

  const written = async () =>
    (
      await t.db.all<{ n: number }>(sql`SELECT
        (SELECT count(*) FROM reports) + (SELECT count(*) FROM flags) + (SELECT count(*) FROM staff)
        + (SELECT count(*) FROM services) + (SELECT count(*) FROM sensor_batches) AS n`)
    )[0]?.n;

  it.each(cases)("%s: %j is a 400 naming it", async (route, body, field) => {
    const [method, path] = route.split(" ") as [string, string];
    const before = await written();
    const res = await t.app.request(path, {
      method,
      headers: {
        "content-type": "application/json",
        authorization: `Bearer ${ADMIN_TOKEN}`,
        ...fromResident(`strict-${field}`),
      },
      body: JSON.stringify(body),
    });
    expect(await res.json()).toEqual({
      error: { code: "invalid_field", message: `${field}: is not a field this request takes`, field },
    });
    expect(res.status).toBe(400);
    expect(await written()).toBe(before);
  });

  it("names an extra key in a sensor batch by its bracket path, at the top or in an event", async () => {
    const send = (body: unknown) =>
      t.app.request("/api/sensor/batches", {
        method: "POST",
        headers: { "content-type": "application/json", ...fromResident("strict-phone") },
        body: JSON.stringify(body),
      });
    const events = [
      hitAt(CHANGSHA, Date.parse("2026-03-01T07:00:00Z")),
      hitAt(CHANGSHA, Date.parse("2026-03-01T07:00:01Z")),
    ];
    for (const [body, field] of [
      [{ deviceId: "phone-a", events, foo: 1 }, "foo"],
      [{ deviceId: "phone-a", events: [events[0], { ...events[1], foo: 1 }] }, "events[1].foo"],
    ] as const) {
      const res = await send(body);
      expect(await res.json()).toEqual({
        error: { code: "invalid_field", message: `${field}: is not a field this request takes`, field },
      });
      expect(res.status).toBe(400);
    }
    expect((await send({ deviceId: "phone-a", events })).status).toBe(202);
  });

  it("refuses a key given twice in one object, naming it, with nothing written", async () => {
    const before = await written();
    for (const [path, body, field] of [
      [
        "/api/reports",
        `{"service":"pothole","lat":${CHANGSHA.lat},"lon":${CHANGSHA.lon},"description":"A hole","service":"graffiti"}`,
        "service",
      ],
      [
        "/api/reports",
        `{"service":"pothole","lat":${CHANGSHA.lat},"lon":${CHANGSHA.lon},"description":"A hole","contact":{"email":"a@x.com","\u0065mail":"b@x.com"}}`,
        "contact.email",
      ],
      ["/api/flags", '{"target":"report","id":"x","reason":"spam","reason":"offensive"}', "reason"],
    ] as const) {
      const res = await t.app.request(path, {
        method: "POST",
        headers: { "content-type": "application/json", ...fromResident("strict-twice") },
        body,
      });
      expect(await res.json(), body).toEqual({
        error: { code: "invalid_field", message: `${field}: is given more than once`, field },
      });
      expect(res.status).toBe(400);
    }
    expect(await written()).toBe(before);
  });

  it("finds a repeated key anywhere, past strings holding quotes and braces, and only there", () => {
    expect(repeatedKey('{"a":1,"b":{"c":"}\\"{","c":2}}')).toBe("b.c");
    expect(repeatedKey('{"a":[{"x":1},{"x":1,"y":[1,{"x":1,"x":2}]}]}')).toBe("a.1.y.1.x");
    expect(repeatedKey('{"events":[{"lat":1},{"lat":1,"lat":2}]}', true)).toBe("events[1].lat");
    expect(repeatedKey('{"a":"a","b":["a","a"],"c":{"a":{"a":1}},"d":""a":"}')).toBeNull();
    expect(repeatedKey('["x",{"k":1},{"k":1}]')).toBeNull();
    expect(repeatedKey('{"k":1}')).toBeNull();
  });

  it("counts a text's members as given, past strings holding quotes and colons, and only keys", () => {
    expect(memberCount('{"a":1,"b":{"c":"}\\":{","c":2}}')).toBe(4);
    expect(memberCount('{ "k" :\t1, "k"\n:2, "v": ["x:", "y" , {"z" : ":"}] }')).toBe(4);
    expect(memberCount('["a:","b",":"]')).toBe(0);
    expect(memberCount('{"\\u006b":1,"k\\\\":2}')).toBe(2);
  });

  it("still takes what the web app sends, and a report's contact as sent", async () => {
    const sent = await reportAt(t, CHANGSHA, { contact: { email: "me@x.com", updates: true } });
    expect(sent.status).toBe(201);
    const stored = await t.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM follows`);
    expect(stored[0]?.n).toBe(1);
  });
});
