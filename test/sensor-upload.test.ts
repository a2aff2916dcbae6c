/**
 * The uploader the Drive page and `sensor replay` share, against the real sensor intake behind a
 * front that can fail on purpose (test/support/sensor-intake.ts):
 * batching within the API's limits, Idempotency-Keys stable across retries, retries on 5xx and on
 * a dropped connection, no retry on 4xx.
 */
import { afterEach, describe, expect, it } from "vitest";
import type { RoadEvent } from "../src/domain/bump-detector/detector";
import { retryAfterMs } from "../src/domain/retry-after";
import {
  BatchRejected,
  BatchUndelivered,
  planBatches,
  sendBatch,
  uploadSensed,
} from "../src/sensing/uploader";
import { type IntakeStep, startSensorIntake } from "./support/sensor-intake";

const START = Date.parse("2026-11-28T08:00:00Z");
const eventAt = (i: number): RoadEvent => ({
  at: START + i * 1000,
  lat: 28.2 + i * 1e-5,
  lon: 112.97,
  accuracyM: 5,
  speedMps: 12,
  headingDeg: 90,
  kind: "pothole",
  score: 0.9,
});
const events = (n: number) => Array.from({ length: n }, (_, i) => eventAt(n - 1 - i));
const cells = (n: number) =>
  Array.from({ length: n }, (_, i) => `${282000 + (i % 100)}:${1129700 + Math.floor(i / 100)}`);
const noWait = async () => {};

let closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.map((c) => c()));
  closers = [];
});
async function intake(script?: (request: number, key: string) => IntakeStep) {
  const double = await startSensorIntake(script);
  closers.push(double.close);
  return double;
}

describe("planning batches", () => {
  it("splits into batches of at most 2000 events and 5000 cells, events by time, cells sorted and distinct", async () => {
    const batches = await planBatches("phone-1", events(2500), [...cells(6000), ...cells(10)]);
    expect(batches.map((b) => [b.body.events.length, b.body.cells?.length])).toEqual([
      [2000, 5000],
      [500, 1000],
    ]);
    const first = batches[0]?.body;
    expect(first?.events[0]?.at).toBe("2026-11-28T08:00:00.000Z");
    expect(first?.cells).toEqual([...(first?.cells ?? [])].sort());
    expect(new Set(batches.flatMap((b) => b.body.cells)).size).toBe(6000);
    expect(new Set(batches.map((b) => b.key)).size).toBe(2);
  });

  it("derives each key from the batch, so a rebuilt batch (a reload) keeps its key", async () => {
    const a = await planBatches("phone-1", events(3), cells(4));
    const b = await planBatches("phone-1", events(3), cells(4));
    const other = await planBatches("phone-2", events(3), cells(4));
    expect(a.map((x) => x.key)).toEqual(b.map((x) => x.key));
    expect(other[0]?.key).not.toBe(a[0]?.key);
  });

  it("sends cells alone when nothing was felt, and nothing at all when nothing was driven", async () => {
    expect((await planBatches("p", [], cells(3)))[0]?.body).toEqual({
      deviceId: "p",
      events: [],
      cells: cells(3).sort(),
    });
    expect(await planBatches("p", [], [])).toEqual([]);
  });
});

describe("sending", () => {
  it("retries on 503 and on a dropped connection with the same key and body", async () => {
    const double = await intake((n) => (n === 1 ? 503 : n === 2 ? "drop" : 202));
    const [batch] = await planBatches("phone-1", events(5), cells(5));
    const delays: number[] = [];
    const answer = await sendBatch(batch as never, {
      fetch,
      server: double.url,
      sleep: async (ms) => {
        delays.push(ms);
      },
    });
    expect(answer.accepted).toBe(5);
    expect(double.received.map((r) => r.answered)).toEqual([503, "drop", 202]);
    expect(new Set(double.received.map((r) => r.key))).toEqual(new Set([batch?.key]));
    expect(double.received.map((r) => r.body)).toEqual([batch?.body, batch?.body, batch?.body]);
    expect(delays).toEqual([500, 1000]);
  });

  it("gives up after its attempts, and never retries a 4xx", async () => {
    const failing = await intake(() => 500);
    const [batch] = await planBatches("phone-1", events(1));
    await expect(
      sendBatch(batch as never, { fetch, server: failing.url, attempts: 3, sleep: noWait }),
    ).rejects.toThrow(/500/);
    expect(failing.received).toHaveLength(3);
    const refusing = await intake(() => 400);
    await expect(
      sendBatch(batch as never, { fetch, server: refusing.url, sleep: noWait }),
    ).rejects.toBeInstanceOf(BatchRejected);
    expect(refusing.received).toHaveLength(1);
  });

  it("takes another server's page (a captive portal's, a proxy's 403) for undelivered, never for refused or sent", async () => {
    const [batch] = await planBatches("phone-1", events(1));
    for (const status of [200, 403] as const) {
      const portal = await intake(() => ({ status, page: "<html><body>Sign in to the Wi-Fi</body></html>" }));
      const sent = sendBatch(batch as never, { fetch, server: portal.url, sleep: noWait });
      await expect(sent).rejects.toBeInstanceOf(BatchUndelivered);
      await expect(sent).rejects.toThrow(/not CivicLoop's/);
      // Asking again at once would meet the same page.
      expect(portal.received).toHaveLength(1);
    }
    // CivicLoop's own answer cut short (the connection dropped in its body) is tried again.
    const cut = await intake(() => ({ status: 200, page: '{"accepted":', type: "application/json" }));
    const sent = sendBatch(batch as never, { fetch, server: cut.url, attempts: 3, sleep: noWait });
    await expect(sent).rejects.toThrow(/cut short, after 3 attempts/);
    expect(cut.received).toHaveLength(3);
  });

  it("waits out a 429's Retry-After before trying again, and says why before each wait", async () => {
    const double = await intake((n) => (n === 1 ? { status: 429, retryAfter: "20" } : 202));
    const [batch] = await planBatches("phone-1", events(2), cells(2));
    const delays: number[] = [];
    const told: string[] = [];
    const answer = await sendBatch(batch as never, {
      fetch,
      server: double.url,
      sleep: async (ms) => {
        delays.push(ms);
      },
      onRetry: (reason, ms) => told.push(`${reason} ${ms}`),
    });
    expect(answer.accepted).toBe(2);
    // Not the 500 ms backoff: a retry inside the limit's window is only refused again.
    expect(delays).toEqual([20_000]);
    expect(told).toEqual(["server answered 429 (rate limited, Retry-After 20 s) 20000"]);
    expect(retryAfterMs("Thu, 03 Dec 2026 04:00:30 GMT", Date.parse("2026-12-03T04:00:00Z"))).toBe(30_000);
    expect(retryAfterMs(null)).toBeNull();
  });

  it("gives up at once on a Retry-After longer than it would wait, naming the server and the reason", async () => {
    const double = await intake(() => ({ status: 429, retryAfter: "3600" }));
    const [batch] = await planBatches("phone-1", events(1));
    await expect(sendBatch(batch as never, { fetch, server: double.url, sleep: noWait })).rejects.toThrow(
      `${double.url}/api/sensor/batches: server answered 429 (rate limited, Retry-After 3600 s), after 1 attempt`,
    );
    expect(double.received).toHaveLength(1);
    // A server that is not there: the reason Node's "fetch failed" hides.
    await double.close();
    await expect(
      sendBatch(batch as never, { fetch, server: double.url, attempts: 2, sleep: noWait }),
    ).rejects.toThrow(/no answer \(ECONNREFUSED\), after 2 attempts/);
  });

  it("uploads a large trip in batches, and uploading it again adds nothing", async () => {
    const double = await intake((n) => (n === 2 ? 503 : 202));
    const result = await uploadSensed("phone-1", events(2500), cells(7000), {
      fetch,
      server: `${double.url}/`,
      sleep: noWait,
    });
    expect(result).toMatchObject({ batches: 2, accepted: 2500 });
    expect(await double.storedEvents()).toBe(2500);
    await uploadSensed("phone-1", events(2500), cells(7000), { fetch, server: double.url, sleep: noWait });
    expect(await double.storedEvents()).toBe(2500);
    expect(new Set(double.received.map((r) => r.key)).size).toBe(2);
  });
});
