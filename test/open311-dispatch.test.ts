/**
 * Dispatch by Open311 between two CivicLoop instances: B, with its own database and a listening
 * server, is the city's system; A's department sends its work orders there, and A's dispatch
 * loop polls B for their status.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliverOpen311 } from "../src/dispatch/open311-deliver";
import { runDispatch } from "../src/dispatch/run";
import { openDatabase } from "../src/node/database";
import { DEMO_DEPARTMENTS } from "../src/seed/demo-city";
import { demoPlaces } from "../src/seed/gazetteer";
import { claimDue, type DeliveryRow } from "../src/store/outbox";
import { importPlaces } from "../src/store/places";
import { makeClock, makeTestApp, type TestApp } from "./support/app";
import { startCitySystem } from "./support/city-system";
import { asAdmin, CHANGSHA, makeService, squareAround } from "./support/fixtures";
import { realJpeg } from "./support/images";
import { fromResident } from "./support/residents";
import { freePort } from "./support/server-process";
import { asToken, move, stillThere, workOrderAt } from "./support/work-orders";

const MINUTE = 60_000;
const retry = { baseMs: MINUTE, maxMs: MINUTE, windowMs: 10 * MINUTE, minAttempts: 3 };

let city: TestApp;
let cityUrl: string;
let cityKey: string;
let cityToken: string;
let closeCity: () => Promise<void>;

beforeAll(async () => {
  ({ app: city, url: cityUrl, key: cityKey, token: cityToken, close: closeCity } = await startCitySystem());
});
afterAll(() => closeCity());

/** Instance A, whose roads department dispatches by Open311 to `endpoint`. */
async function civicLoopA(endpoint: string) {
  const a = await makeTestApp({ clock: makeClock() });
  await makeService(a, { threshold: 2 });
  const res = await a.app.request("/api/admin/departments", {
    method: "POST",
    ...asAdmin({
      code: "roads",
      name: { en: "Roads", zh: "道路" },
      services: ["pothole"],
      area: squareAround(CHANGSHA, 20_000),
      dispatch: { method: "open311", endpoint, apiKey: cityKey, serviceCodes: { pothole: "PW-POTHOLE" } },
    }),
  });
  expect(res.status).toBe(201);
  const text = await res.text();
  // The key goes in and never comes back.
  expect(text).not.toContain(cityKey);
  expect(JSON.parse(text).dispatch).toMatchObject({ method: "open311", apiKeySet: true });
  return a;
}

const round = (a: TestApp) =>
  runDispatch(a.db, { now: a.clock(), fetch, config: a.config, retry, pollEveryMs: MINUTE });

async function timeline(a: TestApp, clusterId: string) {
  const res = await a.app.request(`/api/clusters/${clusterId}`);
  const body = (await res.json()) as { cluster: { timeline: { to: string | null; note: string | null }[] } };
  return body.cluster.timeline;
}

type CityRequest = {
  service_request_id: string;
  description: string;
  status: string;
  address: string | null;
};

/** The city's requests (B) whose description carries `words`. */
async function cityRequests(words: string): Promise<CityRequest[]> {
  const res = await city.app.request("/open311/v2/requests.json?service_code=PW-POTHOLE");
  return ((await res.json()) as CityRequest[]).filter((r) => r.description.includes(words));
}

/** The city's department moves the work order of its request `remoteId` to resolved. */
async function cityResolves(remoteId: string, note: string) {
  const res = await city.app.request(`/open311/v2/requests/${remoteId}.json?extensions=true`);
  const [r] = (await res.json()) as { extended_attributes: { cluster_id: string } }[];
  const list = await city.app.request("/api/department/work-orders", asToken(cityToken));
  const orders = ((await list.json()) as { workOrders: { id: string; clusterId: string }[] }).workOrders;
  const wo = orders.find((o) => o.clusterId === r?.extended_attributes.cluster_id);
  for (const to of ["acknowledged", "resolved"]) {
    city.clock.advance(MINUTE);
    const moved = await move(city, cityToken, String(wo?.id), to === "resolved" ? { to, note } : { to });
    expect(moved.status).toBe(200);
  }
}

/**
 * A proxy in front of the city that keeps the bodies POSTed and the addresses listed and, with
 * `lose`, lets the first POST through to the city and then drops the connection before the answer
 * reaches the caller: the request exists, its caller cannot know. While `listStatus()` gives a
 * status, a list of requests is answered with it instead of the city's list.
 */
async function proxyTo(target: string, lose: boolean, listStatus: () => number | null = () => null) {
  let lost = 0;
  const posted: string[] = [];
  const listed: string[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.method === "GET" && req.url?.includes("/requests.json")) {
      listed.push(String(req.url));
      const status = listStatus();
      if (status !== null) {
        res.writeHead(status, { "content-type": "application/json" });
        res.end("[]");
        return;
      }
    }
    const upstream = await fetch(`${target}${req.url}`, {
      method: req.method,
      headers: { "content-type": String(req.headers["content-type"] ?? "text/plain") },
      ...(req.method === "POST" ? { body: Buffer.concat(chunks) } : {}),
    });
    const body = Buffer.from(await upstream.arrayBuffer());
    if (req.method === "POST") posted.push(Buffer.concat(chunks).toString());
    if (req.method === "POST" && lose && lost === 0) {
      lost++;
      req.socket.destroy();
      return;
    }
    res.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "text/plain" });
    res.end(body);
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", () => ready()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    lost: () => lost,
    posted,
    listed,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

describe("dispatch to a city's Open311 server", () => {
  it("posts a work order to B, polls B, and shows B's resolution on A's public timeline", async () => {
    const a = await civicLoopA(cityUrl);
    const wo = await workOrderAt(a, CHANGSHA, { reporters: 2 });

    expect(await round(a)).toMatchObject({ delivered: 1, dead: 0 });
    const [remote] = await a.db.all<{ id: string }>(sql`SELECT remote_id AS id FROM remote_requests`);
    expect(remote?.id).toBeTruthy();
    const there = await city.app.request(`/open311/v2/requests/${remote?.id}.json`);
    expect(((await there.json()) as { service_code: string; status: string }[])[0]).toMatchObject({
      service_code: "PW-POTHOLE",
      status: "open",
    });

    // Polled twice with the same answer: acknowledged once.
    for (let i = 0; i < 2; i++) {
      a.clock.advance(2 * MINUTE);
      await round(a);
    }
    const acks = (await timeline(a, wo.clusterId)).filter((e) => e.to === "acknowledged");
    expect(acks).toHaveLength(1);
    expect(acks[0]?.note).toContain(`request ${remote?.id}`);

    // The city's department fixes it in its own system.
    const list = await city.app.request("/api/department/work-orders", asToken(cityToken));
    const [cityWo] = ((await list.json()) as { workOrders: { id: string }[] }).workOrders;
    for (const to of ["acknowledged", "resolved"]) {
      city.clock.advance(MINUTE);
      const moved = await city.app.request(`/api/department/work-orders/${cityWo?.id}/transitions`, {
        method: "POST",
        ...asToken(cityToken, to === "resolved" ? { to, note: "Filled and rolled" } : { to }),
      });
      expect(moved.status).toBe(200);
    }

    // Two workers on the same database poll at once, then more rounds: it is resolved once.
    a.clock.advance(2 * MINUTE);
    const other = await openDatabase(a.url);
    await Promise.all([round(a), round({ ...a, db: other.db })]);
    other.client.close();
    for (let i = 0; i < 2; i++) {
      a.clock.advance(2 * MINUTE);
      await round(a);
    }
    const events = await timeline(a, wo.clusterId);
    const resolved = events.filter((e) => e.to === "resolved");
    expect(resolved).toHaveLength(1);
    expect(resolved[0]?.note).toContain("Filled and rolled");
    const done = await a.app.request(`/api/admin/work-orders`, asAdmin());
    const orders = ((await done.json()) as { workOrders: { id: string; status: string }[] }).workOrders;
    expect(orders.find((o) => o.id === wo.id)?.status).toBe("resolved");
    // Nothing more to ask once both sides agree it is done.
    const [polling] = await a.db.all<{ n: number }>(
      sql`SELECT count(*) AS n FROM remote_requests WHERE finished_at IS NULL`,
    );
    expect(polling?.n).toBe(0);
  });

  it("retries while the city's server is down, then leaves a dead letter", async () => {
    const a = await civicLoopA(`http://127.0.0.1:${await freePort()}/open311/v2`);
    await workOrderAt(a, CHANGSHA, { reporters: 2 });
    const states: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await round(a);
      states.push(r.dead ? "dead" : r.retrying ? "retrying" : "none");
      a.clock.advance(5 * MINUTE);
    }
    expect(states.slice(0, 2)).toEqual(["retrying", "retrying"]);
    expect(states).toContain("dead");
    const dead = await a.app.request("/api/admin/outbox/dead", asAdmin());
    const letters = ((await dead.json()) as { deadLetters: { lastError: string; attempts: number }[] })
      .deadLetters;
    expect(letters).toHaveLength(1);
    expect(letters[0]?.attempts).toBeGreaterThanOrEqual(3);
    expect(letters[0]?.lastError).toBeTruthy();
  });

  it("refuses a bad service mapping or a missing key when the department is configured", async () => {
    const a = await makeTestApp();
    await makeService(a);
    await makeService(a, { code: "streetlight", name: { en: "Streetlight", zh: "路灯" } });
    const configure = (dispatch: unknown, services = ["pothole"]) =>
      a.app.request("/api/admin/departments", {
        method: "POST",
        ...asAdmin({ code: "roads", name: { en: "Roads", zh: "道路" }, services, dispatch }),
      });
    const base = { method: "open311", endpoint: cityUrl, apiKey: "k" };
    const cases: [unknown, string[], string][] = [
      [{ ...base, serviceCodes: {} }, ["pothole"], "dispatch.serviceCodes.pothole"],
      [
        { ...base, serviceCodes: { pothole: "P", streetlight: "L" } },
        ["pothole"],
        "dispatch.serviceCodes.streetlight",
      ],
      [{ ...base, apiKey: undefined, serviceCodes: { pothole: "P" } }, ["pothole"], "dispatch.apiKey"],
      [
        { ...base, endpoint: "ftp://city.example/open311", serviceCodes: { pothole: "P" } },
        ["pothole"],
        "dispatch.endpoint",
      ],
    ];
    for (const [dispatch, services, field] of cases) {
      const res = await configure(dispatch, services);
      expect(res.status, field).toBe(400);
      expect(((await res.json()) as { error: { field: string } }).error.field).toBe(field);
    }
    // A PUT without the key keeps the stored one.
    expect((await configure({ ...base, serviceCodes: { pothole: "P" } })).status).toBe(201);
    const put = await a.app.request("/api/admin/departments/roads", {
      method: "PUT",
      ...asAdmin({
        name: { en: "Roads", zh: "道路" },
        services: ["pothole"],
        dispatch: { method: "open311", endpoint: cityUrl, serviceCodes: { pothole: "Q" } },
      }),
    });
    expect(put.status).toBe(200);
    expect(((await put.json()) as { dispatch: unknown }).dispatch).toEqual({
      method: "open311",
      endpoint: cityUrl,
      jurisdictionId: null,
      serviceCodes: { pothole: "Q" },
      apiKeySet: true,
      to: null,
      replyTo: null,
    });
  });

  it("tells the city of a reopening: a new request naming the old one, followed from then on", async () => {
    const a = await civicLoopA(cityUrl);
    await importPlaces(a.db, demoPlaces(DEMO_DEPARTMENTS), a.clock());
    const spot = { lat: 28.1961, lon: 112.995 };
    const wo = await workOrderAt(a, spot, { reporters: 2 });
    await round(a);
    const first = await a.db.get<{ id: string }>(sql`SELECT remote_id AS id FROM remote_requests`);
    const [made] = await cityRequests(`CivicLoop ${wo.id}/`);
    expect(made?.service_request_id).toBe(first?.id);

    await cityResolves(String(first?.id), "Patched");
    for (let i = 0; i < 2; i++) {
      a.clock.advance(2 * MINUTE);
      await round(a);
    }
    expect((await timeline(a, wo.clusterId)).filter((e) => e.to === "resolved")).toHaveLength(1);

    // A reporter says it is still there: A reopens, and the city hears of it as a new request.
    a.clock.advance(MINUTE);
    expect((await stillThere(a, wo.clusterId, wo.receipts[0], "Still a hole after the rain")).status).toBe(
      200,
    );
    await round(a);
    const mine = await cityRequests(`CivicLoop ${wo.id}/`);
    expect(mine).toHaveLength(2);
    const again = mine.find((r) => r.service_request_id !== first?.id);
    expect(again?.description).toContain(`Reopened: the problem of request ${first?.id} is still there`);
    expect(again?.description).toContain("Still a hole after the rain");
    expect(again?.status).toBe("open");
    const followed = await a.db.get<{ id: string; finished: number | null }>(
      sql`SELECT remote_id AS id, finished_at AS finished FROM remote_requests`,
    );
    expect(followed).toEqual({ id: again?.service_request_id, finished: null });

    // More rounds send nothing more; the city closing the new request resolves it here again.
    await round(a);
    expect(await cityRequests(`CivicLoop ${wo.id}/`)).toHaveLength(2);
    await cityResolves(String(again?.service_request_id), "Patched properly this time");
    for (let i = 0; i < 2; i++) {
      a.clock.advance(2 * MINUTE);
      await round(a);
    }
    const resolved = (await timeline(a, wo.clusterId)).filter((e) => e.to === "resolved");
    expect(resolved.map((e) => e.note)).toEqual(["Patched", "Patched properly this time"]);
  });

  it("sends the nearest place as address_string beside the coordinates", async () => {
    const proxy = await proxyTo(cityUrl.replace(/\/open311\/v2$/, ""), false);
    try {
      const a = await civicLoopA(`${proxy.url}/open311/v2`);
      await importPlaces(a.db, demoPlaces(DEMO_DEPARTMENTS), a.clock());
      await workOrderAt(a, { lat: 28.1962, lon: 112.9952 }, { reporters: 2 });
      expect(await round(a)).toMatchObject({ delivered: 1 });
      expect(proxy.posted).toHaveLength(1);
      const form = new URLSearchParams(proxy.posted[0]);
      expect(form.get("address_string")).toBe("near Wuyi Avenue, Furong District");
      expect(form.get("lat")).toBe("28.1962");
      // The mark comes first: a city that cuts long descriptions still keeps it.
      expect(form.get("description")).toMatch(/^CivicLoop \S+\/\S+\n\n/);
    } finally {
      await proxy.close();
    }
  });

  it("sends the reporter's own address_string when the report came with one", async () => {
    const proxy = await proxyTo(cityUrl.replace(/\/open311\/v2$/, ""), false);
    try {
      const a = await civicLoopA(`${proxy.url}/open311/v2`);
      await importPlaces(a.db, demoPlaces(DEMO_DEPARTMENTS), a.clock());
      const key = await a.app.request("/api/admin/api-keys", {
        method: "POST",
        ...asAdmin({ name: "Kiosk" }),
      });
      const apiKey = ((await key.json()) as { key: string }).key;
      const at = { lat: 28.1962, lon: 112.9952 };
      // The first report, from a third-party client, says where it is in its own words.
      const first = await a.app.request("/open311/v2/requests.json", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded", ...fromResident("kiosk-1") },
        body: new URLSearchParams({
          api_key: apiKey,
          service_code: "pothole",
          lat: String(at.lat),
          long: String(at.lon),
          description: "Deep hole",
          address_string: "Outside 12 Wuyi Avenue, by the bus stop",
        }).toString(),
      });
      expect(first.status).toBe(200);
      await workOrderAt(a, at, { reporters: 1 });
      expect(await round(a)).toMatchObject({ delivered: 1 });
      const form = new URLSearchParams(proxy.posted[0]);
      expect(form.get("address_string")).toBe("Outside 12 Wuyi Avenue, by the bus stop");
    } finally {
      await proxy.close();
    }
  });

  it("sends the residents' photos: the first as media_url, each linked in the description", async () => {
    const proxy = await proxyTo(cityUrl.replace(/\/open311\/v2$/, ""), false);
    try {
      const a = await civicLoopA(`${proxy.url}/open311/v2`);
      const upload = await a.app.request("/api/photos", {
        method: "POST",
        headers: { "content-type": "image/jpeg", "x-forwarded-for": "198.51.100.7" },
        body: realJpeg(),
      });
      expect(upload.status).toBe(201);
      const photo = ((await upload.json()) as { photo: { id: string } }).photo.id;
      const first = await a.app.request("/api/reports", {
        method: "POST",
        ...asAdmin({
          service: "pothole",
          lat: 28.1711,
          lon: 112.9411,
          description: "Hole with a photo",
          photoIds: [photo],
        }),
        headers: { "content-type": "application/json", "x-forwarded-for": "198.51.100.7" },
      });
      expect(first.status).toBe(201);
      await workOrderAt(a, { lat: 28.1711, lon: 112.9411 }, { reporters: 1 });
      expect(await round(a)).toMatchObject({ delivered: 1 });
      const form = new URLSearchParams(proxy.posted[0]);
      expect(form.get("media_url")).toBe(`http://civicloop.test/api/photos/${photo}`);
      expect(form.get("description")).toContain(`http://civicloop.test/api/photos/${photo}`);
    } finally {
      await proxy.close();
    }
  });

  it("adopts the request a POST made when the city's answer was lost, instead of posting a second", async () => {
    const proxy = await proxyTo(cityUrl.replace(/\/open311\/v2$/, ""), true);
    try {
      const a = await civicLoopA(`${proxy.url}/open311/v2`);
      const wo = await workOrderAt(a, { lat: CHANGSHA.lat + 0.02, lon: CHANGSHA.lon }, { reporters: 2 });
      expect(await round(a)).toMatchObject({ delivered: 0, retrying: 1 });
      expect(proxy.lost()).toBe(1);
      // The city holds the request though A never heard its id.
      expect(await cityRequests(`CivicLoop ${wo.id}/`)).toHaveLength(1);
      for (let i = 0; i < 3; i++) {
        a.clock.advance(2 * MINUTE);
        await round(a);
      }
      const mine = await cityRequests(`CivicLoop ${wo.id}/`);
      expect(mine).toHaveLength(1);
      const held = await a.db.get<{ id: string }>(sql`SELECT remote_id AS id FROM remote_requests`);
      expect(held?.id).toBe(mine[0]?.service_request_id);
      const [row] = await a.db.all<{ state: string; error: string | null }>(
        sql`SELECT state, last_error AS error FROM outbox WHERE kind = 'webhook' ORDER BY created_at LIMIT 1`,
      );
      expect(row).toEqual({ state: "delivered", error: "adopted the request an earlier attempt made" });
      // And it is followed as any other: the city's status reaches A.
      const acks = (await timeline(a, wo.clusterId)).filter((e) => e.to === "acknowledged");
      expect(acks[0]?.note).toContain(`request ${mine[0]?.service_request_id}`);
    } finally {
      await proxy.close();
    }
  });
  it("adopts after a crash between the POST and its record: the lapsed lease's next try looks first", async () => {
    const proxy = await proxyTo(cityUrl.replace(/\/open311\/v2$/, ""), false);
    try {
      const a = await civicLoopA(`${proxy.url}/open311/v2`);
      const wo = await workOrderAt(a, { lat: CHANGSHA.lat + 0.03, lon: CHANGSHA.lon }, { reporters: 2 });
      // A worker claims the row and its POST reaches the city; it dies before recording anything.
      const now = a.clock();
      const [row] = await claimDue(a.db, now, now + 2 * MINUTE, 10);
      expect(row?.attempts).toBe(0);
      const outcome = await deliverOpen311(row as DeliveryRow, {
        now,
        fetch,
        config: a.config,
        timeoutMs: 10_000,
      });
      expect(outcome.state).toBe("delivered");
      expect(proxy.posted).toHaveLength(1);
      a.clock.advance(3 * MINUTE);
      expect(await round(a)).toMatchObject({ delivered: 1 });
      expect(proxy.posted).toHaveLength(1);
      const mine = await cityRequests(`CivicLoop ${wo.id}/`);
      expect(mine).toHaveLength(1);
      const held = await a.db.get<{ id: string }>(sql`SELECT remote_id AS id FROM remote_requests`);
      expect(held?.id).toBe(mine[0]?.service_request_id);
      // The look-up carried the department's key, as the POST does.
      expect(new URL(String(proxy.listed[0]), proxy.url).searchParams.get("api_key")).toBe(cityKey);
    } finally {
      await proxy.close();
    }
  });

  it("posts nothing while the city answers its list with 429, and still looks after a dead letter's retry", async () => {
    let status: number | null = 429;
    const proxy = await proxyTo(cityUrl.replace(/\/open311\/v2$/, ""), true, () => status);
    try {
      const a = await civicLoopA(`${proxy.url}/open311/v2`);
      const wo = await workOrderAt(a, { lat: CHANGSHA.lat + 0.04, lon: CHANGSHA.lon }, { reporters: 2 });
      expect(await round(a)).toMatchObject({ retrying: 1 });
      expect(proxy.lost()).toBe(1);
      // Too busy to list: unknown, so no second POST, until the row is given up.
      for (let i = 0; i < 8; i++) {
        a.clock.advance(2 * MINUTE);
        await round(a);
      }
      expect(proxy.posted).toHaveLength(1);
      const dead = await a.db.get<{ id: string; error: string }>(
        sql`SELECT id, last_error AS error FROM outbox WHERE kind = 'webhook' AND state = 'dead'`,
      );
      expect(dead?.error).toContain("could not be searched");
      // The admin retries the dead letter once the city lists again: it is adopted, not posted.
      status = null;
      const retried = await a.app.request(`/api/admin/outbox/${dead?.id}/retry`, {
        method: "POST",
        ...asAdmin({}),
      });
      expect(retried.status).toBe(200);
      expect(await round(a)).toMatchObject({ delivered: 1 });
      expect(proxy.posted).toHaveLength(1);
      expect(await cityRequests(`CivicLoop ${wo.id}/`)).toHaveLength(1);
    } finally {
      await proxy.close();
    }
  });
});

describe("a reroute away from a department dispatching by Open311", () => {
  it("posts nothing more to its city's server, and says why on the row", async () => {
    const proxy = await proxyTo(cityUrl.replace(/\/open311\/v2$/, ""), false);
    try {
      const a = await civicLoopA(`${proxy.url}/open311/v2`);
      const water = await a.app.request("/api/admin/departments", {
        method: "POST",
        ...asAdmin({ code: "water", name: { en: "Water", zh: "水务" }, services: ["pothole"] }),
      });
      expect(water.status).toBe(201);
      const wo = await workOrderAt(a, { lat: CHANGSHA.lat + 0.05, lon: CHANGSHA.lon }, { reporters: 2 });
      expect(await round(a)).toMatchObject({ delivered: 1 });
      expect(proxy.posted).toHaveLength(1);
      const moved = await a.app.request(`/api/admin/work-orders/${wo.id}/reroute`, {
        method: "POST",
        ...asAdmin({ department: "water" }),
      });
      expect(moved.status).toBe(200);
      a.clock.advance(MINUTE);
      await round(a);
      // GeoReport v2 cannot withdraw a request: the city's system is not sent a second one.
      expect(proxy.posted).toHaveLength(1);
      const rows = await a.db.all<{ department: string; state: string; error: string | null }>(
        sql`SELECT department_code AS department, state, last_error AS error FROM outbox
          WHERE kind = 'webhook' AND department_code = 'roads' ORDER BY created_at`,
      );
      expect(rows).toEqual([
        { department: "roads", state: "delivered", error: null },
        {
          department: "roads",
          state: "delivered",
          error: "not sent: GeoReport v2 has no way to withdraw a request from a city's system",
        },
      ]);
    } finally {
      await proxy.close();
    }
  });
});
