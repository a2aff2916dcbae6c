/** Fixtures for Street Bump mode: a sensor-fed service, phones hitting places, passes. */
import type { RoadEvent } from "../../src/domain/bump-detector/detector";
import { roadCellNeighbourhood } from "../../src/domain/road-cells";
import type { BatchBody } from "../../src/sensing/uploader";
import type { TestApp } from "./app";
import { CHANGSHA, makeDepartment, makeService, squareAround } from "./fixtures";
import { fromResident } from "./residents";

export const SENSOR = { kinds: ["pothole" as const], minDevices: 3, minHitShare: 0.5, radiusM: 12 };

/** The pothole service fed by sensor spots, and a department that takes it around Changsha. */
export async function makeSensorCity(t: TestApp, sensor: Partial<typeof SENSOR> = {}) {
  await makeService(t, { sensor: { ...SENSOR, ...sensor } });
  await makeDepartment(t, { code: "roads", services: ["pothole"], area: squareAround(CHANGSHA, 20_000) });
}

export const hitAt = (
  p: { lat: number; lon: number },
  at: number,
  opts: Partial<Omit<RoadEvent, "at">> = {},
): BatchBody["events"][number] => ({
  lat: p.lat,
  lon: p.lon,
  accuracyM: 4,
  speedMps: 12,
  headingDeg: 90,
  kind: "pothole",
  score: 0.9,
  ...opts,
  at: new Date(at).toISOString(),
});

/**
 * Posts one batch; the parsed answer. Each simulated phone comes from a network of its own (its
 * device id names it, see `fromResident`), as phones of different drivers do; `network` names
 * another (several made-up ids from one network count as one vehicle).
 */
export async function upload(t: TestApp, body: BatchBody, key?: string, network = `phone:${body.deviceId}`) {
  const res = await t.app.request("/api/sensor/batches", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...fromResident(network),
      ...(key ? { "idempotency-key": key } : {}),
    },
    body: JSON.stringify(body),
  });
  // biome-ignore lint/suspicious/noExplicitAny: test bodies are inspected field by field
  return { status: res.status, body: (await res.json()) as any };
}

/** A phone driving over a point without feeling anything: only its cells (`network`: as `upload`'s). */
export const passOver = (t: TestApp, deviceId: string, p: { lat: number; lon: number }, network?: string) =>
  upload(t, { deviceId, events: [], cells: roadCellNeighbourhood(p).slice(4, 5) }, undefined, network);
