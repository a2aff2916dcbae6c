/**
 * Text is stored whole or refused: control characters (NUL above all, which would cut the stored
 * text short) are a 400 naming the field. Numbers in query strings are plain decimals.
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { makeTestApp, type TestApp } from "./support/app";
import { asAdmin, CHANGSHA, east, makeService, reportAt } from "./support/fixtures";

const good = { service: "pothole", lat: CHANGSHA.lat, lon: CHANGSHA.lon, description: "A hole" };
const box = `${CHANGSHA.lon - 0.01},${CHANGSHA.lat - 0.01},${CHANGSHA.lon + 0.01},${CHANGSHA.lat + 0.01}`;

describe("plain input", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp();
    await makeService(t);
  });

  const reports = async () => (await t.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM reports`))[0]?.n;

  it("refuses NUL and other control characters in text with a 400 naming the field", async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ ...good, description: "A hole\u0000 and the rest" }, "description"],
      [{ ...good, description: "bell \u0007" }, "description"],
      [{ ...good, description: "escape \u001b[31m red" }, "description"],
      [{ ...good, description: "delete \u007f" }, "description"],
      // C1: a terminal reads U+009B as the start of an escape sequence, as it reads ESC [.
      [{ ...good, description: "csi \u009b31m red" }, "description"],
      [{ ...good, description: "pad \u0080" }, "description"],
      // Noncharacters: XML cannot carry them, so Open311's XML and JSON answers would differ.
      [{ ...good, description: "nonchar \uffff here" }, "description"],
      [{ ...good, description: "nonchar \ufffe here" }, "description"],
      [{ ...good, contact: { name: "Li\u0000Wei" } }, "contact.name"],
      [{ ...good, deviceId: "device-\u0000-0001" }, "deviceId"],
    ];
    const before = await reports();
    for (const [body, field] of cases) {
      const res = await t.app.request("/api/reports", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(await res.json()).toMatchObject({ error: { field } });
    }
    expect(await reports()).toBe(before);
  });

  it("refuses the marks that turn the direction of the text after them, in a report and in a place's name", async () => {
    // "Roads ‮Department‬" would show as "Roads tnemtrapeD", and a list line after it backwards.
    for (const mark of [
      "\u202a",
      "\u202b",
      "\u202c",
      "\u202d",
      "\u202e",
      "\u2066",
      "\u2067",
      "\u2068",
      "\u2069",
    ]) {
      const res = await t.app.request("/api/reports", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...good, description: `A hole ${mark}by the gate` }),
      });
      expect(res.status, mark).toBe(400);
      expect(await res.json()).toMatchObject({ error: { field: "description", message: /text-direction/ } });
    }
    // In a phone number too: the call-taker would read its digits reversed.
    for (const phone of ["+86 \u202e0006 8888 137", "13800138000\u2066"]) {
      const res = await t.app.request("/api/reports", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ ...good, contact: { phone } }),
      });
      expect(res.status, phone).toBe(400);
      expect(await res.json()).toMatchObject({
        error: { field: "contact.phone", message: /text-direction/ },
      });
    }
    const place = (name: string) =>
      `kind,name_zh,name_en,pinyin,lat,lon\nlandmark,五一广场,${name},Wuyi,28.19,112.97\n`;
    const places = await t.app.request("/api/admin/places", {
      method: "POST",
      ...asAdmin({ csv: place("\u202eWuyi Square") }),
    });
    expect(places.status).toBe(400);
    expect(JSON.stringify(await places.json())).toContain("text-direction");
    const plain = await t.app.request("/api/admin/places", {
      method: "POST",
      ...asAdmin({ csv: place("Wuyi Square") }),
    });
    expect(plain.status).toBe(201);
    expect(await reports()).toBe(0);
    // Right-to-left text as written, with its ordinary marks (U+200F), is kept.
    const rtl = await t.app.request("/api/reports", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...good, description: "حفرة في الطريق\u200f (pothole)" }),
    });
    expect(rtl.status).toBe(201);
    // U+0085 (NEXT LINE) is a line break, as \n is.
    const nel = await t.app.request("/api/reports", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...good, description: "first line\u0085second line" }),
    });
    expect(nel.status).toBe(201);
  });

  it("refuses half a character and text of invisible marks alone, and keeps emoji and joined emoji", async () => {
    const send = (description: string) =>
      t.app.request("/api/reports", {
        method: "POST",
        headers: { "content-type": "application/json" },
        // JSON.stringify writes a lone surrogate as the escape \ud800, as a client would send it.
        body: JSON.stringify({ ...good, description }),
      });
    const before = await reports();
    for (const [description, message] of [
      ["bad \ud800 surrogate", /lone surrogate/],
      ["tail \udc00", /lone surrogate/],
      ["\u200b\u200b", /invisible/],
      [" \ufeff\u2060 ", /invisible/],
      // Letters that show as nothing (Hangul fillers, the blank Braille pattern): an audit's
      // "empty" descriptions and staff names.
      ["\u3164\u3164", /invisible/],
      ["\uffa0 \u2800", /invisible/],
      // Twenty accents stacked on one letter spill over the lines around it.
      [`Z${"\u0301".repeat(20)}algo`, /combining marks/],
    ] as const) {
      const res = await send(description);
      expect(res.status, JSON.stringify(description)).toBe(400);
      expect(await res.json()).toMatchObject({ error: { field: "description", message } });
    }
    expect(await reports()).toBe(before);
    // Vietnamese and Thai stack two or three marks: kept.
    expect((await send("Đường Nguyễn Huệ ổ gà, ถนนน้ำท่วม")).status).toBe(201);
    const family = "Hole 🕳️ seen by 👨\u200d👩\u200d👧";
    const kept = await send(family);
    expect(kept.status).toBe(201);
    const { report } = (await kept.json()) as { report: { id: string } };
    const [row] = await t.db.all<{ description: string }>(
      sql`SELECT description FROM reports WHERE id = ${report.id}`,
    );
    expect(row?.description).toBe(family);
  });

  it("keeps tabs and line breaks, and stores the text whole", async () => {
    const description = "Line one\r\nline two\twith a tab\nand 中文";
    const res = await t.app.request("/api/reports", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...good, description }),
    });
    expect(res.status).toBe(201);
    const { report } = (await res.json()) as { report: { id: string } };
    const [row] = await t.db.all<{ description: string }>(
      sql`SELECT description FROM reports WHERE id = ${report.id}`,
    );
    expect(row?.description).toBe(description);
  });

  it("refuses control characters in staff text too", async () => {
    const res = await t.app.request("/api/admin/services", {
      method: "POST",
      ...asAdmin({
        code: "graffiti",
        name: { en: "Graffiti\u0000", zh: "涂鸦" },
        radiusM: 25,
        windowDays: 30,
        threshold: 3,
        ackHours: 24,
        resolveHours: 168,
      }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { field: "name.en" } });
  });

  it("refuses NUL in an Open311 form field, naming it", async () => {
    const keyRes = await t.app.request("/api/admin/api-keys", {
      method: "POST",
      ...asAdmin({ name: "App" }),
    });
    const { key } = (await keyRes.json()) as { key: string };
    const form = new URLSearchParams({
      api_key: key,
      service_code: "pothole",
      lat: String(CHANGSHA.lat),
      long: String(CHANGSHA.lon),
      description: "cut\u0000short",
    });
    const res = await t.app.request("/open311/v2/requests.json", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: form.toString(),
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toContain("description");
  });

  it("reads query numbers as plain decimals only; an empty one is missing", async () => {
    for (const [query, field] of [
      [`bbox=${box}&zoom=`, "zoom"],
      [`bbox=${box}&zoom=0x10`, "zoom"],
      [`bbox=${box}&zoom=1e1`, "zoom"],
      [`bbox=${box}&zoom=%2016`, "zoom"],
      [`bbox=${box}&zoom=16.0`, "zoom"],
    ] as const) {
      const res = await t.app.request(`/api/map?${query}`);
      expect(res.status, query).toBe(400);
      expect(await res.json()).toMatchObject({ error: { field } });
    }
    expect((await t.app.request(`/api/map?bbox=${box}&zoom=16`)).status).toBe(200);
    expect((await t.app.request(`/api/map?bbox=${box}&zoom=016`)).status).toBe(200);

    expect((await t.app.request(`/api/clusters?bbox=${box}&limit=0x10`)).status).toBe(400);
    // An empty optional number takes its default.
    expect((await t.app.request(`/api/clusters?bbox=${box}&limit=`)).status).toBe(200);
    expect((await t.app.request("/open311/v2/requests.json?page_size=")).status).toBe(200);
    expect((await t.app.request("/open311/v2/requests.json?page=0x2")).status).toBe(400);
  });

  it("says a box's list is truncated only when more clusters are in it than were sent", async () => {
    // Three problems far enough apart to stay three clusters.
    for (const metres of [0, 300, 600]) expect((await reportAt(t, east(CHANGSHA, metres))).status).toBe(201);
    const list = async (limit: number) =>
      (await (await t.app.request(`/api/clusters?bbox=${box}&limit=${limit}`)).json()) as {
        features: unknown[];
        truncated: boolean;
      };
    expect(await list(3)).toMatchObject({ features: { length: 3 }, truncated: false });
    expect(await list(2)).toMatchObject({ features: { length: 2 }, truncated: true });
  });
});
