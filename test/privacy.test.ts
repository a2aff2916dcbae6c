import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { loggableError } from "../src/domain/errors";
import { ID_LENGTH } from "../src/domain/ids";
import { makeTestApp, type TestApp } from "./support/app";
import { CHANGSHA, makeDepartment, makeService, reportAt, squareAround } from "./support/fixtures";
import { asToken, departmentToken, move, stillThere } from "./support/work-orders";

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

describe("contact details typed into public words", () => {
  const PHONE = "138 0013 8000";
  const EMAIL = "typed.marker@example.com";
  const NOTE_PHONE = "13900139000";
  const HOTLINE = "0731-8456 1234";
  const ADDRESS_PHONE = "13700137000";
  let t: TestApp;
  let reportId: string;
  let clusterId: string;
  let workOrderId: string;
  let token: string;
  const bodies = new Map<string, string>();

  beforeAll(async () => {
    t = await makeTestApp();
    await makeService(t, { threshold: 2 });
    await makeDepartment(t, { code: "furong", services: ["pothole"], area: squareAround(CHANGSHA, 5000) });
    const description = `Deep hole, please call me on ${PHONE} or write to ${EMAIL}`;
    const first = await reportAt(t, CHANGSHA, { deviceId: "device-typed-1-abcdef", description });
    const second = await reportAt(t, CHANGSHA, {
      deviceId: "device-typed-2-abcdef",
      description: "坑很深 电话13800138000",
    });
    expect(second.status).toBe(201);
    reportId = first.body.report.id;
    clusterId = second.body.cluster.id;
    workOrderId = second.body.cluster.workOrder.id;
    // As an Open311 app's `address_string` keeps it.
    await t.db.run(
      sql`UPDATE reports SET address = ${`Gate 3, call ${ADDRESS_PHONE}`} WHERE id = ${reportId}`,
    );
    token = await departmentToken(t, "furong");
    expect(
      (await move(t, token, workOrderId, { to: "acknowledged", note: `Booked. Questions: ${HOTLINE}` }))
        .status,
    ).toBe(200);
    expect((await move(t, token, workOrderId, { to: "resolved" })).status).toBe(200);
    const again = await stillThere(t, clusterId, first.body.receipt, `Still there! 手机${NOTE_PHONE}`);
    expect(again.status).toBe(200);
    for (const path of [
      `/api/reports/${reportId}`,
      `/api/clusters/${clusterId}`,
      "/api/map?bbox=112.97,28.18,112.99,28.2&zoom=17",
      "/open311/v2/requests.json",
      `/open311/v2/requests/${reportId}.json?extensions=true`,
      "/open311/v2/servicerequestupdates.json?start_date=2020-01-01T00:00:00Z",
      `/api/feeds/clusters/${clusterId}.atom`,
      "/api/feeds/area.atom?bbox=112,28,114,29",
    ]) {
      const res = await t.app.request(path);
      expect(res.status, path).toBe(200);
      bodies.set(path, await res.text());
    }
  });

  it("never shows a phone number or an e-mail address a resident typed, on any public path", () => {
    // Ids are random letters and digits: one holding "0013" (01kjm6jm000013yb…) is no phone number.
    const ids = new RegExp(`\\b[0-9a-z]{${ID_LENGTH}}\\b`, "g");
    for (const [path, body] of bodies) {
      for (const needle of [PHONE, "13800138000", EMAIL, NOTE_PHONE, ADDRESS_PHONE, "0013"])
        expect(body.replace(ids, "<id>"), `${path} shows ${needle}`).not.toContain(needle);
    }
    expect(bodies.get(`/api/reports/${reportId}`)).toContain("call me on *** **** **** or write to ***@***");
    expect(bodies.get(`/api/clusters/${clusterId}`)).toContain(`Still there! 手机${"*".repeat(11)}`);
    for (const path of [
      "/api/map?bbox=112.97,28.18,112.99,28.2&zoom=17",
      "/api/feeds/area.atom?bbox=112,28,114,29",
    ])
      expect(bodies.get(path), path).toContain(`坑很深 电话${"*".repeat(11)}`);
    expect(bodies.get("/open311/v2/servicerequestupdates.json?start_date=2020-01-01T00:00:00Z")).toContain(
      "Still there! 手机*",
    );
  });

  it("keeps a department's own words as written, and the residents' words for the department", async () => {
    expect(bodies.get(`/api/clusters/${clusterId}`)).toContain(HOTLINE);
    const res = await t.app.request(`/api/department/work-orders/${workOrderId}`, asToken(token));
    expect(res.status).toBe(200);
    const staff = await res.text();
    expect(staff).toContain(PHONE);
    expect(staff).toContain(EMAIL);
  });
});
