/**
 * Sensor upload bodies prepared in worker threads answer exactly as the route's own thread would:
 * the same rows for a good body (but for the new spots' fresh ids), the same refusal for a bad one,
 * and the route's own thread takes over when no worker is there.
 */
import { afterAll, describe, expect, it } from "vitest";
import { roadCellOf } from "../src/domain/road-cells";
import { uploadWorkers } from "../src/node/upload-workers";
import { prepareSensorBody, type SensorBody } from "../src/routes/sensor-body";
import { CHANGSHA } from "./support/fixtures";
import { hitAt } from "./support/sensor";

const prep = {
  secret: "worker-secret",
  now: Date.parse("2026-12-02T08:00:00Z"),
  reachM: 12,
  network: "203.0.113.0/24",
};
const events = Array.from({ length: 300 }, (_, i) =>
  // Ten seconds apart: a car's time to reach each (the farthest is under 1 km away).
  hitAt(
    { lat: CHANGSHA.lat + (i % 40) * 2e-4, lon: CHANGSHA.lon + (i % 7) * 3e-4 },
    prep.now - 3_600_000 + i * 10_000,
  ),
);
const good = JSON.stringify({ deviceId: "phone-1", events, cells: events.map((e) => roadCellOf(e)) });

/** A body's answer with the new spots' ids left out: they are fresh on every preparation. */
function withoutNewIds(body: SensorBody) {
  if ("refused" in body) return body;
  const groups = (JSON.parse(body.upload.rows.groups) as unknown[][]).map(([, ...rest]) => rest);
  return { ...body.upload, rows: { ...body.upload.rows, groups } };
}

describe("upload workers", () => {
  const workers = uploadWorkers(2);
  afterAll(() => workers.close());

  it("prepare a body as the route's thread does, and refuse a bad one with the same words", async () => {
    await workers.ready();
    const inThread = prepareSensorBody(good, prep);
    const inWorker = await workers.prepare(good, prep);
    expect(workers.prepared).toBe(1);
    expect("upload" in inWorker && JSON.parse(inWorker.upload.rows.groups).length).toBeGreaterThan(30);
    expect(withoutNewIds(inWorker)).toEqual(withoutNewIds(inThread));

    const bad = JSON.stringify({
      deviceId: "phone-1",
      events: events.map((e, i) => (i === 3 ? { ...e, lat: 95 } : e)),
    });
    const refused = await workers.prepare(bad, prep);
    expect(refused).toEqual(prepareSensorBody(bad, prep));
    expect(refused).toMatchObject({
      refused: { status: 400, code: "invalid_field", field: "events[3].lat" },
    });
    expect(await workers.prepare("{not json", prep)).toMatchObject({ refused: { code: "invalid_json" } });
    const outpaced = JSON.stringify({
      deviceId: "phone-1",
      events: events.map((e, i) => (i === 5 ? { ...e, lat: e.lat + 0.1 } : e)),
    });
    expect(await workers.prepare(outpaced, prep)).toEqual(prepareSensorBody(outpaced, prep));
    expect(await workers.prepare(outpaced, prep)).toMatchObject({ refused: { field: "events[5]" } });
  });

  it("spread bodies arriving together over the threads, each answered once", async () => {
    const before = workers.prepared;
    const answers = await Promise.all(Array.from({ length: 12 }, () => workers.prepare(good, prep)));
    expect(workers.prepared - before).toBe(12);
    for (const a of answers) expect(withoutNewIds(a)).toEqual(withoutNewIds(prepareSensorBody(good, prep)));
  });

  it("leave bodies to the route's thread once closed", async () => {
    const closed = uploadWorkers(1);
    await closed.ready();
    await closed.close();
    const answer = await closed.prepare(good, prep);
    expect(closed.prepared).toBe(0);
    expect(withoutNewIds(answer)).toEqual(withoutNewIds(prepareSensorBody(good, prep)));
  });
});
