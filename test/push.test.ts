/**
 * Web Push through the outbox: the subscription is stored sealed, the confirmation and the
 * notices are pushed to a local push endpoint that verifies the VAPID signature and decrypts
 * the payload with the subscription's own keys (RFC 8291, decrypted by the test, not web-push).
 */
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runDispatch } from "../src/dispatch/run";
import { vapidKeysOf, vapidSubject, webPushEncoder } from "../src/dispatch/web-push";
import { makeTestApp, type TestApp } from "./support/app";
import { CHANGSHA, makeDepartment, makeService, reportAt, squareAround } from "./support/fixtures";
import { startPushEndpoint } from "./support/push-endpoint";
import { fromResident } from "./support/residents";
import { departmentToken, move } from "./support/work-orders";

let t: TestApp;
let endpoint: Awaited<ReturnType<typeof startPushEndpoint>>;

beforeAll(async () => {
  t = await makeTestApp({ config: { contactKey: "test-contact-key-for-push-0123456789" } });
  await makeService(t);
  await makeDepartment(t, { code: "roads", services: ["pothole"], area: squareAround(CHANGSHA, 5000) });
  endpoint = await startPushEndpoint();
});
afterAll(() => endpoint.close());

/** A dispatch round pushing with the kept VAPID keys, through `fetch` (the local push service's by default). */
async function pushRound(fetch: typeof globalThis.fetch = endpoint.fetch) {
  const keys = await vapidKeysOf(t.db, {});
  return runDispatch(t.db, {
    now: t.clock(),
    fetch,
    config: t.config,
    senders: { push: webPushEncoder(keys, "mailto:ops@civicloop.test") },
  });
}

describe("Web Push", () => {
  it("pushes the confirmation and then each change, signed with the kept VAPID key and readable only with the subscription's keys", async () => {
    const keys = await vapidKeysOf(t.db, {});
    // Made once, kept in the database: asked again, the same keys.
    expect(await vapidKeysOf(t.db, {})).toEqual(keys);
    const round = () => pushRound();
    const first = await reportAt(t, CHANGSHA, { deviceId: "push-1-abcdef" });
    const cluster = first.body.cluster.id as string;
    const res = await t.app.request(`/api/clusters/${cluster}/follows`, {
      method: "POST",
      headers: { "content-type": "application/json", ...fromResident("pusher") },
      body: JSON.stringify({ push: endpoint.subscription, lang: "en" }),
    });
    expect(res.status).toBe(202);
    const stored = JSON.stringify(await t.db.all(sql`SELECT * FROM follows`));
    expect(stored).not.toContain(endpoint.subscription.keys.p256dh);
    expect(stored).not.toContain("sub-abc123");

    await round();
    expect(endpoint.failures).toEqual([]);
    expect(endpoint.received).toHaveLength(1);
    const [confirm] = endpoint.received;
    expect(confirm?.serverKey).toBe(keys.publicKey);
    expect(confirm?.claims.aud).toBe("https://push.example.net");
    expect(confirm?.claims.sub).toBe("mailto:ops@civicloop.test");
    expect(confirm?.claims.exp).toBeGreaterThan(Date.now() / 1000);
    expect(confirm?.path).toBe("/wpush/v2/sub-abc123");
    const payload = JSON.parse(confirm?.payload ?? "{}");
    expect(payload.title).toMatch(/^Confirm/);
    expect(payload.url).toMatch(/^http:\/\/civicloop\.test\/api\/follows\/confirm\?token=/);

    // Not confirmed yet: the work order's creation pushes nothing.
    await reportAt(t, CHANGSHA, { deviceId: "push-2-abcdef" });
    // The confirmation is the button of the link's page: a POST of the link.
    const confirmed = await t.app.request(payload.url.replace("http://civicloop.test", ""), {
      method: "POST",
    });
    expect(confirmed.status).toBe(200);
    t.clock.advance(1000);
    await reportAt(t, CHANGSHA, { deviceId: "push-3-abcdef" });
    await round();
    await round();
    expect(endpoint.received).toHaveLength(2);
    const notice = JSON.parse(endpoint.received[1]?.payload ?? "{}");
    expect(notice.title).toBe("Pothole: sent to the department");
    expect(notice.url).toBe(`http://civicloop.test/c/${cluster}`);
    // The web app learns the key to subscribe with where the server has one.
    expect(await (await t.app.request("/api/config")).json()).toMatchObject({ pushKey: null });
  });

  it("cuts a note too long for a push service, so the notice still arrives (a 413 would lose it)", async () => {
    const round = () => pushRound();
    const place = { lat: CHANGSHA.lat - 0.01, lon: CHANGSHA.lon };
    const first = await reportAt(t, place, { deviceId: "push-long-1" });
    const cluster = first.body.cluster.id as string;
    const res = await t.app.request(`/api/clusters/${cluster}/follows`, {
      method: "POST",
      headers: { "content-type": "application/json", ...fromResident("long-note-pusher") },
      body: JSON.stringify({ push: endpoint.subscription, lang: "zh" }),
    });
    expect(res.status).toBe(202);
    const before = endpoint.received.length;
    await round();
    const confirm = JSON.parse(endpoint.received[before]?.payload ?? "{}");
    const link = String(confirm.url).replace("http://civicloop.test", "");
    expect((await t.app.request(link, { method: "POST" })).status).toBe(200);
    t.clock.advance(1000);
    await reportAt(t, place, { deviceId: "push-long-2" });
    const last = await reportAt(t, place, { deviceId: "push-long-3" });
    const workOrder = last.body.cluster.workOrder.id as string;
    // The longest note a department may write, in Chinese: 6,000 bytes.
    const note = `施工队已派出，${"路面修补。".repeat(400)}`.slice(0, 2000);
    const roads = await departmentToken(t, "roads");
    expect((await move(t, roads, workOrder, { to: "acknowledged", note })).status).toBe(200);
    await round();
    await round();
    expect(endpoint.failures).toEqual([]);
    const pushed = endpoint.received.slice(before + 1).map((p) => JSON.parse(p.payload));
    expect(pushed).toHaveLength(2);
    const acknowledged = pushed[1];
    expect(acknowledged.url).toBe(`http://civicloop.test/c/${cluster}`);
    expect(acknowledged.body).toContain("施工队已派出，路面修补。");
    expect(acknowledged.body).toMatch(/…$/);
    expect(acknowledged.body.length).toBeLessThan(note.length);
  });

  it("waits out a push service's 429 Retry-After before pushing again", async () => {
    let limited = 1;
    // The push service limits the first push, asking for two hours (RFC 8030 §8.4).
    const fetchOnce: typeof fetch = async (input, init) =>
      limited-- > 0
        ? new Response("slow down", { status: 429, headers: { "Retry-After": "7200" } })
        : endpoint.fetch(input, init);
    const round = () => pushRound(fetchOnce);
    const first = await reportAt(
      t,
      { lat: CHANGSHA.lat + 0.01, lon: CHANGSHA.lon },
      { deviceId: "push-limited-1" },
    );
    const res = await t.app.request(`/api/clusters/${first.body.cluster.id}/follows`, {
      method: "POST",
      headers: { "content-type": "application/json", ...fromResident("limited-pusher") },
      body: JSON.stringify({ push: endpoint.subscription, lang: "en" }),
    });
    expect(res.status).toBe(202);
    const before = endpoint.received.length;
    await round();
    expect(limited).toBe(0);
    // The backoff alone would have tried again within a minute, and again within the hour.
    t.clock.advance(60 * 60_000);
    await round();
    expect(endpoint.received.length).toBe(before);
    t.clock.advance(61 * 60_000);
    await round();
    expect(endpoint.received.length).toBe(before + 1);
  });

  it("takes a local push service's plain http endpoint only where private addresses are allowed", async () => {
    const local = { ...endpoint.subscription, endpoint: `${endpoint.local}/wpush/v2/sub-local` };
    const follow = (app: TestApp, cluster: string, who: string) =>
      app.app.request(`/api/clusters/${cluster}/follows`, {
        method: "POST",
        headers: { "content-type": "application/json", ...fromResident(who) },
        body: JSON.stringify({ push: local, lang: "en" }),
      });
    // Not in a city (private addresses not allowed): browsers' push services are https, and the
    // answer says which field and why.
    const city = await makeTestApp({
      config: { contactKey: "test-contact-key-for-push-0123456789", allowPrivateWebhooks: false },
    });
    await makeService(city);
    const here = (await reportAt(city, CHANGSHA, { deviceId: "push-http-0-abcdef" })).body.cluster
      .id as string;
    const refused = await follow(city, here, "http-pusher-0");
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { field: string; message: string } }).error).toMatchObject({
      field: "push.endpoint",
      message: expect.stringContaining("https"),
    });
    // Nor at an address on this machine or the cloud's metadata service, nor another port of a
    // public host (a push service listens on 443): no push could ever go there.
    for (const [at, who] of [
      ["https://169.254.169.254/latest/meta-data", "metadata-pusher"],
      ["https://localhost/wpush/v2/x", "loopback-pusher"],
      ["https://fcm.googleapis.com:22/fcm/send/x", "port-pusher"],
    ]) {
      const res = await city.app.request(`/api/clusters/${here}/follows`, {
        method: "POST",
        headers: { "content-type": "application/json", ...fromResident(who as string) },
        body: JSON.stringify({ push: { ...local, endpoint: at }, lang: "en" }),
      });
      expect(res.status, at).toBe(400);
      expect(((await res.json()) as { error: { field: string; message: string } }).error).toMatchObject({
        field: "push.endpoint",
        message: at?.includes(":22/")
          ? "push.endpoint: must be a push service's address, on https's usual port (no :port)"
          : "push.endpoint: must not point at a loopback, private or local address",
      });
    }
    // A local demo or test (ALLOW_PRIVATE_WEBHOOKS): pushed straight to it, signed and encrypted.
    const demo = await makeTestApp({
      config: { contactKey: "test-contact-key-for-push-0123456789", allowPrivateWebhooks: true },
    });
    await makeService(demo);
    const cluster = (await reportAt(demo, CHANGSHA, { deviceId: "push-http-1-abcdef" })).body.cluster
      .id as string;
    expect((await follow(demo, cluster, "http-pusher-1")).status).toBe(202);
    const keys = await vapidKeysOf(demo.db, {});
    await runDispatch(demo.db, {
      now: demo.clock(),
      fetch: globalThis.fetch,
      config: demo.config,
      senders: { push: webPushEncoder(keys, "mailto:ops@civicloop.test") },
    });
    const pushed = endpoint.received.find((p) => p.path === "/wpush/v2/sub-local");
    expect(endpoint.failures).toEqual([]);
    expect(pushed?.claims.aud).toBe(endpoint.local);
    expect(JSON.parse(pushed?.payload ?? "{}").title).toMatch(/^Confirm/);
  });

  it("names a contact push services accept: VAPID_SUBJECT, an https: site, else the mail sender", () => {
    const from = "CivicLoop <ops@city.example>";
    expect(vapidSubject("mailto:push@city.example", "https://city.example", from)).toBe(
      "mailto:push@city.example",
    );
    expect(vapidSubject(undefined, "https://city.example", from)).toBe("https://city.example");
    // Push services refuse an http: contact (a local PUBLIC_URL): every push would fail.
    expect(vapidSubject(undefined, "http://localhost:3000", from)).toBe("mailto:ops@city.example");
    expect(vapidSubject(undefined, "http://localhost:3000", "ops@city.example")).toBe(
      "mailto:ops@city.example",
    );
  });
});
