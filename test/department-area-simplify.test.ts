/**
 * A department's area pasted as a survey or a GIS exports it: far more corners than routing needs.
 * Over `MAX_AREA_CORNERS` it is simplified with the least tolerance that brings it within them,
 * stays within that tolerance of the boundary given, still routes reports, and a body that large
 * is read only for the admin.
 */
import { describe, expect, it } from "vitest";
import { ringFault } from "../src/domain/ring";
import { cornerCount, MAX_AREA_CORNERS, simplifyArea } from "../src/domain/simplify-area";
import { ADMIN_TOKEN, makeTestApp } from "./support/app";
import { asAdmin, CHANGSHA, makeService, squareAround } from "./support/fixtures";

type Position = [number, number];
const M = 111_195;

/** A wobbly circle of `n` corners around `c`, as a surveyed boundary is (closed). */
function surveyed(c: { lat: number; lon: number }, radiusM: number, n: number): Position[] {
  const k = Math.cos((c.lat * Math.PI) / 180);
  const ring: Position[] = [];
  for (let i = 0; i < n; i++) {
    const a = (2 * Math.PI * i) / n;
    const r = radiusM * (1 + 0.05 * Math.sin(7 * a) + 0.002 * Math.sin(997 * a));
    ring.push([c.lon + (r * Math.cos(a)) / (M * k), c.lat + (r * Math.sin(a)) / M]);
  }
  ring.push(ring[0] as Position);
  return ring;
}

/** A comb: `teeth` spikes of `spikeM` around a circle of `radiusM`, too many and too far apart to drop. */
function comb(c: { lat: number; lon: number }, radiusM: number, teeth: number, spikeM: number): Position[] {
  const k = Math.cos((c.lat * Math.PI) / 180);
  const ring: Position[] = [];
  for (let i = 0; i < 2 * teeth; i++) {
    const a = (Math.PI * i) / teeth;
    const r = radiusM + (i % 2) * spikeM;
    ring.push([c.lon + (r * Math.cos(a)) / (M * k), c.lat + (r * Math.sin(a)) / M]);
  }
  ring.push(ring[0] as Position);
  return ring;
}

/** Metres from `p` to the nearest edge of `ring`, flat-earth around `p`. */
function distanceM(p: Position, ring: Position[]): number {
  const k = Math.cos((p[1] * Math.PI) / 180) * M;
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i + 1 < ring.length; i++) {
    const [a, b] = [ring[i] as Position, ring[i + 1] as Position];
    const [ax, ay, bx, by] = [(a[0] - p[0]) * k, (a[1] - p[1]) * M, (b[0] - p[0]) * k, (b[1] - p[1]) * M];
    const [dx, dy] = [bx - ax, by - ay];
    const t = Math.max(0, Math.min(1, -(ax * dx + ay * dy) / (dx * dx + dy * dy || 1)));
    best = Math.min(best, Math.hypot(ax + t * dx, ay + t * dy));
  }
  return best;
}

describe("a department's area with more corners than routing needs", () => {
  it("is simplified with the least tolerance that fits, staying within it and bounding an area", () => {
    const ring = surveyed(CHANGSHA, 3000, 20_000);
    const small = { type: "Polygon" as const, coordinates: [surveyed(CHANGSHA, 3000, 400)] };
    expect(simplifyArea(small)).toEqual({ area: small, toleranceM: 0 });

    const done = simplifyArea({ type: "Polygon", coordinates: [ring] });
    if (!done) throw new Error("not simplified");
    const [out] = done.area.coordinates as Position[][];
    expect(cornerCount([out as Position[]])).toBeLessThanOrEqual(MAX_AREA_CORNERS);
    expect(cornerCount([out as Position[]])).toBeGreaterThan(10);
    expect(done.toleranceM).toBeGreaterThan(0);
    expect(done.toleranceM).toBeLessThanOrEqual(8);
    expect(ringFault(out as Position[])).toBeNull();
    for (let i = 0; i < ring.length; i += 97)
      expect(distanceM(ring[i] as Position, out as Position[])).toBeLessThanOrEqual(done.toleranceM + 0.01);

    // An area whose features are too many and too far apart for 128 m is not simplified.
    const teeth = comb(CHANGSHA, 120_000, 1300, 3000);
    expect(simplifyArea({ type: "MultiPolygon", coordinates: [[teeth]] })).toBeNull();
  });

  it("refuses a zigzag drawn to defeat the simplification at a bound on its work, rather than holding the server", () => {
    // Each pass of Douglas–Peucker peels one corner off: n² distances (40,000 corners took 137 s).
    const zigzag: Position[] = [];
    for (let i = 0; i < 40_000; i++) zigzag.push([112.9 + i * 1e-6, i % 2 ? 28.3 : 28.1 + i * 1e-7]);
    zigzag.push([112.9, 28.0], zigzag[0] as Position);
    expect(simplifyArea({ type: "Polygon", coordinates: [zigzag] })).toBeNull();
  });

  it("is read for the admin, stored simplified and routes reports; nobody else makes the server read it", async () => {
    const t = await makeTestApp();
    await makeService(t, { code: "pothole", threshold: 2 });
    const area = { type: "Polygon", coordinates: [surveyed(CHANGSHA, 3000, 20_000)] };
    const body = { code: "yuelu", name: { en: "Yuelu", zh: "岳麓" }, services: ["pothole"], area };
    expect(JSON.stringify(body).length).toBeGreaterThan(400_000);

    const stranger = await t.app.request("/api/admin/departments", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(stranger.status).toBe(401);

    const made = await t.app.request("/api/admin/departments", { method: "POST", ...asAdmin(body) });
    expect(made.status).toBe(201);
    const stored = ((await made.json()) as { department: { area: { coordinates: Position[][] } } }).department
      .area;
    expect(cornerCount(stored.coordinates)).toBeLessThanOrEqual(MAX_AREA_CORNERS);
    const routed = await t.app.request(
      `/api/routing?service=pothole&lat=${CHANGSHA.lat}&lon=${CHANGSHA.lon}`,
    );
    expect(((await routed.json()) as { department: string | null }).department).toBe("yuelu");

    // Replaced the same way; a small area is kept exactly as given.
    const square = squareAround(CHANGSHA, 2000);
    const replaced = await t.app.request("/api/admin/departments/yuelu", {
      method: "PUT",
      ...asAdmin({ ...body, area: square }),
    });
    expect(replaced.status).toBe(200);
    expect(((await replaced.json()) as { department: { area: unknown } }).department.area).toEqual(square);

    const refused = await t.app.request("/api/admin/departments/yuelu", {
      method: "PUT",
      ...asAdmin({ ...body, area: { type: "Polygon", coordinates: [comb(CHANGSHA, 120_000, 1300, 3000)] } }),
    });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { field: string; message: string } }).error).toMatchObject({
      field: "area",
      message: expect.stringMatching(/over 2500 corners even simplified/),
    });

    // A GIS tool's Feature, sent whole: the answer says to send its geometry.
    const feature = await t.app.request("/api/admin/departments/yuelu", {
      method: "PUT",
      ...asAdmin({ ...body, area: { type: "Feature", properties: {}, geometry: square } }),
    });
    expect(feature.status).toBe(400);
    expect(((await feature.json()) as { error: { field: string; message: string } }).error).toMatchObject({
      field: "area.type",
      message: expect.stringContaining('"geometry", not the Feature itself'),
    });

    const huge = await t.app.request("/api/admin/departments", {
      method: "POST",
      headers: {
        authorization: `Bearer ${ADMIN_TOKEN}`,
        "content-type": "application/json",
        "content-length": String(5 * 1024 * 1024),
      },
      body: "{}",
    });
    expect(huge.status).toBe(413);
  });
});
