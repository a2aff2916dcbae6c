/**
 * The call-taker desk: calls filed for callers count by phone number, dispatch like any report,
 * keep the caller private, and can be looked up by the caller's number.
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { hmacSha256Hex } from "../src/domain/crypto";
import { parseLimits } from "../src/domain/rate-limit";
import { makeTestApp, type TestApp } from "./support/app";
import { CHANGSHA, east, makeDepartment, makeService, squareAround } from "./support/fixtures";
import { makeStaff } from "./support/staff";
import { asToken } from "./support/work-orders";

// biome-ignore lint/suspicious/noExplicitAny: test bodies are inspected field by field
const body = async (res: Response | Promise<Response>) => (await (await res).json()) as any;

const CONTACT_KEY = "desk-test-contact-key-0123456789abcdef";

describe("call-taker desk", () => {
  let t: TestApp;
  let desk: string;
  const call = (body: Record<string, unknown>) =>
    t.app.request("/api/desk/reports", { method: "POST", ...asToken(desk, body) });
  const at = (metres: number, phone: string, name = "Old Wang") => ({
    service: "pothole",
    ...east(CHANGSHA, metres),
    description: "The caller says a wheel went into a hole",
    caller: { name, phone },
  });

  beforeAll(async () => {
    t = await makeTestApp({ config: { contactKey: CONTACT_KEY } });
    await makeService(t, { code: "pothole", threshold: 3, ackHours: 24 });
    await makeDepartment(t, { code: "kaifu", services: ["pothole"], area: squareAround(CHANGSHA, 20_000) });
    desk = (await makeStaff(t, "call_taker")).token;
  });

  it("counts callers by phone number, not the desk's network, and dispatches at the threshold", async () => {
    const first = await call(at(0, "+86 139 0000 0001"));
    expect(first.status).toBe(201);
    const a = await body(first);
    expect(a.readOut).toMatchObject({
      joined: 0,
      reporters: 1,
      threshold: 3,
      waitingFor: 2,
      department: { code: "kaifu", name: { en: "kaifu" } },
      workOrderStatus: null,
      ackDueAt: null,
      ackHours: 24,
      // No gazetteer here: nothing names the place.
      place: null,
    });
    // (The number as written or as digits: ids, which sort by time, may hold "0001" themselves.)
    expect(JSON.stringify(a)).not.toMatch(/receipt|Old Wang|139\D?0000\D?0001|8613900000001/);

    // The same phone written otherwise is the same caller: counted once.
    const again = await body(call(at(2, "0086-139-0000-0001 ext. 5")));
    expect(again.readOut).toMatchObject({ joined: 1, reporters: 1, waitingFor: 2 });
    await call(at(4, "+86 139 0000 0002"));
    const third = await body(call(at(6, "+86 139 0000 0003")));
    expect(third.cluster.workOrder).toMatchObject({ status: "dispatched", department: "kaifu" });
    expect(third.readOut).toMatchObject({
      joined: 3,
      reporters: 3,
      waitingFor: 0,
      workOrderStatus: "dispatched",
      department: { code: "kaifu" },
    });
    expect(Date.parse(third.readOut.ackDueAt) - t.clock()).toBe(24 * 3600_000);

    const report = await body(t.app.request(`/api/reports/${a.report.id}`));
    expect(report.report.source).toBe("phone");
    // Sealed at rest, like every reporter's contact.
    const [row] = await t.db.all<Record<string, string>>(
      sql`SELECT contact_name, contact_phone, source FROM reports WHERE id = ${a.report.id}`,
    );
    expect(row?.source).toBe("phone");
    expect(row?.contact_name).not.toContain("Old Wang");
    expect(row?.contact_phone).not.toContain("139");
  });

  it("files a call sent again with its Idempotency-Key once, and refuses the key with another call", async () => {
    const send = (b: Record<string, unknown>, key: string) =>
      t.app.request("/api/desk/reports", {
        method: "POST",
        headers: { ...asToken(desk).headers, "idempotency-key": key },
        body: JSON.stringify(b),
      });
    const call1 = at(4000, "+86 139 0000 0777");
    const first = await send(call1, "desk-call-key-1");
    expect(first.status).toBe(201);
    const filed = await body(first);
    const again = await send(call1, "desk-call-key-1");
    expect(again.status).toBe(201);
    expect((await body(again)).report.id).toBe(filed.report.id);
    const counted = await t.db.all<{ n: number }>(
      sql`SELECT count(*) AS n FROM reports WHERE cluster_id = ${filed.cluster.id}`,
    );
    expect(counted).toEqual([{ n: 1 }]);
    const other = await send({ ...call1, description: "Another call" }, "desk-call-key-1");
    expect(other.status).toBe(422);
    expect((await body(other)).error.field).toBe("Idempotency-Key");
  });

  it("looks a caller's reports up by their number however it is written, with where each stands", async () => {
    const res = await t.app.request(
      `/api/desk/callers/reports?phone=${encodeURIComponent("+86 (139) 0000-0001")}`,
      asToken(desk),
    );
    expect(res.status).toBe(200);
    const { reports } = await body(res);
    expect(reports).toHaveLength(2);
    expect(reports[0]).toMatchObject({
      service: "pothole",
      clusterState: "dispatched",
      workOrder: { status: "dispatched", department: "kaifu" },
    });
    const nobody = await t.app.request("/api/desk/callers/reports?phone=%2B8613900009999", asToken(desk));
    expect(((await nobody.json()) as { reports: unknown[] }).reports).toEqual([]);
    // Words the moderators hid are read back to the caller marked so.
    expect(reports.map((r: { hidden: boolean }) => r.hidden)).toEqual([false, false]);
    await t.db.run(sql`UPDATE reports SET hidden_at = 1 WHERE id = ${reports[0].id}`);
    const after = await body(
      await t.app.request(
        `/api/desk/callers/reports?phone=${encodeURIComponent("+8613900000001")}`,
        asToken(desk),
      ),
    );
    expect(after.reports.map((r: { hidden: boolean }) => r.hidden)).toEqual([true, false]);
    await t.db.run(sql`UPDATE reports SET hidden_at = NULL WHERE id = ${reports[0].id}`);
    // Each look-up is in the audit trail with who made it: one number's by one keyed hash, never the number.
    const looked = await t.db.all<{ subject_id: string; by_name: string }>(
      sql`SELECT subject_id, by_name FROM staff_actions WHERE action = 'desk_caller_lookup' ORDER BY at, rowid`,
    );
    expect(looked).toHaveLength(3);
    expect(looked[0]?.subject_id).toBe(looked[2]?.subject_id);
    expect(looked[1]?.subject_id).not.toBe(looked[0]?.subject_id);
    expect(JSON.stringify(looked)).not.toMatch(/8613900000001|8613900009999/);
  });

  it("takes a number in its national form (trunk 0 and area code, or a mobile) as the same caller", async () => {
    const landline = await body(call(at(3000, "0731-8888-1234", "Grandpa Wu")));
    expect(landline.readOut).toMatchObject({ joined: 0, reporters: 1 });
    const again = await body(call(at(3002, "+86 (0)731 8888 1234", "Grandpa Wu")));
    expect(again.readOut).toMatchObject({ joined: 1, reporters: 1, waitingFor: 2 });
    for (const [filed, asked] of [
      ["0731-8888-1234", "+86 731 8888 1234"],
      ["+86 139 0000 0001", "139 0000 0001"],
    ]) {
      const res = await t.app.request(
        `/api/desk/callers/reports?phone=${encodeURIComponent(asked as string)}`,
        asToken(desk),
      );
      const { reports } = await body(res);
      expect(reports.length, `${filed} looked up as ${asked}`).toBeGreaterThanOrEqual(2);
    }
  });

  it("finds a caller's reports filed before national numbers were read by China's plan, however typed", async () => {
    const landline = await body(call(at(6000, "0731 8888 1299", "Uncle Wang")));
    const mobile = await body(call(at(6100, "138 0013 8123", "Auntie Li")));
    // As the former rule keyed them: digits only (`phone:073188881299`, `phone:13800138123`).
    const former = (digits: string) => hmacSha256Hex(t.config.reporterSecret, `phone:${digits}`);
    await t.db.run(
      sql`UPDATE reports SET reporter_key = ${await former("073188881299")} WHERE id = ${landline.report.id}`,
    );
    await t.db.run(
      sql`UPDATE reports SET reporter_key = ${await former("13800138123")} WHERE id = ${mobile.report.id}`,
    );
    const found = async (typed: string) =>
      (
        await body(
          t.app.request(`/api/desk/callers/reports?phone=${encodeURIComponent(typed)}`, asToken(desk)),
        )
      ).reports.map((r: { id: string }) => r.id);
    for (const typed of ["0731 8888 1299", "+86 731 8888 1299", "0086 (0)731-8888-1299"]) {
      expect(await found(typed)).toContain(landline.report.id);
    }
    for (const typed of ["138 0013 8123", "+86 138 0013 8123", "13800138123"]) {
      expect(await found(typed)).toContain(mobile.report.id);
    }
  });

  it("reads a number typed with full-width digits as the same number, and refuses two numbers run together", async () => {
    // A Chinese input method half switched to full width: the digits had been dropped, and the
    // report keyed under another number, which no lookup of the real one found.
    const typed = await body(call(at(7000, "138０013８777", "Auntie Zhou")));
    expect(typed.report.id).toBeTruthy();
    const found = await body(t.app.request("/api/desk/callers/reports?phone=13800138777", asToken(desk)));
    expect(found.reports.map((r: { id: string }) => r.id)).toContain(typed.report.id);
    const wide = await call(at(7010, "１３８００１３８７７７", "Auntie Zhou"));
    expect(wide.status).toBe(201);
    expect((await body(wide)).readOut).toMatchObject({ reporters: 1, joined: 1 });
    // "Home, or my son's mobile": two numbers would key neither caller.
    const two = await call(at(7100, "0731-8456 7890 或 13787654321（儿子）"));
    expect(two.status).toBe(400);
    expect(await two.json()).toMatchObject({ error: { field: "caller.phone" } });
    const asked = await t.app.request(
      "/api/desk/callers/reports?phone=13900000000&phone=13800138000",
      asToken(desk),
    );
    expect(asked.status).toBe(400);
    // The lookup's answer holds a caller's words under a number: kept by no cache.
    const lookup = await t.app.request("/api/desk/callers/reports?phone=13800138777", asToken(desk));
    expect(lookup.headers.get("cache-control")).toBe("no-store");
  });

  it("tells the caller how many other residents reported it, not how many reports", async () => {
    // One neighbour calls three times, another twice: two other residents, five other reports.
    for (let i = 0; i < 3; i++) await call(at(8000 + i, "+86 139 0000 3001", "Granny Li"));
    for (let i = 0; i < 2; i++) await call(at(8003 + i, "+86 139 0000 3002", "Mr Zhang"));
    const third = await body(call(at(8005, "+86 139 0000 3003", "Auntie Wang")));
    expect(third.readOut).toMatchObject({ joined: 5, reporters: 3, joinedOthers: 2 });
    const again = await body(call(at(8006, "+86 139 0000 3003", "Auntie Wang")));
    expect(again.readOut).toMatchObject({ joined: 6, reporters: 3, joinedOthers: 2 });
  });

  it("refuses a call without the caller's phone or with a bad one, naming the field", async () => {
    const { caller: _c, ...noCaller } = at(10, "x");
    const missing = await call(noCaller);
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: { field: "caller" } });
    const bad = await call(at(10, "call me maybe"));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { field: "caller.phone" } });
    const lookup = await t.app.request("/api/desk/callers/reports?phone=abc", asToken(desk));
    expect(lookup.status).toBe(400);
    expect(await lookup.json()).toMatchObject({ error: { field: "phone" } });
  });

  it("holds a caller's answers to the same bounds as a resident's, writing nothing when refused", async () => {
    await makeService(t, {
      code: "sunken_cover",
      name: { en: "Sunken manhole cover", zh: "井盖下沉" },
      attributes: [
        {
          code: "depth_cm",
          datatype: "number",
          required: false,
          variable: true,
          description: "How deep?",
          order: 1,
          min: 0,
          max: 100,
        },
      ],
    });
    const before = await t.db.all(sql`SELECT id FROM reports`);
    const refused = await call({
      ...at(500, "+86 139 0000 0009"),
      service: "sunken_cover",
      attributes: { depth_cm: -5 },
    });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({
      error: { field: "attributes.depth_cm", message: "attributes.depth_cm: must be at least 0" },
    });
    expect(await t.db.all(sql`SELECT id FROM reports`)).toEqual(before);
    const taken = await call({
      ...at(500, "+86 139 0000 0009"),
      service: "sunken_cover",
      attributes: { depth_cm: 5 },
    });
    expect(taken.status).toBe(201);
  });

  it("leaves a caller's budget whole when the desk's filing is refused, and spends it on each filed call", async () => {
    const small = await makeTestApp({ config: { rateLimits: parseLimits("reports.reporter=2/1d") } });
    await makeService(small, { code: "pothole", threshold: 3 });
    await makeDepartment(small, {
      code: "kaifu",
      services: ["pothole"],
      area: squareAround(CHANGSHA, 20_000),
    });
    const taker = (await makeStaff(small, "call_taker")).token;
    const file = (b: Record<string, unknown>) =>
      small.app.request("/api/desk/reports", { method: "POST", ...asToken(taker, b) });
    const phone = "+86 139 0000 0077";
    // Typed into another city twice, and an unknown service: the call-taker's slips, not the caller's.
    for (const slip of [
      { ...at(0, phone), lat: 39.9, lon: 116.4 },
      { ...at(0, phone), lat: 31.2, lon: 121.5 },
      { ...at(0, phone), service: "no_such_service" },
    ])
      expect((await file(slip)).status).toBe(400);
    expect((await file(at(0, phone))).status).toBe(201);
    expect((await file(at(3, phone))).status).toBe(201);
    const over = await file(at(6, phone));
    expect(over.status).toBe(429);
  });

  it("forgets how to reach a caller who asks: every report under the number, the reports kept, the call-taker in the trail", async () => {
    const phone = "+86 139 0000 0123";
    const filed = [
      await body(call(at(5000, phone, "Aunt Li"))),
      await body(call(at(6000, "0139-0000-0123", "Li"))),
    ];
    const other = await body(call(at(5002, "+86 139 0000 0124", "Uncle Zhou")));
    const kept = (id: string) =>
      t.db.all<{ contact_name: string | null; contact_phone: string | null }>(
        sql`SELECT contact_name, contact_phone FROM reports WHERE id = ${id}`,
      );
    for (const f of filed) expect((await kept(f.report.id))[0]?.contact_phone).not.toBeNull();
    const erase = (b: unknown, token = desk) =>
      t.app.request("/api/desk/callers/contact/erase", { method: "POST", ...asToken(token, b) });
    // Without a number, or one that is not: refused, naming it, nothing deleted.
    for (const bad of [{}, { phone: "not a number" }, { phone, extra: 1 }]) {
      const res = await erase(bad);
      expect(res.status).toBe(400);
      expect((await body(res)).error.field).toBe("extra" in bad ? "extra" : "phone");
    }
    // A resident's or a department's token is not the desk's.
    const dept = (await makeStaff(t, "department", { department: "kaifu" })).token;
    expect((await erase({ phone }, dept)).status).toBe(403);
    for (const f of filed) expect((await kept(f.report.id))[0]?.contact_phone).not.toBeNull();

    expect(await body(erase({ phone: "13900000123" }))).toEqual({ erased: 2 });
    for (const f of filed)
      expect(await kept(f.report.id)).toEqual([{ contact_name: null, contact_phone: null }]);
    expect((await kept(other.report.id))[0]?.contact_phone).not.toBeNull();
    // The reports stay, found and counted as before; asked again, there is nothing left.
    const listed = await body(
      t.app.request(`/api/desk/callers/reports?phone=${encodeURIComponent(phone)}`, asToken(desk)),
    );
    expect(listed.reports).toHaveLength(2);
    expect(await body(erase({ phone }))).toEqual({ erased: 0 });
    const trail = await t.db.all<{ subject_id: string }>(
      sql`SELECT subject_id FROM staff_actions WHERE action = 'desk_caller_contact_erased'`,
    );
    expect(trail).toHaveLength(2);
    expect(JSON.stringify(trail)).not.toMatch(/139\D?0000\D?0123|8613900000123/);
  });
});
