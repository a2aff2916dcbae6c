/**
 * The core scenario against the real Worker (src/worker.ts) in workerd, with a local D1 database
 * migrated by `wrangler d1 migrations apply`, and its Cron handler delivering to a real HTTP server.
 */
import { crc32 } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SIGNATURE_HEADER, verifySignature } from "../src/dispatch/signature";
import { cleanImage } from "../src/domain/image-metadata";
import { roadCellNeighbourhood } from "../src/domain/road-cells";
import { KEY_CELL_DEG } from "../src/domain/sensor";
import type { TestApp } from "./support/app";
import {
  asAdmin,
  CHANGSHA,
  east,
  makeDepartment,
  makeService,
  north,
  reportAt,
  squareAround,
} from "./support/fixtures";
import { hitAt, upload } from "./support/sensor";
import { departmentToken, move, workOrderAt } from "./support/work-orders";
import { CITY_WORKER, type EdgeWorker, startEdgeWorker, workerAsTestApp } from "./support/worker";
import { startWebhookReceiver } from "./support/worker-webhook-receiver";

const DEVICES = ["edge-device-a-0001", "edge-device-b-0002", "edge-device-c-0003"];

describe("the Worker in workerd, on D1", () => {
  let worker: EdgeWorker;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  let t: TestApp;
  let furong: Awaited<ReturnType<typeof makeDepartment>>;

  beforeAll(async () => {
    receiver = await startWebhookReceiver();
    worker = await startEdgeWorker({
      assets: false,
      ...CITY_WORKER,
    });
    t = workerAsTestApp(worker);
    await makeService(t, { code: "pothole", threshold: 3, radiusM: 25 });
    await makeService(t, {
      code: "streetlight",
      name: { en: "Streetlight out", zh: "路灯不亮" },
      threshold: 3,
    });
    furong = await makeDepartment(t, {
      code: "furong",
      services: ["pothole", "streetlight"],
      area: squareAround(CHANGSHA, 20_000),
      webhookUrl: receiver.url,
    });
  }, 300_000);

  afterAll(async () => {
    await worker?.stop();
    await receiver?.stop();
  });

  const workOrdersOf = async (clusterId: string) => {
    const res = await worker.fetch("/api/admin/work-orders", asAdmin());
    expect(res.status).toBe(200);
    const { workOrders } = (await res.json()) as { workOrders: { id: string; clusterId: string }[] };
    return workOrders.filter((w) => w.clusterId === clusterId);
  };

  it("gathers three devices' reports at one spot into one cluster with one work order", async () => {
    const spot = north(CHANGSHA, 500);
    const replies = [];
    for (const deviceId of DEVICES) replies.push(await reportAt(t, spot, { deviceId }));
    expect(replies.map((r) => r.status)).toEqual([201, 201, 201]);
    const clusterId = replies[0]?.body.cluster.id;
    expect(replies.every((r) => r.body.cluster.id === clusterId)).toBe(true);
    expect(replies[1]?.body.cluster).toMatchObject({ reporters: 2, workOrder: null });
    expect(replies[2]?.body.cluster).toMatchObject({
      reports: 3,
      reporters: 3,
      state: "dispatched",
      workOrder: { status: "dispatched", department: "furong" },
    });
    expect(await workOrdersOf(clusterId)).toHaveLength(1);

    // The cluster's public page, with its timeline, and nothing private in it.
    const page = await worker.fetch(`/api/clusters/${clusterId}`);
    expect(page.status).toBe(200);
    const text = await page.text();
    const { cluster } = JSON.parse(text);
    expect(cluster).toMatchObject({
      id: clusterId,
      reports: 3,
      reporters: 3,
      workOrder: { department: "furong" },
    });
    expect(cluster.timeline.map((e: { type: string }) => e.type)).toContain("work_order_created");
    for (const deviceId of DEVICES) expect(text).not.toContain(deviceId);
  });

  it("creates exactly one work order when eight reports race to one spot (the intake batch on D1)", async () => {
    const spot = east(CHANGSHA, 800);
    const replies = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        reportAt(t, spot, { service: "streetlight", deviceId: `race-device-${i}-0000` }),
      ),
    );
    expect(replies.map((r) => r.status)).toEqual(Array(8).fill(201));
    const clusterIds = new Set(replies.map((r) => r.body.cluster.id));
    expect(clusterIds.size).toBe(1);
    const [clusterId] = [...clusterIds] as [string];
    const page = (await (await worker.fetch(`/api/clusters/${clusterId}`)).json()) as {
      cluster: { reports: number; reporters: number; timeline: { type: string }[] };
    };
    expect(page.cluster).toMatchObject({ reports: 8, reporters: 8 });
    expect(page.cluster.timeline.filter((e) => e.type === "work_order_created")).toHaveLength(1);
    expect(await workOrdersOf(clusterId)).toHaveLength(1);
  });

  it("answers the map from a D1 session, the path that reads from replicas", async () => {
    const spot = north(CHANGSHA, 2500);
    const first = await reportAt(t, spot, { deviceId: "map-device-0001" });
    const d = 0.01;
    const bbox = [spot.lon - d, spot.lat - d, spot.lon + d, spot.lat + d].join(",");
    const list = await worker.fetch(`/api/clusters?bbox=${bbox}`);
    expect(list.status).toBe(200);
    const { features } = (await list.json()) as { features: { id: string }[] };
    expect(features.map((f) => f.id)).toEqual([first.body.cluster.id]);
    const map = await worker.fetch(`/api/map?bbox=${bbox}&zoom=17`);
    expect(map.status).toBe(200);
    expect(JSON.stringify(await map.json())).toContain(first.body.cluster.id);
  });

  it("answers bad input with a 4xx JSON error and writes nothing", async () => {
    const res = await worker.fetch("/api/reports", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ service: "pothole", lat: 91, lon: 0, description: "off the map" }),
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: "invalid_field", field: "lat" } });
    const notJson = await worker.fetch("/api/reports", { method: "POST", body: "lat=1" });
    expect(notJson.status).toBe(415);
    expect(await notJson.json()).toMatchObject({
      error: { code: "unsupported_media_type", field: "Content-Type" },
    });
    const noAdmin = await worker.fetch("/api/admin/work-orders");
    expect(noAdmin.status).toBe(401);
  });

  it("lets the department move its work order through its lifecycle, shown on the public page", async () => {
    const wo = await workOrderAt(t, east(CHANGSHA, 1500));
    const token = await departmentToken(t, "furong");
    // The league table's windows on D1: rolled by this first read, then kept by the triggers.
    const league = async () => {
      const res = await worker.fetch("/api/stats/departments?period=365d");
      expect(res.status).toBe(200);
      const { departments } = (await res.json()) as {
        departments: {
          code: string;
          last30Days: { acknowledged: number; medianHoursToAcknowledge: number | null };
        }[];
      };
      return departments.find((d) => d.code === "furong")?.last30Days;
    };
    const before = (await league())?.acknowledged ?? 0;
    const acknowledged = await move(t, token, wo.id, { to: "acknowledged", note: "crew assigned" });
    expect(acknowledged.status).toBe(200);
    const after = await league();
    expect(after?.acknowledged).toBe(before + 1);
    expect(after?.medianHoursToAcknowledge).toEqual(expect.any(Number));
    const scheduled = await move(t, token, wo.id, {
      to: "scheduled",
      scheduledFor: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    });
    expect(scheduled.status).toBe(200);
    // A move the lifecycle does not allow is refused with 409, and nothing changes.
    expect((await move(t, token, wo.id, { to: "acknowledged" })).status).toBe(409);

    const page = (await (await worker.fetch(`/api/clusters/${wo.clusterId}`)).json()) as {
      cluster: { workOrder: { status: string }; timeline: { type: string; to: string | null }[] };
    };
    expect(page.cluster.workOrder.status).toBe("scheduled");
    expect(page.cluster.timeline.map((e) => e.to).filter(Boolean)).toEqual([
      "dispatched",
      "acknowledged",
      "scheduled",
    ]);
  });

  it("counts the rows a write changed on D1 too: a note on no work order of the department is a 404, and nothing is kept", async () => {
    const wo = await workOrderAt(t, east(CHANGSHA, 2500));
    const token = await departmentToken(t, "furong");
    const note = (id: string) =>
      worker.fetch(`/api/department/work-orders/${id}/notes`, {
        method: "POST",
        headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
        body: JSON.stringify({ note: "crew on site" }),
      });
    expect((await note("doesnotexist123")).status).toBe(404);
    expect((await note(wo.id)).status).toBe(201);
  });

  it("keeps photos in the R2 bucket and links them to a report", async () => {
    const png = tinyPng();
    const upload = await worker.fetch("/api/photos", {
      method: "POST",
      headers: { "content-type": "image/png" },
      body: png,
    });
    expect(upload.status).toBe(201);
    const { photo } = (await upload.json()) as { photo: { id: string; url: string } };
    const served = await worker.fetch(photo.url);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/png");
    expect(new Uint8Array(await served.arrayBuffer())).toEqual((await cleanImage(png)).bytes);

    const res = await worker.fetch("/api/reports", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        service: "pothole",
        ...east(CHANGSHA, 3000),
        description: "see photo",
        photoIds: [photo.id],
      }),
    });
    expect(res.status).toBe(201);
    const { cluster } = (await res.json()) as { cluster: { id: string } };
    const listed = (await (await worker.fetch(`/api/photos?cluster=${cluster.id}`)).json()) as {
      photos: { id: string; thumbnailUrl: string }[];
    };
    expect(listed.photos.map((p) => p.id)).toEqual([photo.id]);
    // The Worker makes no thumbnails: a list's thumbnail is the photo itself.
    const thumbnail = await worker.fetch(listed.photos[0]?.thumbnailUrl as string);
    expect(thumbnail.headers.get("content-type")).toBe("image/png");
    expect(new Uint8Array(await thumbnail.arrayBuffer())).toEqual((await cleanImage(png)).bytes);
    expect((await worker.fetch("/api/photos/nope")).status).toBe(404);
  });

  it("imports a gazetteer and searches it with FTS5 on D1", async () => {
    const csv =
      "kind,name_zh,name_en,pinyin,lat,lon\nlandmark,五一广场,Wuyi Square,Wǔyī Guǎngchǎng,28.1963,112.9767\n";
    const imported = await worker.fetch("/api/admin/places", { method: "POST", ...asAdmin({ csv }) });
    expect(imported.status).toBe(201);
    for (const q of ["五一", "wuyi", "Wuyi Sq", "wuyiguangchang"]) {
      const res = await worker.fetch(`/api/places?q=${encodeURIComponent(q)}`);
      const { places } = (await res.json()) as { places: { name: { en: string } }[] };
      expect(
        places.map((p) => p.name.en),
        q,
      ).toEqual(["Wuyi Square"]);
    }
    // Naming a list of points: one read of boxes out of a JSON parameter, on D1's SQLite too.
    const named = await worker.fetch("/api/places/names?points=28.1963,112.9768;10,10");
    expect(named.status).toBe(200);
    const { names } = (await named.json()) as { names: ({ en: string } | null)[] };
    expect(names[0]?.en).toBe("near Wuyi Square");
    expect(names[1]).toBeNull();
  });

  it("takes sensor uploads on D1 (rows as JSON parameters): three phones, one spot; a retry adds nothing", async () => {
    const place = north(CHANGSHA, 1500);
    const bodies = DEVICES.map((deviceId, i) => ({
      deviceId,
      events: [hitAt(north(place, i), Date.now() - 60_000)],
      cells: roadCellNeighbourhood(place),
    }));
    const answers = [];
    for (const [i, body] of bodies.entries()) answers.push(await upload(t, body, `edge-sensor-${i}`));
    expect(answers.map((a) => a.status)).toEqual([202, 202, 202]);
    const id = answers[0]?.body.spots[0].id;
    expect(answers.map((a) => a.body.spots.map((s: { id: string }) => s.id))).toEqual([[id], [id], [id]]);
    const again = await upload(t, bodies[2] as (typeof bodies)[number], "edge-sensor-2");
    expect(again).toEqual(answers[2]);
    const { spot } = (await (await worker.fetch(`/api/sensor/spots/${id}`)).json()) as {
      spot: Record<string, unknown>;
    };
    expect(spot).toMatchObject({ devices: 3, hits: 3, hitPasses: 3, passes: 3, state: "candidate" });
  });

  it("folds a spot opened beside another into it on D1, counting a device that hit both once", async () => {
    // The middle of a square hits are keyed by, 2 km north of the city's centre.
    const far = north(CHANGSHA, 2000);
    const place = { lat: (Math.floor(far.lat / KEY_CELL_DEG) + 0.5) * KEY_CELL_DEG, lon: far.lon };
    const [a, b] = DEVICES as [string, string];
    const at = Date.now() - 60_000;
    await upload(t, { deviceId: a, events: [hitAt(place, at)] }, "edge-fold-1");
    const apart = await upload(
      t,
      { deviceId: a, events: [hitAt(north(place, 18), at + 1000)] },
      "edge-fold-2",
    );
    const folded = await upload(t, { deviceId: b, events: [hitAt(north(place, 8.5), at)] }, "edge-fold-3");
    expect(folded.status).toBe(202);
    const id = folded.body.spots[0].id;
    expect(id).not.toBe(apart.body.spots[0].id);
    // The folded spot's id leads to the spot it became part of.
    const gone = await worker.fetch(`/api/sensor/spots/${apart.body.spots[0].id}`, { redirect: "manual" });
    expect(gone.status).toBe(308);
    expect(gone.headers.get("location")).toBe(`/api/sensor/spots/${id}`);
    const { spot } = (await (await worker.fetch(`/api/sensor/spots/${id}`)).json()) as {
      spot: Record<string, unknown>;
    };
    expect(spot).toMatchObject({ devices: 2, hits: 3, state: "candidate" });
  });

  it("lists the services through Open311 GeoReport v2", async () => {
    const res = await worker.fetch("/open311/v2/services.json");
    expect(res.status).toBe(200);
    const services = (await res.json()) as { service_code: string; service_name: string }[];
    expect(services.map((s) => s.service_code).sort()).toEqual(["pothole", "streetlight"]);
    expect(services.find((s) => s.service_code === "pothole")?.service_name).toBeTruthy();
  });

  it("delivers the outbox to the department's webhook from the Cron handler, signed and once", async () => {
    const spot = north(CHANGSHA, 1500);
    let last: Awaited<ReturnType<typeof reportAt>> | undefined;
    for (const deviceId of DEVICES) last = await reportAt(t, spot, { deviceId });
    const workOrderId: string = last?.body.cluster.workOrder.id;
    expect(workOrderId).toBeTruthy();
    const deliveriesOf = () =>
      receiver.received.filter((r) => (JSON.parse(r.body) as WebhookBody).workOrder?.id === workOrderId);
    expect(deliveriesOf()).toHaveLength(0);

    await worker.scheduled();
    const [delivery] = deliveriesOf();
    expect(delivery?.method).toBe("POST");
    const body = JSON.parse(delivery?.body ?? "{}") as WebhookBody;
    expect(body).toMatchObject({
      type: "work_order_created",
      department: "furong",
      cluster: { id: last?.body.cluster.id, reporters: 3 },
    });
    expect(body.url).toBe(`http://civicloop.test/c/${last?.body.cluster.id}`);
    const signature = String(delivery?.headers[SIGNATURE_HEADER.toLowerCase()]);
    expect(await verifySignature(furong.webhookSecret as string, delivery?.body ?? "", signature)).toBe(true);
    for (const deviceId of DEVICES) expect(delivery?.body).not.toContain(deviceId);

    // Delivered rows are done: the next run sends nothing again.
    await worker.scheduled();
    expect(deliveriesOf()).toHaveLength(1);
  });

  it("turns an overdue work order red from the Cron handler and tells the department", async () => {
    // A service whose work orders must be acknowledged within about half a second.
    await makeService(t, {
      code: "noise",
      name: { en: "Noise", zh: "噪声" },
      threshold: 1,
      ackHours: 0.00015,
    });
    await makeDepartment(t, {
      code: "yuelu",
      services: ["noise"],
      area: squareAround(CHANGSHA, 20_000),
      webhookUrl: receiver.url,
    });
    const report = await reportAt(t, west(CHANGSHA, 1000), {
      service: "noise",
      deviceId: "noise-device-0001",
    });
    const { id: clusterId, workOrder } = report.body.cluster;
    expect(workOrder).toMatchObject({ status: "dispatched", department: "yuelu" });
    await new Promise((r) => setTimeout(r, 1_000));

    await worker.scheduled();
    const page = (await (await worker.fetch(`/api/clusters/${clusterId}`)).json()) as {
      cluster: { timeline: { type: string }[] };
    };
    expect(page.cluster.timeline.filter((e) => e.type === "deadline_missed")).toHaveLength(1);
    const sent = receiver.received.map((r) => JSON.parse(r.body) as WebhookBody);
    expect(sent.filter((b) => b.workOrder?.id === workOrder.id).map((b) => b.type)).toContain(
      "deadline_missed",
    );
  });

  it("records a deadline missed before the Cron ran with the department's late move, once", async () => {
    await makeService(t, {
      code: "graffiti",
      name: { en: "Graffiti", zh: "涂鸦" },
      threshold: 1,
      ackHours: 0.00015,
    });
    await makeDepartment(t, {
      code: "tianxin",
      services: ["graffiti"],
      area: squareAround(CHANGSHA, 20_000),
    });
    const report = await reportAt(t, east(CHANGSHA, 3000), {
      service: "graffiti",
      deviceId: "graffiti-device-0001",
    });
    const { id: clusterId, workOrder } = report.body.cluster;
    await new Promise((r) => setTimeout(r, 1_000));
    const token = await departmentToken(t, "tianxin");
    expect((await move(t, token, workOrder.id, { to: "acknowledged" })).status).toBe(200);
    await worker.scheduled();
    const page = (await (await worker.fetch(`/api/clusters/${clusterId}`)).json()) as {
      cluster: { timeline: { type: string }[] };
    };
    expect(page.cluster.timeline.map((e) => e.type).slice(-2)).toEqual(["deadline_missed", "status_changed"]);
    expect(page.cluster.timeline.filter((e) => e.type === "deadline_missed")).toHaveLength(1);
  });

  // Last: its services would be listed by the tests before it (Open311's list of services).
  it("saves a bureau taking 40 services, and names 101 unknown ones, where D1 binds at most 100 values", async () => {
    const codes = Array.from({ length: 40 }, (_, i) => `bureau_service_${i}`);
    for (const code of codes) await makeService(t, { code, name: { en: code, zh: code }, threshold: 3 });
    const bureau = {
      code: "bureau",
      name: { en: "City bureau", zh: "市局" },
      services: codes,
      fallbackFor: codes,
      dispatch: {
        method: "open311",
        endpoint: "https://311.city.example/open311/v2",
        apiKey: "city-311-key",
        serviceCodes: Object.fromEntries(codes.map((c) => [c, `remote-${c}`])),
      },
    };
    const made = await worker.fetch("/api/admin/departments", { method: "POST", ...asAdmin(bureau) });
    expect(made.status).toBe(201);
    const fewer = codes.slice(0, 35);
    const put = await worker.fetch("/api/admin/departments/bureau", {
      method: "PUT",
      ...asAdmin({
        ...bureau,
        services: fewer,
        fallbackFor: fewer,
        dispatch: { ...bureau.dispatch, serviceCodes: Object.fromEntries(fewer.map((c) => [c, `r-${c}`])) },
      }),
    });
    expect(put.status).toBe(200);
    const { department } = (await put.json()) as {
      department: {
        services: string[];
        fallbackFor: string[];
        dispatch: { serviceCodes: Record<string, string> };
      };
    };
    expect(department.services.toSorted()).toEqual(fewer.toSorted());
    expect(department.fallbackFor.toSorted()).toEqual(fewer.toSorted());
    expect(Object.keys(department.dispatch.serviceCodes)).toHaveLength(35);
    expect(department.dispatch.serviceCodes.bureau_service_0).toBe("r-bureau_service_0");
    const unknown = Array.from({ length: 101 }, (_, i) => `no_such_service_${i}`);
    const refused = await worker.fetch("/api/admin/departments", {
      method: "POST",
      ...asAdmin({ code: "unknown_bureau", name: { en: "x", zh: "x" }, services: unknown }),
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ error: { code: "unknown_service", field: "services" } });
  });
});

/** The smallest PNG: one 1 x 1 pixel. */
function tinyPng(): Uint8Array<ArrayBuffer> {
  const be32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
  const chunk = (type: string, data: number[]) => {
    const typeAndData = [...new TextEncoder().encode(type), ...data];
    return [...be32(data.length), ...typeAndData, ...be32(crc32(Uint8Array.from(typeAndData)))];
  };
  return Uint8Array.from([
    ...[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
    ...chunk("IHDR", [...be32(1), ...be32(1), 8, 2, 0, 0, 0]),
    ...chunk("IDAT", [0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0x00, 0x00, 0x03, 0x01, 0x01, 0x00]),
    ...chunk("IEND", []),
  ]);
}

const west = (p: { lat: number; lon: number }, metres: number) => east(p, -metres);

interface WebhookBody {
  type?: string;
  url?: string;
  workOrder?: { id: string };
}
