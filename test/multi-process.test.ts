import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../src/node/database";
import { ADMIN_TOKEN, LOCAL_PROXIES } from "./support/app";
import { CHANGSHA, POTHOLE_SERVICE, squareAround } from "./support/fixtures";
import { fromResident } from "./support/residents";
import { type ServerProcess, startServerProcess } from "./support/server-process";

describe("two server processes sharing one database file", () => {
  const dir = mkdtempSync(join(tmpdir(), "civicloop-multi-"));
  // The 100 devices are 100 residents on this machine, each through the local "proxy" from its
  // own network (X-Forwarded-For; test/support/residents.ts).
  const env = {
    DATABASE_URL: `file:${join(dir, "city.db")}`,
    ADMIN_TOKEN,
    DEMO_DATA: "false",
    TRUSTED_PROXIES: LOCAL_PROXIES,
  };
  let servers: ServerProcess[] = [];

  beforeAll(async () => {
    // Started together on a fresh file: both migrate it at once.
    servers = await Promise.all([startServerProcess(env), startServerProcess(env)]);
  });
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
  });

  const post = (
    base: string,
    path: string,
    body: unknown,
    admin = false,
    from: Record<string, string> = {},
  ) =>
    fetch(`${base}${path}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...from,
        ...(admin ? { authorization: `Bearer ${ADMIN_TOKEN}` } : {}),
      },
      body: JSON.stringify(body),
    });

  it("make one cluster, one work order and one outbox row from 500 concurrent reports by 100 devices", async () => {
    const [a, b] = servers.map((s) => s.url) as [string, string];
    const service = POTHOLE_SERVICE;
    expect((await post(a, "/api/admin/services", service, true)).status).toBe(201);
    const dept = {
      code: "furong",
      name: { en: "Furong", zh: "芙蓉" },
      services: ["pothole"],
      area: squareAround(CHANGSHA, 5000),
    };
    expect((await post(b, "/api/admin/departments", dept, true)).status).toBe(201);

    const answers = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        post(
          i % 2 ? a : b,
          "/api/reports",
          {
            service: "pothole",
            lat: CHANGSHA.lat + (i % 5) * 1e-5,
            lon: CHANGSHA.lon,
            description: `report ${i}`,
            deviceId: `device-${i % 100}-multi`,
          },
          false,
          fromResident(`device-${i % 100}-multi`),
        ),
      ),
    );
    const statuses = answers.map((r) => r.status);
    expect(
      statuses.filter((s) => s !== 201),
      servers.map((s) => s.output()).join("\n"),
    ).toEqual([]);

    const { client, db } = await openDatabase(env.DATABASE_URL);
    const [row] = await db.all<Record<string, number>>(sql`SELECT
      (SELECT count(*) FROM reports) AS reports, (SELECT count(*) FROM clusters) AS clusters,
      (SELECT count(*) FROM work_orders) AS workOrders, (SELECT count(*) FROM outbox WHERE report_id IS NULL) AS outbox,
      (SELECT reporter_count FROM clusters) AS reporters, (SELECT report_count FROM clusters) AS clusterReports,
      (SELECT count(*) FROM cluster_reporters) AS reporterRows`);
    client.close();
    expect(row).toEqual({
      reports: 500,
      clusters: 1,
      workOrders: 1,
      outbox: 1,
      reporters: 100,
      clusterReports: 500,
      reporterRows: 100,
    });
  });
});
