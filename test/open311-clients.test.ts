/**
 * What third-party Open311 clients send (FixMyStreet's client, the Open311 Ruby gem), each case
 * once refused or silently lost: the real app on a fresh database, answers checked against the
 * GeoReport v2 JSON Schemas.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { gzipSync } from "node:zlib";
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
  roadFeature,
  squareAround,
} from "./support/fixtures";
import { enc, realJpeg } from "./support/images";
import { fromResident } from "./support/residents";
import { asToken, departmentToken, move } from "./support/work-orders";

const SCHEMAS = resolve(import.meta.dirname, "../../shared/open311/schemas");
const ajv = new Ajv({ strict: false, allErrors: true });
addFormats(ajv);
for (const name of ["request", "requests"]) {
  ajv.addSchema(JSON.parse(readFileSync(resolve(SCHEMAS, `${name}.json`), "utf8")), `${name}.json`);
}
function expectValid(schema: string, body: unknown) {
  const validate = ajv.getSchema(`${schema}.json`);
  if (!validate) throw new Error(`no schema ${schema}`);
  expect(validate(body), `${schema}: ${ajv.errorsText(validate.errors)}`).toBe(true);
}

const hazards = {
  code: "hazards",
  datatype: "multivaluelist" as const,
  variable: true,
  required: false,
  description: "What makes it dangerous",
  descriptionZh: "有何危险",
  order: 1,
  values: [
    { key: "deep", name: "Deep", nameZh: "很深" },
    { key: "wide", name: "Wide" },
    { key: "unlit", name: "Unlit at night" },
  ],
};
const seenAt = {
  code: "seen_at",
  datatype: "datetime" as const,
  variable: true,
  required: false,
  description: "When did you see it?",
  order: 2,
};

describe("Open311 as third-party clients use it", () => {
  const clock = makeClock("2026-03-01T08:00:00.750Z");
  let t: TestApp;
  let apiKey: string;
  let step = 0;
  /** Each POST from its own resident network, 100 m further east: one report per cluster. */
  const nextSpot = () => east(CHANGSHA, 100 * ++step);

  // biome-ignore lint/suspicious/noExplicitAny: answers are inspected field by field
  async function get(path: string, status = 200): Promise<any> {
    const res = await t.app.request(`/open311/v2/${path}`);
    const text = await res.text();
    expect(res.status, `${path}: ${text}`).toBe(status);
    return JSON.parse(text);
  }

  async function post(
    fields: [string, string][],
    status = 200,
    opts: { path?: string; withKey?: boolean } = {},
    // biome-ignore lint/suspicious/noExplicitAny: answers are inspected field by field
  ): Promise<any> {
    const res = await t.app.request(opts.path ?? "/open311/v2/requests.json", {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        ...fromResident(step),
      },
      body: new URLSearchParams([
        ...(opts.withKey === false ? [] : [["api_key", apiKey]]),
        ...fields,
      ]).toString(),
    });
    const text = await res.text();
    expect(res.status, text).toBe(status);
    return JSON.parse(text);
  }

  const pothole = (extra: [string, string][] = []): [string, string][] => {
    const p = nextSpot();
    return [
      ["service_code", "pothole"],
      ["lat", String(p.lat)],
      ["long", String(p.lon)],
      ["description", "Hole by the bus stop"],
      ...extra,
    ];
  };

  // biome-ignore lint/suspicious/noExplicitAny: the public report's JSON
  async function publicReport(id: string): Promise<any> {
    const res = await t.app.request(`/api/reports/${id}`);
    expect(res.status).toBe(200);
    return ((await res.json()) as { report: unknown }).report;
  }

  beforeAll(async () => {
    t = await makeTestApp({ clock });
    await makeService(t, { threshold: 1, attributes: [hazards, seenAt] });
    await makeDepartment(t, { code: "roads", services: ["pothole"], area: squareAround(CHANGSHA, 20000) });
    const res = await t.app.request("/api/admin/api-keys", {
      method: "POST",
      ...asAdmin({ name: "FixMyStreet" }),
    });
    expect(res.status).toBe(201);
    apiKey = ((await res.json()) as { key: string }).key;
  });

  it("keeps every value of a multi-choice attribute sent as repeated keys, with [] or numbered", async () => {
    const [repeated] = await post(
      pothole([
        ["attribute[hazards]", "deep"],
        ["attribute[hazards]", "wide"],
      ]),
    );
    expect((await publicReport(repeated.service_request_id)).attributes.hazards).toEqual(["deep", "wide"]);
    const [brackets] = await post(
      pothole([
        ["attribute[hazards][]", "wide"],
        ["attribute[hazards][]", "unlit"],
      ]),
    );
    expect((await publicReport(brackets.service_request_id)).attributes.hazards).toEqual(["wide", "unlit"]);
    // PHP's http_build_query (and Guzzle's form_params) numbers a list's items. West of the city,
    // where `nextSpot()` never walks (other tests count on its steps).
    const west = east(CHANGSHA, -6800);
    const [numbered] = await post([
      ["service_code", "pothole"],
      ["lat", String(west.lat)],
      ["long", String(west.lon)],
      ["attribute[hazards][0]", "unlit"],
      ["attribute[hazards][1]", "deep"],
    ]);
    expect((await publicReport(numbered.service_request_id)).attributes.hazards).toEqual(["unlit", "deep"]);
  });

  it("reads a one-value question sent with [] (as clients keeping answers in lists write it) as its value", async () => {
    const [made] = await post(pothole([["attribute[seen_at][]", "2026-03-01T07:30:00Z"]]));
    expect((await publicReport(made.service_request_id)).attributes.seen_at).toBe("2026-03-01T07:30:00Z");
    // Two values for a question that takes one are still refused, naming it.
    const [two] = await post(
      pothole([
        ["attribute[seen_at][]", "2026-03-01T07:30:00Z"],
        ["attribute[seen_at][]", "2026-03-01T07:40:00Z"],
      ]),
      400,
    );
    expect(two.description).toMatch(/^attribute\[seen_at\]:/);
  });

  it("finds a request made at T with end_date=T, at the seconds the answers show", async () => {
    const [made] = await post(pothole());
    const [shown] = await get(`requests/${made.service_request_id}.json`);
    expectValid("requests", [shown]);
    const ids = (await get(`requests.json?end_date=${shown.requested_datetime}`)).map(
      (r: { service_request_id: string }) => r.service_request_id,
    );
    expect(ids).toContain(made.service_request_id);
  });

  it("reads a +08:00 offset that arrived as a space, and a date-time without a zone in the city's time", async () => {
    const [made] = await post(pothole());
    const ids = async (query: string) =>
      (await get(`requests.json?${query}`)).map((r: { service_request_id: string }) => r.service_request_id);
    // The clock stands at 08:00:00.750Z = 16:00:00.750+08:00; `+` unescaped in a query is a space.
    expect(await ids("start_date=2026-03-01T16:00:00+08:00")).toContain(made.service_request_id);
    expect(await ids("start_date=2026-03-01T16:00:01+08:00")).not.toContain(made.service_request_id);
    // Without a zone, as the city's clocks say it (UTC+8), as a resident or a clerk writes it.
    expect(await ids("end_date=2026-03-01T16:00:00")).toContain(made.service_request_id);
    expect(await ids("start_date=2026-03-01T16:00:01")).not.toContain(made.service_request_id);
    expect(await ids("end_date=2026-03-01T08:00:00")).not.toContain(made.service_request_id);
    expect(await get("requests.json?start_date=2026-03-01T16:00:00+8", 400)).toEqual([
      { code: 400, description: expect.stringMatching(/^start_date:/) },
    ]);
  });

  it("reads an offset written without its colon (+0800), as Python's %z and PHP's DATE_ISO8601 write it", async () => {
    const [made] = await post(pothole());
    const ids = async (query: string) =>
      (await get(`requests.json?${query}`)).map((r: { service_request_id: string }) => r.service_request_id);
    // The clock stands at 08:00:00.750Z = 16:00:00.750+08:00 = 03:00:00.750-05:00.
    expect(await ids("start_date=2026-03-01T16:00:00%2B0800")).toContain(made.service_request_id);
    expect(await ids("start_date=2026-03-01T16:00:01%2B0800")).not.toContain(made.service_request_id);
    expect(await ids("end_date=2026-03-01T03:00:00-0500")).toContain(made.service_request_id);
    expect(await ids("end_date=2026-03-01T02:59:59-0500")).not.toContain(made.service_request_id);
    // Its `+` unescaped in a query string arrives as a space, as with +08:00.
    expect(await ids("start_date=2026-03-01T16:00:00+0800")).toContain(made.service_request_id);
    // A datetime answer is kept with the colon written in.
    const [answered] = await post(pothole([["attribute[seen_at]", "2026-03-01T07:30:00+0800"]]));
    expect((await publicReport(answered.service_request_id)).attributes.seen_at).toBe(
      "2026-03-01T07:30:00+08:00",
    );
    // RFC 3339's other spellings: a lower-case t and z, a space for the T.
    expect(await ids("start_date=2026-03-01t08:00:00z")).toContain(made.service_request_id);
    expect(await ids("start_date=2026-03-01%2008:00:01Z")).not.toContain(made.service_request_id);
    expect(await ids("end_date=2026-03-01%2016:00:00%2B08:00")).toContain(made.service_request_id);
    // An offset of hours alone, as PostgreSQL writes one.
    expect(await ids("start_date=2026-03-01T16:00:00%2B08")).toContain(made.service_request_id);
    expect(await ids("start_date=2026-03-01T08:00:01-00")).not.toContain(made.service_request_id);
    // A month or a year, as W3C-DTF also writes a date: all of it, the end inclusive.
    expect(await ids("start_date=2026-03&end_date=2026-03")).toContain(made.service_request_id);
    expect(await ids("start_date=2026&end_date=2026")).toContain(made.service_request_id);
    expect(await ids("end_date=2026-02")).not.toContain(made.service_request_id);
    expect(await ids("start_date=2026-04")).not.toContain(made.service_request_id);
    expect((await get("requests.json?start_date=2026-13", 400))[0].description).toMatch(/^start_date:/);
    // An offset past 23:59 is still no offset.
    expect((await get("requests.json?start_date=2026-03-01T16:00:00%2B2400", 400))[0].description).toMatch(
      /^start_date:/,
    );
  });

  /** The answers as kept for the department (what a dispatch to its own Open311 system carries). */
  async function keptAnswers(id: string): Promise<Record<string, unknown>> {
    const { rows } = await t.client.execute({
      sql: "SELECT attributes FROM reports WHERE id = ?",
      args: [id],
    });
    return JSON.parse(String(rows[0]?.attributes));
  }

  it("accepts the attributes a service does not define and keeps them for the department only, checking its own", async () => {
    const [made] = await post(
      pothole([
        ["attribute[report_url]", "https://www.fixmystreet.com/report/42"],
        ["attribute[title]", "Big hole"],
        ["attribute[easting]", "530123"],
        ["attribute[email]", "erin@example.com"],
        ["attribute[hazards]", "deep"],
        // FixMyStreet sends the report's whole words again: as long as a description may be.
        ["attribute[description]", "Deep hole. ".repeat(300)],
      ]),
    );
    expect(await keptAnswers(made.service_request_id)).toMatchObject({
      description: "Deep hole. ".repeat(300).trim(),
      hazards: ["deep"],
      report_url: "https://www.fixmystreet.com/report/42",
      title: "Big hole",
      easting: "530123",
      // A contact in an answer the service does not ask for is not kept: a department never sees one.
      email: "***@***",
    });
    // Their names are the sender's to choose (`email`): anyone reads only the answers to the questions.
    const report = await publicReport(made.service_request_id);
    expect(report.attributes).toEqual({ hazards: ["deep"] });
    // The department reads them all on its work order, with the service's questions to read them by.
    const cluster = (await (await t.app.request(`/api/clusters/${report.clusterId}`)).json()) as {
      cluster: { workOrder: { id: string } };
    };
    const detail = await t.app.request(
      `/api/department/work-orders/${cluster.cluster.workOrder.id}`,
      asToken(await departmentToken(t, "roads")),
    );
    expect(detail.status).toBe(200);
    const { reports, questions } = (await detail.json()) as {
      reports: { id: string; attributes: Record<string, unknown> }[];
      questions: { code: string }[];
    };
    expect(reports.find((r) => r.id === made.service_request_id)?.attributes).toEqual({
      hazards: ["deep"],
      report_url: "https://www.fixmystreet.com/report/42",
      title: "Big hole",
      easting: "530123",
      email: "***@***",
      description: "Deep hole. ".repeat(300).trim(),
    });
    expect(questions.map((q) => q.code)).toEqual(["hazards", "seen_at"]);
    const [bad] = await post(pothole([["attribute[hazards]", "shallow"]]), 400);
    expect(bad.description).toMatch(/^attribute\[hazards\]:/);
  });

  it("keeps attributes whose codes are the names of built-in object members like any other", async () => {
    const [made] = await post(
      pothole([
        ["attribute[constructor]", "x"],
        ["attribute[toString]", "y"],
      ]),
    );
    expect(await keptAnswers(made.service_request_id)).toMatchObject({ constructor: "x", toString: "y" });
    expect((await publicReport(made.service_request_id)).attributes).toEqual({});
    // No object of answers can hold `__proto__` as a key: refused, named.
    const [refused] = await post(pothole([["attribute[__proto__]", "z"]]), 400);
    expect(refused.description).toMatch(/^attribute\[__proto__\]:/);
  });

  it("refuses an attribute name no answer can have, naming it, and keeps accepting plain extras", async () => {
    for (const name of ["attribute[a][b]", "attribute[]", "attribute[a"]) {
      const [refused] = await post(pothole([[name, "x"]]), 400);
      expect(refused.description.startsWith(`${name}: `)).toBe(true);
    }
    // GeoReport v2 clients send fields of their own: those are no answers, and stay accepted.
    const [made] = await post(pothole([["council_ref", "FMS-42"]]));
    expect(made.service_request_id).toBeTruthy();
    // Sent once, a field named `__proto__` is one more extra (it had been read as given twice).
    const [extra] = await post(pothole([["__proto__", "1"]]));
    expect(extra.service_request_id).toBeTruthy();
  });

  it("answers a body of another type (JSON) with 415, in the spec's error shape", async () => {
    const p = nextSpot();
    const res = await t.app.request("/open311/v2/requests.json", {
      method: "POST",
      headers: { "content-type": "application/json", ...fromResident(step) },
      body: JSON.stringify({ api_key: apiKey, service_code: "pothole", lat: p.lat, long: p.lon }),
    });
    expect(res.status).toBe(415);
    const [error] = (await res.json()) as { code: number; description: string }[];
    expect(error?.code).toBe(415);
    expect(error?.description).toMatch(/x-www-form-urlencoded/);
    // A compressed form likewise: refused, named, rather than read as its compressed bytes.
    const form = new URLSearchParams({
      api_key: apiKey,
      service_code: "pothole",
      lat: `${p.lat}`,
      long: `${p.lon}`,
    });
    const gzipped = await t.app.request("/open311/v2/requests.json", {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        "content-encoding": "gzip",
        ...fromResident(step),
      },
      body: gzipSync(form.toString()),
    });
    expect(gzipped.status).toBe(415);
    expect(((await gzipped.json()) as { description: string }[])[0]?.description).toBe(
      "Content-Encoding: send the body uncompressed",
    );
  });

  it("accepts a phone number as people write it", async () => {
    for (const phone of [
      "+44 (0)20 7946 0000 ext. 12",
      "0731-8888 6666 转 301",
      "+1 (202) 555-0143, ext. 7",
      "+44 (0) 20 7946 0000 Ext: 12",
      "020 7946 0000 (mobile)",
      "tel:+442079460000",
      "+1\u2011202\u2011555\u20110143",
      "+86 731 8888 6666 分机号 301",
    ]) {
      await post(pothole([["phone", phone]]));
    }
    const [bad] = await post(pothole([["phone", "call me maybe"]]), 400);
    expect(bad.description).toMatch(/^phone:/);
  });

  it("reads a datetime answer whose + arrived as a space, or without a zone (the city's), and keeps its zone", async () => {
    const seen = async (value: string) => {
      const [made] = await post(pothole([["attribute[seen_at]", value]]));
      return (await publicReport(made.service_request_id)).attributes.seen_at;
    };
    // A form body written without escaping the `+`: it arrives as a space.
    expect(await seen("2026-03-01T07:30:00 08:00")).toBe("2026-03-01T07:30:00+08:00");
    expect(await seen("2026-03-01T07:30:00")).toBe("2026-03-01T07:30:00+08:00");
    expect(await seen("2026-03-01T07:30:00-05:00")).toBe("2026-03-01T07:30:00-05:00");
    const [bad] = await post(pothole([["attribute[seen_at]", "yesterday"]]), 400);
    expect(bad.description).toMatch(/^attribute\[seen_at\]:/);
  });

  it("keeps the first media_url when a client sends one per photo", async () => {
    const [made] = await post(
      pothole([
        ["media_url", "https://photos.example.org/first.jpg"],
        ["media_url", "https://photos.example.org/second.jpg"],
      ]),
    );
    expect((await get(`requests/${made.service_request_id}.json`))[0].media_url).toBe(
      "https://photos.example.org/first.jpg",
    );
  });

  it("refuses a field given twice with two values, naming it, and takes one repeated as it was", async () => {
    const count = async () => (await get("requests.json?page_size=1000")).length;
    const before = await count();
    for (const [name, second] of [
      ["lat", "10"],
      ["service_code", "streetlight"],
      ["description", "Another hole"],
    ] as const) {
      const [refused] = await post([...pothole(), [name, second]], 400);
      expect(refused.description).toBe(`${name}: is given more than once; it takes one value`);
    }
    const [badKey] = await post(pothole([["api_key", "not-a-key"]]), 400);
    expect(badKey.description).toMatch(/^api_key: is given more than once/);
    expect(await count()).toBe(before);
    // A form builder repeating a hidden input says one thing twice.
    const [made] = await post(pothole([["api_key", apiKey]]));
    expect(made.service_request_id).toBeTruthy();
  });

  it("lists every question a request got wrong, one error each, in the spec's error list", async () => {
    await makeService(t, {
      code: "two_questions",
      threshold: 1,
      attributes: [
        { ...hazards, code: "depth_kind", required: true },
        { ...seenAt, code: "first_seen", required: true },
      ],
    });
    const p = nextSpot();
    const errors = await post(
      [
        ["service_code", "two_questions"],
        ["lat", String(p.lat)],
        ["long", String(p.lon)],
        ["description", "Two questions left unanswered"],
      ],
      400,
    );
    expect(errors).toEqual([
      { code: 400, description: "attribute[depth_kind]: is required" },
      { code: 400, description: "attribute[first_seen]: is required" },
    ]);
    // The JSON API says the first as its error and lists them all.
    const res = await t.app.request("/api/reports", {
      method: "POST",
      headers: { "content-type": "application/json", ...fromResident(step) },
      body: JSON.stringify({
        service: "two_questions",
        lat: p.lat,
        lon: p.lon,
        description: "Two",
        attributes: { first_seen: "soon" },
      }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: unknown }).error).toMatchObject({
      field: "attributes.depth_kind",
      problems: [
        { field: "attributes.depth_kind", message: "attributes.depth_kind: is required" },
        {
          field: "attributes.first_seen",
          message: expect.stringMatching(/^attributes\.first_seen: must be a date-time/),
        },
      ],
    });
  });

  it("refuses an answer's name holding a control character or an invisible mark", async () => {
    for (const name of ["attribute[a\u0000]", "attribute[a\u202e]", "attribute[a\u200b]"]) {
      const [refused] = await post(pothole([[name, "x"]]), 400);
      expect(refused.description.startsWith(`${name}: `), refused.description).toBe(true);
    }
  });

  it("refuses a multipart field whose bytes are not UTF-8, naming it", async () => {
    const boundary = "----civicloop-test";
    const part = (name: string, value: Uint8Array | string) => [
      enc(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n`),
      typeof value === "string" ? enc(value) : value,
      enc("\r\n"),
    ];
    const p = nextSpot();
    const chunks = [
      ...part("api_key", apiKey),
      ...part("service_code", "pothole"),
      ...part("lat", String(p.lat)),
      ...part("long", String(p.lon)),
      ...part("description", new Uint8Array([0x48, 0x6f, 0x6c, 0x65, 0xff, 0xfe])),
      enc(`--${boundary}--\r\n`),
    ];
    const res = await t.app.request("/open311/v2/requests.json", {
      method: "POST",
      headers: { "content-type": `multipart/form-data; boundary=${boundary}`, ...fromResident(step) },
      body: new Blob(chunks as BlobPart[]),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual([{ code: 400, description: "description: is not valid UTF-8" }]);
  });

  it("keeps the codes cities use for services and departments, case and all", async () => {
    for (const code of ["POTHOLE", "001", "PW-ROADS"]) {
      await makeService(t, { code, threshold: 1 });
    }
    const dept = await t.app.request("/api/admin/departments", {
      method: "POST",
      ...asAdmin({
        code: "PW-ROADS",
        name: { en: "Public Works", zh: "市政" },
        services: ["POTHOLE", "001"],
        area: squareAround(CHANGSHA, 20000),
      }),
    });
    expect(dept.status, await dept.text()).toBe(201);
    const codes = (await get("services.json")).map((s: { service_code: string }) => s.service_code);
    expect(codes).toEqual(expect.arrayContaining(["POTHOLE", "001", "PW-ROADS", "pothole"]));
    const p = nextSpot();
    const [made] = await post([
      ["service_code", "POTHOLE"],
      ["lat", String(p.lat)],
      ["long", String(p.lon)],
    ]);
    const [shown] = await get(`requests/${made.service_request_id}.json`);
    expect(shown).toMatchObject({ service_code: "POTHOLE", agency_responsible: expect.any(String) });
    expectValid("requests", [shown]);
  });

  it("takes api_key from the query string of a POST", async () => {
    await post(pothole(), 200, { path: `/open311/v2/requests.json?api_key=${apiKey}`, withKey: false });
    await post(pothole(), 403, { path: "/open311/v2/requests.json?api_key=wrong", withKey: false });
  });

  it("keeps media_url and returns it with the request and the report", async () => {
    const media = "https://photos.example.org/pothole-42.jpg";
    const [made] = await post(pothole([["media_url", media]]));
    const [shown] = await get(`requests/${made.service_request_id}.json`);
    expect(shown.media_url).toBe(media);
    expectValid("requests", [shown]);
    const listed = await get("requests.json");
    expect(
      listed.find((r: { service_request_id: string }) => r.service_request_id === made.service_request_id),
    ).toMatchObject({ media_url: media });
    expect((await publicReport(made.service_request_id)).mediaUrl).toBe(media);
    const [plain] = await post(pothole());
    expect((await get(`requests/${plain.service_request_id}.json`))[0].media_url).toBeNull();
  });

  it("writes media_url as a URI any strict client reads, without a user name or password in it", async () => {
    // West of the city, where `nextSpot()` never walks (other tests count on its steps).
    const west = east(CHANGSHA, -6900);
    const sent = async (media: string) => {
      const [made] = await post([
        ["service_code", "pothole"],
        ["lat", String(west.lat)],
        ["long", String(west.lon)],
        ["media_url", media],
      ]);
      const [shown] = await get(`requests/${made.service_request_id}.json`);
      expectValid("requests", [shown]);
      return shown.media_url;
    };
    expect(await sent('https://例子.中国/照片 1.jpg?q="<>{}|')).toBe(
      "https://xn--fsqu00a.xn--fiqs8s/%E7%85%A7%E7%89%87%201.jpg?q=%22%3C%3E%7B%7D%7C",
    );
    expect(await sent("http://user:secret@photos.example.org/a\\b%zz.jpg")).toBe(
      "http://photos.example.org/a/b%25zz.jpg",
    );
    // Escaped, a link of 615 characters grows to 5,418: refused, as one of that length is.
    const [tooLong] = await post(
      [
        ["service_code", "pothole"],
        ["lat", String(west.lat)],
        ["long", String(west.lon)],
        ["media_url", `https://photos.example.org/${"中".repeat(600)}`],
      ],
      400,
    );
    expect(tooLong.description).toMatch(/^media_url: is too long/);
  });

  it("walks updates written in one second page by page, by the Link of each full page", async () => {
    // Three residents at one moment: their updates share a time (a threshold's change writes thousands).
    for (let i = 0; i < 3; i++)
      await post([
        ["service_code", "pothole"],
        ["lat", String(CHANGSHA.lat - 0.004)],
        ["long", String(CHANGSHA.lon - 0.001 * i)],
        ["description", "Hole by the school"],
      ]);
    const all = await get("servicerequestupdates.json?start_date=2026-03-01T00:00:00Z");
    expect(all.length).toBeGreaterThan(4);
    const walked: string[] = [];
    let path: string | null =
      "/open311/v2/servicerequestupdates.json?start_date=2026-03-01T00:00:00Z&page_size=2";
    while (path) {
      const res: Response = await t.app.request(path);
      expect(res.status).toBe(200);
      const page = (await res.json()) as { update_id: string }[];
      walked.push(...page.map((u) => u.update_id));
      const next = /<([^>]+)>; rel="next"/.exec(res.headers.get("link") ?? "")?.[1];
      path = next ? new URL(next).pathname + new URL(next).search : null;
      expect(walked.length).toBeLessThanOrEqual(all.length + 2);
    }
    expect(walked).toEqual(all.map((u: { update_id: string }) => u.update_id));
    expect((await get("servicerequestupdates.json?after=soon", 400))[0].description).toMatch(/^after:/);
  });

  it("takes a resident's update (POST servicerequestupdates) onto the timeline, the name kept private", async () => {
    const [made] = await post(pothole());
    const update = (fields: [string, string][], status = 200) =>
      post(fields, status, { path: "/open311/v2/servicerequestupdates.json" });
    const answer = await update([
      ["service_request_id", made.service_request_id],
      ["update_id", "fms-comment-77"],
      ["updated_datetime", "2026-03-01T16:00:00+08:00"],
      ["status", "CLOSED"],
      ["description", "It got bigger after the rain"],
      ["media_url", "https://photos.example.org/update-77.jpg"],
      ["first_name", "Privatefirstname"],
      ["last_name", "Privatelastname"],
      ["email", "update.private.marker@example.com"],
    ]);
    expect(answer).toEqual([
      { update_id: expect.stringMatching(new RegExp(`-${made.service_request_id}$`)) },
    ]);
    // FixMyStreet sends an update again when it missed the answer: the same update_id makes no second note.
    const again = await update([
      ["service_request_id", made.service_request_id],
      ["update_id", "fms-comment-77"],
      ["updated_datetime", "2026-03-01T16:00:00+08:00"],
      ["status", "CLOSED"],
      ["description", "It got bigger after the rain"],
    ]);
    expect(again).toEqual(answer);
    // Sent twice at once: still one note, and both answers name it.
    const twice = await Promise.all(
      [1, 2].map(() =>
        update([
          ["service_request_id", made.service_request_id],
          ["update_id", "fms-comment-78"],
          ["description", "Sent twice at once"],
        ]),
      ),
    );
    expect(twice[0]).toEqual(twice[1]);
    const updates = await get("servicerequestupdates.json?start_date=2026-03-01T00:00:00Z");
    for (const words of ["It got bigger after the rain", "Sent twice at once"])
      expect(updates.filter((u: { description: string }) => u.description.includes(words))).toHaveLength(1);
    const mine = updates.find((u: { update_id: string }) => u.update_id === answer[0].update_id);
    expect(mine).toMatchObject({ service_request_id: made.service_request_id });
    expect(mine.description).toContain("It got bigger after the rain");
    expect(mine.description).toContain("https://photos.example.org/update-77.jpg");
    // A status from the app moves nothing: the request is as open as before.
    expect((await get(`requests/${made.service_request_id}.json`))[0].status).toBe("open");
    const { clusterId } = await publicReport(made.service_request_id);
    const page = await (await t.app.request(`/api/clusters/${clusterId}`)).text();
    expect(page).toContain("update_posted");
    expect(page).toContain("It got bigger after the rain");
    for (const body of [JSON.stringify(updates), page]) {
      expect(body).not.toMatch(/Privatefirstname|Privatelastname|update\.private\.marker/);
    }
    expect(
      (
        await update(
          [
            ["service_request_id", "nosuch"],
            ["description", "x"],
          ],
          404,
        )
      )[0].code,
    ).toBe(404);
    expect((await update([["service_request_id", made.service_request_id]], 400))[0].description).toMatch(
      /^description:/,
    );
    expect((await update([["description", "x"]], 400))[0].description).toBe(
      "service_request_id: is required",
    );
    const refused = await t.app.request("/open311/v2/servicerequestupdates.json", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({ service_request_id: made.service_request_id, description: "x" }).toString(),
    });
    expect(refused.status).toBe(403);
  });

  it("takes a multipart POST with a photo through the photo checks, linked to the report", async () => {
    const multipart = async (photo: Uint8Array, status: number, field = "media") => {
      const body = new FormData();
      for (const [k, v] of pothole()) body.append(k, v);
      body.append("api_key", apiKey);
      body.append(field, new Blob([photo as Uint8Array<ArrayBuffer>], { type: "image/jpeg" }), "photo.jpg");
      const res = await t.app.request("/open311/v2/requests.json", {
        method: "POST",
        headers: { ...fromResident(step) },
        body,
      });
      const text = await res.text();
      expect(res.status, text).toBe(status);
      return JSON.parse(text);
    };
    const [made] = await multipart(realJpeg(), 200);
    const photos = await (await t.app.request(`/api/photos?report=${made.service_request_id}`)).json();
    expect(photos.photos).toHaveLength(1);
    // A client reading its request back finds the photo it uploaded as the request's media_url.
    const [shown] = await get(`requests/${made.service_request_id}.json`);
    expect(shown.media_url).toBe(`http://civicloop.test/api/photos/${photos.photos[0].id}`);
    // Clients name the file part as they like: every name keeps the photo, none is dropped.
    for (const field of ["photo", "media_url", "file", "image"]) {
      const [also] = await multipart(realJpeg(), 200, field);
      const kept = await (await t.app.request(`/api/photos?report=${also.service_request_id}`)).json();
      expect(kept.photos, field).toHaveLength(1);
    }
    // Not an image: refused as `POST /api/photos` refuses it, and no report is made.
    const before = (await get("requests.json")).length;
    const [refused] = await multipart(enc("not an image at all"), 415);
    expect(refused.code).toBe(415);
    expect((await get("requests.json")).length).toBe(before);
  });

  it("keeps no photo of a multipart POST refused after it, nor of an update sent again", async () => {
    const photoCount = async () =>
      (await t.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM photos`))[0]?.n ?? 0;
    const form = (fields: [string, string][], photos: Uint8Array[]) => {
      const body = new FormData();
      for (const [k, v] of fields) body.append(k, v);
      body.append("api_key", apiKey);
      for (const [i, photo] of photos.entries())
        body.append(
          `media${i}`,
          new Blob([photo as Uint8Array<ArrayBuffer>], { type: "image/jpeg" }),
          "p.jpg",
        );
      return body;
    };
    const send = async (path: string, body: FormData, status: number) => {
      const res = await t.app.request(`/open311/v2/${path}`, {
        method: "POST",
        headers: { ...fromResident(++step) },
        body,
      });
      expect(res.status, await res.clone().text()).toBe(status);
      return res.json();
    };
    const before = await photoCount();
    // The first photo passes its checks and is stored; the second is not an image: no report, no photo.
    await send("requests.json", form(pothole(), [realJpeg(), enc("not an image at all")]), 415);
    // A request refused after its photos were stored (an unknown attribute value) keeps none either.
    await send("requests.json", form([...pothole(), ["attribute[hazards][]", "nosuch"]], [realJpeg()]), 400);
    expect(await photoCount()).toBe(before);

    const [made] = await post(pothole());
    const update = [
      ["service_request_id", made.service_request_id],
      ["update_id", "fms-comment-with-photo"],
      ["description", "A picture of it now"],
    ] as [string, string][];
    const first = await send("servicerequestupdates.json", form(update, [realJpeg()]), 200);
    expect(await photoCount()).toBe(before + 1);
    // FixMyStreet sends it again, photo and all: the same note, and the second copy is not kept.
    expect(await send("servicerequestupdates.json", form(update, [realJpeg()]), 200)).toEqual(first);
    expect(await photoCount()).toBe(before + 1);
  });

  it("takes three phone-sized photos in one multipart POST", async () => {
    // West of the city: `nextSpot()` only walks east, so no other test's report lands here.
    const p = east(CHANGSHA, -7300);
    const body = new FormData();
    for (const [k, v] of [
      ["api_key", apiKey],
      ["service_code", "pothole"],
      ["lat", String(p.lat)],
      ["long", String(p.lon)],
      ["description", "Three pictures of one hole"],
    ])
      body.append(k as string, v as string);
    // A real JPEG padded to 2 MB, as a phone's photo: three are over one photo's 5 MB together.
    const photo = new Uint8Array(2 * 1024 * 1024);
    photo.set(realJpeg());
    for (const i of [1, 2, 3])
      body.append(
        `media${i}`,
        new Blob([photo as Uint8Array<ArrayBuffer>], { type: "image/jpeg" }),
        `p${i}.jpg`,
      );
    const res = await t.app.request("/open311/v2/requests.json", {
      method: "POST",
      headers: { ...fromResident(++step) },
      body,
    });
    expect(res.status, await res.clone().text()).toBe(200);
  });

  it("takes an empty file input as no photo", async () => {
    const body = new FormData();
    for (const [k, v] of pothole()) body.append(k, v);
    body.append("api_key", apiKey);
    body.append("media", new Blob([]), "");
    const res = await t.app.request("/open311/v2/requests.json", {
      method: "POST",
      headers: { ...fromResident(step) },
      body,
    });
    expect(res.status, await res.clone().text()).toBe(200);
    const [made] = (await res.json()) as { service_request_id: string }[];
    expect((await get(`requests/${made?.service_request_id}.json`))[0].media_url).toBeNull();
  });

  it("returns an update's picture as its media_url, by link or uploaded with a multipart update", async () => {
    const [made] = await post(pothole());
    const byLink = "https://photos.example.org/update-90.jpg";
    const [linked] = await post(
      [
        ["service_request_id", made.service_request_id],
        ["update_id", "fms-comment-90"],
        ["description", "Worse now"],
        ["media_url", byLink],
      ],
      200,
      { path: "/open311/v2/servicerequestupdates.json" },
    );
    const body = new FormData();
    body.append("api_key", apiKey);
    body.append("service_request_id", made.service_request_id);
    body.append("update_id", "fms-comment-91");
    body.append("media", new Blob([realJpeg() as Uint8Array<ArrayBuffer>], { type: "image/jpeg" }), "u.jpg");
    const res = await t.app.request("/open311/v2/servicerequestupdates.xml", {
      method: "POST",
      headers: { ...fromResident(++step) },
      body,
    });
    const xml = await res.text();
    expect(res.status, xml).toBe(200);
    const uploadedId = /<update_id>([^<]+)<\/update_id>/.exec(xml)?.[1];
    const updates = await get(
      `servicerequestupdates.json?service_request_id=${made.service_request_id}&start_date=2026-03-01T00:00:00Z`,
    );
    const byId = (id: string | undefined) => updates.find((u: { update_id: string }) => u.update_id === id);
    expect(byId(linked.update_id).media_url).toBe(byLink);
    const { clusterId } = await publicReport(made.service_request_id);
    const photos = (await (await t.app.request(`/api/photos?cluster=${clusterId}`)).json()) as {
      photos: { id: string; by: string }[];
    };
    expect(photos.photos).toHaveLength(1);
    expect(photos.photos[0]?.by).toBe("resident");
    const uploaded = byId(uploadedId);
    expect(uploaded.media_url).toBe(`http://civicloop.test/api/photos/${photos.photos[0]?.id}`);
    expect(uploaded.description).toContain(uploaded.media_url);
    // Hidden by the moderators: no longer advertised as the update's picture.
    const hide = await t.app.request(`/api/admin/moderation/photos/${photos.photos[0]?.id}/hide`, {
      method: "POST",
      ...asAdmin({}),
    });
    expect(hide.status).toBe(200);
    const after = await get(
      `servicerequestupdates.json?service_request_id=${made.service_request_id}&start_date=2026-03-01T00:00:00Z`,
    );
    expect(after.find((u: { update_id: string }) => u.update_id === uploadedId).media_url).toBeNull();
    // A photo for a request that is not there is not kept.
    const none = new FormData();
    none.append("api_key", apiKey);
    none.append("service_request_id", "nosuch");
    none.append("media", new Blob([realJpeg() as Uint8Array<ArrayBuffer>], { type: "image/jpeg" }), "u.jpg");
    const missing = await t.app.request("/open311/v2/servicerequestupdates.json", {
      method: "POST",
      headers: { ...fromResident(++step) },
      body: none,
    });
    expect(missing.status).toBe(404);
  });

  it("gives a department's status change the repair photo staff attached as its media_url", async () => {
    const [made] = await post(pothole());
    const { clusterId } = await publicReport(made.service_request_id);
    const cluster = (await (await t.app.request(`/api/clusters/${clusterId}`)).json()) as {
      cluster: { workOrder: { id: string } };
    };
    const token = await departmentToken(t, "roads");
    const upload = await t.app.request("/api/photos", {
      method: "POST",
      headers: { "content-type": "image/jpeg", ...fromResident(++step) },
      body: realJpeg() as Uint8Array<ArrayBuffer>,
    });
    expect(upload.status).toBe(201);
    const photo = ((await upload.json()) as { photo: { id: string } }).photo.id;
    expect((await move(t, token, cluster.cluster.workOrder.id, { to: "acknowledged" })).status).toBe(200);
    const fixed = await move(t, token, cluster.cluster.workOrder.id, { to: "resolved", photoIds: [photo] });
    expect(fixed.status, JSON.stringify(fixed.body)).toBe(200);
    const updates = await get(
      `servicerequestupdates.json?service_request_id=${made.service_request_id}&start_date=2026-03-01T00:00:00Z`,
    );
    // The test's clock stands still, so the updates are told apart by their words.
    const said = (words: string) =>
      updates.find((u: { description: string }) => u.description.includes(words))?.media_url;
    expect(said("work order resolved")).toBe(`http://civicloop.test/api/photos/${photo}`);
    expect(said("work order acknowledged")).toBeNull();
  });

  it("takes a client's own device ids, short or long, and a full first and last name", async () => {
    for (const id of ["42", "abc123", "a".repeat(128)]) await post(pothole([["device_id", id]]));
    expect((await post(pothole([["device_id", "a".repeat(129)]]), 400))[0].description).toMatch(
      /^device_id:/,
    );
    await post(
      pothole([
        ["first_name", "F".repeat(100)],
        ["last_name", "L".repeat(100)],
        ["email", "n@example.com"],
      ]),
    );
  });

  it("reads a parameter given more than once with all its values, and refuses it where one is meant", async () => {
    const ids = async (query: string) =>
      (await get(`requests.json?${query}`)).map((r: { service_request_id: string }) => r.service_request_id);
    const [made] = await post(pothole());
    const both = await ids("status=open&status=closed");
    expect(both).toContain(made.service_request_id);
    expect(both).toEqual(await ids("status=open,closed"));
    expect(await ids("service_code=noise&service_code=pothole")).toContain(made.service_request_id);
    expect((await get("requests.json?page_size=5&page_size=6", 400))[0].description).toBe(
      "page_size: is given more than once; it takes one value",
    );
    // A list given twice with a wrong value is refused for that value.
    expect((await get("requests.json?status=open&status=lost", 400))[0].description).toMatch(
      /^status: lost: must be one of "open", "closed"/,
    );
    // The same value twice is that value.
    expect(await ids("status=open&status=open")).toEqual(await ids("status=open"));
    // Lists as PHP and Rack clients write them: read, not left out (which had listed everything).
    expect(await ids("status[]=closed")).toEqual(await ids("status=closed"));
    expect(await ids("status%5B0%5D=open&status%5B1%5D=closed")).toEqual(both);
    expect(await ids(`service_request_id[]=${made.service_request_id}`)).toEqual([made.service_request_id]);
    expect(await ids("service_code[]=noise")).not.toContain(made.service_request_id);
    expect(await ids("status[x]=closed")).toEqual(await ids("status=closed"));
    // One that takes one value, given twice as a list, is refused as given twice.
    expect((await get("requests.json?page_size[]=5&page_size[]=6", 400))[0].description).toBe(
      "page_size: is given more than once; it takes one value",
    );
  });

  it("reads an optional argument sent empty as one not sent, as the spec's Optional Arguments say", async () => {
    // Clients that fill the query from a form send every field, blank or not (`start_date=`).
    const [made] = await post(pothole());
    const plain = await get("requests.json");
    expect(plain.map((r: { service_request_id: string }) => r.service_request_id)).toContain(
      made.service_request_id,
    );
    const empty =
      "start_date=&end_date=&status=&service_code=&service_request_id=&jurisdiction_id=&page=&page_size=";
    expect(await get(`requests.json?${empty}&extensions=`)).toEqual(plain);
    expect(await get(`requests/${made.service_request_id}.json?extensions=`)).toEqual(
      await get(`requests/${made.service_request_id}.json`),
    );
    expect(await get("services.json?extensions=&jurisdiction_id=")).toEqual(await get("services.json"));
    expect(await get("servicerequestupdates.json?start_date=&end_date=&service_request_id=")).toEqual(
      await get("servicerequestupdates.json"),
    );
    // Sent with a value, it is still read and checked.
    expect((await get("requests.json?start_date=soon", 400))[0].description).toMatch(
      /^start_date: must be a W3C/,
    );
    expect((await get("requests.json?extensions=yes", 400))[0].description).toMatch(/^extensions:/);
    // Written as clients write them: a boolean as 1 or in capitals, a status in capitals.
    const extended = await get(`requests/${made.service_request_id}.json?extensions=true`);
    for (const on of ["TRUE", "1", "True"])
      expect(await get(`requests/${made.service_request_id}.json?extensions=${on}`), on).toEqual(extended);
    expect(await get(`requests/${made.service_request_id}.json?extensions=0`)).toEqual(
      await get(`requests/${made.service_request_id}.json`),
    );
    expect(await get("requests.json?status=OPEN,Closed")).toEqual(
      await get("requests.json?status=open,closed"),
    );
  });

  it("answers 404 for a POST naming a service that is not there, as the spec says, writing nothing", async () => {
    const before = await t.db.all(sql`SELECT id FROM reports`);
    for (const format of ["json", "xml"]) {
      const res = await t.app.request(`/open311/v2/requests.${format}`, {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams([
          ["api_key", apiKey],
          ...pothole().map(([k, v]): [string, string] => [k, k === "service_code" ? "nosuch" : v]),
        ]).toString(),
      });
      const text = await res.text();
      expect(res.status, text).toBe(404);
      expect(text).toContain(format === "json" ? '"code":404' : "<code>404</code>");
      expect(text).toContain("service_code: unknown service nosuch");
    }
    // Sent without one, it is a 400: the request cannot be read, not a thing that is missing.
    const [missing] = await post(
      pothole().filter(([k]) => k !== "service_code"),
      400,
    );
    // Said in plain words, as every other missing field is, not in zod's ("expected string, received undefined").
    expect(missing.description).toBe("service_code: is required");
    expect(await t.db.all(sql`SELECT id FROM reports`)).toEqual(before);
  });

  it("says its JSON is UTF-8 in the content type, as the spec writes it", async () => {
    for (const path of ["services.json", "requests.json", "services/nosuch.json"]) {
      const res = await t.app.request(`/open311/v2/${path}`);
      // A client that decodes by the header (Android's Volley defaults to ISO-8859-1) reads 坑 right.
      expect(res.headers.get("content-type"), path).toBe("application/json; charset=utf-8");
    }
  });

  it("refuses a day the month does not have and an hour past 23", async () => {
    for (const q of [
      "start_date=2026-02-30T00:00:00Z",
      "end_date=2026-04-31",
      "start_date=2026-03-01T24:00:00Z",
    ])
      expect((await get(`requests.json?${q}`, 400))[0].description).toMatch(/^(start|end)_date:/);
    expect(await get("requests.json?start_date=2028-02-29T00:00:00Z")).toEqual([]);
    const [wrongDay] = await post(pothole([["attribute[seen_at]", "2026-02-30T08:00:00Z"]]), 400);
    expect(wrongDay.description).toMatch(/^attribute\[seen_at\]:/);
  });

  it("refuses an end_date before the start_date, rather than answering an empty list", async () => {
    for (const path of ["requests.json", "servicerequestupdates.json"])
      expect((await get(`${path}?start_date=2026-03-05&end_date=2026-03-01`, 400))[0].description).toBe(
        "end_date: is before start_date",
      );
    // The same day is the whole day: end_date is inclusive at the precision written.
    await get("requests.json?start_date=2026-03-01T12:00:00Z&end_date=2026-03-01");
  });

  it("keeps the address_string sent beside lat and long as the request's address and the report's", async () => {
    const words = "12 Furong Middle Road, outside the bakery";
    const [made] = await post(pothole([["address_string", ` ${words} `]]));
    const [shown] = await get(`requests/${made.service_request_id}.json`);
    expect(shown.address).toBe(words);
    expectValid("requests", [shown]);
    expect((await publicReport(made.service_request_id)).address).toBe(words);
    // None sent: the gazetteer's nearest name, as before.
    const [plain] = await post(pothole());
    expect((await get(`requests/${plain.service_request_id}.json`))[0].address).not.toBe(words);
    expect((await publicReport(plain.service_request_id)).address).toBeNull();
    // A report moderators hide loses its words, these included.
    const hide = await t.app.request(`/api/admin/moderation/reports/${made.service_request_id}/hide`, {
      method: "POST",
      ...asAdmin(),
    });
    expect(hide.status).toBe(200);
    expect((await get(`requests/${made.service_request_id}.json`))[0].address).not.toBe(words);
    expect((await publicReport(made.service_request_id)).address).toBeNull();
  });

  it("places an address written with its district and city at its street, never at the district alone", async () => {
    /** Imports gazetteer rows (CSV lines under the header) as the admin does. */
    const importPlaces = async (...rows: string[]) => {
      const csv = ["kind,name_zh,name_en,pinyin,lat,lon", ...rows, ""].join("\n");
      const imported = await t.app.request("/api/admin/places", { method: "POST", ...asAdmin({ csv }) });
      expect(imported.status).toBe(201);
    };
    await importPlaces(
      "road,解放西路,Jiefang West Road,Jiěfàng Xīlù,28.1931,112.9741",
      "district,天心区,Tianxin District,Tiānxīn Qū,28.1100,112.9900",
    );
    const alone = () => pothole().filter(([k]) => k !== "lat" && k !== "long");
    for (const address of [
      "Jiefang West Road, Changsha",
      "88 Jiefang West Road, Tianxin District, Changsha, Hunan 410000",
      "解放西路 长沙",
      "长沙市解放西路100号",
      // A word's start, and pinyin split otherwise than the gazetteer's, name it too.
      "88 Jiefang W Road, Changsha",
      "Jiefang Xi Lu 88, Changsha",
      "88 Jiefangxi Road",
    ]) {
      const [made] = await post([...alone(), ["address_string", address]]);
      const [request] = await get(`requests/${made.service_request_id}.json`);
      expect([request.lat, request.long], address).toEqual([28.1931, 112.9741]);
    }
    // Only the district and the city are known: not where the problem is.
    const [vague] = await post([...alone(), ["address_string", "Nowhere Lane, Tianxin District"]], 400);
    expect(vague.description).toMatch(/^address_string:/);
    // A district alone is no place either, and a word some name begins with names nothing: these
    // had all been placed at a landmark, gathering a city's reports into one problem.
    await importPlaces(
      "landmark,长沙火车站,Changsha Railway Station,Chángshā Huǒchēzhàn,28.1953,113.0131",
      "landmark,湖南省博物馆,Hunan Museum,Húnán Shěng Bówùguǎn,28.2125,113.0004",
    );
    for (const address of ["Tianxin District", "Changsha, Hunan", "Main Street, Changsha", "Hunan", "长沙"]) {
      const [refused] = await post([...alone(), ["address_string", address]], 400);
      expect(refused.description, address).toMatch(/^address_string:/);
    }
    // A landmark's start alone names it no more (no spot of the file's row of spots is taken).
    for (const address of ["Hunan M", "M, Hunan", "Chang"]) {
      const form: [string, string][] = [
        ["service_code", "pothole"],
        ["description", "Hole"],
        ["address_string", address],
      ];
      expect((await post(form, 400))[0].description, address).toMatch(/^address_string:/);
    }
    for (const address of ["Changsha Railway Station", "Hunan Museum, Changsha", "湖南省长沙市长沙火车站"]) {
      const [made] = await post([...alone(), ["address_string", address]]);
      const [request] = await get(`requests/${made.service_request_id}.json`);
      expect(request.lat, address).toBeGreaterThan(28.19);
    }
  });

  it("names no agency and no expected date for a request whose department rejected its work", async () => {
    const [made] = await post(pothole());
    const { clusterId } = await publicReport(made.service_request_id);
    const cluster = (await (await t.app.request(`/api/clusters/${clusterId}`)).json()) as {
      cluster: { workOrder: { id: string } };
    };
    const [before] = await get(`requests/${made.service_request_id}.json`);
    expect(before.agency_responsible).not.toBeNull();
    expect(before.expected_datetime).not.toBeNull();
    const token = await departmentToken(t, "roads");
    const rejected = await move(t, token, cluster.cluster.workOrder.id, {
      to: "rejected",
      reason: "Not ours",
    });
    expect(rejected.status).toBe(200);
    const [after] = await get(`requests/${made.service_request_id}.json`);
    expect(after).toMatchObject({
      status: "open",
      agency_responsible: null,
      expected_datetime: null,
      service_notice:
        "A department gave this problem's work order back; it is waiting to be routed to another.",
    });
  });

  it("dates a closed request at its closing, and lists the report that opened a problem as one update", async () => {
    const [made] = await post(pothole());
    const { clusterId } = await publicReport(made.service_request_id);
    const cluster = (await (await t.app.request(`/api/clusters/${clusterId}`)).json()) as {
      cluster: { workOrder: { id: string } };
    };
    const token = await departmentToken(t, "roads");
    clock.advance(60_000);
    expect((await move(t, token, cluster.cluster.workOrder.id, { to: "acknowledged" })).status).toBe(200);
    clock.advance(60_000);
    expect((await move(t, token, cluster.cluster.workOrder.id, { to: "resolved" })).status).toBe(200);
    const closedAt = new Date(clock()).toISOString().replace(/\.\d+Z$/, "Z");
    clock.advance(60_000);
    await post(
      [
        ["service_request_id", made.service_request_id],
        ["description", "Thanks, all fixed"],
      ],
      200,
      {
        path: "/open311/v2/servicerequestupdates.json",
      },
    );
    const [request] = await get(`requests/${made.service_request_id}.json`);
    expect(request.status).toBe("closed");
    expect(request.updated_datetime).toBe(closedAt);
    const updates = await get(
      `servicerequestupdates.json?service_request_id=${made.service_request_id}&start_date=2026-03-01T00:00:00Z`,
    );
    expect(
      updates.filter((u: { description: string }) => /reported this problem/.test(u.description)),
    ).toHaveLength(1);
    // Without dates, the latest updates: the resident's word after the repair is among them.
    const latest = await get("servicerequestupdates.json");
    expect(latest.at(-1).description).toContain("Thanks, all fixed");
    clock.advance(60_000);
  });

  it("reads a bare date, month or year as the city's (UTC+8), from its midnight", async () => {
    // Four in the morning of 1 March in the city is still 28 February in UTC.
    const now = clock();
    clock.set(Date.parse("2026-02-28T20:00:00Z"));
    const [early] = await post(pothole());
    clock.set(now);
    const ids = async (query: string) =>
      (await get(`requests.json?${query}`)).map((r: { service_request_id: string }) => r.service_request_id);
    const id = early.service_request_id;
    expect(await ids("start_date=2026-03-01&end_date=2026-03-01")).toContain(id);
    expect(await ids("start_date=2026-03")).toContain(id);
    expect(await ids("end_date=2026-02-28")).not.toContain(id);
    expect(await ids("end_date=2026-02")).not.toContain(id);
    expect(await ids("start_date=2026-03-01T04:00:00&end_date=2026-03-01T04:00:00")).toContain(id);
  });

  it("lists the requests within a radius of a point (lat, long, radius), and refuses half a circle", async () => {
    const here = nextSpot();
    const [near] = await post(pothole());
    const [far] = await post(pothole());
    // The two were filed 100 m and 200 m east of `here` (each post moves on 100 m).
    const ids = async (query: string) =>
      (await get(`requests.json?${query}`)).map((r: { service_request_id: string }) => r.service_request_id);
    const at = `lat=${here.lat}&long=${here.lon}`;
    const within150 = await ids(`${at}&radius=150`);
    expect(within150).toContain(near.service_request_id);
    expect(within150).not.toContain(far.service_request_id);
    expect(await ids(`${at}&radius=250`)).toEqual(
      expect.arrayContaining([near.service_request_id, far.service_request_id]),
    );
    expect(await ids(`${at}&radius=50`)).toEqual([]);
    // A point without its radius: a kilometre.
    expect(await ids(at)).toEqual(expect.arrayContaining([near.service_request_id, far.service_request_id]));
    for (const [query, field] of [
      [`lat=${here.lat}`, "long"],
      [`long=${here.lon}`, "lat"],
      ["radius=100", "lat"],
      [`${at}&radius=0`, "radius"],
      [`${at}&radius=500000`, "radius"],
      [`${at}&radius=abc`, "radius: must be a whole number"],
      // CivicLoop's own routes write `lon`: sent here, it is named as Open311's `long`, not ignored.
      [`lat=${here.lat}&lon=${here.lon}`, "lon: is not a parameter here; did you mean long\\?"],
      ["lat=91&long=0", "lat"],
    ] as const)
      expect((await get(`requests.json?${query}`, 400))[0].description, query).toMatch(
        new RegExp(`^${field}`),
      );
  });

  it("names services, their questions and the department in Chinese for a client preferring it", async () => {
    const asked = async (path: string, language?: string) => {
      const res = await t.app.request(`/open311/v2/${path}`, {
        headers: language ? { "accept-language": language } : {},
      });
      expect(res.status, path).toBe(200);
      expect(res.headers.get("vary") ?? "", path).toMatch(/Accept-Language/i);
      // biome-ignore lint/suspicious/noExplicitAny: answers are inspected field by field
      return (await res.json()) as any;
    };
    const nameOf = async (language?: string) =>
      (await asked("services.json", language)).find(
        (s: { service_code: string }) => s.service_code === "pothole",
      ).service_name;
    expect(await nameOf()).toBe("Pothole");
    expect(await nameOf("zh-CN,zh;q=0.9,en;q=0.8")).toBe("坑洼");
    expect(await nameOf("en-US,en;q=0.9,zh;q=0.5")).toBe("Pothole");
    expect(await nameOf("fr-FR")).toBe("Pothole");
    const [question] = (await asked("services/pothole.json", "zh")).attributes;
    expect(question.description).toBe("有何危险");
    expect(question.values[0]).toEqual({ key: "deep", name: "很深" });
    // A value the city named in English only keeps its English name.
    expect(question.values[1]).toEqual({ key: "wide", name: "Wide" });
    // Within the department's area, wherever the spots before it reached.
    const [made] = await post([
      ["service_code", "pothole"],
      ["lat", String(CHANGSHA.lat)],
      ["long", String(CHANGSHA.lon)],
      ["description", "Hole by the bus stop"],
    ]);
    const [request] = await asked(`requests/${made.service_request_id}.json`, "zh-CN");
    expect(request.service_name).toBe("坑洼");
    expect(request.agency_responsible).toBe("roads");
    const [list] = await asked(`requests.json?service_request_id=${made.service_request_id}`, "zh-CN");
    expect(list.service_name).toBe("坑洼");
  });

  it("places a crossing where its streets meet, and a place written beside another at that place", async () => {
    const geojson = {
      type: "FeatureCollection",
      features: [
        roadFeature("八一路", "Bayi Road", "Bāyī Lù", [
          [112.96, 28.3],
          [112.98, 28.3],
          [113.0, 28.3],
        ]),
        roadFeature("韶山北路", "Shaoshan North Road", "Sháoshān Běilù", [
          [112.99, 28.28],
          [112.99, 28.32],
        ]),
      ],
    };
    const imported = await t.app.request("/api/admin/places", { method: "POST", ...asAdmin({ geojson }) });
    expect(imported.status).toBe(201);
    const alone = () => pothole().filter(([k]) => k !== "lat" && k !== "long");
    const placed = async (address: string) => {
      const [made] = await post([...alone(), ["address_string", address]]);
      const [request] = await get(`requests/${made.service_request_id}.json`);
      return [request.lat, request.long];
    };
    // The two lines cross at 112.99, 28.3: not the middle of either street.
    for (const address of [
      "Bayi Road and Shaoshan North Road",
      "corner of Bayi Road & Shaoshan North Road, Changsha",
      "Bayi Rd / Shaoshan N Road",
      "八一路与韶山北路交叉口",
      "八一路韶山北路口",
      "长沙市八一路和韶山北路交汇处附近",
    ])
      expect(await placed(address), address).toEqual([28.3, 112.99]);
    // One street beside something the gazetteer does not know: on that street, as before.
    for (const address of ["near Bayi Road bus stop", "Bayi Road near the bank, Changsha", "八一路附近"])
      expect(await placed(address), address).toEqual([28.3, 112.98]);
  });
});

describe("Open311 keys sent by browser pages", () => {
  let t: TestApp;
  let apiKey: string;
  let n = 0;
  beforeAll(async () => {
    t = await makeTestApp();
    await makeService(t, { threshold: 1 });
    await makeDepartment(t, { code: "roads", services: ["pothole"], area: squareAround(CHANGSHA, 20000) });
    const res = await t.app.request("/api/admin/api-keys", {
      method: "POST",
      ...asAdmin({ name: "Server" }),
    });
    apiKey = ((await res.json()) as { key: string }).key;
  });

  it("takes a key from a browser page only of a site listed for it, so a key copied into another page counts nobody", async () => {
    const issue = async (body: unknown) => {
      const res = await t.app.request("/api/admin/api-keys", { method: "POST", ...asAdmin(body) });
      return {
        status: res.status,
        body: (await res.json()) as { key: string; apiKey: { origins: string[] } },
      };
    };
    for (const bad of [
      "https://app.example/report",
      "app.example",
      "ftp://app.example",
      "https://app.example//",
    ])
      expect((await issue({ name: "Web client", origins: [bad] })).status, bad).toBe(400);
    // A site as people copy it (its slash, capitals, the scheme's own port) is the site.
    const web = await issue({
      name: "Web client",
      origins: ["https://App.example:443/", "http://localhost:5173"],
    });
    expect(web.status).toBe(201);
    expect(web.body.apiKey.origins).toEqual(["https://app.example", "http://localhost:5173"]);
    const listed = (await (await t.app.request("/api/admin/api-keys", asAdmin())).json()) as {
      apiKeys: { name: string; origins: string[] }[];
    };
    expect(listed.apiKeys.map((k) => k.origins)).toEqual([
      [],
      ["https://app.example", "http://localhost:5173"],
    ]);
    const from = async (key: string, origin?: string) => {
      const res = await t.app.request("/open311/v2/requests.json", {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          ...fromResident(`origins-${++n}`),
          ...(origin ? { origin } : {}),
        },
        body: new URLSearchParams([
          ["api_key", key],
          ["service_code", "pothole"],
          ["lat", String(east(CHANGSHA, 100 * n).lat)],
          ["long", String(east(CHANGSHA, 100 * n).lon)],
          ["description", "Hole by the bus stop"],
        ]).toString(),
      });
      return { status: res.status, body: await res.json() };
    };
    const reports = async () => (await t.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM reports`))[0]?.n;
    const before = await reports();
    // The site's own pages, and an app or a server (no Origin), are taken.
    expect((await from(web.body.key, "https://app.example")).status).toBe(200);
    expect((await from(web.body.key, "http://localhost:5173")).status).toBe(200);
    expect((await from(web.body.key)).status).toBe(200);
    expect((await from(apiKey)).status).toBe(200);
    // The key in an advert's page, or a key listing no site sent by any page: refused, nothing written.
    for (const [key, origin] of [
      [web.body.key, "https://ads.evil.example"],
      [web.body.key, "null"],
      [apiKey, "https://app.example"],
    ] as const) {
      expect(await from(key, origin)).toEqual({
        status: 403,
        body: [
          {
            code: 403,
            description: `api_key: is not accepted from pages of ${origin}; an admin lists the sites whose pages may send it`,
          },
        ],
      });
    }
    expect(await reports()).toBe((before ?? 0) + 4);
    // CivicLoop's own pages are its own site.
    expect((await from(apiKey, "http://civicloop.test")).status).toBe(200);
  });

  it("lets the admin list the sites of a key issued before them, and a hybrid phone app's own", async () => {
    const listed = (await (await t.app.request("/api/admin/api-keys", asAdmin())).json()) as {
      apiKeys: { id: string; name: string }[];
    };
    const server = listed.apiKeys.find((k) => k.name === "Server");
    const set = async (origins: string[]) =>
      t.app.request(`/api/admin/api-keys/${server?.id}`, { method: "PATCH", ...asAdmin({ origins }) });
    for (const bad of ["null", "https://app.example.", "https://*.example.com", "capacitor://localhost/x"])
      expect((await set([bad])).status, bad).toBe(400);
    const res = await set(["Capacitor://localhost/", "https://partner.example"]);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { apiKey: { origins: string[] } }).apiKey.origins).toEqual([
      "capacitor://localhost",
      "https://partner.example",
    ]);
    const post = (origin: string) =>
      t.app.request("/open311/v2/requests.json", {
        method: "POST",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          ...fromResident(`origins-late-${origin}`),
          origin,
        },
        body: new URLSearchParams([
          ["api_key", apiKey],
          ["service_code", "pothole"],
          ["lat", String(east(CHANGSHA, 5000).lat)],
          ["long", String(east(CHANGSHA, 5000).lon)],
          ["description", "From a listed site"],
        ]).toString(),
      });
    expect((await post("https://partner.example")).status).toBe(200);
    expect((await post("capacitor://localhost")).status).toBe(200);
    expect((await post("https://other.example")).status).toBe(403);
    expect(
      (await t.app.request("/api/admin/api-keys/nosuch", { method: "PATCH", ...asAdmin({ origins: [] }) }))
        .status,
    ).toBe(404);
  });
});
