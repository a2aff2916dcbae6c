/**
 * Abuse is a normal input. Every write route anyone may call without a token (read from the
 * app's own route list and its OpenAPI access marks, so a route added later is held to this too)
 * refuses one network with 429, `Retry-After` and an error body once its budget is spent, whatever
 * the network sends: a good request, a made-up id or receipt, a body that cannot be read, another
 * content type, the path spelled otherwise. Another network is still served. A body over any
 * route's size limit is a 413 in the same error shape, never a 500. README lists every budget.
 */
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it, vi } from "vitest";
import * as password from "../src/domain/password";
import { DEFAULT_LIMITS, type LimitRule, parseLimits } from "../src/domain/rate-limit";
import { roadCellNeighbourhood } from "../src/domain/road-cells";
import { ADMIN_TOKEN, makeTestApp, type TestApp } from "./support/app";
import { CHANGSHA, makeService, reportAt } from "./support/fixtures";
import { realPng } from "./support/images";
import { fromResident } from "./support/residents";

// Counts the new passwords hashed (slow on purpose), each hashed as it would be.
vi.mock("../src/domain/password", async (original) => {
  const real = await original<typeof import("../src/domain/password")>();
  return { ...real, hashPassword: vi.fn(real.hashPassword) };
});
const hashed = vi.mocked(password.hashPassword);

/** Every budget of every limited write, this small here: spent after this many requests. */
const BUDGET = 3;
const SMALL_LIMITS = Object.entries(DEFAULT_LIMITS)
  .flatMap(([write, kinds]) => Object.keys(kinds).map((kind) => `${write}.${kind}=${BUDGET}/1h`))
  .join(",");

/**
 * Public write routes deliberately not limited, each with why ("POST /api/x": "reason"). None
 * today: a route added here needs a reason that would convince someone flooding it.
 */
const NOT_LIMITED: Record<string, string> = {};

const WRITE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);
/** Who may call a route, as the OpenAPI document marks it; a route it misses is taken for anyone's. */
const PUBLIC_ACCESS = new Set([undefined, "public", "apiKey"]);
const CONTACT_KEY = "a-contact-key-for-tests-0123456789abcdef";
/** Over every body limit: an API body, a sensor batch, a photo, an Open311 POST with 3 photos. */
const HUGE = new Uint8Array(16 * 1024 * 1024 + 1).fill(0x61);

interface Sent {
  path?: string;
  headers?: Record<string, string>;
  body?: BodyInit;
}

/** The fixtures the good requests name. */
interface City {
  apiKey: string;
  reportId: string;
  clusterId: string;
}

/**
 * What a resident (or a script) floods each route with. Every route gets these, made-up ids in
 * its path; `api_key` names a real, untrusted Open311 key, so a bad Open311 form is counted
 * after its key is.
 */
const FLOODS: Record<string, (city: City) => Sent> = {
  "no body": () => ({}),
  "an empty JSON object": () => json({}),
  "broken JSON": () => ({ headers: { "content-type": "application/json" }, body: "{" }),
  "plain text": () => ({ headers: { "content-type": "text/plain" }, body: "hello" }),
  "a form with a valid api_key": (city) => ({
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: `api_key=${city.apiKey}&service_code=no-such-service`,
  }),
  "a multipart form with a valid api_key": (city) => {
    const form = new FormData();
    form.set("api_key", city.apiKey);
    form.set("media", new Blob(["not an image"], { type: "image/png" }), "x.png");
    return { body: form };
  },
};

/**
 * A good request of the routes known today (`who` names the network sending it, for what must
 * differ between residents: an e-mail, a device): budgets must hold for these as for junk.
 */
const GOOD: Record<string, (city: City, who: string) => Sent> = {
  "POST /api/reports": (_, who) =>
    json({ service: "pothole", lat: CHANGSHA.lat, lon: CHANGSHA.lon, description: `a hole seen by ${who}` }),
  "POST /api/devices": () => ({}),
  "POST /api/photos": () => ({ headers: { "content-type": "image/png" }, body: realPng() }),
  "POST /api/sensor/batches": (_, who) =>
    json({ deviceId: `phone-${who}`, events: [], cells: roadCellNeighbourhood(CHANGSHA).slice(4, 5) }),
  "POST /api/clusters/:id/follows": (city, who) => ({
    path: `/api/clusters/${city.clusterId}/follows`,
    ...json({ email: `${who}@mail.example`, lang: "en" }),
  }),
  "POST /api/flags": (city) => json({ target: "report", id: city.reportId, reason: "spam" }),
  "POST /api/reports/:id/rating": (city) => ({
    path: `/api/reports/${city.reportId}/rating`,
    ...json({ stars: 5, receipt: "a-receipt-guessed-0000" }),
  }),
  "POST /api/clusters/:id/reopen": (city) => ({
    path: `/api/clusters/${city.clusterId}/reopen`,
    ...json({ receipt: "a-receipt-guessed-0000" }),
  }),
  "POST /api/reports/:id/questionnaire": (city) => ({
    path: `/api/reports/${city.reportId}/questionnaire?receipt=a-receipt-guessed-0000`,
    ...json({ answer: "still_there", stars: 1 }),
  }),
  "POST /api/auth/sign-in": (_, who) => json({ email: `${who}@city.example`, password: "a wrong guess" }),
  "POST /api/auth/password-reset": (_, who) => json({ email: `${who}@city.example` }),
  "POST /api/auth/password-reset/confirm": () =>
    json({ token: "a-made-up-reset-token", password: "a brand new passphrase 42" }),
  "POST /open311/v2/requests.json": (city) => ({
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: `api_key=${city.apiKey}&service_code=pothole&lat=${CHANGSHA.lat}&long=${CHANGSHA.lon}&description=hole`,
  }),
};

function json(body: unknown): Sent {
  return { headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
}

/** The route's path with made-up values for its parameters (`:id`, and `:id{…}` with a suffix). */
const madeUpPath = (template: string) =>
  template.replace(/:[A-Za-z_]+\{[^}]*\}/g, "made-up.json").replace(/:[A-Za-z_]+/g, "made-up");

/** The OpenAPI path of a Hono route pattern: `:id` and `:id{regex}` become `{id}`. */
const openApiPath = (honoPath: string) => honoPath.replace(/:([A-Za-z_][A-Za-z0-9_]*)(\{[^/]*\})?/g, "{$1}");

/** The same path as others may spell it (its query kept), to try the route without its budget. */
function otherSpellings(to: string) {
  const [path = "", query] = to.split("?");
  const q = query === undefined ? "" : `?${query}`;
  return [
    `${path}/`,
    path.toUpperCase(),
    path.replace(/\/([^/]*)$/, "//$1"),
    path.replace(/[a-z]/, (ch) => `%${ch.charCodeAt(0).toString(16)}`),
  ].map((p) => `${p}${q}`);
}

// Numbered networks, so no two requests meant to come from different ones share one by chance.
let networks = 40_000;
const someNetwork = () => fromResident(networks++);

/** The error of an answer, as the route's shape has it: the API's, or Open311's (JSON or XML). */
async function errorOf(res: Response, path: string): Promise<{ code: string | number; text: string }> {
  const text = await res.text();
  if (path.endsWith(".xml")) {
    expect(res.headers.get("content-type")).toMatch(/^text\/xml/);
    return { code: /<code>(\d+)<\/code>/.exec(text)?.[1] ?? "", text };
  }
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  const body = JSON.parse(text);
  if (path.startsWith("/open311/")) return { code: body[0]?.code, text };
  expect(body.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
  return { code: body.error.code, text };
}

describe("every public write", () => {
  let t: TestApp;
  let city: City;
  let access: (method: string, path: string) => unknown;
  const routes: { method: string; path: string; key: string }[] = [];

  beforeAll(async () => {
    t = await makeTestApp({ config: { rateLimits: parseLimits(SMALL_LIMITS), contactKey: CONTACT_KEY } });
    await makeService(t);
    const reported = await reportAt(t, CHANGSHA, { deviceId: "the-fixture-reporter" });
    expect(reported.status).toBe(201);
    const made = await t.app.request("/api/admin/api-keys", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${ADMIN_TOKEN}` },
      body: JSON.stringify({ name: "A client app" }),
    });
    expect(made.status).toBe(201);
    city = {
      apiKey: ((await made.json()) as { key: string }).key,
      reportId: reported.body.report.id,
      clusterId: reported.body.cluster.id,
    };
    const doc = (await (await t.app.request("/openapi.json")).json()) as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    access = (method, path) => doc.paths[openApiPath(path)]?.[method.toLowerCase()]?.["x-civicloop-access"];
    // `all()` catch-alls and `use()` middleware are registered as ALL: no write of their own.
    const seen = new Set<string>();
    for (const r of t.app.routes) {
      const key = `${r.method} ${r.path}`;
      if (!WRITE_METHODS.has(r.method) || seen.has(key)) continue;
      seen.add(key);
      routes.push({ method: r.method, path: r.path, key });
    }
  });

  const publicRoutes = () =>
    routes.filter((r) => PUBLIC_ACCESS.has(access(r.method, r.path) as string | undefined));

  it("are found in the app's routes, and every exception and good request names one of them", () => {
    const keys = publicRoutes().map((r) => r.key);
    // The writes residents, apps and staff signing in make today; more may come.
    expect(keys).toEqual(
      expect.arrayContaining([
        "POST /api/reports",
        "POST /api/photos",
        "POST /api/auth/sign-in",
        "POST /open311/v2/requests.xml",
        "POST /open311/v2/servicerequestupdates.json",
      ]),
    );
    for (const key of [...Object.keys(NOT_LIMITED), ...Object.keys(GOOD)]) expect(keys).toContain(key);
  });

  it("refuses one network past its budget with 429, Retry-After and an error, and serves another", async () => {
    const failures: string[] = [];
    for (const route of publicRoutes()) {
      if (route.key in NOT_LIMITED) continue;
      const good = GOOD[route.key];
      const floods: [string, (who: string) => Sent][] = [
        ...Object.entries(FLOODS).map(([name, make]): [string, (who: string) => Sent] => [
          name,
          () => make(city),
        ]),
        ...(good
          ? [["a good request", (who: string) => good(city, who)] as [string, (who: string) => Sent]]
          : []),
      ];
      for (const [name, make] of floods) {
        const what = `${route.key} with ${name}`;
        const send = async (network: Record<string, string>, who: string, path?: string) => {
          const sent = make(who);
          const to = path ?? sent.path ?? madeUpPath(route.path);
          return {
            to,
            res: await t.app.request(to, {
              method: route.method,
              headers: { ...sent.headers, ...network },
              body: sent.body,
            }),
          };
        };
        const flooder = someNetwork();
        const who = `flooder-${networks}`;
        for (let i = 0; i < BUDGET; i++) {
          const { res } = await send(flooder, who);
          await res.arrayBuffer();
          if (res.status === 429 || res.status >= 500)
            failures.push(`${what}: ${res.status} within the budget (request ${i + 1})`);
        }
        const { to, res } = await send(flooder, who);
        if (res.status !== 429) {
          failures.push(`${what}: ${res.status} past the budget, not 429`);
          await res.arrayBuffer();
          continue;
        }
        const retryAfter = Number(res.headers.get("retry-after"));
        if (!(retryAfter > 0)) failures.push(`${what}: Retry-After is ${res.headers.get("retry-after")}`);
        const error = await errorOf(res, to);
        if (!["rate_limited", 429, "429"].includes(error.code))
          failures.push(`${what}: 429 with error ${error.text}`);
        if (!to.startsWith("/open311/") && JSON.parse(error.text).error.retryAfter !== retryAfter)
          failures.push(`${what}: the body's retryAfter is not Retry-After's`);
        // The path spelled otherwise is the same route (and its budget) or none at all.
        for (const other of otherSpellings(to)) {
          const { res: again } = await send(flooder, who, other);
          await again.arrayBuffer();
          if (![404, 405, 429].includes(again.status))
            failures.push(`${what}: ${again.status} at ${other} past the budget`);
        }
        const { res: elsewhere } = await send(someNetwork(), `resident-${networks}`);
        await elsewhere.arrayBuffer();
        if (elsewhere.status === 429 || elsewhere.status >= 500)
          failures.push(`${what}: another network got ${elsewhere.status}`);
      }
    }
    await t.drain();
    expect(failures).toEqual([]);
  });

  it("spends nothing of a budget on a method no route answers there, or a path none has", async () => {
    const network = someNetwork();
    for (let i = 0; i <= BUDGET; i++) {
      for (const [method, path, status] of [
        ["DELETE", "/api/sensor/spots", 405],
        ["POST", "/api/photos/nonexistent0", 405],
        ["PUT", "/api/sensor/no-such-route", 404],
      ] as const) {
        const res = await t.app.request(path, { method, headers: network });
        expect(res.status, `${method} ${path}`).toBe(status);
      }
    }
    for (const key of ["POST /api/sensor/batches", "POST /api/photos"]) {
      const sent = (GOOD[key] as (city: City, who: string) => Sent)(city, "a-phone-after-wrong-methods");
      const res = await t.app.request(key.split(" ")[1] as string, {
        method: "POST",
        headers: { ...sent.headers, ...network },
        body: sent.body,
      });
      expect(res.status, key).toBeLessThan(300);
    }
  });

  it("answers a body over the route's limit with 413 and an error, never a 500", async () => {
    const failures: string[] = [];
    const types = [
      "application/json",
      "application/x-www-form-urlencoded",
      "multipart/form-data; boundary=zz",
      "image/png",
    ];
    for (const route of publicRoutes()) {
      const path = madeUpPath(route.path);
      for (const type of types) {
        for (const stated of [true, false]) {
          const headers: Record<string, string> = { "content-type": type, ...someNetwork() };
          // Stated, it is refused by its length before anything is read; unstated (chunked), while read.
          if (stated) headers["content-length"] = String(HUGE.length);
          const res = await t.app.request(path, { method: route.method, headers, body: HUGE });
          const what = `${route.key} ${type}${stated ? " with its length" : ""}`;
          if (res.status !== 413) {
            failures.push(`${what}: ${res.status}`);
            await res.arrayBuffer();
            continue;
          }
          const error = await errorOf(res, path);
          if (!["payload_too_large", 413, "413"].includes(error.code))
            failures.push(`${what}: ${error.text}`);
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it("keeps every other write behind a token, refused at once without one", async () => {
    const failures: string[] = [];
    for (const route of routes.filter(
      (r) => !PUBLIC_ACCESS.has(access(r.method, r.path) as string | undefined),
    )) {
      const res = await t.app.request(madeUpPath(route.path), { method: route.method, ...json({}) });
      await res.arrayBuffer();
      if (res.status !== 401 && res.status !== 403) failures.push(`${route.key}: ${res.status}`);
    }
    expect(failures).toEqual([]);
  });
});

describe("made-up reset tokens sent at once", () => {
  it("hash at most the network's budget of new passwords", async () => {
    const t = await makeTestApp({ config: { rateLimits: parseLimits("sign_in.network=3/10m") } });
    hashed.mockClear();
    const network = fromResident("a-token-guesser");
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        t.app.request("/api/auth/password-reset/confirm", {
          method: "POST",
          headers: { "content-type": "application/json", ...network },
          body: JSON.stringify({ token: `made-up-token-${i}`, password: "a brand new passphrase 42" }),
        }),
      ),
    );
    expect(hashed.mock.calls.length).toBeLessThanOrEqual(3);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(9);
    // Said as what it counts (an Open311 app refused after its wrong keys read "sign-in requests").
    const refused = (await answers.find((a) => a.status === 429)?.json()) as { error: { message: string } };
    expect(refused.error.message).toBe(
      "too many wrong passwords, tokens or API keys from this network; try again later",
    );
  });
});

describe("README's rate limits", () => {
  /** A rule as `RATE_LIMITS` writes it: `reports.network=60/10m`. */
  const setting = (name: string, { limit, windowMs }: LimitRule) => {
    const units: [string, number][] = [
      ["d", 86_400_000],
      ["h", 3_600_000],
      ["m", 60_000],
    ];
    const [unit, ms] = units.find(([, ms]) => windowMs % ms === 0) ?? ["s", 1000];
    return `${name}=${limit}/${windowMs / ms}${unit}`;
  };

  it("lists every budget with its default", () => {
    const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
    const missing = Object.entries(DEFAULT_LIMITS)
      .flatMap(([write, kinds]) =>
        Object.entries(kinds).map(([kind, rule]) => setting(`${write}.${kind}`, rule as LimitRule)),
      )
      .filter((s) => !readme.includes(`\`${s}\``));
    expect(missing).toEqual([]);
  });
});
