/** Test fixtures in the language of the domain. */
import type { Ring } from "../../src/domain/geo";
import type { ServiceInput } from "../../src/schemas/service";
import { intakeStatements } from "../../src/store/intake";
import { findService } from "../../src/store/services";
import { ADMIN_TOKEN, type TestApp } from "./app";
import { realJpeg } from "./images";
import { fromResident, fromSomeResident } from "./residents";

export const CHANGSHA = { lat: 28.1941, lon: 112.9823 };

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

export const asAdmin = (body?: unknown) => ({
  ...json(body),
  headers: { "content-type": "application/json", authorization: `Bearer ${ADMIN_TOKEN}` },
});

/** The tests' pothole service: 3 residents within 25 m and 30 days; a day to acknowledge, a week to fix. */
export const POTHOLE_SERVICE = {
  code: "pothole",
  name: { en: "Pothole", zh: "坑洼" },
  radiusM: 25,
  windowDays: 30,
  threshold: 3,
  ackHours: 24,
  resolveHours: 168,
};

export async function makeService(t: TestApp, overrides: Partial<ServiceInput> = {}) {
  const service = { ...POTHOLE_SERVICE, ...overrides };
  const res = await t.app.request("/api/admin/services", { method: "POST", ...asAdmin(service) });
  if (res.status !== 201) throw new Error(`makeService: ${res.status} ${await res.text()}`);
  return service;
}

/** A square area of `sideM` metres centred on a point. */
export function squareAround(
  p: { lat: number; lon: number },
  sideM: number,
): { type: "Polygon"; coordinates: Ring[] } {
  const dLat = sideM / 2 / 111_195;
  const dLon = dLat / Math.cos((p.lat * Math.PI) / 180);
  const [w, s, e, n] = [p.lon - dLon, p.lat - dLat, p.lon + dLon, p.lat + dLat];
  return {
    type: "Polygon",
    coordinates: [
      [
        [w, s],
        [e, s],
        [e, n],
        [w, n],
        [w, s],
      ],
    ],
  };
}

export async function makeDepartment(
  t: TestApp,
  body: {
    code: string;
    /** Its public name; the code in both languages when left out. */
    name?: { en: string; zh: string };
    services: string[];
    area?: unknown;
    fallbackFor?: string[];
    webhookUrl?: string;
    /** How its work orders reach it (`{ method: "email", to }`, …); a webhook without it. */
    dispatch?: Record<string, unknown>;
  },
) {
  const res = await t.app.request("/api/admin/departments", {
    method: "POST",
    ...asAdmin({ name: { en: body.code, zh: body.code }, ...body }),
  });
  if (res.status !== 201) throw new Error(`makeDepartment: ${res.status} ${await res.text()}`);
  return (await res.json()) as { department: unknown; webhookSecret?: string; overlaps: unknown[] };
}

export interface ReportOptions {
  service?: string;
  deviceId?: string;
  description?: string;
  contact?: Record<string, string | boolean>;
  headers?: Record<string, string>;
  photoIds?: string[];
}

/**
 * Posts a report at a point and returns the response with its parsed body. Each `deviceId` is a
 * resident on a network of their own (see `residents.ts`); without one, a resident seen once.
 */
export async function reportAt(t: TestApp, p: { lat: number; lon: number }, opts: ReportOptions = {}) {
  const res = await t.app.request("/api/reports", {
    method: "POST",
    ...json(
      {
        service: opts.service ?? "pothole",
        lat: p.lat,
        lon: p.lon,
        description: opts.description ?? "A deep hole in the road",
        ...(opts.deviceId ? { deviceId: opts.deviceId } : {}),
        ...(opts.contact ? { contact: opts.contact } : {}),
        ...(opts.photoIds ? { photoIds: opts.photoIds } : {}),
      },
      { ...(opts.deviceId ? fromResident(opts.deviceId) : fromSomeResident()), ...opts.headers },
    ),
  });
  // biome-ignore lint/suspicious/noExplicitAny: test bodies are inspected field by field
  return { status: res.status, body: (await res.json()) as any };
}

/** A point `metres` north of another. */
/** A road for the gazetteer's GeoJSON import (`POST /api/admin/places`). */
export const roadFeature = (name_zh: string, name_en: string, pinyin: string, coordinates: number[][]) => ({
  type: "Feature",
  properties: { kind: "road", name_zh, name_en, pinyin },
  geometry: { type: "LineString", coordinates },
});

export const north = (p: { lat: number; lon: number }, metres: number) => ({
  lat: p.lat + metres / 111_195,
  lon: p.lon,
});
/** A point `metres` east of another. */
export const east = (p: { lat: number; lon: number }, metres: number) => ({
  lat: p.lat,
  lon: p.lon + metres / (111_195 * Math.cos((p.lat * Math.PI) / 180)),
});

/** A photo uploaded as a resident's app uploads one (`POST /api/photos`); its id. */
export async function uploadPhoto(t: TestApp, bytes: Uint8Array<ArrayBuffer> = realJpeg()): Promise<string> {
  const res = await t.app.request("/api/photos", {
    method: "POST",
    headers: { "content-type": "image/jpeg" },
    body: bytes,
  });
  if (res.status !== 201) throw new Error(`uploadPhoto: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { photo: { id: string } }).photo.id;
}

/** The intake's statements for a plain report of the `pothole` service at CHANGSHA (no SQL run). */
export async function plainReportStatements(t: TestApp) {
  const service = await findService(t.db, "pothole");
  if (!service) throw new Error("no service");
  return intakeStatements(t.db, {
    ids: {
      report: "r",
      cluster: "c",
      workOrder: "w",
      outbox: "o",
      openedEvent: "e1",
      addedEvent: "e2",
      workOrderEvent: "e3",
    },
    service,
    departmentCode: null,
    areas: [],
    ...CHANGSHA,
    description: "x",
    attributes: {},
    source: "api",
    deviceId: null,
    contact: null,
    reporterKey: "k",
    countKey: "k",
    receiptHash: "h",
    now: 0,
    idempotency: null,
  });
}
