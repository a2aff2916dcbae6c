/**
 * Sybil attempts against thresholds, device credentials, receipts and the rate limits on public
 * writes (429 with Retry-After and the usual error body).
 */
import { beforeEach, describe, expect, it } from "vitest";
import { parseLimits } from "../src/domain/rate-limit";
import { makeTestApp, type TestApp } from "./support/app";
import { CHANGSHA, east, makeService, north, reportAt } from "./support/fixtures";
import { realJpeg } from "./support/images";
import { fromResident } from "./support/residents";

let t: TestApp;
let spot = 0;
const here = () => east(CHANGSHA, 300 * ++spot);

async function credentialFor(network: string) {
  const res = await t.app.request("/api/devices", { method: "POST", headers: fromResident(network) });
  expect(res.status).toBe(201);
  return ((await res.json()) as { credential: string }).credential;
}

const report = (
  p: { lat: number; lon: number },
  body: Record<string, unknown>,
  headers: Record<string, string>,
) =>
  t.app.request("/api/reports", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify({ service: "pothole", ...p, description: "hole", ...body }),
  });

// biome-ignore lint/suspicious/noExplicitAny: answers are inspected field by field
const bodyOf = async (res: Response) => (await res.json()) as any;

describe("sybil attempts do not reach a threshold", () => {
  beforeEach(async () => {
    t = await makeTestApp();
    await makeService(t, { code: "pothole", threshold: 3 });
  });

  it("counts credentials issued on one network once, wherever they report from", async () => {
    const p = here();
    let last: Response | undefined;
    for (let i = 0; i < 5; i++) {
      const credential = await credentialFor("attacker-home");
      last = await report(p, { deviceCredential: credential }, fromResident(`cafe-${i}`));
    }
    expect((await bodyOf(last as Response)).cluster).toMatchObject({
      reports: 5,
      reporters: 1,
      workOrder: null,
    });
  });

  it("counts credentials issued on different networks one by one, even from one network", async () => {
    const p = here();
    const credentials = [
      await credentialFor("home-a"),
      await credentialFor("home-b"),
      await credentialFor("home-c"),
    ];
    let last: Response | undefined;
    for (const credential of credentials) {
      last = await report(p, { deviceCredential: credential }, fromResident("office"));
    }
    expect((await bodyOf(last as Response)).cluster).toMatchObject({ reporters: 3, state: "dispatched" });
  });

  it("counts a network once whether its reports carry a credential issued there or none", async () => {
    await makeService(t, { code: "streetlight", threshold: 2 });
    const p = here();
    const light = { service: "streetlight" };
    expect((await bodyOf(await report(p, light, fromResident("flat")))).cluster.reporters).toBe(1);
    const credential = await credentialFor("flat");
    const second = await bodyOf(
      await report(p, { ...light, deviceCredential: credential }, fromResident("flat")),
    );
    expect(second.cluster).toMatchObject({ reporters: 1, workOrder: null });
    // Used elsewhere, the credential still counts as the network it was issued on.
    const third = await bodyOf(
      await report(p, { ...light, deviceCredential: credential }, fromResident("park")),
    );
    expect(third.cluster).toMatchObject({ reporters: 1, workOrder: null });
    // Another network's resident is a second reporter.
    const fourth = await bodyOf(await report(p, light, fromResident("park")));
    expect(fourth.cluster).toMatchObject({ reporters: 2, state: "dispatched" });
  });

  it("issues no credential to another site's page, which could mint its visitors' for one machine", async () => {
    const asked = (site: string) =>
      t.app.request("/api/devices", {
        method: "POST",
        headers: { ...fromResident("visitor"), origin: "https://elsewhere.example", "sec-fetch-site": site },
      });
    const refused = await asked("cross-site");
    expect(refused.status).toBe(403);
    expect((await bodyOf(refused)).error.code).toBe("cross_site");
    // Nor to a page of a sibling subdomain (same-site: another origin of the registrable domain),
    // which a browser without Sec-Fetch-Site is refused by its Origin alike.
    const sibling = await asked("same-site");
    expect(sibling.status).toBe(403);
    expect((await bodyOf(sibling)).error.code).toBe("cross_site");
    // CivicLoop's own pages ask same-origin; an app sends no such header at all.
    expect((await asked("same-origin")).status).toBe(201);
    await credentialFor("app-user");
  });

  it("judges a browser that sends no Sec-Fetch-Site (older Safari and Firefox) by its Origin", async () => {
    const asked = (origin: string) =>
      t.app.request("/api/devices", { method: "POST", headers: { ...fromResident("old-browser"), origin } });
    for (const elsewhere of ["https://elsewhere.example", "null", "http://localhost.elsewhere.example"]) {
      const refused = await asked(elsewhere);
      expect([elsewhere, refused.status]).toEqual([elsewhere, 403]);
      expect((await bodyOf(refused)).error.code).toBe("cross_site");
    }
    // Its own pages: the host asked (whatever scheme a proxy in front changed), or PUBLIC_URL's origin.
    expect((await asked("http://localhost")).status).toBe(201);
    expect((await asked("https://localhost")).status).toBe(201);
    expect((await asked(new URL(t.config.publicUrl).origin)).status).toBe(201);
    // Behind a proxy that sends its own Host (`127.0.0.1:8787`), over https to the city's name.
    expect((await asked(`https://${new URL(t.config.publicUrl).host}`)).status).toBe(201);
  });

  it("takes no report, sensor batch, follow, flag, rating or reopening from another site's page, and spends none of its visitor's budget", async () => {
    // A page or an advert elsewhere could otherwise make each visitor's browser report from the
    // visitor's own network: a crowd made of page views (two visitors had dispatched a threshold of 2).
    const limited = await makeTestApp({ config: { rateLimits: parseLimits("reports.network=1/1h") } });
    await makeService(limited, { code: "pothole", threshold: 3 });
    const p = here();
    const crossSite = {
      ...fromResident("page-visitor"),
      origin: "https://elsewhere.example",
      "sec-fetch-site": "cross-site",
    };
    const writes: [string, unknown][] = [
      ["/api/reports", { service: "pothole", ...p, description: "made by a page elsewhere" }],
      ["/api/sensor/batches", { deviceId: "visitor-phone-0001", events: [] }],
      ["/api/clusters/any/follows", { email: "someone@example.com" }],
      ["/api/flags", { target: "report", id: "any", reason: "spam" }],
      ["/api/reports/any/rating", { receipt: "r", stars: 5 }],
      ["/api/clusters/any/reopen", { receipt: "r" }],
    ];
    for (const [path, body] of writes) {
      const res = await limited.app.request(path, {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": `k-${path}`, ...crossSite },
        body: body === null ? "" : JSON.stringify(body),
      });
      expect([path, res.status]).toEqual([path, 403]);
      expect((await bodyOf(res)).error.code).toBe("cross_site");
    }
    // A photo alone counts nobody: a department's own tool on its site may upload a repair's photos.
    const photo = await limited.app.request("/api/photos", {
      method: "POST",
      headers: { "content-type": "image/jpeg", ...crossSite },
      body: realJpeg(),
    });
    expect(photo.status).toBe(201);
    // The visitor's own report from CivicLoop's page goes through: the refused one spent nothing.
    const own = await limited.app.request("/api/reports", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...fromResident("page-visitor"),
        "sec-fetch-site": "same-origin",
      },
      body: JSON.stringify({ service: "pothole", ...p, description: "from CivicLoop's own page" }),
    });
    expect(own.status).toBe(201);
  });

  it("takes a forged or altered credential for none: the network counts", async () => {
    const p = here();
    const real = await credentialFor("home-d");
    const forged = [
      `dc1.${"a".repeat(24)}.${"0".repeat(32)}.${"f".repeat(64)}`,
      real.replace(/\.[0-9a-f]{32}\./, `.${"1".repeat(32)}.`),
      "made-up-device-id",
    ];
    let last: Response | undefined;
    for (const credential of forged)
      last = await report(p, { deviceCredential: credential }, fromResident("one-net"));
    expect((await bodyOf(last as Response)).cluster).toMatchObject({ reporters: 1, workOrder: null });
  });

  it("counts plus-addresses, phone spellings and many device ids from one network as one", async () => {
    const p = here();
    const sybils = [
      { contact: { email: "x+1@example.org" } },
      { contact: { email: "x+2@example.org" } },
      { contact: { phone: "+86 138 0000 0000" } },
      { contact: { phone: "0086-138-0000-0000" } },
      { deviceId: "fake-device-0001" },
      { deviceId: "fake-device-0002" },
    ];
    let last: Response | undefined;
    for (const body of sybils) last = await report(p, body, fromResident("sybil-net"));
    expect((await bodyOf(last as Response)).cluster).toMatchObject({
      reports: 6,
      reporters: 1,
      workOrder: null,
    });
  });

  it("limits credentials per network and day, with Retry-After", async () => {
    const limited = await makeTestApp({ config: { rateLimits: parseLimits("devices.network=2/1d") } });
    const ask = (net: string) =>
      limited.app.request("/api/devices", { method: "POST", headers: fromResident(net) });
    expect((await ask("n1")).status).toBe(201);
    // Another address of the same /24 is the same network.
    const sameNet = await limited.app.request("/api/devices", {
      method: "POST",
      headers: { "x-forwarded-for": "10.200.1.99" },
    });
    const before = await limited.app.request("/api/devices", {
      method: "POST",
      headers: { "x-forwarded-for": "10.200.1.98" },
    });
    expect([sameNet.status, before.status]).toEqual([201, 201]);
    const refused = await limited.app.request("/api/devices", {
      method: "POST",
      headers: { "x-forwarded-for": "10.200.1.97" },
    });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(3600);
    expect((await bodyOf(refused)).error.code).toBe("rate_limited");
    expect((await ask("n2")).status).toBe(201);
  });
});

describe("receipts", () => {
  beforeEach(async () => {
    t = await makeTestApp();
    await makeService(t, { code: "pothole", threshold: 3 });
  });

  it("gives a retry with the same Idempotency-Key the same receipt, and keeps only its hash", async () => {
    const p = here();
    const send = () => report(p, {}, { ...fromResident("retrier"), "idempotency-key": "retry-key-1" });
    const first = await bodyOf(await send());
    const again = await bodyOf(await send());
    expect(first.receipt).toMatch(/^rcp_[0-9a-f]{48}$/);
    expect(again.receipt).toBe(first.receipt);
    const dump = JSON.stringify(
      (await t.client.execute("SELECT * FROM reports")).rows.concat(
        (await t.client.execute("SELECT * FROM idempotency_keys")).rows,
      ),
    );
    expect(dump).not.toContain(first.receipt);
    // Never in a public answer about the report.
    const pub = await t.app.request(`/api/reports/${first.report.id}`);
    expect(await pub.text()).not.toContain(first.receipt);
  });
});

describe("rate limits on public writes", () => {
  beforeEach(async () => {
    t = await makeTestApp({
      config: {
        rateLimits: parseLimits("reports.network=5/10m,reports.reporter=3/1h,sign_in.network=3/10m"),
      },
    });
    await makeService(t, { code: "pothole", threshold: 3 });
  });

  it("answers 429 with Retry-After per network, leaving other networks alone", async () => {
    const statuses = [];
    for (let i = 0; i < 7; i++) {
      // Five reporters (e-mails) on one network: the network's budget is five.
      const res = await report(here(), { contact: { email: `n${i}@example.org` } }, fromResident("busy"));
      statuses.push(res.status);
      if (res.status === 429) {
        expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
        expect((await bodyOf(res)).error).toMatchObject({ code: "rate_limited" });
      }
    }
    expect(statuses).toEqual([201, 201, 201, 201, 201, 429, 429]);
    expect((await reportAt(t, here(), { deviceId: "quiet-neighbourhood" })).status).toBe(201);
  });

  it("limits one reporter across networks", async () => {
    const statuses = [];
    for (let i = 0; i < 4; i++) {
      const res = await report(
        here(),
        { contact: { email: "roamer@example.org" } },
        fromResident(`roam-${i}`),
      );
      statuses.push(res.status);
    }
    expect(statuses).toEqual([201, 201, 201, 429]);
  });

  it("answers a retry of a report that went through, at the reporter's last unit, from what was written", async () => {
    const send = (i: number, key?: string) =>
      t.app.request("/api/reports", {
        method: "POST",
        headers: {
          "content-type": "application/json",
          ...fromResident(`retry-${i}`),
          ...(key ? { "idempotency-key": key } : {}),
        },
        body: JSON.stringify({
          service: "pothole",
          ...north(CHANGSHA, 3000 + i * 100),
          description: "A hole",
          contact: { email: "last-unit@example.org" },
        }),
      });
    expect((await send(0)).status).toBe(201);
    expect((await send(1)).status).toBe(201);
    // The third, the budget's last: its answer is lost, and the app sends it again with its key.
    const third = await send(2, "retry-at-the-edge");
    expect(third.status).toBe(201);
    const again = await send(2, "retry-at-the-edge");
    expect(again.status).toBe(201);
    expect((await bodyOf(again)).report.id).toBe((await bodyOf(third)).report.id);
    // A new report is one too many.
    expect((await send(3)).status).toBe(429);
  });

  it("limits failed sign-ins per network, then refuses even the right token from it", async () => {
    const attempt = (token: string, net: string) =>
      t.app.request("/api/admin/work-orders", {
        headers: { authorization: `Bearer ${token}`, ...fromResident(net) },
      });
    const statuses = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await attempt(`guess-${i}-0123456789abcdef`, "guesser")).status);
    expect(statuses).toEqual([403, 403, 403, 429, 429]);
    expect((await attempt("test-admin-token-0123456789", "guesser")).status).toBe(429);
    expect((await attempt("test-admin-token-0123456789", "staff-office")).status).toBe(200);
  });

  it("limits photo uploads, ratings and still-theres per network too", async () => {
    const limited = await makeTestApp({
      config: { rateLimits: parseLimits("photos.network=1/10m,ratings.network=1/1h,reopen.network=1/1h") },
    });
    const photo = () =>
      limited.app.request("/api/photos", {
        method: "POST",
        headers: { "content-type": "image/png", ...fromResident("uploader") },
        body: new Uint8Array([1, 2, 3]),
      });
    expect((await photo()).status).not.toBe(429);
    expect((await photo()).status).toBe(429);
    // GETs are never limited.
    expect(
      (await limited.app.request("/api/photos?cluster=x", { headers: fromResident("uploader") })).status,
    ).not.toBe(429);
    const write = (path: string, body: unknown) =>
      limited.app.request(path, {
        method: "POST",
        headers: { "content-type": "application/json", ...fromResident("rater") },
        body: JSON.stringify(body),
      });
    const rating = { stars: 3, receipt: "rcp_x" };
    expect((await write("/api/reports/nope/rating", rating)).status).toBe(404);
    expect((await write("/api/reports/nope/rating", rating)).status).toBe(429);
    expect((await write("/api/clusters/nope/reopen", { receipt: "rcp_x" })).status).toBe(404);
    expect((await write("/api/clusters/nope/reopen", { receipt: "rcp_x" })).status).toBe(429);
    // A refused body counts too, as a report's does: a flood is stopped before its bodies are read.
    const other = (path: string, body: unknown) =>
      limited.app.request(path, {
        method: "POST",
        headers: { "content-type": "application/json", ...fromResident("rater-2") },
        body: JSON.stringify(body),
      });
    expect((await other("/api/reports/nope/rating", { stars: "x" })).status).toBe(400);
    expect((await other("/api/reports/nope/rating", rating)).status).toBe(429);
    expect((await other("/api/clusters/nope/reopen", [])).status).toBe(400);
    expect((await other("/api/clusters/nope/reopen", { receipt: "rcp_x" })).status).toBe(429);
  });
});
