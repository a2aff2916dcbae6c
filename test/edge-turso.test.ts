/**
 * The Worker on a remote libSQL database (Turso's way: Hrana over HTTP, no D1 bound), set up as the
 * README tells a city: the migrations applied with the app's own migrator over the URL, the D1
 * block deleted from wrangler.toml, DATABASE_URL a secret. The server is `hrana-server.ts` (the real
 * libSQL engine behind the protocol), and a Node app shares the database, as the README says it can.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SIGNATURE_HEADER, verifySignature } from "../src/dispatch/signature";
import { openDatabase } from "../src/node/database";
import { makeClock, makeTestApp, type TestApp } from "./support/app";
import {
  CHANGSHA,
  east,
  makeDepartment,
  makeService,
  north,
  reportAt,
  squareAround,
} from "./support/fixtures";
import { type HranaServer, startHranaServer } from "./support/hrana-server";
import { departmentToken, move } from "./support/work-orders";
import { CITY_WORKER, type EdgeWorker, startEdgeWorker, workerAsTestApp } from "./support/worker";
import { startWebhookReceiver } from "./support/worker-webhook-receiver";

describe("the Worker in workerd, on a remote libSQL database over HTTP (Turso)", () => {
  let dir: string;
  let libsql: HranaServer;
  let worker: EdgeWorker;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let t: TestApp;
  let furong: Awaited<ReturnType<typeof makeDepartment>>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "civicloop-turso-"));
    libsql = await startHranaServer(join(dir, "turso.db"));
    // The README's command: the app's own migrator, over the database's URL.
    const { client } = await openDatabase(libsql.url);
    client.close();
    receiver = await startWebhookReceiver();
    worker = await startEdgeWorker({
      assets: false,
      databaseUrl: libsql.url,
      ...CITY_WORKER,
    });
    t = workerAsTestApp(worker);
    await makeService(t, { code: "pothole", threshold: 3, radiusM: 25 });
    furong = await makeDepartment(t, {
      code: "furong",
      services: ["pothole"],
      area: squareAround(CHANGSHA, 20_000),
      webhookUrl: receiver.url,
    });
  }, 300_000);

  afterAll(async () => {
    await worker?.stop();
    await receiver?.stop();
    await libsql?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("gathers three residents' reports into one work order and delivers it, signed, from the Cron handler", async () => {
    const spot = north(CHANGSHA, 500);
    const replies = [];
    for (const deviceId of ["turso-device-a-01", "turso-device-b-02", "turso-device-c-03"])
      replies.push(await reportAt(t, spot, { deviceId }));
    expect(replies.map((r) => r.status)).toEqual([201, 201, 201]);
    const cluster = replies[2]?.body.cluster;
    expect(replies.every((r) => r.body.cluster.id === cluster.id)).toBe(true);
    expect(cluster).toMatchObject({
      reports: 3,
      reporters: 3,
      workOrder: { status: "dispatched", department: "furong" },
    });

    await worker.scheduled();
    const deliveries = receiver.received.filter((r) => r.body.includes(cluster.workOrder.id));
    expect(deliveries).toHaveLength(1);
    const signature = String(deliveries[0]?.headers[SIGNATURE_HEADER.toLowerCase()]);
    expect(await verifySignature(furong.webhookSecret as string, deliveries[0]?.body ?? "", signature)).toBe(
      true,
    );
    await worker.scheduled();
    expect(receiver.received.filter((r) => r.body.includes(cluster.workOrder.id))).toHaveLength(1);

    // The department moves it; the public page and the map show it.
    const token = await departmentToken(t, "furong");
    expect(
      (await move(t, token, cluster.workOrder.id, { to: "acknowledged", note: "crew assigned" })).status,
    ).toBe(200);
    const page = (await (await worker.fetch(`/api/clusters/${cluster.id}`)).json()) as {
      cluster: { workOrder: { status: string }; timeline: { to: string | null }[] };
    };
    expect(page.cluster.workOrder.status).toBe("acknowledged");
    expect(page.cluster.timeline.map((e) => e.to).filter(Boolean)).toEqual(["dispatched", "acknowledged"]);
    const d = 0.01;
    const bbox = [spot.lon - d, spot.lat - d, spot.lon + d, spot.lat + d].join(",");
    const map = await worker.fetch(`/api/map?bbox=${bbox}&zoom=17`);
    expect(map.status).toBe(200);
    expect(JSON.stringify(await map.json())).toContain(cluster.id);
  });

  it("creates exactly one work order when eight reports race to one spot (each its own batch over HTTP)", async () => {
    const spot = east(CHANGSHA, 800);
    const replies = await Promise.all(
      Array.from({ length: 8 }, (_, i) => reportAt(t, spot, { deviceId: `turso-race-${i}-0000` })),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(8).fill(201));
    const ids = new Set(replies.map((r) => r.body.cluster.id));
    expect(ids.size).toBe(1);
    const page = (await (await worker.fetch(`/api/clusters/${[...ids][0]}`)).json()) as {
      cluster: { reports: number; reporters: number; timeline: { type: string }[] };
    };
    expect(page.cluster).toMatchObject({ reports: 8, reporters: 8 });
    expect(page.cluster.timeline.filter((e) => e.type === "work_order_created")).toHaveLength(1);
  });

  it("reads the catalogue once per isolate, not once per report: a report is its rate limits and one batch", async () => {
    // What runs after an answer (an earlier test's dispatch, on a loaded machine) is let finish
    // first: no round trip for half a second.
    await expect
      .poll(
        async () => {
          const seen = libsql.pipelines();
          await new Promise((done) => setTimeout(done, 500));
          return libsql.pipelines() - seen;
        },
        { timeout: 30_000 },
      )
      .toBe(0);
    // Two rate-limit upserts (the network, the device) and the intake's batch; each request's own
    // handle had read the service, who takes it and every area again (seven round trips in all).
    // The isolate keeps the catalogue 5 s (`catalog-cache.ts`): a pair of reports that took longer
    // on a loaded machine reads it again, rightly, and is tried once more.
    const counted: number[] = [];
    for (let pair = 0; pair < 3 && counted.length === 0; pair++) {
      // Whatever an earlier report kept has expired: the pair's first report reads it afresh.
      await new Promise((done) => setTimeout(done, 5_100));
      const warmed = Date.now();
      // Warm: the first report of the pair reads the catalogue (and the settings).
      const warm = await reportAt(t, north(CHANGSHA, 1500), { deviceId: `turso-warm-${pair}-device-1` });
      expect(warm.status).toBe(201);
      const before = libsql.pipelines();
      const next = await reportAt(t, north(CHANGSHA, 1500), { deviceId: `turso-warm-${pair}-device-2` });
      expect(next.status).toBe(201);
      if (Date.now() - warmed < 4_000) counted.push(libsql.pipelines() - before);
    }
    expect(counted).toHaveLength(1);
    expect(counted[0]).toBeLessThanOrEqual(3);
  });

  it("shares the database with a Node server: what one writes, the other reads", async () => {
    const node = await makeTestApp({ url: libsql.url, clock: makeClock(Date.now()) });
    try {
      const spot = north(CHANGSHA, 3000);
      const fromNode = await reportAt(node, spot, { deviceId: "turso-node-device-1" });
      expect(fromNode.status).toBe(201);
      const fromWorker = await reportAt(t, spot, { deviceId: "turso-edge-device-2" });
      expect(fromWorker.status).toBe(201);
      expect(fromWorker.body.cluster).toMatchObject({
        id: fromNode.body.cluster.id,
        reports: 2,
        reporters: 2,
      });
      const seen = await node.app.request(`/api/clusters/${fromNode.body.cluster.id}`);
      expect(((await seen.json()) as { cluster: { reports: number } }).cluster.reports).toBe(2);
    } finally {
      node.client.close();
    }
  });
});
