/**
 * Follow-ups: residents' later words (a report joining a dispatched cluster, a resident's update)
 * reach the department while it works on the problem. By Open311 as updates to the city's open
 * request (B, a second CivicLoop instance, is the city's system), by e-mail coalesced, by webhook
 * as events; never the residents' contact, never a hidden report, never after the request closed.
 */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDispatch } from "../src/dispatch/run";
import { FOLLOW_UP_HOLD_MS } from "../src/domain/follow-up";
import { smtpMailSender } from "../src/node/smtp-mail";
import { webhookPayload } from "../src/schemas/webhook";
import { ADMIN_TOKEN, makeClock, makeTestApp, type TestApp } from "./support/app";
import { startCitySystem } from "./support/city-system";
import { asAdmin, CHANGSHA, makeService, reportAt, squareAround } from "./support/fixtures";
import { realJpeg } from "./support/images";
import { startReceiver } from "./support/receiver";
import { fromResident } from "./support/residents";
import { type Inbox, startSmtp } from "./support/smtp";
import { asToken, move, workOrderAt } from "./support/work-orders";

const MINUTE = 60_000;
const HOLD = FOLLOW_UP_HOLD_MS + MINUTE;
const retry = { baseMs: MINUTE, maxMs: MINUTE, windowMs: 10 * MINUTE, minAttempts: 3 };
const PRIVATE = ["later@resident.example", "Li Later", "device-later", "update@resident.example", "Wang"];

let city: TestApp;
let cityUrl: string;
let cityKey: string;
let cityToken: string;
let closeCity: () => Promise<void>;
let inbox: Inbox;
let mail: ReturnType<typeof smtpMailSender>;

beforeAll(async () => {
  ({ app: city, url: cityUrl, key: cityKey, token: cityToken, close: closeCity } = await startCitySystem());
  inbox = await startSmtp();
  mail = smtpMailSender(inbox.url, "CivicLoop <no-reply@civicloop.test>");
});
afterAll(async () => {
  mail.close();
  await inbox.close();
  await closeCity();
});

async function apiKey(t: TestApp) {
  const res = await t.app.request("/api/admin/api-keys", {
    method: "POST",
    ...asAdmin({ name: "a client" }),
  });
  return ((await res.json()) as { key: string }).key;
}

/** Instance A, whose roads department dispatches by `dispatch` (a method and its settings). */
async function civicLoopA(dispatch: Record<string, unknown>) {
  const a = await makeTestApp({ clock: makeClock() });
  await makeService(a, { threshold: 2 });
  const res = await a.app.request("/api/admin/departments", {
    method: "POST",
    ...asAdmin({
      code: "roads",
      name: { en: "Roads", zh: "道路" },
      services: ["pothole"],
      area: squareAround(CHANGSHA, 20_000),
      ...dispatch,
    }),
  });
  expect(res.status).toBe(201);
  return a;
}

const byOpen311 = (endpoint: string) => ({
  dispatch: { method: "open311", endpoint, apiKey: cityKey, serviceCodes: { pothole: "PW-POTHOLE" } },
});

const round = (a: TestApp) =>
  runDispatch(a.db, {
    now: a.clock(),
    fetch,
    config: a.config,
    retry,
    pollEveryMs: MINUTE,
    senders: { mail },
  });

/** A later resident's report at the problem, with contact details that must never leave. */
async function laterReport(a: TestApp, words: string, n = 0) {
  const res = await reportAt(a, CHANGSHA, {
    deviceId: `device-later-${n}-abcdef`,
    description: words,
    contact: { email: "later@resident.example", name: "Li Later" },
  });
  expect(res.status).toBe(201);
  return res.body.report.id as string;
}

/**
 * The updates A's work order `workOrderId` made at B on its request `remoteId` (B lists each of a
 * problem's events under every request of it, and every test's requests share B's one problem).
 */
async function cityUpdates(remoteId: string, workOrderId: string) {
  const res = await city.app.request(
    "/open311/v2/servicerequestupdates.json?start_date=2026-01-01T00:00:00Z",
  );
  const all = (await res.json()) as { service_request_id: string; update_id: string; description: string }[];
  return all.filter(
    (u) => u.service_request_id === remoteId && u.description.startsWith(`CivicLoop ${workOrderId}/`),
  );
}

const remoteIdOf = async (a: TestApp) =>
  String((await a.db.all<{ id: string }>(sql`SELECT remote_id AS id FROM remote_requests`))[0]?.id);

const followUpErrors = (a: TestApp) =>
  a.db.all<{ state: string; error: string | null }>(sql`SELECT o.state, o.last_error AS error FROM outbox o
    JOIN events e ON e.id = o.event_id WHERE e.type IN ('report_added', 'update_posted') ORDER BY o.created_at`);

describe("follow-ups to a city's Open311 server", () => {
  it("waits, without spending attempts, while the city has not given the work order's request id", async () => {
    // Nothing listens on port 9: the work order's own dispatch keeps failing, so no request id.
    const a = await civicLoopA(byOpen311("http://127.0.0.1:9/open311/v2"));
    await workOrderAt(a, CHANGSHA, { reporters: 2 });
    await laterReport(a, "Words waiting for the request", 1);
    for (let i = 0; i < 12; i++) {
      a.clock.advance(HOLD);
      await round(a);
    }
    const rows = await a.db.all<{
      state: string;
      attempts: number;
    }>(sql`SELECT o.state, o.attempts FROM outbox o
      JOIN events e ON e.id = o.event_id WHERE e.type = 'report_added'`);
    expect(rows).toEqual([{ state: "pending", attempts: 0 }]);
  });

  it("sends a later report and a resident's update to the open request once each, after the hold", async () => {
    const a = await civicLoopA(byOpen311(cityUrl));
    const wo = await workOrderAt(a, CHANGSHA, { reporters: 2 });
    expect(await round(a)).toMatchObject({ delivered: 1 });
    const remoteId = await remoteIdOf(a);

    const later = await laterReport(a, "Two tyres burst here tonight");
    const update = await a.app.request("/open311/v2/servicerequestupdates.json", {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: new URLSearchParams({
        api_key: await apiKey(a),
        service_request_id: later,
        description: "Still no cones around it",
        email: "update@resident.example",
        first_name: "Wang",
      }).toString(),
    });
    expect(update.status).toBe(200);

    // Held for moderation first: nothing reaches the city yet.
    await round(a);
    expect(await cityUpdates(remoteId, wo.id)).toEqual([]);

    a.clock.advance(HOLD);
    for (let i = 0; i < 3; i++) {
      await round(a);
      a.clock.advance(2 * MINUTE);
    }
    const there = await cityUpdates(remoteId, wo.id);
    expect(new Set(there.map((u) => u.update_id)).size).toBe(2);
    const text = there.map((u) => u.description).join("\n");
    expect(text).toContain("Two tyres burst here tonight");
    expect(text).toContain("Still no cones around it");
    for (const secret of PRIVATE) expect(text).not.toContain(secret);
    expect(await followUpErrors(a)).toEqual([
      { state: "delivered", error: null },
      { state: "delivered", error: null },
    ]);
  });

  it("adds no second update when the city's answer to the first was lost", async () => {
    const proxy = await losingProxy(cityUrl.replace(/\/open311\/v2$/, ""));
    const a = await civicLoopA(byOpen311(`${proxy.url}/open311/v2`));
    const wo = await workOrderAt(a, CHANGSHA, { reporters: 2 });
    await round(a);
    const remoteId = await remoteIdOf(a);
    await laterReport(a, "The hole has doubled in size");
    a.clock.advance(HOLD);
    expect(await round(a)).toMatchObject({ retrying: 1 });
    expect(proxy.lost()).toBe(1);
    for (let i = 0; i < 3; i++) {
      a.clock.advance(2 * MINUTE);
      await round(a);
    }
    const marked = (await cityUpdates(remoteId, wo.id)).filter((u) =>
      u.description.includes("doubled in size"),
    );
    expect(new Set(marked.map((u) => u.update_id)).size).toBe(1);
    expect(await followUpErrors(a)).toEqual([
      { state: "delivered", error: expect.stringMatching(/^adopted/) },
    ]);
    await proxy.close();
  });

  it("never sends a hidden report, waits on a flag, and sends nothing after the city closed its request", async () => {
    const a = await civicLoopA(byOpen311(cityUrl));
    const wo = await workOrderAt(a, CHANGSHA, { reporters: 2 });
    await round(a);
    const remoteId = await remoteIdOf(a);

    const rude = await laterReport(a, "Rude words a moderator hides", 1);
    const hidden = await moderate(a, `/api/admin/moderation/reports/${rude}/hide`);
    expect(hidden.status).toBe(200);
    const flagged = await laterReport(a, "Words somebody flagged", 2);
    expect((await flagReport(a, flagged)).status).toBe(202);
    a.clock.advance(HOLD);
    await round(a);
    expect(await cityUpdates(remoteId, wo.id)).toEqual([]);
    // The moderators keep the flagged report: after the next hold it leaves.
    const kept = await moderate(a, `/api/admin/moderation/reports/${flagged}/keep`);
    expect(kept.status).toBe(200);
    a.clock.advance(HOLD);
    await round(a);
    const there = (await cityUpdates(remoteId, wo.id)).map((u) => u.description).join("\n");
    expect(there).toContain("Words somebody flagged");
    expect(there).not.toContain("Rude words");
    // Flagged words no moderator gets to are held a day at most, then leave (the console shows them).
    const unreviewed = await laterReport(a, "Words flagged and never reviewed", 4);
    expect((await flagReport(a, unreviewed)).status).toBe(202);
    a.clock.advance(HOLD);
    await round(a);
    const held = (await cityUpdates(remoteId, wo.id)).map((u) => u.description).join("\n");
    expect(held).not.toContain("Words flagged and never reviewed");
    a.clock.advance(24 * 60 * MINUTE);
    await round(a);
    const sent = (await cityUpdates(remoteId, wo.id)).map((u) => u.description).join("\n");
    expect(sent).toContain("Words flagged and never reviewed");

    // A report joins; before its hold ends the city closes the request and A learns it by polling.
    await laterReport(a, "Too late for the crew", 3);
    await cityResolves(remoteId);
    a.clock.advance(2 * MINUTE);
    await round(a);
    const status = await a.db.all<{ s: string }>(
      sql`SELECT status AS s FROM work_orders WHERE id = ${wo.id}`,
    );
    expect(status[0]?.s).toBe("resolved");
    a.clock.advance(HOLD);
    await round(a);
    expect((await cityUpdates(remoteId, wo.id)).map((u) => u.description).join("\n")).not.toContain(
      "Too late",
    );
    expect((await followUpErrors(a)).map((r) => r.error)).toEqual([
      "not sent: the report is hidden by moderators",
      null,
      null,
      "not sent: the work order is resolved",
    ]);
  });
  it("never sends a resident's update the moderators hid, and waits on a flagged one", async () => {
    const a = await civicLoopA(byOpen311(cityUrl));
    const wo = await workOrderAt(a, CHANGSHA, { reporters: 2 });
    await round(a);
    const remoteId = await remoteIdOf(a);
    const later = await laterReport(a, "A later report", 5);
    const key = await apiKey(a);
    for (const description of ["Hidden update: ring 13800001111", "Update somebody flagged"]) {
      const update = await a.app.request("/open311/v2/servicerequestupdates.json", {
        method: "POST",
        headers: { "content-type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ api_key: key, service_request_id: later, description }).toString(),
      });
      expect(update.status).toBe(200);
    }
    const notes = await a.db.all<{ id: string; note: string }>(
      sql`SELECT id, note FROM events WHERE type = 'update_posted' ORDER BY rowid`,
    );
    const [hiddenNote, flaggedNote] = notes.map((n) => n.id);
    const hide = await moderate(a, `/api/admin/moderation/notes/${hiddenNote}/hide`);
    expect(hide.status).toBe(200);
    const flag = await a.app.request("/api/flags", {
      method: "POST",
      headers: { "content-type": "application/json", ...fromResident("note-flagger") },
      body: JSON.stringify({ target: "note", id: flaggedNote, reason: "spam" }),
    });
    expect(flag.status).toBe(202);
    a.clock.advance(HOLD);
    await round(a);
    const first = (await cityUpdates(remoteId, wo.id)).map((u) => u.description).join("\n");
    expect(first).toContain("A later report");
    expect(first).not.toContain("Update somebody flagged");
    const kept = await moderate(a, `/api/admin/moderation/notes/${flaggedNote}/keep`);
    expect(kept.status).toBe(200);
    a.clock.advance(HOLD);
    await round(a);
    const there = (await cityUpdates(remoteId, wo.id)).map((u) => u.description).join("\n");
    expect(there).toContain("Update somebody flagged");
    expect(there).not.toContain("13800001111");
    expect((await followUpErrors(a)).map((r) => r.error)).toContain(
      "not sent: the note is hidden by moderators",
    );
  });
});

/** A moderator's action (hide, keep…) by the admin token. */
const moderate = (t: TestApp, path: string) =>
  t.app.request(path, { method: "POST", headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });

/** A resident flags a report as spam. */
const flagReport = (t: TestApp, id: string) =>
  t.app.request("/api/flags", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ target: "report", id, reason: "spam" }),
  });

/** The city's department resolves the work order of its request `remoteId`. */
async function cityResolves(remoteId: string) {
  const res = await city.app.request(`/open311/v2/requests/${remoteId}.json?extensions=true`);
  const [r] = (await res.json()) as { extended_attributes: { cluster_id: string } }[];
  const list = await city.app.request("/api/department/work-orders", asToken(cityToken));
  const orders = ((await list.json()) as { workOrders: { id: string; clusterId: string }[] }).workOrders;
  const wo = orders.find((o) => o.clusterId === r?.extended_attributes.cluster_id);
  for (const to of ["acknowledged", "resolved"]) {
    city.clock.advance(MINUTE);
    expect((await move(city, cityToken, String(wo?.id), { to })).status).toBe(200);
  }
}

/** A proxy to the city that drops the connection of the first update POSTed, after the city took it. */
async function losingProxy(target: string) {
  let lost = 0;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const upstream = await fetch(`${target}${req.url}`, {
      method: req.method,
      headers: { "content-type": String(req.headers["content-type"] ?? "text/plain") },
      ...(req.method === "POST" ? { body: Buffer.concat(chunks) } : {}),
    });
    const body = Buffer.from(await upstream.arrayBuffer());
    if (req.method === "POST" && req.url?.includes("servicerequestupdates") && lost++ === 0) {
      req.socket.destroy();
      return;
    }
    res.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "text/plain" });
    res.end(body);
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", () => ready()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    lost: () => Math.min(lost, 1),
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

describe("follow-ups by e-mail and webhook", () => {
  it("mails an e-mail department at most one follow-up an hour, with everything new", async () => {
    const to = "roads-follow-ups@city.example";
    const a = await civicLoopA({ dispatch: { method: "email", to } });
    await workOrderAt(a, CHANGSHA, { reporters: 2 });
    await round(a);
    expect(inbox.to(to)).toHaveLength(1);
    for (let i = 0; i < 3; i++) {
      await laterReport(a, `Busy words number ${i}`, 10 + i);
      a.clock.advance(MINUTE);
    }
    a.clock.advance(HOLD);
    await round(a);
    const first = inbox.to(to).slice(1);
    expect(first).toHaveLength(1);
    for (let i = 0; i < 3; i++) expect(first[0]?.text).toContain(`Busy words number ${i}`);
    // Each item's time on the city's clock, its zone named.
    expect(first[0]?.text).toMatch(/\n1\. \d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}（北京时间） /);
    expect(first[0]?.text).toMatch(/\n1\. \d{1,2} \w{3} \d{4}, \d{2}:\d{2} \(UTC\+8\) /);

    // More within the hour wait for it to end, and leave together in one mail.
    await laterReport(a, "Even more words", 20);
    a.clock.advance(HOLD);
    await round(a);
    await laterReport(a, "And the last words", 21);
    a.clock.advance(HOLD);
    await round(a);
    expect(inbox.to(to)).toHaveLength(2);
    a.clock.advance(40 * MINUTE);
    await round(a);
    const second = inbox.to(to).slice(2);
    expect(second).toHaveLength(1);
    expect(second[0]?.text).toContain("Even more words");
    expect(second[0]?.text).toContain("And the last words");
    expect(second[0]?.subject).toContain("follow-up");
    for (const m of inbox.to(to)) for (const secret of PRIVATE) expect(m.text).not.toContain(secret);
  });

  it("posts a webhook department a report_added event with the words, never a hidden report's", async () => {
    const receiver = await startReceiver(() => 200);
    const a = await civicLoopA({ webhookUrl: receiver.url });
    await workOrderAt(a, CHANGSHA, { reporters: 2 });
    await round(a);
    const [kept, hiddenPhoto] = [await upload(a), await upload(a)];
    const withPhotos = await a.app.request("/api/reports", {
      method: "POST",
      headers: { "content-type": "application/json", ...fromResident("device-photos-abcdef") },
      body: JSON.stringify({
        service: "pothole",
        ...CHANGSHA,
        description: "Visible words for the crew",
        deviceId: "device-photos-abcdef",
        photoIds: [kept, hiddenPhoto],
        contact: { email: "later@resident.example" },
      }),
    });
    expect(withPhotos.status).toBe(201);
    await moderate(a, `/api/admin/moderation/photos/${hiddenPhoto}/hide`);
    const rude = await laterReport(a, "Hidden words", 31);
    await moderate(a, `/api/admin/moderation/reports/${rude}/hide`);
    a.clock.advance(HOLD);
    await round(a);
    // Each as the OpenAPI document's webhooks describe it, `words` included.
    const bodies = receiver.received.map((r) => webhookPayload.parse(JSON.parse(r.body)));
    const added = bodies.filter((b) => b.type === "report_added");
    expect(added).toHaveLength(1);
    expect(added[0]).toMatchObject({
      department: "roads",
      // The visible photo's public link, not the one moderators hid.
      words: {
        text: "Visible words for the crew",
        photos: [`${a.config.publicUrl.replace(/\/+$/, "")}/api/photos/${kept}`],
      },
    });
    expect(receiver.received.map((r) => r.body).join("\n")).not.toContain("Hidden words");
    for (const secret of PRIVATE) expect(JSON.stringify(bodies)).not.toContain(secret);
    await receiver.close();
  });

  it("hands a new work order over without the photos a flag waits on, as it does follow-ups", async () => {
    const receiver = await startReceiver(() => 200);
    const a = await civicLoopA({ webhookUrl: receiver.url });
    const [fine, flagged] = [await upload(a), await upload(a)];
    const first = await a.app.request("/api/reports", {
      method: "POST",
      headers: { "content-type": "application/json", ...fromResident("device-first-photos") },
      body: JSON.stringify({
        service: "pothole",
        ...CHANGSHA,
        description: "The first words",
        deviceId: "device-first-photos",
        photoIds: [fine, flagged],
      }),
    });
    expect(first.status).toBe(201);
    const flag = await a.app.request("/api/flags", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ target: "photo", id: flagged, reason: "personal_data" }),
    });
    expect(flag.status).toBe(202);
    await workOrderAt(a, CHANGSHA, { reporters: 1 });
    await round(a);
    const created = receiver.received
      .map((r) => webhookPayload.parse(JSON.parse(r.body)))
      .find((b) => b.type === "work_order_created");
    expect(created?.problem?.photos).toEqual([
      `${a.config.publicUrl.replace(/\/+$/, "")}/api/photos/${fine}`,
    ]);
    await receiver.close();
  });

  it("keeps a report's words for the whole hold, even when the admin saves the department meanwhile", async () => {
    const receiver = await startReceiver(() => 200);
    const a = await civicLoopA({ webhookUrl: receiver.url });
    await workOrderAt(a, CHANGSHA, { reporters: 2 });
    await round(a);
    await laterReport(a, "Words a moderator may still hide", 41);
    // Saving the department wakes what waited for a way out; the hold is not one of those.
    const saved = await a.app.request("/api/admin/departments/roads", {
      method: "PUT",
      ...asAdmin({
        name: { en: "Roads", zh: "道路" },
        services: ["pothole"],
        area: squareAround(CHANGSHA, 20_000),
        webhookUrl: receiver.url,
      }),
    });
    expect(saved.status).toBe(200);
    a.clock.advance(MINUTE);
    await round(a);
    const added = () => receiver.received.filter((r) => JSON.parse(r.body).type === "report_added");
    expect(added()).toHaveLength(0);
    a.clock.advance(HOLD);
    await round(a);
    expect(added()).toHaveLength(1);
    await receiver.close();
  });
});

async function upload(a: TestApp): Promise<string> {
  const res = await a.app.request("/api/photos", {
    method: "POST",
    headers: { "content-type": "image/jpeg" },
    body: realJpeg(),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { photo: { id: string } }).photo.id;
}
