/**
 * A report's areas are decided from a cached copy of the departments' areas; when another process
 * changes an area after the copy was read, the intake's batch sees `area_version` moved and
 * decides them again in SQL, so no report or cluster counts for good where an area used to be.
 * So are the road cells a phone drives for the first time (a sensor upload).
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { roadCellOf } from "../src/domain/road-cells";
import { freshRoadCellsSql } from "../src/store/area-rollup-sql";
import { makeTestApp } from "./support/app";
import { CHANGSHA, east, makeDepartment, makeService, reportAt, squareAround } from "./support/fixtures";
import { SENSOR, upload } from "./support/sensor";

/** A round area of `corners` corners (GeoJSON: lon, lat) around a point. */
const roundArea = (p: { lat: number; lon: number }, radiusDeg: number, corners: number) => {
  const ring = Array.from({ length: corners }, (_, i) => {
    const a = (2 * Math.PI * i) / corners;
    return [p.lon + radiusDeg * Math.cos(a), p.lat + radiusDeg * Math.sin(a)];
  });
  return { type: "Polygon" as const, coordinates: [[...ring, ring[0] as number[]]] };
};

/** Cells on a grid of `n` × `n` points `step` degrees apart around a point, as a phone names them. */
const cellsAround = (p: { lat: number; lon: number }, n: number, step: number) =>
  Array.from({ length: n * n }, (_, i) =>
    roadCellOf({ lat: p.lat + (Math.floor(i / n) - n / 2) * step, lon: p.lon + ((i % n) - n / 2) * step }),
  );

describe("areas decided at intake", () => {
  it("follow an area changed by another process since the intake cached the areas", async () => {
    const t = await makeTestApp();
    await makeService(t, { threshold: 5 });
    await makeDepartment(t, { code: "west", services: ["pothole"], area: squareAround(CHANGSHA, 2_000) });
    // The first report caches the catalog, areas and version included.
    const first = await reportAt(t, CHANGSHA, { deviceId: "device-area-1-abcdef" });
    expect(first.status).toBe(201);

    // Another process (raw SQL on this file: no cache of this handle is told) moves the area 5 km east.
    const far = east(CHANGSHA, 5_000);
    await t.db.run(
      sql`UPDATE departments SET area = ${JSON.stringify(squareAround(far, 2_000))} WHERE code = 'west'`,
    );
    const second = await reportAt(t, far, { deviceId: "device-area-2-abcdef" });
    expect(second.status).toBe(201);

    const areasOf = async (table: "reports" | "clusters", id: string) =>
      (await t.db.all<{ areas: string }>(sql`SELECT areas FROM ${sql.raw(table)} WHERE id = ${id}`))[0]
        ?.areas;
    expect(await areasOf("reports", second.body.report.id)).toBe('["west"]');
    expect(await areasOf("clusters", second.body.cluster.id)).toBe('["west"]');
    // The first report left the area when it moved (the area trigger), the second is in it.
    expect(await areasOf("reports", first.body.report.id)).toBe("[]");
    const [counted] = await t.db.all<{ n: number }>(
      sql`SELECT sum(reports) AS n FROM area_blocks WHERE department_code = 'west' AND level = 0`,
    );
    expect(counted?.n).toBe(1);
  });

  it("place the road cells a phone drives first in a detailed area as SQL would, and follow an area changed since", async () => {
    const t = await makeTestApp();
    await makeService(t, { sensor: SENSOR });
    await makeDepartment(t, { code: "ring", services: ["pothole"], area: roundArea(CHANGSHA, 0.01, 500) });
    const first = await upload(t, {
      deviceId: "phone-ring-1-abcdef",
      events: [],
      cells: cellsAround(CHANGSHA, 24, 0.001),
    });
    expect(first.status).toBe(202);
    const cells = () => t.db.all(sql`SELECT lat_index, lon_index, areas FROM road_cells ORDER BY 1, 2`);
    const fresh = () =>
      t.db.all(sql.raw(`SELECT lat_index, lon_index, areas FROM (${freshRoadCellsSql}) ORDER BY 1, 2`));
    const placed = await cells();
    expect(placed).toHaveLength(576);
    expect(placed).toEqual(await fresh());
    const inside = placed.filter((c) => (c as { areas: string }).areas === '["ring"]').length;
    expect(inside).toBeGreaterThan(100);
    expect(inside).toBeLessThan(576);

    // Another process moves the area 5 km east; this handle's copy still has it where it was.
    const far = east(CHANGSHA, 5_000);
    await t.db.run(
      sql`UPDATE departments SET area = ${JSON.stringify(roundArea(far, 0.01, 500))} WHERE code = 'ring'`,
    );
    const second = await upload(t, {
      deviceId: "phone-ring-2-abcdef",
      events: [],
      cells: cellsAround(far, 10, 0.001),
    });
    expect(second.status).toBe(202);
    const moved = await cells();
    expect(moved).toEqual(await fresh());
    expect(moved.filter((c) => (c as { areas: string }).areas === '["ring"]').length).toBe(100);
  });
});
