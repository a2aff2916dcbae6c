import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { loggableError } from "../src/domain/errors";
import { makeTestApp, type TestApp } from "./support/app";
import { CHANGSHA, makeDepartment, makeService, reportAt, squareAround } from "./support/fixtures";

/** Values planted in private fields; none may show up in any public answer. */
const PRIVATE = {
  name: "Zhang Privatename",
  email: "private.marker@example.com",
  phone: "+86 138 5555 0199",
  deviceId: "device-private-marker-77",
  address: "203.0.113.77",
};

describe("privacy of reporters", () => {
  let t: TestApp;
  const publicBodies: string[] = [];
  let reporterKeys: string[] = [];

  beforeAll(async () => {
    t = await makeTestApp();
    await makeService(t, { threshold: 2 });
    await makeDepartment(t, { code: "furong", services: ["pothole"], area: squareAround(CHANGSHA, 5000) });
    const headers = { "x-test-client-address": PRIVATE.address };
    const a = await reportAt(t, CHANGSHA, {
      deviceId: PRIVATE.deviceId,
      contact: { name: PRIVATE.name, email: PRIVATE.email, phone: PRIVATE.phone },
      headers,
    });
    const b = await reportAt(t, CHANGSHA, { contact: { email: "second.marker@example.com" }, headers });
    publicBodies.push(JSON.stringify(a.body), JSON.stringify(b.body));
    for (const path of [
      `/api/reports/${a.body.report.id}`,
      `/api/reports/${b.body.report.id}`,
      `/api/clusters/${a.body.cluster.id}`,
      "/api/clusters?bbox=112,28,114,29",
      "/api/services",
      "/api/departments",
      `/api/feeds/clusters/${a.body.cluster.id}.atom`,
      "/api/feeds/area.atom?bbox=112,28,114,29",
      "/api/feeds/departments/furong.atom",
    ]) {
      const res = await t.app.request(path);
      expect(res.status, path).toBe(200);
      publicBodies.push(await res.text());
    }
    reporterKeys = (await t.db.all<{ k: string }>(sql`SELECT reporter_key AS k FROM reports`)).map(
      (r) => r.k,
    );
  });

  it("keeps the contact, device id and client address in the database", async () => {
    const [row] = await t.db.all<Record<string, string>>(
      sql`SELECT contact_email, device_id FROM reports WHERE device_id IS NOT NULL`,
    );
    expect(row).toEqual({ contact_email: PRIVATE.email, device_id: PRIVATE.deviceId });
    expect(reporterKeys).toHaveLength(2);
  });

  it("never shows them, nor the reporter key, in a public answer", () => {
    const needles = [...Object.values(PRIVATE), "second.marker", "5555", ...reporterKeys];
    for (const body of publicBodies) {
      for (const needle of needles) expect(body, `public body leaks ${needle}`).not.toContain(needle);
      expect(body).not.toMatch(/deviceId|device_id|contact|reporter_?key|email|phone/i);
    }
  });

  it("never stores the client address itself", async () => {
    const dump = await t.db.all(sql`SELECT * FROM reports`);
    expect(JSON.stringify(dump)).not.toContain(PRIVATE.address);
  });
});

describe("log lines of unexpected errors", () => {
  it("keep the failed query and the database's message but not the values a reporter sent", async () => {
    const t = await makeTestApp();
    const error = await t.db
      .run(sql`INSERT INTO reports (id, contact_email) VALUES (${"r1"}, ${PRIVATE.email})`)
      .catch((e: unknown) => e);
    // drizzle's own message carries the parameters: exactly what must not reach a log.
    expect(String((error as Error).stack)).toContain(PRIVATE.email);
    const line = loggableError(error);
    expect(line).not.toContain(PRIVATE.email);
    expect(line).toContain("INSERT INTO reports");
    expect(line).toMatch(/NOT NULL constraint failed/);
  });
});
