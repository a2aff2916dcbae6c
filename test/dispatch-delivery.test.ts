import { createHmac } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { deliverDue } from "../src/dispatch/deliver";
import { startDispatchLoop } from "../src/dispatch/loop";
import { afterFailure, DEFAULT_RETRY } from "../src/dispatch/retry-policy";
import { runDispatch } from "../src/dispatch/run";
import { verifySignature } from "../src/dispatch/signature";
import { to7 } from "../src/domain/geo";
import { openDatabase } from "../src/node/database";
import { DEMO_DEPARTMENTS } from "../src/seed/demo-city";
import { demoPlaces } from "../src/seed/gazetteer";
import { claimDue, takeTurns } from "../src/store/outbox";
import { checkDeadlines } from "../src/store/overdue";
import { importPlaces } from "../src/store/places";
import { makeClock, makeTestApp, type TestApp } from "./support/app";
import {
  asAdmin,
  CHANGSHA,
  east,
  makeDepartment,
  makeService,
  reportAt,
  squareAround,
} from "./support/fixtures";
import { type Received, type Step, startReceiver } from "./support/receiver";
import { asToken, departmentToken, move, workOrderAt } from "./support/work-orders";

const errorOf = async (res: Response) => ({
  status: res.status,
  code: ((await res.json()) as { error: { code: string } }).error.code,
});

const HOUR = 3_600_000;
const config = { publicUrl: "http://civicloop.test", allowPrivateWebhooks: true };
/** Fails twice with 500, then hangs past the timeout, then answers 200. */
const flaky = (attempt: number): Step => (attempt <= 2 ? 500 : attempt === 3 ? "hang" : 200);

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()?.();
});

async function cityWithWebhook(url: string) {
  const t = await makeTestApp({ clock: makeClock() });
  await makeService(t, { code: "pothole", threshold: 2 });
  const dept = await makeDepartment(t, {
    code: "roads",
    services: ["pothole"],
    area: squareAround(CHANGSHA, 20_000),
    webhookUrl: url,
  });
  return { t, secret: dept.webhookSecret as string };
}

/** Roads (with a webhook answering `roads`) holding Changsha, and water, 60 km east, answering `water`. */
/** The admin hands the work order to water, then `rounds` rounds of the outbox run, `step` apart. */
async function rerouteToWater(t: TestApp, workOrderId: string, rounds: number, step = HOUR) {
  const reroute = await t.app.request(`/api/admin/work-orders/${workOrderId}/reroute`, {
    method: "POST",
    ...asAdmin({ department: "water" }),
  });
  expect(reroute.status).toBe(200);
  for (let i = 0; i < rounds; i++) {
    t.clock.advance(step);
    await deliverDue(t.db, { now: t.clock(), fetch, config });
  }
}

async function roadsAndWater(roads: (attempt: number) => Step, water: (attempt: number) => Step) {
  const roadsHook = await startReceiver(roads);
  const waterHook = await startReceiver(water);
  closers.push(roadsHook.close, waterHook.close);
  const { t } = await cityWithWebhook(roadsHook.url);
  await makeDepartment(t, {
    code: "water",
    services: ["pothole"],
    area: squareAround(east(CHANGSHA, 60_000), 1000),
    webhookUrl: waterHook.url,
  });
  return { t, roadsHook, waterHook };
}

/** The work_order_created event id of each work order: what its Idempotency-Key must be. */
async function createdEvents(t: TestApp) {
  const rows = await t.db.all<{ wo: string; ev: string }>(
    sql`SELECT work_order_id AS wo, id AS ev FROM events WHERE type = 'work_order_created'`,
  );
  return new Map(rows.map((r) => [r.ev, r.wo]));
}

async function expectAllDelivered(t: TestApp, received: Received[], secret: string, workOrders: number) {
  const keys = await createdEvents(t);
  expect(keys.size).toBe(workOrders);
  for (const r of received) {
    expect(await verifySignature(secret, r.body, r.signature), "signature").toBe(true);
    // The key is the event id and the body says the same event and its work order.
    const body = JSON.parse(r.body);
    expect(body.id).toBe(r.key);
    expect(keys.get(r.key)).toBe(body.workOrder.id);
    // The centre as every answer writes it: 7 decimals, not a running mean's float noise.
    expect([body.location.lat, body.location.lon]).toEqual([to7(body.location.lat), to7(body.location.lon)]);
  }
  for (const key of keys.keys()) {
    expect(
      received.some((r) => r.key === key && r.answered === 200),
      `delivered ${key}`,
    ).toBe(true);
  }
  const [state] = await t.db.all<{ pending: number; delivered: number }>(sql`SELECT
    sum(state = 'pending') AS pending, sum(state = 'delivered') AS delivered FROM outbox`);
  expect(state).toEqual({ pending: 0, delivered: workOrders });
}

describe("webhook delivery from the outbox", () => {
  it("delivers every work order through failures and a timeout, with a new worker over the same file each round", async () => {
    const receiver = await startReceiver(flaky);
    closers.push(receiver.close);
    const { t, secret } = await cityWithWebhook(receiver.url);
    for (let i = 0; i < 4; i++) await workOrderAt(t, east(CHANGSHA, 100 * i), { reporters: 2 });

    for (let round = 0; round < 8; round++) {
      // A fresh connection each round: all that survives between rounds is the database file.
      const { client, db } = await openDatabase(t.url);
      await deliverDue(db, { now: t.clock(), fetch, config, timeoutMs: 1500 });
      client.close();
      t.clock.advance(2 * HOUR);
    }

    await expectAllDelivered(t, receiver.received, secret, 4);
    const attempts = await t.db.all<{
      statuses: string;
    }>(sql`SELECT group_concat(coalesce(http_status, error), ',')
      AS statuses FROM (SELECT * FROM delivery_attempts ORDER BY at) GROUP BY outbox_id`);
    expect(attempts.map((a) => a.statuses)).toEqual(Array(4).fill("500,500,timeout,200"));
  });

  it("keeps retrying a 5xx for at least 24 hours, then leaves a dead letter the admin can retry", async () => {
    let healthy = false;
    const receiver = await startReceiver(() => (healthy ? 200 : 503));
    closers.push(receiver.close);
    const { t, secret } = await cityWithWebhook(receiver.url);
    await importPlaces(t.db, demoPlaces(DEMO_DEPARTMENTS), t.clock());
    const wo = await workOrderAt(t, CHANGSHA, { reporters: 2 });
    const start = t.clock();
    let dead = false;
    while (!dead) {
      const summary = await deliverDue(t.db, { now: t.clock(), fetch, config });
      dead = summary.dead > 0;
      t.clock.advance(HOUR / 2);
      expect(t.clock() - start).toBeLessThan(72 * HOUR);
    }
    const [span] = await t.db.all<{ first: number; last: number; n: number }>(
      sql`SELECT min(at) AS first, max(at) AS last, count(*) AS n FROM delivery_attempts`,
    );
    expect((span?.last ?? 0) - (span?.first ?? 0)).toBeGreaterThanOrEqual(24 * HOUR);

    const list = await t.app.request("/api/admin/outbox/dead", asAdmin());
    const { deadLetters } = (await list.json()) as { deadLetters: { id: string; workOrderId: string }[] };
    expect(deadLetters.map((d) => d.workOrderId)).toEqual([wo.id]);

    healthy = true;
    // Asked twice at once (a double click): both are told it is pending again; it goes once.
    const retries = await Promise.all(
      [1, 2].map(() =>
        t.app.request(`/api/admin/outbox/${deadLetters[0]?.id}/retry`, { method: "POST", ...asAdmin() }),
      ),
    );
    expect(retries.map((r) => r.status)).toEqual([200, 200]);
    expect((await deliverDue(t.db, { now: t.clock(), fetch, config })).delivered).toBe(1);
    await expectAllDelivered(t, receiver.received, secret, 1);
  });

  it("stops retrying a department's delivery once its work order went to another department", async () => {
    const { t, roadsHook, waterHook } = await roadsAndWater(
      () => 503,
      () => 200,
    );
    const wo = await workOrderAt(t, CHANGSHA, { reporters: 2 });
    await deliverDue(t.db, { now: t.clock(), fetch, config });
    expect(roadsHook.received).toHaveLength(1);
    await rerouteToWater(t, wo.id, 4);
    // Roads no longer holds it: no retry tells roads the state of water's work order; what roads
    // is sent (and, answering 503, sent again) is only that the work order was taken away.
    const toRoads = roadsHook.received.map((r) => JSON.parse(r.body).type);
    const told = toRoads.length - 1;
    expect(told).toBeGreaterThan(1);
    expect(toRoads).toEqual(["work_order_created", ...new Array(told).fill("rerouted_away")]);
    expect(waterHook.received.map((r) => JSON.parse(r.body).type)).toEqual(["rerouted"]);
    const roadsRows = await t.db.all(sql`SELECT o.state, o.last_error AS error FROM outbox o
      JOIN events e ON e.id = o.event_id WHERE e.department_code = 'roads'`);
    expect(roadsRows).toEqual([
      { state: "delivered", error: "not sent: the work order went to another department" },
    ]);
    // Water's staff see the deliveries to water only: roads' say how roads' webhook answered.
    const deliveries = async (auth: RequestInit) =>
      (
        (await (await t.app.request(`/api/department/work-orders/${wo.id}`, auth)).json()) as {
          deliveries: { httpStatus: number | null; error: string | null }[];
        }
      ).deliveries.map((d) => d.httpStatus ?? d.error);
    expect(await deliveries(asToken(await departmentToken(t, "water")))).toEqual([200]);
    // The admin sees all (two in one round share a time, so in no set order).
    expect((await deliveries(asAdmin())).map(String).sort()).toEqual([
      "200",
      ...new Array(told + 1).fill("503"),
      "not sent: the work order went to another department",
    ]);
  });

  it("shows a department the follow-ups it was sent, as well as its work order's own events", async () => {
    const { t, roadsHook, waterHook } = await roadsAndWater(
      () => 200,
      () => 200,
    );
    const wo = await workOrderAt(t, CHANGSHA, { reporters: 2 });
    // A later report is a follow-up (its event names no department), sent after its hold.
    const followUp = async (deviceId: string) => {
      expect((await reportAt(t, CHANGSHA, { deviceId })).status).toBe(201);
      t.clock.advance(HOUR);
      await deliverDue(t.db, { now: t.clock(), fetch, config });
    };
    await deliverDue(t.db, { now: t.clock(), fetch, config });
    await followUp("device-follow-up-roads-1");
    const seen = async (department: string) =>
      (
        (await (
          await t.app.request(
            `/api/department/work-orders/${wo.id}`,
            asToken(await departmentToken(t, department)),
          )
        ).json()) as { deliveries: unknown[] }
      ).deliveries.length;
    // Roads holds it: its deliveries are the work order and the follow-up.
    expect(await seen("roads")).toBe(2);
    t.clock.advance(60_000);
    await rerouteToWater(t, wo.id, 1, 0);
    await followUp("device-follow-up-water-1");
    const types = (r: Received[]) => r.map((x) => JSON.parse(x.body).type).sort();
    expect(types(roadsHook.received)).toEqual(["report_added", "rerouted_away", "work_order_created"]);
    expect(types(waterHook.received)).toEqual(["report_added", "rerouted"]);
    // Water holds it now, and sees what it was sent: the move, then its own follow-up.
    expect(await seen("water")).toBe(2);
  });

  it("does not retry a 4xx other than 408 and 429, but does retry those two", async () => {
    const answers: Record<number, Step[]> = { 0: [404], 1: [408, 200], 2: [429, 200] };
    const order: string[] = [];
    const receiver = await startReceiver((attempt, key) => {
      if (!order.includes(key)) order.push(key);
      return answers[order.indexOf(key)]?.[attempt - 1] ?? 200;
    });
    closers.push(receiver.close);
    const { t } = await cityWithWebhook(receiver.url);
    for (let i = 0; i < 3; i++) {
      await workOrderAt(t, east(CHANGSHA, 100 * i), { reporters: 2 });
      // One at a time, so the receiver sees them in a known order.
      await deliverDue(t.db, { now: t.clock(), fetch, config });
    }
    t.clock.advance(2 * HOUR);
    await deliverDue(t.db, { now: t.clock(), fetch, config });
    const rows = await t.db.all<{ state: string; attempts: number }>(
      sql`SELECT state, attempts FROM outbox ORDER BY created_at, rowid`,
    );
    expect(rows).toEqual([
      { state: "dead", attempts: 1 },
      { state: "delivered", attempts: 2 },
      { state: "delivered", attempts: 2 },
    ]);
  });

  it("waits out a 429's or a 503's Retry-After before the next attempt, in seconds or as a date", async () => {
    const start = makeClock()();
    const asked: Record<number, Step> = {
      0: { status: 429, headers: { "Retry-After": "7200" } },
      1: { status: 503, headers: { "Retry-After": new Date(start + 3 * HOUR).toUTCString() } },
    };
    const order: string[] = [];
    const receiver = await startReceiver((attempt, key) => {
      if (!order.includes(key)) order.push(key);
      return attempt === 1 ? (asked[order.indexOf(key)] ?? 200) : 200;
    });
    closers.push(receiver.close);
    const { t } = await cityWithWebhook(receiver.url);
    expect(t.clock()).toBe(start);
    for (let i = 0; i < 2; i++) {
      await workOrderAt(t, east(CHANGSHA, 100 * i), { reporters: 2 });
      await deliverDue(t.db, { now: t.clock(), fetch, config });
    }
    const states = async () =>
      (await t.db.all<{ state: string }>(sql`SELECT state FROM outbox ORDER BY created_at, rowid`)).map(
        (r) => r.state,
      );
    // The backoff alone would have tried again within a minute, and then every hour.
    t.clock.set(start + 2 * HOUR - 60_000);
    await deliverDue(t.db, { now: t.clock(), fetch, config });
    expect(await states()).toEqual(["pending", "pending"]);
    t.clock.set(start + 2 * HOUR + 60_000);
    await deliverDue(t.db, { now: t.clock(), fetch, config });
    expect(await states()).toEqual(["delivered", "pending"]);
    t.clock.set(start + 3 * HOUR + 60_000);
    await deliverDue(t.db, { now: t.clock(), fetch, config });
    expect(await states()).toEqual(["delivered", "delivered"]);
    expect(receiver.received.map((r) => r.answered)).toEqual([429, 503, 200, 200]);
  });

  it("counts a Retry-After from when the answer came, not from when the round began", async () => {
    let slowAnswer = () => {};
    const receiver = await startReceiver((attempt) => {
      if (attempt > 1) return 200;
      slowAnswer();
      return { status: 429, headers: { "Retry-After": "40" } };
    });
    closers.push(receiver.close);
    const { t } = await cityWithWebhook(receiver.url);
    // The receiver takes 9 s to answer "in 40 s".
    slowAnswer = () => t.clock.advance(9_000);
    await workOrderAt(t, east(CHANGSHA, 100), { reporters: 2 });
    const start = t.clock();
    await deliverDue(t.db, { now: start, clock: t.clock, fetch, config });
    const state = async () => (await t.db.all<{ state: string }>(sql`SELECT state FROM outbox`))[0]?.state;
    t.clock.set(start + 45_000);
    await deliverDue(t.db, { now: t.clock(), clock: t.clock, fetch, config });
    expect(await state()).toBe("pending");
    t.clock.set(start + 50_000);
    await deliverDue(t.db, { now: t.clock(), clock: t.clock, fetch, config });
    expect(await state()).toBe("delivered");
  });

  it("refuses to 'retry' a dispatch still being tried, which never died, rather than saying it retries", async () => {
    const receiver = await startReceiver((attempt) => (attempt === 1 ? 503 : 200));
    closers.push(receiver.close);
    const { t } = await cityWithWebhook(receiver.url);
    await workOrderAt(t, east(CHANGSHA, 100), { reporters: 2 });
    await deliverDue(t.db, { now: t.clock(), fetch, config });
    const [row] = await t.db.all<{ id: string; attempts: number }>(sql`SELECT id, attempts FROM outbox`);
    expect(row?.attempts).toBe(1);
    const retry = () => t.app.request(`/api/admin/outbox/${row?.id}/retry`, { method: "POST", ...asAdmin() });
    const pending = await retry();
    expect(pending.status).toBe(409);
    expect((await errorOf(pending)).code).toBe("not_dead_letter");
    t.clock.advance(HOUR);
    await deliverDue(t.db, { now: t.clock(), fetch, config });
    expect((await retry()).status).toBe(404);
  });

  it("waits no later than the retry window's end for a Retry-After of days, so the row is given up in time", () => {
    const createdAt = 0;
    const now = 23 * HOUR;
    const twoDays = 48 * HOUR;
    const next = afterFailure({ attempts: 7, createdAt }, now, 0.5, DEFAULT_RETRY, twoDays);
    expect(next).toEqual({ state: "pending", nextAttemptAt: 24 * HOUR });
    // Past the window with its tries spent: given up.
    expect(afterFailure({ attempts: 7, createdAt }, 24 * HOUR, 0.5, DEFAULT_RETRY, twoDays).state).toBe(
      "dead",
    );
  });

  it("tells the server's log of each round in which an attempt failed, by counts alone", async () => {
    const receiver = await startReceiver(() => 503);
    closers.push(receiver.close);
    const { t } = await cityWithWebhook(receiver.url);
    await workOrderAt(t, east(CHANGSHA, 300), { reporters: 2 });
    const told: unknown[] = [];
    const loop = startDispatchLoop(t.db, {
      clock: t.clock,
      intervalMs: 5,
      fetch,
      config,
      onFailures: (summary) => told.push(summary),
    });
    await expect.poll(() => told.length, { timeout: 5000 }).toBeGreaterThan(0);
    await loop.stop();
    expect(told[0]).toMatchObject({ attempted: 1, delivered: 0, retrying: 1 });
    expect(JSON.stringify(told)).not.toContain(receiver.url);
  });

  it("says why a connection failed (dropped, refused), not only fetch's 'fetch failed'", async () => {
    // A receiver that hangs up on every request, as a crashing or misconfigured proxy does.
    const dropper = createServer((req) => req.socket.destroy());
    await new Promise<void>((ready) => dropper.listen(0, "127.0.0.1", ready));
    closers.push(() => new Promise<void>((done) => dropper.close(() => done())));
    const { port } = dropper.address() as AddressInfo;
    const { t } = await cityWithWebhook(`http://127.0.0.1:${port}/hook`);
    await workOrderAt(t, CHANGSHA, { reporters: 2 });
    await deliverDue(t.db, { now: t.clock(), fetch, config });
    // Nobody listens there any more: the connection is refused.
    await new Promise<void>((done) => dropper.close(() => done()));
    t.clock.advance(2 * HOUR);
    await deliverDue(t.db, { now: t.clock(), fetch, config });
    const errors = await t.db.all<{ error: string }>(sql`SELECT error FROM delivery_attempts ORDER BY at`);
    expect(errors.map((e) => e.error)).toEqual([
      expect.stringMatching(/^fetch failed: other side closed/),
      expect.stringMatching(/^fetch failed: connect ECONNREFUSED 127\.0\.0\.1:\d+$/),
    ]);
    const [row] = await t.db.all<{ state: string }>(sql`SELECT state FROM outbox`);
    expect(row?.state).toBe("pending");
  });

  it("refuses a private webhook address at delivery time unless the operator allows it", async () => {
    const receiver = await startReceiver(() => 200);
    closers.push(receiver.close);
    const { t } = await cityWithWebhook(receiver.url);
    await workOrderAt(t, CHANGSHA, { reporters: 2 });
    const summary = await deliverDue(t.db, {
      now: t.clock(),
      fetch,
      config: { ...config, allowPrivateWebhooks: false },
    });
    expect(summary).toMatchObject({ attempted: 1, dead: 1 });
    expect(receiver.received).toEqual([]);
  });
});

describe("a work order's webhooks", () => {
  it("reach its department in the order they happened, a later one waiting while an earlier one retries", async () => {
    let failed = false;
    const receiver = await startReceiver(() => {
      if (failed) return 200;
      failed = true;
      return 500;
    });
    closers.push(receiver.close);
    const { t } = await cityWithWebhook(receiver.url);
    const wo = await workOrderAt(t, CHANGSHA, { reporters: 2 });
    const round = () => deliverDue(t.db, { now: t.clock(), fetch, config, timeoutMs: 1500 });
    await round(); // work_order_created: refused, so it waits to be tried again
    // A move the department did not make itself (the admin's) is news to it.
    const moved = await t.app.request(`/api/admin/work-orders/${wo.id}/transitions`, {
      method: "POST",
      ...asAdmin({ to: "acknowledged" }),
    });
    expect(moved.status).toBe(200);
    await round(); // the acknowledgement is due, but waits behind the creation
    const types = () => receiver.received.map((r) => `${JSON.parse(r.body).type}:${r.answered}`);
    expect(types()).toEqual(["work_order_created:500"]);
    t.clock.advance(2 * HOUR);
    await round();
    await round();
    expect(types()).toEqual(["work_order_created:500", "work_order_created:200", "status_changed:200"]);
  });

  it("do not wait behind a resident's follow-up held for moderation, which goes when its hold ends", async () => {
    const receiver = await startReceiver(() => 200);
    closers.push(receiver.close);
    const { t } = await cityWithWebhook(receiver.url);
    const wo = await workOrderAt(t, CHANGSHA, { reporters: 2 });
    const round = () => deliverDue(t.db, { now: t.clock(), fetch, config, timeoutMs: 1500 });
    await round();
    // A third resident's words: held ten minutes, in case moderators hide them.
    expect((await reportAt(t, CHANGSHA, { deviceId: "device-held-words" })).status).toBe(201);
    t.clock.advance(60_000);
    const moved = await t.app.request(`/api/admin/work-orders/${wo.id}/transitions`, {
      method: "POST",
      ...asAdmin({ to: "acknowledged" }),
    });
    expect(moved.status).toBe(200);
    await round();
    const types = () => receiver.received.map((r) => JSON.parse(r.body).type);
    // The admin's move goes at once, not ten minutes late behind the held words.
    expect(types()).toEqual(["work_order_created", "status_changed"]);
    t.clock.advance(10 * 60_000);
    await round();
    expect(types()).toEqual(["work_order_created", "status_changed", "report_added"]);
  });
});

describe("the outbox's turns", () => {
  it("give every department its next delivery before any department its second", async () => {
    const { t } = await roadsAndWater(
      () => 200,
      () => 200,
    );
    const busy = await workOrderAt(t, CHANGSHA, { reporters: 2 });
    await deliverDue(t.db, { now: t.clock(), fetch, config });
    // Roads is owed 120 residents' follow-ups, all due a minute before anything below.
    const at = t.clock() - 60_000;
    for (let i = 0; i < 120; i++) {
      await t.db.run(sql`INSERT INTO events (id, cluster_id, work_order_id, type, actor, at)
        VALUES (${`backlog-event-${i}`}, ${busy.clusterId}, ${busy.id}, 'report_added', 'resident', ${at})`);
      await t.db.run(sql`INSERT INTO outbox (id, event_id, work_order_id, department_code, state, attempts, next_attempt_at, created_at)
        VALUES (${`backlog-row-${i}`}, ${`backlog-event-${i}`}, ${busy.id}, 'roads', 'pending', 0, ${at}, ${at})`);
    }
    const waterNew = await workOrderAt(t, east(CHANGSHA, 60_000), { reporters: 2 });
    const claimed = await claimDue(t.db, t.clock(), t.clock() + 70_000, 50);
    // Water's new work order goes in this round, though 120 of roads' rows were due before it.
    expect(claimed.filter((r) => r.departmentCode === "water").map((r) => r.workOrderId)).toEqual([
      waterNew.id,
    ]);
    expect(claimed).toHaveLength(50);
  });
});

describe("the turns themselves", () => {
  const row = (id: string, next: number) => ({ id, next });
  it("take each department's first group, the longest due first, before any second, never past the round's size", () => {
    // Zed is last by name but due longest: it goes first in the first turn.
    const alpha = [[row("a1", 20)], [row("a2", 21)]];
    const zed = [[row("z1", 5)]];
    expect(
      takeTurns([alpha, zed], 3)
        .flat()
        .map((r) => r.id),
    ).toEqual(["z1", "a1", "a2"]);
    // A group (an e-mail department's rows of one work order) is never cut, nor added past the size.
    const mail = [[row("m1", 1), row("m2", 1), row("m3", 1)]];
    expect(
      takeTurns([alpha, mail], 2)
        .flat()
        .map((r) => r.id),
    ).toEqual(["m1", "m2", "m3"]);
    expect(
      takeTurns([[[row("a1", 0)]], mail], 2)
        .flat()
        .map((r) => r.id),
    ).toEqual(["a1"]);
  });
});

describe("a work order's dead letters", () => {
  it("are in its department's detail, its own only, and in the admin's, until sent again or set aside", async () => {
    const { t } = await roadsAndWater(
      () => 401,
      () => 401,
    );
    const wo = await workOrderAt(t, CHANGSHA, { reporters: 2 });
    const deadOf = async (auth: RequestInit) => {
      const res = await t.app.request(`/api/department/work-orders/${wo.id}`, auth);
      expect(res.status).toBe(200);
      return ((await res.json()) as { deadLetters: Record<string, unknown>[] }).deadLetters;
    };
    const roads = asToken(await departmentToken(t, "roads"));
    expect(await deadOf(roads)).toEqual([]);
    // A 401 (a receiver refusing the signature): given up at once.
    await deliverDue(t.db, { now: t.clock(), fetch, config });
    const [letter] = await deadOf(roads);
    expect(letter).toMatchObject({
      eventType: "work_order_created",
      workOrderId: wo.id,
      department: "roads",
      attempts: 1,
      lastError: "HTTP 401",
    });

    // Moved to water, whose webhook refuses too: water sees its own, never roads'; the admin both.
    await rerouteToWater(t, wo.id, 1, 0);
    const water = await deadOf(asToken(await departmentToken(t, "water")));
    expect(water.map((d) => [d.department, d.eventType])).toEqual([["water", "rerouted"]]);
    const all = await deadOf(asAdmin());
    expect(all.map((d) => d.department).sort()).toEqual(["roads", "roads", "water"]);

    // Roads' work-order dispatch cannot be sent again (roads no longer holds the work order, and
    // a retry would only be settled unsent): the lists say so, and a retry is refused, naming why.
    // The word to roads that the work order was taken away can.
    const byDepartment = (list: Record<string, unknown>[]) =>
      Object.fromEntries(
        list.map((d) => [`${d.department} ${d.eventType}`, { heldBy: d.heldBy, retryable: d.retryable }]),
      );
    const expected = {
      "roads work_order_created": { heldBy: "water", retryable: false },
      "roads rerouted_away": { heldBy: "water", retryable: true },
      "water rerouted": { heldBy: "water", retryable: true },
    };
    expect(byDepartment(all)).toEqual(expected);
    const queue = (await (await t.app.request("/api/admin/outbox/dead", asAdmin())).json()) as {
      deadLetters: Record<string, unknown>[];
    };
    expect(byDepartment(queue.deadLetters)).toEqual(expected);
    const roadsLetter = all.find((d) => d.eventType === "work_order_created");
    const awayLetter = all.find((d) => d.eventType === "rerouted_away");
    const audited = async () =>
      (await t.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM staff_actions`))[0]?.n;
    const auditedBefore = await audited();
    const refused = await t.app.request(`/api/admin/outbox/${roadsLetter?.id}/retry`, {
      method: "POST",
      ...asAdmin(),
    });
    expect(refused.status).toBe(409);
    expect(await refused.json()).toEqual({
      error: {
        code: "work_order_moved",
        message: expect.stringContaining("water holds it now"),
        department: "roads",
        heldBy: "water",
      },
    });
    expect((await deadOf(asAdmin())).map((d) => d.department).sort()).toEqual(["roads", "roads", "water"]);
    expect(await audited()).toBe(auditedBefore);

    // Sent again by the admin: no longer dead.
    const retry = await t.app.request(`/api/admin/outbox/${water[0]?.id}/retry`, {
      method: "POST",
      ...asAdmin(),
    });
    expect(retry.status).toBe(200);
    const retryAway = await t.app.request(`/api/admin/outbox/${awayLetter?.id}/retry`, {
      method: "POST",
      ...asAdmin(),
    });
    expect(retryAway.status).toBe(200);
    expect((await deadOf(asAdmin())).map((d) => d.eventType)).toEqual(["work_order_created"]);

    // Roads' cannot be sent again: the admin sets it aside. It leaves the list, stays as history,
    // audited once; set aside again, nothing changes; an unknown one is a 404.
    const dismiss = (id: string) =>
      t.app.request(`/api/admin/outbox/${id}/dismiss`, { method: "POST", ...asAdmin() });
    const before = await audited();
    for (let i = 0; i < 2; i++) {
      const dismissed = await dismiss(roadsLetter?.id as string);
      expect(dismissed.status).toBe(200);
      expect(await dismissed.json()).toEqual({ dismissed: true });
    }
    expect(await audited()).toBe((before ?? 0) + 1);
    expect(await deadOf(asAdmin())).toEqual([]);
    const [kept] = await t.db.all<{ state: string; dismissed: number | null }>(
      sql`SELECT state, dismissed_at AS dismissed FROM outbox WHERE id = ${roadsLetter?.id}`,
    );
    expect(kept).toEqual({ state: "dead", dismissed: t.clock() });
    const unknown = await dismiss("no-such-letter");
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe("not_found");
  });
});

describe("a work order's dispatches after a reroute", () => {
  /** A department's view of the work order through the department API (the admin's: all of them). */
  const detailOf = async (t: TestApp, id: string, auth: RequestInit) => {
    const res = await t.app.request(`/api/department/work-orders/${id}`, auth);
    expect(res.status).toBe(200);
    return (await res.json()) as {
      deadLetters: {
        id: string;
        department: string | null;
        eventType: string;
        lastError: string | null;
        heldBy: string | null;
        retryable: boolean;
      }[];
      deliveries: { httpStatus: number | null; error: string | null }[];
    };
  };

  /**
   * Roads takes the work order, then answers the residents' later words (a follow-up an hour on)
   * with `later`; water takes everything. The city, roads' calls so far, and the first round's
   * outcome for the follow-up.
   */
  async function followUpAtRoads(later: number) {
    let roadsCalls = 0;
    const { t, waterHook } = await roadsAndWater(
      () => (++roadsCalls === 1 ? 200 : later),
      () => 200,
    );
    const wo = await workOrderAt(t, CHANGSHA, { reporters: 2 });
    await deliverDue(t.db, { now: t.clock(), fetch, config });
    expect((await reportAt(t, CHANGSHA, { deviceId: `device-follow-up-${later}` })).status).toBe(201);
    t.clock.advance(HOUR);
    const round = await deliverDue(t.db, { now: t.clock(), fetch, config });
    return { t, waterHook, wo, round, roadsCalls: () => roadsCalls };
  }

  it("leave a follow-up that died at the first department with it, not with the next one", async () => {
    // Refused with a 401: given up at once.
    const { t, waterHook, wo, round, roadsCalls } = await followUpAtRoads(401);
    expect(round.dead).toBe(1);
    const roads = asToken(await departmentToken(t, "roads"));
    expect((await detailOf(t, wo.id, roads)).deadLetters.map((d) => d.eventType)).toEqual(["report_added"]);

    t.clock.advance(60_000);
    await rerouteToWater(t, wo.id, 1, 0);

    // Water sees what was sent to water: no dead letter of roads', none of roads' answers.
    const water = await detailOf(t, wo.id, asToken(await departmentToken(t, "water")));
    expect(water.deadLetters).toEqual([]);
    expect(water.deliveries.map((d) => d.httpStatus)).toEqual([200]);
    // Roads no longer sees the work order; the admin sees the dead letter as roads', here and in the queue.
    expect((await t.app.request(`/api/department/work-orders/${wo.id}`, roads)).status).toBe(404);
    const all = await detailOf(t, wo.id, asAdmin());
    // Roads refused being told the work order was taken away, too.
    expect(all.deadLetters.map((d) => [d.department, d.eventType, d.lastError])).toEqual([
      ["roads", "report_added", "HTTP 401"],
      ["roads", "rerouted_away", "HTTP 401"],
    ]);
    // Residents' words follow their work order: this one can be sent again, to water.
    expect(all.deadLetters.map((d) => [d.heldBy, d.retryable])).toEqual([
      ["water", true],
      ["water", true],
    ]);
    const queue = (await (await t.app.request("/api/admin/outbox/dead", asAdmin())).json()) as {
      deadLetters: { department: string | null }[];
    };
    expect(queue.deadLetters.map((d) => d.department)).toEqual(["roads", "roads"]);

    // Sent again by the admin, the residents' words go to whoever holds the work order now.
    const retry = await t.app.request(`/api/admin/outbox/${all.deadLetters[0]?.id}/retry`, {
      method: "POST",
      ...asAdmin(),
    });
    expect(retry.status).toBe(200);
    await deliverDue(t.db, { now: t.clock(), fetch, config });
    expect(waterHook.received.map((r) => JSON.parse(r.body).type)).toEqual(["rerouted", "report_added"]);
    expect(roadsCalls()).toBe(3);
  });

  it("tell the department the admin took it from, and only the new one what the problem is", async () => {
    const { t, roadsHook, waterHook } = await roadsAndWater(
      () => 200,
      () => 200,
    );
    const wo = await workOrderAt(t, CHANGSHA, { reporters: 2 });
    await deliverDue(t.db, { now: t.clock(), fetch, config });
    const reroute = await t.app.request(`/api/admin/work-orders/${wo.id}/reroute`, {
      method: "POST",
      ...asAdmin({ department: "water", note: "water main, not the road" }),
    });
    expect(reroute.status).toBe(200);
    for (let round = 0; round < 3; round++) await deliverDue(t.db, { now: t.clock(), fetch, config });

    const roads = roadsHook.received.map((r) => JSON.parse(r.body));
    expect(roads.map((b) => b.type)).toEqual(["work_order_created", "rerouted_away"]);
    const [water] = waterHook.received.map((r) => JSON.parse(r.body));
    const away = roads[1];
    // The reroute's own event, as water's key says it, addressed to roads.
    expect(away.id).toBe(water.id);
    // Keyed apart from water's, so one receiver serving both departments keeps both.
    expect(roadsHook.received[1]?.key).toBe(`${water.id}.away`);
    expect(waterHook.received[0]?.key).toBe(water.id);
    expect([away.department, away.reroutedTo, away.event.note]).toEqual([
      "roads",
      "water",
      "water main, not the road",
    ]);
    expect([away.problem, water.problem?.description]).toEqual([undefined, "A deep hole in the road"]);
    expect([water.type, water.department, water.reroutedTo]).toEqual(["rerouted", "water", undefined]);
    const valid = await webhookBodySchema(t);
    for (const body of [...roads, water]) expect(valid(body), JSON.stringify(valid.errors)).toBe(true);
    // Water's staff see their own delivery only; the token roads had gets a 404 for it now.
    const waterDetail = await t.app.request(
      `/api/department/work-orders/${wo.id}`,
      asToken(await departmentToken(t, "water")),
    );
    expect(((await waterDetail.json()) as { deliveries: unknown[] }).deliveries).toHaveLength(1);
  });

  it("do not tell a department the work order was taken away once it has come back, nor send that word again", async () => {
    let roadsCalls = 0;
    const { t, roadsHook, waterHook } = await roadsAndWater(
      // Roads takes the work order, refuses the word that it was taken away, then takes all.
      () => (++roadsCalls === 2 ? 401 : 200),
      () => 200,
    );
    const wo = await workOrderAt(t, CHANGSHA, { reporters: 2 });
    await deliverDue(t.db, { now: t.clock(), fetch, config });
    await rerouteToWater(t, wo.id, 1, 0);
    const types = (r: Received[]) => r.map((x) => JSON.parse(x.body).type);
    expect(types(roadsHook.received)).toEqual(["work_order_created", "rerouted_away"]);
    const back = await t.app.request(`/api/admin/work-orders/${wo.id}/reroute`, {
      method: "POST",
      ...asAdmin({ department: "roads" }),
    });
    expect(back.status).toBe(200);
    await deliverDue(t.db, { now: t.clock(), fetch, config });
    expect(types(roadsHook.received)).toEqual(["work_order_created", "rerouted_away", "rerouted"]);
    expect(types(waterHook.received)).toEqual(["rerouted", "rerouted_away"]);
    // Roads' dead letter of the word it refused would now tell it a lie: it cannot be sent again.
    const dead = (await (await t.app.request("/api/admin/outbox/dead", asAdmin())).json()) as {
      deadLetters: { id: string; eventType: string; retryable: boolean; heldBy: string }[];
    };
    expect(dead.deadLetters.map((d) => [d.eventType, d.heldBy, d.retryable])).toEqual([
      ["rerouted_away", "roads", false],
    ]);
    const retry = await t.app.request(`/api/admin/outbox/${dead.deadLetters[0]?.id}/retry`, {
      method: "POST",
      ...asAdmin(),
    });
    expect(retry.status).toBe(409);
    expect(((await retry.json()) as { error: { message: string } }).error.message).toBe(
      "the work order has come back to roads: the word that it was taken away would not be sent",
    );
  });

  it("do not tell a department that rejected the work order that the admin sent it elsewhere", async () => {
    const { t, roadsHook, waterHook } = await roadsAndWater(
      () => 200,
      () => 200,
    );
    const wo = await workOrderAt(t, CHANGSHA, { reporters: 2 });
    await deliverDue(t.db, { now: t.clock(), fetch, config });
    const roadsToken = await departmentToken(t, "roads");
    expect((await move(t, roadsToken, wo.id, { to: "rejected", reason: "a water main" })).status).toBe(200);
    await rerouteToWater(t, wo.id, 2, 0);
    expect(roadsHook.received.map((r) => JSON.parse(r.body).type)).toEqual(["work_order_created"]);
    expect(waterHook.received.map((r) => JSON.parse(r.body).type)).toEqual(["rerouted"]);
  });

  it("send a follow-up still retrying at the first department to the next one, each keeping its own attempts", async () => {
    const { t, waterHook, wo, round, roadsCalls } = await followUpAtRoads(503);
    expect(round.retrying).toBe(1);

    await rerouteToWater(t, wo.id, 3);
    // Roads is called again only to be told the work order was taken away (a 503 each round).
    expect(roadsCalls()).toBe(5);
    expect(waterHook.received.map((r) => JSON.parse(r.body).type).sort()).toEqual([
      "report_added",
      "rerouted",
    ]);
    const water = await detailOf(t, wo.id, asToken(await departmentToken(t, "water")));
    expect(water.deliveries.map((d) => d.httpStatus)).toEqual([200, 200]);
    // The admin sees roads' 503 too.
    const all = await detailOf(t, wo.id, asAdmin());
    expect(all.deliveries.map((d) => d.httpStatus).sort()).toEqual([200, 200, 200, 503, 503, 503, 503]);
  });
});

describe("a webhook's signature", () => {
  it("carries the time of its attempt, not of the round's start, so a receiver's 5-minute window takes it", async () => {
    const receiver = await startReceiver(() => 200);
    closers.push(receiver.close);
    const { t, secret } = await cityWithWebhook(receiver.url);
    const sentAt = async (i: number) => {
      const sent = receiver.received[i];
      expect(sent, `delivery ${i}`).toBeDefined();
      return verifySignature(secret, sent?.body ?? "", sent?.signature ?? "", { now: t.clock() });
    };
    // The round began ten minutes ago; its earlier steps (a long deadline check, slow receivers
    // of an earlier pass) took the rest.
    await workOrderAt(t, CHANGSHA, { reporters: 2 });
    let roundStart = t.clock();
    t.clock.advance(10 * 60_000);
    await deliverDue(t.db, { now: roundStart, clock: t.clock, fetch, config });
    expect(await sentAt(0)).toBe(true);

    // The whole round, as the Node loop and the Worker's Cron run it, given their clock.
    await workOrderAt(t, east(CHANGSHA, 500), { reporters: 2 });
    roundStart = t.clock();
    t.clock.advance(10 * 60_000);
    await runDispatch(t.db, { now: roundStart, clock: t.clock, fetch, config });
    expect(await sentAt(1)).toBe(true);
    // Claimed, and its attempt recorded, at that time too: a lease counted from the round's start
    // would have lapsed before the row was even claimed.
    const [last] = await t.db.all<{ at: number }>(sql`SELECT max(at) AS at FROM delivery_attempts`);
    expect(last?.at).toBe(t.clock());
  });
});

/** The OpenAPI document's webhook body, compiled: what every body sent must be. */
async function webhookBodySchema(t: TestApp) {
  const doc = (await (await t.app.request("/openapi.json")).json()) as {
    webhooks: Record<
      string,
      {
        post: {
          parameters: { name: string; in: string }[];
          requestBody: { content: Record<string, { schema: object }> };
        };
      }
    >;
  };
  const op = doc.webhooks.workOrderEvent?.post;
  expect(op?.parameters.map((p) => `${p.in}:${p.name}`)).toEqual([
    "header:CivicLoop-Signature",
    "header:Idempotency-Key",
  ]);
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  return ajv.compile(op?.requestBody.content["application/json"]?.schema ?? {});
}

describe("the webhook's body", () => {
  it("is what the OpenAPI document's webhooks say it is, for each kind of event", async () => {
    const receiver = await startReceiver(() => 200);
    closers.push(receiver.close);
    const { t, secret } = await cityWithWebhook(receiver.url);
    await importPlaces(t.db, demoPlaces(DEMO_DEPARTMENTS), t.clock());
    const wo = await workOrderAt(t, CHANGSHA, { reporters: 2 });
    // The department misses its acknowledgement, then the admin moves the work order for it.
    t.clock.advance(48 * HOUR);
    expect(await checkDeadlines(t.db, t.clock())).toBe(1);
    const moved = await t.app.request(`/api/admin/work-orders/${wo.id}/transitions`, {
      method: "POST",
      ...asAdmin({ to: "acknowledged", note: "seen to by the admin" }),
    });
    expect(moved.status).toBe(200);
    for (let round = 0; round < 3; round++) await deliverDue(t.db, { now: t.clock(), fetch, config });

    const valid = await webhookBodySchema(t);
    const bodies = receiver.received.map((r) => JSON.parse(r.body));
    expect(bodies.map((b) => b.type)).toEqual(["work_order_created", "deadline_missed", "status_changed"]);
    // The hand-over says what the problem is, as a mail or an Open311 request does; later events not again.
    // Where, in words too: a ticket system shows its crews a street, not a latitude.
    expect(bodies[0].problem).toEqual({
      description: "A deep hole in the road",
      place: { en: expect.stringMatching(/^near |^in /), zh: expect.stringMatching(/附近$|区$/) },
      attributes: {},
      photos: [],
    });
    expect(bodies.slice(1).map((b) => b.problem)).toEqual([undefined, undefined]);
    for (const [i, r] of receiver.received.entries()) {
      expect(valid(bodies[i]), JSON.stringify(valid.errors)).toBe(true);
      expect(r.key).toBe(bodies[i].id);
      // As documented: hex HMAC-SHA256 keyed with the whole secret, of `t.` and the body's bytes.
      const [, t0, v1] = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(r.signature) ?? [];
      expect(v1).toBe(createHmac("sha256", secret).update(`${t0}.${r.body}`).digest("hex"));
    }
  });
});

describe("a merge's webhooks", () => {
  it("link the duplicate to the problem it went into, and the kept one to the problem it took in", async () => {
    const receiver = await startReceiver(() => 200);
    closers.push(receiver.close);
    const { t } = await cityWithWebhook(receiver.url);
    const keep = await workOrderAt(t, CHANGSHA, { reporters: 2 });
    const twin = await workOrderAt(t, east(CHANGSHA, 300), { reporters: 2 });
    const merged = await t.app.request(`/api/admin/work-orders/${twin.id}/transitions`, {
      method: "POST",
      ...asAdmin({ to: "duplicate", duplicateOf: keep.clusterId }),
    });
    expect(merged.status).toBe(200);
    for (let round = 0; round < 3; round++) await deliverDue(t.db, { now: t.clock(), fetch, config });
    const bodies = receiver.received.map((r) => JSON.parse(r.body));
    const duplicate = bodies.find((b) => b.type === "status_changed" && b.event.to === "duplicate");
    const grew = bodies.find((b) => b.type === "merged");
    expect(duplicate?.workOrder.id).toBe(twin.id);
    expect(duplicate?.duplicateOf).toEqual({ clusterId: keep.clusterId, workOrderId: keep.id });
    expect(grew?.workOrder.id).toBe(keep.id);
    expect(grew?.mergedFrom).toEqual({ clusterId: twin.clusterId });
    const valid = await webhookBodySchema(t);
    for (const body of bodies) expect(valid(body), JSON.stringify(valid.errors)).toBe(true);
  });
});

describe("a department's webhook secret", () => {
  it("can be renewed when lost: later deliveries, a retry included, verify with the new one only", async () => {
    let attempt = 0;
    const receiver = await startReceiver(() => (++attempt === 1 ? 500 : 200));
    closers.push(receiver.close);
    const { t, secret: lost } = await cityWithWebhook(receiver.url);
    await makeDepartment(t, { code: "parks", services: ["pothole"] });
    await workOrderAt(t, CHANGSHA, { reporters: 2 });
    await deliverDue(t.db, { now: t.clock(), fetch, config });

    const renew = (code: string, init: RequestInit = { method: "POST", ...asAdmin(undefined) }) =>
      t.app.request(`/api/admin/departments/${code}/webhook-secret`, init);
    const res = await renew("roads");
    expect(res.status).toBe(201);
    const { webhookSecret } = (await res.json()) as { webhookSecret: string };
    expect(webhookSecret).toMatch(/^whsec_/);
    expect(webhookSecret).not.toBe(lost);
    // Shown this once: the admin's list says only that there is one.
    const list = await t.app.request("/api/admin/departments", asAdmin(undefined));
    expect(await list.text()).not.toContain(webhookSecret);

    t.clock.advance(2 * HOUR);
    await deliverDue(t.db, { now: t.clock(), fetch, config });
    const [first, retry] = receiver.received;
    expect(first?.key).toBe(retry?.key);
    expect(await verifySignature(lost, first?.body ?? "", first?.signature ?? "")).toBe(true);
    expect(await verifySignature(webhookSecret, retry?.body ?? "", retry?.signature ?? "")).toBe(true);
    expect(await verifySignature(lost, retry?.body ?? "", retry?.signature ?? "")).toBe(false);

    // A department without a webhook has nothing to sign; an unknown one is not found.
    expect(await errorOf(await renew("parks"))).toEqual({ status: 409, code: "no_webhook" });
    expect(await errorOf(await renew("nowhere"))).toEqual({ status: 404, code: "not_found" });
    const token = await departmentToken(t, "roads");
    expect((await renew("roads", { method: "POST", ...asToken(token) })).status).toBe(403);
  });

  it("can be renewed for a planned change: both secrets sign until the hours asked, then the new one only", async () => {
    const receiver = await startReceiver(() => 200);
    closers.push(receiver.close);
    const { t, secret: old } = await cityWithWebhook(receiver.url);
    const renew = (body: unknown) =>
      t.app.request("/api/admin/departments/roads/webhook-secret", { method: "POST", ...asAdmin(body) });
    // Out of range, or not a whole number of hours: refused, naming the field, the secret unchanged.
    for (const bad of [
      { keepPreviousHours: 169 },
      { keepPreviousHours: -1 },
      { keepPreviousHours: 1.5 },
      { keep: 1 },
    ]) {
      const res = await renew(bad);
      expect(res.status).toBe(400);
      const { error } = (await res.json()) as { error: { field: string } };
      expect(error.field).toBe("keep" in bad ? "keep" : "keepPreviousHours");
    }
    const res = await renew({ keepPreviousHours: 24 });
    expect(res.status).toBe(201);
    const renewed = (await res.json()) as { webhookSecret: string; previousSecretUntil: string };
    expect(renewed.previousSecretUntil).toBe(new Date(t.clock() + 24 * HOUR).toISOString());
    const listed = async () =>
      (
        (await (await t.app.request("/api/admin/departments", asAdmin())).json()) as {
          departments: { code: string; previousSecretUntil: string | null }[];
        }
      ).departments.find((d) => d.code === "roads");
    expect((await listed())?.previousSecretUntil).toBe(renewed.previousSecretUntil);
    // The staff trail says it was a planned change.
    const trail = await t.app.request("/api/admin/audit?subjectType=departments&subjectId=roads", asAdmin());
    const [entry] = ((await trail.json()) as { actions: { detail: unknown }[] }).actions;
    expect(entry?.detail).toEqual({ keepPreviousHours: 24 });

    // Within the day: one header, a v1 by each, new first; a receiver holding either verifies it.
    await workOrderAt(t, CHANGSHA, { reporters: 2 });
    await deliverDue(t.db, { now: t.clock(), fetch, config });
    const during = receiver.received.at(-1);
    expect(during?.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64},v1=[0-9a-f]{64}$/);
    const [, newV1, oldV1] = /v1=(\w+),v1=(\w+)/.exec(during?.signature ?? "") ?? [];
    const t0 = /t=(\d+)/.exec(during?.signature ?? "")?.[1];
    expect(newV1).toBe(
      createHmac("sha256", renewed.webhookSecret).update(`${t0}.${during?.body}`).digest("hex"),
    );
    expect(oldV1).toBe(createHmac("sha256", old).update(`${t0}.${during?.body}`).digest("hex"));
    expect(await verifySignature(old, during?.body ?? "", during?.signature ?? "")).toBe(true);
    expect(await verifySignature(renewed.webhookSecret, during?.body ?? "", during?.signature ?? "")).toBe(
      true,
    );

    // A day later the old one signs no more.
    t.clock.advance(24 * HOUR);
    expect((await listed())?.previousSecretUntil).toBeNull();
    await workOrderAt(t, east(CHANGSHA, 800), { reporters: 2 });
    await deliverDue(t.db, { now: t.clock(), fetch, config });
    const after = receiver.received.at(-1);
    expect(after?.body).not.toBe(during?.body);
    expect(after?.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(await verifySignature(renewed.webhookSecret, after?.body ?? "", after?.signature ?? "")).toBe(
      true,
    );
    expect(await verifySignature(old, after?.body ?? "", after?.signature ?? "")).toBe(false);

    // Renewed at once (no body): the one before stops too.
    const leaked = await renew(undefined);
    expect(((await leaked.json()) as { previousSecretUntil: unknown }).previousSecretUntil).toBeNull();
    expect((await listed())?.previousSecretUntil).toBeNull();
  });
});

describe("saving a department", () => {
  it("wakes no waiting delivery unless where they go changed, and never one a dispatcher holds", async () => {
    const receiver = await startReceiver(() => 500);
    closers.push(receiver.close);
    const { t } = await cityWithWebhook(receiver.url);
    await workOrderAt(t, CHANGSHA, { reporters: 2 });
    await deliverDue(t.db, { now: t.clock(), fetch, config, timeoutMs: 1500 });
    const row = () =>
      t.db.all<{ next: number; claims: number; attempts: number }>(
        sql`SELECT next_attempt_at AS next, claims, attempts FROM outbox WHERE kind = 'webhook'`,
      );
    const [waiting] = await row();
    expect(waiting?.next).toBeGreaterThan(t.clock());
    const put = async (body: Record<string, unknown>) => {
      const listed = (await (await t.app.request("/api/admin/departments", asAdmin())).json()) as {
        departments: Record<string, unknown>[];
      };
      // The department as read back, changed where the test says.
      const current = listed.departments[0] as Record<string, unknown>;
      const res = await t.app.request("/api/admin/departments/roads", {
        method: "PUT",
        ...asAdmin({ ...current, ...body }),
      });
      expect(res.status, await res.clone().text()).toBe(200);
    };
    // A new name: the retry keeps its backoff.
    await put({ name: { en: "Roads and Bridges", zh: "道路桥梁" } });
    expect(await row()).toEqual([waiting]);
    // Held by a dispatcher (claimed, no attempt recorded yet, its lease running): a new webhook leaves it to it.
    await t.db.run(
      sql`UPDATE outbox SET claims = attempts + 1, in_flight_until = next_attempt_at WHERE kind = 'webhook'`,
    );
    await put({ webhookUrl: `${receiver.url}/new` });
    expect((await row())[0]?.next).toBe(waiting?.next);
    // Not held (a claim lost without a record leaves `claims` ahead, but no lease): due now.
    await t.db.run(sql`UPDATE outbox SET in_flight_until = NULL WHERE kind = 'webhook'`);
    await put({ webhookUrl: `${receiver.url}/newer` });
    expect((await row())[0]?.next).toBe(t.clock());
  });
});

describe("a department without a webhook", () => {
  it("keeps its work orders pending out of the way, and delivers them once it gets a webhook", async () => {
    const receiver = await startReceiver(() => 200);
    closers.push(receiver.close);
    const t = await makeTestApp({ clock: makeClock() });
    await makeService(t, { code: "pothole", threshold: 2 });
    const dept = {
      code: "roads",
      name: { en: "Roads", zh: "道路" },
      services: ["pothole"],
      area: squareAround(CHANGSHA, 20_000),
    };
    await makeDepartment(t, dept);
    await workOrderAt(t, CHANGSHA, { reporters: 2 });

    await deliverDue(t.db, { now: t.clock(), fetch, config, timeoutMs: 1500 });
    const parked = await t.db.all<{ state: string; next: number }>(
      sql`SELECT state, next_attempt_at AS next FROM outbox`,
    );
    expect(parked).toEqual([{ state: "pending", next: t.clock() + HOUR }]);

    t.clock.advance(60_000);
    const res = await t.app.request("/api/admin/departments/roads", {
      method: "PUT",
      // The code is the path's: the body does not take it.
      ...asAdmin({ ...dept, code: undefined, webhookUrl: receiver.url }),
    });
    expect(res.status).toBe(200);
    await deliverDue(t.db, { now: t.clock(), fetch, config, timeoutMs: 1500 });
    expect(receiver.received.map((r) => r.answered)).toEqual([200]);
    const [row] = await t.db.all<{ state: string }>(sql`SELECT state FROM outbox`);
    expect(row?.state).toBe("delivered");
  });
});
