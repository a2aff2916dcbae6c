/** The Street Bump rule across two server processes sharing one database file. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../src/node/database";
import { ADMIN_TOKEN, LOCAL_PROXIES } from "./support/app";
import { CHANGSHA, north, POTHOLE_SERVICE, squareAround } from "./support/fixtures";
import { fromResident } from "./support/residents";
import { SENSOR } from "./support/sensor";
import { type ServerProcess, startServerProcess } from "./support/server-process";

describe("road spots confirmed by phones uploading to two server processes", () => {
  const dir = mkdtempSync(join(tmpdir(), "civicloop-sensor-multi-"));
  // 50 phones from this one machine, each from a network of its own (`fromResident`).
  const env = {
    DATABASE_URL: `file:${join(dir, "city.db")}`,
    ADMIN_TOKEN,
    DEMO_DATA: "false",
    TRUSTED_PROXIES: LOCAL_PROXIES,
  };
  let servers: ServerProcess[] = [];
  beforeAll(async () => {
    servers = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  const post = (base: string, path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });

  it("file exactly one report and one work order when 50 phones' batches arrive at once", async () => {
    const [a, b] = servers.map((s) => s.url) as [string, string];
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const service = { ...POTHOLE_SERVICE, sensor: SENSOR };
    expect((await post(a, "/api/admin/services", service, admin)).status).toBe(201);
    const dept = {
      code: "roads",
      name: { en: "Roads", zh: "道路" },
      services: ["pothole"],
      area: squareAround(CHANGSHA, 5000),
    };
    expect((await post(b, "/api/admin/departments", dept, admin)).status).toBe(201);

    const at = new Date().toISOString();
    const answers = await Promise.all(
      Array.from({ length: 50 }, (_, i) => {
        const p = north(CHANGSHA, (i % 5) - 2);
        const event = { at, ...p, accuracyM: 4, speedMps: 12, headingDeg: 0, kind: "pothole", score: 0.9 };
        return post(
          i % 2 ? a : b,
          "/api/sensor/batches",
          { deviceId: `phone-${i}`, events: [event] },
          { "idempotency-key": `batch-${i}`, ...fromResident(`phone-${i}`) },
        );
      }),
    );
    expect(
      answers.map((r) => r.status).filter((s) => s !== 202),
      servers.map((s) => s.output()).join("\n"),
    ).toEqual([]);

    const { client, db } = await openDatabase(env.DATABASE_URL);
    const [row] = await db.all<Record<string, number>>(sql`SELECT
      (SELECT count(*) FROM road_spots) AS spots, (SELECT devices FROM road_spots) AS devices,
      (SELECT count(*) FROM reports WHERE source = 'sensor') AS reports, (SELECT count(*) FROM clusters) AS clusters,
      (SELECT count(*) FROM work_orders) AS workOrders, (SELECT count(*) FROM outbox) AS outbox,
      (SELECT count(*) FROM road_spots WHERE report_id IS NOT NULL AND cluster_id IS NOT NULL) AS linked`);
    client.close();
    expect(row).toEqual({
      spots: 1,
      devices: 50,
      reports: 1,
      clusters: 1,
      workOrders: 1,
      outbox: 1,
      linked: 1,
    });
  });
});
