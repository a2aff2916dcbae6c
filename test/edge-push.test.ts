/**
 * Web Push from the Worker in workerd: a follow with a push subscription, the Cron handler sending
 * the confirmation and then the work order's notice to a local push service over HTTPS. The service
 * verifies the VAPID signature (ES256, RFC 8292) and decrypts each body with the subscription's own
 * keys (aes128gcm, RFC 8291), independently of the web-push library that built them.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, LOCAL_PROXIES, type TestApp } from "./support/app";
import { CHANGSHA, makeDepartment, makeService, reportAt, squareAround } from "./support/fixtures";
import { certificateFolder, startPushEndpoint } from "./support/push-endpoint";
import { fromResident } from "./support/residents";
import { type EdgeWorker, startEdgeWorker, workerAsTestApp } from "./support/worker";

// The push service's certificate, trusted by workerd: miniflare reads NODE_EXTRA_CA_CERTS when it
// is loaded, which is when startEdgeWorker first imports wrangler (after this line).
const certificate = certificateFolder();
process.env.NODE_EXTRA_CA_CERTS = certificate.certFile;

describe("Web Push from the Worker in workerd", () => {
  let worker: EdgeWorker;
  let endpoint: Awaited<ReturnType<typeof startPushEndpoint>>;
  let t: TestApp;

  beforeAll(async () => {
    endpoint = await startPushEndpoint({ tls: certificate });
    worker = await startEdgeWorker({
      assets: false,
      // The push service is on this machine: the private-address rule is lifted as for webhooks.
      vars: {
        PUBLIC_URL: "http://civicloop.test",
        ALLOW_PRIVATE_WEBHOOKS: "true",
        TRUSTED_PROXIES: LOCAL_PROXIES,
      },
      secrets: {
        ADMIN_TOKEN,
        REPORTER_KEY_SECRET: "edge-push-reporter-secret",
        CONTACT_KEY: "edge-push-contact-key-0123456789",
      },
    });
    t = workerAsTestApp(worker);
    await makeService(t);
    await makeDepartment(t, { code: "roads", services: ["pothole"], area: squareAround(CHANGSHA, 5000) });
  }, 300_000);

  afterAll(async () => {
    await worker?.stop();
    await endpoint?.close();
    certificate.remove();
  });

  it("signs with the key it kept in D1 and publishes, and pushes a payload only the subscription can read", async () => {
    // No VAPID keys configured: the Worker made them and kept them in D1; browsers subscribe with this one.
    const { pushKey } = (await (await worker.fetch("/api/config")).json()) as { pushKey: string | null };
    expect(pushKey).toMatch(/^B[\w-]{86}$/);

    const first = await reportAt(t, CHANGSHA, { deviceId: "edge-push-1-abcdef" });
    const cluster = first.body.cluster.id as string;
    const res = await worker.fetch(`/api/clusters/${cluster}/follows`, {
      method: "POST",
      headers: { "content-type": "application/json", ...fromResident("edge-pusher") },
      body: JSON.stringify({ push: endpoint.subscription, lang: "en" }),
    });
    expect(res.status).toBe(202);

    await worker.scheduled();
    expect(endpoint.failures).toEqual([]);
    expect(endpoint.received).toHaveLength(1);
    const [confirm] = endpoint.received;
    expect(confirm?.serverKey).toBe(pushKey);
    expect(confirm?.claims.aud).toBe(new URL(endpoint.subscription.endpoint).origin);
    // PUBLIC_URL is http: here, which push services refuse as a contact: the mail sender instead.
    expect(confirm?.claims.sub).toBe("mailto:no-reply@civicloop.invalid");
    expect(confirm?.claims.exp).toBeGreaterThan(Date.now() / 1000);
    expect(confirm?.path).toBe("/wpush/v2/sub-abc123");
    expect(confirm?.ttl).toBe(24 * 3600);
    const link = JSON.parse(confirm?.payload ?? "{}") as { title: string; url: string };
    expect(link.title).toMatch(/^Confirm/);
    expect(link.url).toMatch(/^http:\/\/civicloop\.test\/api\/follows\/confirm\?token=/);
    // The confirmation is the button of the link's page: a POST of the link.
    const confirmed = await worker.fetch(link.url.replace("http://civicloop.test", ""), { method: "POST" });
    expect(confirmed.status).toBe(200);

    // The third resident makes the work order: one notice, with the problem's title, text and link.
    await reportAt(t, CHANGSHA, { deviceId: "edge-push-2-abcdef" });
    await reportAt(t, CHANGSHA, { deviceId: "edge-push-3-abcdef" });
    await worker.scheduled();
    await worker.scheduled();
    expect(endpoint.failures).toEqual([]);
    expect(endpoint.received).toHaveLength(2);
    const notice = JSON.parse(endpoint.received[1]?.payload ?? "{}") as Record<string, string>;
    expect(notice.title).toBe("Pothole: sent to the department");
    expect(notice.body).toContain(`http://civicloop.test/c/${cluster}`);
    expect(notice.url).toBe(`http://civicloop.test/c/${cluster}`);
    expect(endpoint.received[1]?.serverKey).toBe(pushKey);
  });
});
