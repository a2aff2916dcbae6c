/** A service's questions (Open311 attributes): how they are configured and how answers are checked. */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { type AttributeDefinition, validateAnswers } from "../src/domain/attributes";
import { AppError } from "../src/domain/errors";
import { makeTestApp, type TestApp } from "./support/app";
import { asAdmin, CHANGSHA, makeDepartment, makeService } from "./support/fixtures";
import { asToken, departmentToken } from "./support/work-orders";

const defs: AttributeDefinition[] = [
  { code: "name", datatype: "string", required: true, description: "Name of the road", order: 1 },
  { code: "depth", datatype: "number", required: false, description: "Depth (cm)", order: 2 },
  { code: "seen", datatype: "datetime", required: false, description: "First seen", order: 3 },
  { code: "more", datatype: "text", required: false, description: "More", order: 4 },
  {
    code: "side",
    datatype: "singlevaluelist",
    required: false,
    description: "Side",
    order: 5,
    values: [
      { key: "n", name: "North" },
      { key: "s", name: "South" },
    ],
  },
  {
    code: "kinds",
    datatype: "multivaluelist",
    required: false,
    description: "Kinds",
    order: 6,
    values: [
      { key: "a", name: "A" },
      { key: "b", name: "B" },
    ],
  },
  {
    code: "info",
    datatype: "text",
    required: false,
    description: "Call 12345 if urgent",
    order: 7,
    variable: false,
  },
];

function refusal(answers: Record<string, unknown>): { field?: string; message: string } {
  try {
    validateAnswers(defs, answers);
  } catch (e) {
    if (e instanceof AppError) return { field: e.field, message: e.message };
    throw e;
  }
  throw new Error("accepted");
}

describe("checking answers", () => {
  it("accepts each datatype and returns the answers cleaned", () => {
    expect(
      validateAnswers(defs, {
        name: " Wuyi Road ",
        depth: "12.5",
        seen: "2026-02-28T19:30:00+08:00",
        more: "",
        side: "n",
        kinds: ["a", "b", "a"],
      }),
    ).toEqual({
      name: "Wuyi Road",
      depth: 12.5,
      seen: "2026-02-28T19:30:00+08:00",
      side: "n",
      kinds: ["a", "b"],
    });
    expect(validateAnswers(defs, { name: "x", depth: 3, kinds: "b", seen: "2026-02-28" })).toEqual({
      name: "x",
      depth: 3,
      kinds: ["b"],
      seen: "2026-02-28",
    });
  });

  it("refuses what does not fit, naming the attribute", () => {
    expect(refusal({})).toEqual({ field: "attributes.name", message: "attributes.name: is required" });
    expect(refusal({ name: "  " }).field).toBe("attributes.name");
    expect(refusal({ name: "x", depth: "deep" }).message).toMatch(/must be a number/);
    expect(refusal({ name: "x", depth: "Infinity" }).message).toMatch(/must be a number/);
    // A number past 15 digits is no longer exact and would be written as 1e+299.
    expect(refusal({ name: "x", depth: "9".repeat(300) }).message).toMatch(/at most 15 digits/);
    expect(refusal({ name: "x", depth: -1e16 }).message).toMatch(/at most 15 digits/);
    expect(validateAnswers(defs, { name: "x", depth: "999999999999999" }).depth).toBe(999_999_999_999_999);
    expect(refusal({ name: "x", seen: "yesterday" }).message).toMatch(/date-time/);
    expect(refusal({ name: "x", seen: "28/02/2026 19:30" }).message).toMatch(/date-time/);
    // Without a zone it is the city's time, and a `+` a form turned into a space is read back: kept
    // with the zone.
    expect(validateAnswers(defs, { name: "x", seen: "2026-02-28T19:30:00" }).seen).toBe(
      "2026-02-28T19:30:00+08:00",
    );
    // As RFC 3339 writes one, which a department's system may parse strictly: seconds written (a
    // date alone stays a date, above: no time of day was given).
    expect(validateAnswers(defs, { name: "x", seen: "2026-02-28T19:30 08:00" }).seen).toBe(
      "2026-02-28T19:30:00+08:00",
    );
    expect(validateAnswers(defs, { name: "x", seen: "2026-02-28T19:30" }).seen).toBe(
      "2026-02-28T19:30:00+08:00",
    );
    expect(validateAnswers(defs, { name: "x", seen: "2026-02-28T19:30:05.25Z" }).seen).toBe(
      "2026-02-28T19:30:05.25Z",
    );
    expect(refusal({ name: "x", side: "e" }).message).toBe("attributes.side: must be one of n, s");
    expect(refusal({ name: "x", side: ["n", "s"] }).message).toBe("attributes.side: takes one value");
    expect(refusal({ name: "x", kinds: ["a", "z"] }).field).toBe("attributes.kinds");
    expect(refusal({ name: 5 }).message).toMatch(/must be text/);
    expect(refusal({ name: "x".repeat(1001) }).message).toMatch(/at most 1000/);
    expect(refusal({ name: "x", colour: "red" }).message).toMatch(/no such question/);
    expect(refusal({ name: "x", info: "hi" })).toMatchObject({
      field: "attributes.info",
      message: "attributes.info: is information only; it takes no answer",
    });
    // A blank answer to a statement (a client sending every field of the definition) is dropped;
    // from other systems (`keepUnknown`, Open311) an echoed statement is dropped too, not kept.
    expect(validateAnswers(defs, { name: "x", info: "" })).toEqual({ name: "x" });
    expect(validateAnswers(defs, { name: "x", info: ["Please stand clear"] }, { keepUnknown: true })).toEqual(
      {
        name: "x",
      },
    );
  });

  it("holds a number to its question's bounds, naming the attribute and the bound", () => {
    const depth: AttributeDefinition[] = [
      {
        code: "depth",
        datatype: "number",
        required: false,
        description: "Depth (cm)",
        order: 1,
        min: 0,
        max: 100,
      },
    ];
    const refused = (answers: Record<string, unknown>) => {
      try {
        validateAnswers(depth, answers);
      } catch (e) {
        if (e instanceof AppError) return { status: e.status, field: e.field, message: e.message };
        throw e;
      }
      throw new Error("accepted");
    };
    expect(refused({ depth: -5 })).toEqual({
      status: 400,
      field: "attributes.depth",
      message: "attributes.depth: must be at least 0",
    });
    expect(refused({ depth: "100.5" }).message).toBe("attributes.depth: must be at most 100");
    // The bounds themselves are answers.
    expect(validateAnswers(depth, { depth: "0" })).toEqual({ depth: 0 });
    expect(validateAnswers(depth, { depth: 100 })).toEqual({ depth: 100 });
    // Without bounds, a negative number is as good as any (a temperature, a floor below ground).
    expect(validateAnswers(defs, { name: "x", depth: -5 }).depth).toBe(-5);
  });

  it("says every missing answer in the form's order, and takes no name every object has for an answer", () => {
    const asked: AttributeDefinition[] = [
      { code: "surface", datatype: "string", required: true, description: "Surface", order: 2 },
      { code: "words", datatype: "string", required: true, description: "Words", order: 1 },
      { code: "constructor", datatype: "string", required: true, description: "Built by", order: 3 },
    ];
    try {
      validateAnswers(asked, {});
      throw new Error("accepted");
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      expect(e.field).toBe("attributes.words");
      expect((e.details as { problems: { message: string }[] }).problems.map((p) => p.message)).toEqual([
        "attributes.words: is required",
        "attributes.surface: is required",
        "attributes.constructor: is required",
      ]);
    }
    expect(validateAnswers(asked, { surface: "s", words: "w", constructor: "c" })).toEqual({
      surface: "s",
      words: "w",
      constructor: "c",
    });
  });

  it("asks nothing of a service without questions", () => {
    expect(validateAnswers([], {})).toEqual({});
    expect(() => validateAnswers([], { a: "1" })).toThrow(AppError);
  });
});

describe("configuring questions through the admin API", () => {
  let t: TestApp;
  const base = {
    code: "noise",
    name: { en: "Noise", zh: "噪音" },
    radiusM: 50,
    windowDays: 2,
    threshold: 1,
    ackHours: 4,
    resolveHours: 48,
  };

  beforeAll(async () => {
    t = await makeTestApp();
  });

  it("refuses questions that do not make sense", async () => {
    const list = { datatype: "singlevaluelist", description: "Which", order: 1 };
    for (const [attributes, field] of [
      [[{ code: "a", ...list }], "attributes.0.values"],
      [
        [{ code: "a", datatype: "string", description: "d", order: 1, values: [{ key: "k", name: "n" }] }],
        "attributes.0.values",
      ],
      [
        [
          {
            code: "a",
            ...list,
            values: [
              { key: "k", name: "1" },
              { key: "k", name: "2" },
            ],
          },
        ],
        "attributes.0.values",
      ],
      [
        [
          { code: "a", datatype: "text", description: "d", order: 1 },
          { code: "a", datatype: "text", description: "d", order: 2 },
        ],
        "attributes",
      ],
      [[{ code: "a", datatype: "colour", description: "d", order: 1 }], "attributes.0.datatype"],
      [[{ code: "a b", datatype: "text", description: "d", order: 1 }], "attributes.0.code"],
      [[{ code: "a", datatype: "text", description: "d", order: 0 }], "attributes.0.order"],
      // No form or object could carry its answer.
      [[{ code: "__proto__", datatype: "text", description: "d", order: 1 }], "attributes.0.code"],
      // A line of information takes no answer, so none can be required of it.
      [
        [{ code: "a", datatype: "text", description: "d", order: 1, variable: false, required: true }],
        "attributes.0.required",
      ],
      // Bounds belong to numbers, the lower first, within the 15 digits an answer may have.
      [[{ code: "a", datatype: "text", description: "d", order: 1, min: 0 }], "attributes.0.min"],
      [[{ code: "a", datatype: "datetime", description: "d", order: 1, max: 5 }], "attributes.0.max"],
      [[{ code: "a", datatype: "number", description: "d", order: 1, min: 10, max: 5 }], "attributes.0.max"],
      [[{ code: "a", datatype: "number", description: "d", order: 1, min: "0" }], "attributes.0.min"],
      [[{ code: "a", datatype: "number", description: "d", order: 1, max: 1e16 }], "attributes.0.max"],
    ] as const) {
      const res = await t.app.request("/api/admin/services", {
        method: "POST",
        ...asAdmin({ ...base, attributes }),
      });
      expect(res.status, JSON.stringify(attributes)).toBe(400);
      expect(((await res.json()) as { error: { field: string } }).error.field).toBe(field);
    }
    expect(await t.db.all(sql`SELECT code FROM services`)).toEqual([]);
  });

  it("keeps questions on POST, replaces them on PUT and shows them in the catalogue", async () => {
    const attributes = [
      { code: "loud", datatype: "number", required: true, description: "How loud (dB)", order: 1 },
    ];
    const created = await t.app.request("/api/admin/services", {
      method: "POST",
      ...asAdmin({ ...base, attributes }),
    });
    expect(created.status).toBe(201);
    expect(((await created.json()) as { service: { attributes: unknown } }).service.attributes).toEqual([
      { ...attributes[0], variable: true },
    ]);

    const report = (answers: Record<string, unknown>) =>
      t.app.request("/api/reports", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          service: "noise",
          ...CHANGSHA,
          description: "Drilling at night",
          attributes: answers,
        }),
      });
    expect((await report({})).status).toBe(400);
    const ok = await report({ loud: "85" });
    expect(ok.status).toBe(201);
    const id = ((await ok.json()) as { report: { id: string } }).report.id;
    const stored = await t.app.request(`/api/reports/${id}`);
    expect(((await stored.json()) as { report: { attributes: unknown } }).report.attributes).toEqual({
      loud: 85,
    });

    const replaced = [
      {
        code: "when",
        datatype: "singlevaluelist",
        description: "When",
        order: 1,
        values: [{ key: "night", name: "At night" }],
      },
    ];
    const put = await t.app.request("/api/admin/services/noise", {
      method: "PUT",
      ...asAdmin({ ...base, code: undefined, attributes: replaced }),
    });
    expect(put.status).toBe(200);
    const catalogue = (await (await t.app.request("/api/services")).json()) as {
      services: { code: string; attributes: { code: string; required: boolean }[] }[];
    };
    expect(catalogue.services[0]?.attributes).toMatchObject([{ code: "when", required: false }]);
    // The old question is gone, the new one is checked, at once (the intake's cache is dropped).
    expect((await report({ loud: "85" })).status).toBe(400);
    expect((await report({ when: "night" })).status).toBe(201);

    const cleared = await t.app.request("/api/admin/services/noise", {
      method: "PUT",
      ...asAdmin({ ...base, code: undefined }),
    });
    expect(((await cleared.json()) as { service: { attributes: unknown[] } }).service.attributes).toEqual([]);
    expect((await report({})).status).toBe(201);
  });

  it("gives a datetime answer stored without seconds by an earlier release with them, to the public and the department", async () => {
    const seen = { code: "seen", datatype: "datetime", required: false, description: "First seen", order: 1 };
    await t.app.request("/api/admin/services", {
      method: "POST",
      ...asAdmin({ ...base, code: "sighting", name: { en: "Sighting", zh: "目击" }, attributes: [seen] }),
    });
    await makeDepartment(t, { code: "watch", services: ["sighting"], fallbackFor: ["sighting"] });
    const token = await departmentToken(t, "watch");
    const filed = await t.app.request("/api/reports", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        service: "sighting",
        ...CHANGSHA,
        description: "x",
        attributes: { seen: "2026-02-28T19:30Z" },
      }),
    });
    const { report, cluster } = (await filed.json()) as {
      report: { id: string };
      cluster: { workOrder: { id: string } };
    };
    // As a release before seconds were written kept it.
    await t.db.run(
      sql`UPDATE reports SET attributes = '{"seen":"2026-02-28T19:30Z"}' WHERE id = ${report.id}`,
    );
    const shown = (await (await t.app.request(`/api/reports/${report.id}`)).json()) as {
      report: { attributes: Record<string, unknown> };
    };
    expect(shown.report.attributes).toEqual({ seen: "2026-02-28T19:30:00Z" });
    const detail = (await (
      await t.app.request(`/api/department/work-orders/${cluster.workOrder.id}`, asToken(token))
    ).json()) as { reports: { attributes: Record<string, unknown> }[] };
    expect(detail.reports[0]?.attributes).toEqual({ seen: "2026-02-28T19:30:00Z" });
  });

  it("keeps a number question's bounds and refuses a report outside them", async () => {
    const depth = {
      code: "depth",
      datatype: "number",
      required: false,
      description: "How deep (cm)?",
      order: 1,
      min: 0,
      max: 100,
    };
    const created = await t.app.request("/api/admin/services", {
      method: "POST",
      ...asAdmin({ ...base, code: "sinkhole", attributes: [depth] }),
    });
    expect(created.status).toBe(201);
    const catalogue = (await (await t.app.request("/api/services")).json()) as {
      services: { code: string; attributes: unknown[] }[];
    };
    expect(catalogue.services.find((s) => s.code === "sinkhole")?.attributes).toEqual([
      { ...depth, variable: true },
    ]);
    const report = (answer: unknown) =>
      t.app.request("/api/reports", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          service: "sinkhole",
          ...CHANGSHA,
          description: "A hole",
          attributes: { depth: answer },
        }),
      });
    const before = await t.db.all(sql`SELECT id FROM reports`);
    const refused = await report(-5);
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({
      error: { field: "attributes.depth", message: "attributes.depth: must be at least 0" },
    });
    expect(((await (await report("250")).json()) as { error: { message: string } }).error.message).toBe(
      "attributes.depth: must be at most 100",
    );
    expect(await t.db.all(sql`SELECT id FROM reports`)).toEqual(before);
    expect((await report(0)).status).toBe(201);
  });

  it("works with the fixture's plain services, which ask nothing", async () => {
    await makeService(t);
    const res = await t.app.request("/api/reports", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        service: "pothole",
        ...CHANGSHA,
        description: "hole",
        attributes: { any: "x" },
      }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { field: "attributes.any" } });
  });
});
