/**
 * A cluster's centre is a running mean, and a mean of 28.18500, 28.18501 and 28.18501 is
 * 28.185006666666666 in floating point: every answer writes it to 7 decimals (about 1 cm), as the
 * exports, Open311 and the webhooks do. The department's list and work order, the admin's list and
 * the map's pins had sent the float noise, so an integrator matching them to an export saw
 * different coordinates for one problem.
 */
import { sql } from "drizzle-orm";
import { beforeAll, expect, it } from "vitest";
import { to7 } from "../src/domain/geo";
import { ADMIN_TOKEN, makeTestApp, type TestApp } from "./support/app";
import { makeDepartment, makeService, reportAt } from "./support/fixtures";
import { asToken, departmentToken } from "./support/work-orders";

let t: TestApp;
let token: string;
let workOrderId: string;

beforeAll(async () => {
  t = await makeTestApp();
  await makeService(t);
  await makeDepartment(t, { code: "roads", services: ["pothole"], fallbackFor: ["pothole"] });
  token = await departmentToken(t, "roads");
  let last: Awaited<ReturnType<typeof reportAt>> | undefined;
  for (const [i, [lat, lon]] of [
    [28.185, 113.0101],
    [28.18501, 113.0101],
    [28.18501, 113.01011],
  ].entries())
    last = await reportAt(
      t,
      { lat: lat as number, lon: lon as number },
      { deviceId: `coordinates-${i}-abcdef` },
    );
  workOrderId = last?.body.cluster.workOrder.id;
  expect(workOrderId).toBeTruthy();
});

/** Every coordinate in an answer: `lat`, `lon` and `long` values and GeoJSON `coordinates`. */
function coordinatesIn(value: unknown, key = ""): number[] {
  if (typeof value === "number") return ["lat", "lon", "long", "coordinates"].includes(key) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((v) => coordinatesIn(v, key));
  if (value && typeof value === "object")
    return Object.entries(value).flatMap(([k, v]) => coordinatesIn(v, k === "geometry" ? key : k));
  return [];
}

it.each([
  ["the department's list", "/api/department/work-orders", "department"],
  ["the department's work order", "/api/department/work-orders/{id}", "department"],
  ["the admin's list", "/api/admin/work-orders", "admin"],
  ["the map's pins", "/api/map?bbox=113.0,28.18,113.02,28.19&zoom=17", "public"],
  ["the map's tile", "/api/map/tiles/16/53340/27416", "public"],
])("writes coordinates to 7 decimals in %s", async (_, path, who) => {
  const headers =
    who === "department" ? asToken(token).headers : who === "admin" ? asToken(ADMIN_TOKEN).headers : {};
  const res = await t.app.request(path.replace("{id}", workOrderId), { headers });
  expect(res.status).toBe(200);
  const coordinates = coordinatesIn(await res.json());
  expect(coordinates.length).toBeGreaterThan(0);
  expect(coordinates.filter((c) => c !== to7(c))).toEqual([]);
  // The mean itself, written as the export writes it.
  expect(coordinates).toContain(28.1850067);
});

it("writes coordinates to 7 decimals in the grid a filter walks live", async () => {
  // 600 clusters in view (past the 300 drawn one by one) with a period and a status: grouped as
  // the rows are read, each cell's centre a mean of them.
  await t.db.run(sql`WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < 600)
    INSERT INTO clusters (id, service_code, lat, lon, state, report_count, reporter_count,
      first_report_at, last_report_at, created_at, updated_at)
    SELECT 'grid' || i, 'pothole', 28.17 + (i % 29) * 0.000137, 112.96 + (i / 29) * 0.000213,
      'open', 1, 1, 0, 0, 0, 0 FROM k`);
  const res = await t.app.request(
    "/api/map?bbox=112.9,28.1,113.1,28.3&zoom=13&status=reported&since=1970-01-01",
  );
  const body = (await res.json()) as { mode: string; features: unknown[] };
  expect(body.mode).toBe("grid");
  const coordinates = coordinatesIn(body);
  expect(coordinates.length).toBeGreaterThan(2);
  expect(coordinates.filter((c) => c !== to7(c))).toEqual([]);
});
