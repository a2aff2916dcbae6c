/**
 * Two refusals at the edge of a request: text that is not UTF-8 (it would be stored as U+FFFD,
 * the text changed), in a JSON body and in an Open311 form; and guessing Open311 api keys, limited
 * per network as guessing staff tokens is.
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { makeTestApp, type TestApp } from "./support/app";
import { asAdmin, CHANGSHA, makeDepartment, makeService, squareAround } from "./support/fixtures";
import { fromResident } from "./support/residents";

describe("text that is not UTF-8, and guessed api keys", () => {
  let t: TestApp;
  let apiKey: string;
  const reports = async () => (await t.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM reports`))[0]?.n;

  beforeAll(async () => {
    t = await makeTestApp();
    await makeService(t);
    await makeDepartment(t, { code: "roads", services: ["pothole"], area: squareAround(CHANGSHA, 20000) });
    const res = await t.app.request("/api/admin/api-keys", {
      method: "POST",
      ...asAdmin({ name: "A client" }),
    });
    apiKey = ((await res.json()) as { key: string }).key;
  });

  it("refuses a JSON body whose bytes are not UTF-8, naming the body, and writes nothing", async () => {
    const head = new TextEncoder().encode(
      `{"service":"pothole","lat":${CHANGSHA.lat},"lon":${CHANGSHA.lon},"description":"bad `,
    );
    const body = new Uint8Array([...head, 0xff, 0xfe, ...new TextEncoder().encode(' text"}')]);
    const res = await t.app.request("/api/reports", {
      method: "POST",
      headers: { "content-type": "application/json", ...fromResident("utf8-json") },
      body,
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string; field: string } }).error).toMatchObject({
      code: "invalid_encoding",
      field: "body",
    });
    expect(await reports()).toBe(0);
  });

  it("refuses an Open311 field whose percent-encoded bytes are not UTF-8, naming it, and writes nothing", async () => {
    const form = (description: string) =>
      t.app.request("/open311/v2/requests.json", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...fromResident("utf8-form") },
        body: `api_key=${encodeURIComponent(apiKey)}&service_code=pothole&lat=${CHANGSHA.lat}&long=${CHANGSHA.lon}&description=${description}`,
      });
    const bad = await form("%FF%FE");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { description: string }[])[0]?.description).toMatch(/^description: /);
    expect(await reports()).toBe(0);
    // Real characters, a "+" as a space and a lone "%" are read as URLSearchParams reads them.
    const good = await form("%E5%9D%91+100%");
    expect(good.status).toBe(200);
    const [row] = await t.db.all<{ description: string }>(sql`SELECT description FROM reports`);
    expect(row?.description).toBe("坑 100%");
  });

  it("reads an Open311 form in the charset its Content-Type names, as older Java and Chinese clients send it", async () => {
    const form = (charset: string, description: string) =>
      t.app.request("/open311/v2/requests.json", {
        method: "POST",
        headers: {
          "content-type": `application/x-www-form-urlencoded; charset=${charset}`,
          ...fromResident(`charset-${charset}`),
        },
        body: `api_key=${encodeURIComponent(apiKey)}&service_code=pothole&lat=${CHANGSHA.lat}&long=${CHANGSHA.lon}&description=${description}`,
      });
    const said = async (res: Response) => {
      expect(res.status).toBe(200);
      const [made] = (await res.json()) as { service_request_id: string }[];
      const shown = await t.app.request(`/open311/v2/requests/${made?.service_request_id}.json`);
      return ((await shown.json()) as { description: string }[])[0]?.description;
    };
    // Apache HttpClient 4's UrlEncodedFormEntity: ISO-8859-1.
    expect(await said(await form("ISO-8859-1", "Caf%E9+cr%E8me"))).toBe("Café crème");
    expect(await said(await form('"gbk"', "%BF%D3%CD%DD"))).toBe("坑洼");
    expect(await said(await form("'utf-8'", "%E5%9D%91"))).toBe("坑");
    // No form is UTF-16 (browsers send a UTF-16 page's forms as UTF-8).
    expect(await said(await form("utf-16", "%E5%9D%91"))).toBe("坑");
    const before = await reports();
    // A lone GBK lead byte is no character; a charset nobody knows is refused as such.
    const broken = await form("GBK", "%81");
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { description: string }[])[0]?.description).toMatch(/^description: /);
    const unknown = await form("x-klingon", "plain");
    expect(unknown.status).toBe(415);
    expect(((await unknown.json()) as { description: string }[])[0]?.description).toContain("x-klingon");
    expect(await reports()).toBe(before);
  });

  it("limits guessing api keys per network: past the budget a network's guesses are refused, its live keys taken", async () => {
    const post = (key: string, network: string) => {
      const body = `api_key=${key}&service_code=pothole&lat=${CHANGSHA.lat}&long=${CHANGSHA.lon}&description=x`;
      return t.app.request("/open311/v2/requests.json", {
        method: "POST",
        // Its length said, as an HTTP client says it.
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "content-length": String(Buffer.byteLength(body)),
          ...fromResident(network),
        },
        body,
      });
    };
    const answers: number[] = [];
    for (let i = 0; i < 25; i++) answers.push((await post(`civ_guess${i}`, "guesser")).status);
    expect(answers.slice(0, 20)).toEqual(new Array(20).fill(403));
    expect(answers.slice(20)).toEqual(new Array(5).fill(429));
    // A live key from that network is taken (an app sharing it with the guesser is not locked
    // out: a key cannot be guessed), and the next guess is still refused.
    expect((await post(encodeURIComponent(apiKey), "guesser")).status).toBe(200);
    expect((await post("civ_guess-after", "guesser")).status).toBe(429);
    // Past the budget a body with photos is not read for its key: refused unread, live key or not.
    const form = new FormData();
    for (const [name, value] of Object.entries({
      api_key: apiKey,
      service_code: "pothole",
      description: "x",
    }))
      form.append(name, value);
    form.append("lat", String(CHANGSHA.lat));
    form.append("long", String(CHANGSHA.lon));
    form.append("media", new Blob([new Uint8Array(70_000)], { type: "image/jpeg" }), "hole.jpg");
    const big = new Request("http://localhost/open311/v2/requests.json", { method: "POST", body: form });
    const length = (await big.clone().arrayBuffer()).byteLength;
    const refused = await t.app.request("/open311/v2/requests.json", {
      method: "POST",
      headers: {
        "content-type": big.headers.get("content-type") ?? "",
        "content-length": String(length),
        ...fromResident("guesser"),
      },
      body: await big.arrayBuffer(),
    });
    expect(refused.status).toBe(429);
    expect((await post(encodeURIComponent(apiKey), "honest-client")).status).toBe(200);
  });

  it("counts a burst of key guesses sent at once before reading their forms: those past the budget are refused unread", async () => {
    const form = new FormData();
    form.append("api_key", "civ_burst");
    form.append("media", new Blob([new Uint8Array(70_000)], { type: "image/jpeg" }), "hole.jpg");
    const sample = new Request("http://localhost/", { method: "POST", body: form });
    const bytes = new Uint8Array(await sample.clone().arrayBuffer());
    // Each body stops after its first kilobyte until released: a slow client, or one holding it.
    const releases: (() => void)[] = [];
    const held = () =>
      new ReadableStream<Uint8Array>({
        async start(body) {
          body.enqueue(bytes.subarray(0, 1024));
          await new Promise<void>((release) => releases.push(release));
          body.enqueue(bytes.subarray(1024));
          body.close();
        },
      });
    const answers = Array.from({ length: 30 }, () =>
      t.app.request("/open311/v2/requests.json", {
        method: "POST",
        headers: {
          "content-type": sample.headers.get("content-type") ?? "",
          "content-length": String(bytes.length),
          ...fromResident("burst"),
        },
        body: held(),
        duplex: "half",
      } as RequestInit),
    );
    // Ten are answered while every body is still on its way (they had all waited to be read).
    const early: number[] = [];
    await new Promise<void>((ten) => {
      for (const answer of answers)
        void Promise.resolve(answer).then((a) => {
          if (early.push(a.status) === 10) ten();
        });
    });
    expect(early).toEqual(new Array(10).fill(429));
    for (const release of releases) release();
    const statuses = (await Promise.all(answers)).map((a) => a.status).sort();
    expect(statuses).toEqual([...new Array(20).fill(403), ...new Array(10).fill(429)]);
  });
});
