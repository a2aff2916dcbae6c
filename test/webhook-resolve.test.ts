/**
 * A webhook's host name is resolved at delivery, every address is vetted, and the connection goes
 * to the vetted address (no second look-up a rebinding name could answer differently).
 */
import { createServer } from "node:net";
import { createServer as createTlsServer } from "node:tls";
import { sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { deliverDue } from "../src/dispatch/deliver";
import { type ResolvedAddress, vettedConnector } from "../src/dispatch/webhook-connect";
import { checkWebhookUrl, isPrivateAddress } from "../src/domain/webhook-url";
import { nodeResolve, pinnedFetch } from "../src/node/webhook-fetch";
import { makeClock, makeTestApp } from "./support/app";
import { CHANGSHA, makeDepartment, makeService, squareAround } from "./support/fixtures";
import { startReceiver } from "./support/receiver";
import { workOrderAt } from "./support/work-orders";

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()?.();
});

/** A resolver that knows a few names, and counts how often it was asked. */
function fakeResolver(names: Record<string, string[]>) {
  const asked: string[] = [];
  const resolve = async (host: string): Promise<ResolvedAddress[]> => {
    asked.push(host);
    const found = names[host];
    if (!found) throw new Error(`getaddrinfo ENOTFOUND ${host}`);
    return found.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
  };
  return { resolve, asked };
}

/** A TCP listener on 127.0.0.1 that only counts the connections it gets. */
async function connectionCounter() {
  let connections = 0;
  const server = createServer((socket) => {
    connections++;
    socket.destroy();
  });
  await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
  const { port } = server.address() as { port: number };
  closers.push(() => new Promise<void>((done) => server.close(() => done())));
  return { port, count: () => connections };
}

async function cityWithWebhook(url: string, allowPrivateWebhooks: boolean) {
  const t = await makeTestApp({ clock: makeClock(), config: { allowPrivateWebhooks } });
  await makeService(t, { code: "pothole", threshold: 2 });
  await makeDepartment(t, {
    code: "roads",
    services: ["pothole"],
    area: squareAround(CHANGSHA, 20_000),
    webhookUrl: url,
  });
  await workOrderAt(t, CHANGSHA, { reporters: 2 });
  return t;
}

describe("webhook address rules for IPv6 forms that carry or reach private IPv4", () => {
  it("refuses NAT64, 6to4, site-local, IPv4-compatible and -translated, Teredo and discard forms", () => {
    const refused = [
      "https://[64:ff9b::7f00:1]/hook", // NAT64 of 127.0.0.1
      "https://[64:ff9b::a00:1]/hook", // NAT64 of 10.0.0.1
      "https://[64:ff9b:1::1]/hook", // NAT64 local-use prefix
      "https://[2002:7f00:1::1]/hook", // 6to4 of 127.0.0.1
      "https://[2002:c0a8:101::1]/hook", // 6to4 of 192.168.1.1
      "https://[fec0::1]/hook", // site-local
      "https://[::7f00:1]/hook", // IPv4-compatible 127.0.0.1
      "https://[::ffff:0:7f00:1]/hook", // IPv4-translated 127.0.0.1
      "https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/hook", // Teredo
      "https://[100::1]/hook", // discard-only
      "https://[::ffff:169.254.169.254]/hook", // IPv4-mapped metadata address
    ];
    for (const url of refused) expect(checkWebhookUrl(url, false).ok, url).toBe(false);
    for (const url of ["https://[64:ff9b::808:808]/hook", "https://[2002:808:808::1]/hook"]) {
      expect(checkWebhookUrl(url, false).ok, url).toBe(true);
    }
  });

  it("judges resolved addresses as a resolver writes them", () => {
    for (const a of [
      "127.0.0.1",
      "::1",
      "::ffff:127.0.0.1",
      "fe80::1%eth0",
      "10.1.2.3",
      "64:ff9b::192.168.0.1",
    ]) {
      expect(isPrivateAddress(a), a).toBe(true);
    }
    for (const a of ["8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"]) {
      expect(isPrivateAddress(a), a).toBe(false);
    }
    expect(isPrivateAddress("not-an-address")).toBe(true);
  });
});

describe("webhook delivery resolves and pins the address", () => {
  it("refuses a name that resolves to a loopback address, as a dead letter, without connecting", async () => {
    const counter = await connectionCounter();
    const url = `https://hooks.example.test:${counter.port}/hook`;
    const t = await cityWithWebhook(url, false);
    const dns = fakeResolver({ "hooks.example.test": ["127.0.0.1"] });
    const summary = await deliverDue(t.db, {
      now: t.clock(),
      fetch,
      config: { publicUrl: "http://civicloop.test", allowPrivateWebhooks: false },
      connect: vettedConnector({ resolve: dns.resolve, pin: pinnedFetch, allowPrivate: false }),
    });
    expect(summary).toMatchObject({ attempted: 1, dead: 1, delivered: 0 });
    expect(dns.asked).toEqual(["hooks.example.test"]);
    expect(counter.count()).toBe(0);
    const [row] = await t.db.all<{ state: string; error: string }>(
      sql`SELECT o.state, a.error FROM outbox o JOIN delivery_attempts a ON a.outbox_id = o.id`,
    );
    expect(row?.state).toBe("dead");
    expect(row?.error).toMatch(/webhook address refused: hooks\.example\.test resolves to 127\.0\.0\.1/);
  });

  it("refuses when any one of the addresses is private, and with Node's own resolver for localhost", async () => {
    const dns = fakeResolver({ "mixed.example.test": ["93.184.215.14", "10.0.0.7"] });
    const connect = vettedConnector({ resolve: dns.resolve, pin: pinnedFetch, allowPrivate: false });
    const mixed = await connect(new URL("https://mixed.example.test/hook"));
    expect(mixed).toMatchObject({ ok: false, retry: false });
    expect(!mixed.ok && mixed.reason).toMatch(/10\.0\.0\.7/);

    const real = vettedConnector({ resolve: nodeResolve, pin: pinnedFetch, allowPrivate: false });
    const local = await real(new URL("https://localhost/hook"));
    expect(local).toMatchObject({ ok: false, retry: false });
    // A name that does not resolve is worth another try later (DNS may be down for a moment).
    const unknown = await vettedConnector({ resolve: dns.resolve, pin: pinnedFetch, allowPrivate: false })(
      new URL("https://nowhere.example.test/hook"),
    );
    expect(unknown).toMatchObject({ ok: false, retry: true });
  });

  it("delivers to the vetted address under the original host name, looking it up once", async () => {
    const receiver = await startReceiver(() => 200);
    closers.push(receiver.close);
    const port = new URL(receiver.url).port;
    // The name exists only in this resolver: the delivery can reach it only through the pinned address.
    const url = `http://hooks.example.test:${port}/hook`;
    const t = await cityWithWebhook(url, true);
    const dns = fakeResolver({ "hooks.example.test": ["127.0.0.1"] });
    const summary = await deliverDue(t.db, {
      now: t.clock(),
      fetch,
      config: { publicUrl: "http://civicloop.test", allowPrivateWebhooks: true },
      connect: vettedConnector({ resolve: dns.resolve, pin: pinnedFetch, allowPrivate: true }),
    });
    expect(summary).toMatchObject({ attempted: 1, delivered: 1 });
    expect(dns.asked).toEqual(["hooks.example.test"]);
    expect(receiver.received.map((r) => r.host)).toEqual([`hooks.example.test:${port}`]);
  });

  it("speaks TLS to the pinned address under the original name (SNI), so the certificate is checked for it", async () => {
    const names: string[] = [];
    // No certificate at all: the handshake stops once the server has seen the name it was asked for.
    const server = createTlsServer({
      SNICallback: (name, done) => {
        names.push(name);
        done(new Error("no certificate here"), undefined);
      },
    });
    server.on("tlsClientError", () => {});
    await new Promise<void>((ready) => server.listen(0, "127.0.0.1", ready));
    closers.push(() => new Promise<void>((done) => server.close(() => done())));
    const { port } = server.address() as { port: number };
    const dns = fakeResolver({ "hooks.example.test": ["127.0.0.1"] });
    const connect = vettedConnector({ resolve: dns.resolve, pin: pinnedFetch, allowPrivate: true });
    const connection = await connect(new URL(`https://hooks.example.test:${port}/hook`));
    if (!connection.ok) throw new Error(connection.reason);
    await expect(
      connection.fetch(`https://hooks.example.test:${port}/hook`, { method: "POST" }),
    ).rejects.toThrow();
    await connection.close();
    expect(names).toEqual(["hooks.example.test"]);
  });
});
