/**
 * A reporter's right to have their contact deleted: with the report's receipt, the name, e-mail,
 * phone and device id kept (sealed) with that report go, and the "is it fixed?" questions not yet
 * sent with it; the report stays, counted as before. No other report: a reporter key shared by
 * neighbours behind one network, or by whoever typed the same address, proves no person.
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { runDispatch } from "../src/dispatch/run";
import { makeClock, makeTestApp, type TestApp } from "./support/app";
import { CHANGSHA, east, makeDepartment, makeService, reportAt, squareAround } from "./support/fixtures";
import { fromResident } from "./support/residents";
import { departmentToken, move } from "./support/work-orders";

describe("a reporter deletes how to reach them", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp({ config: { contactKey: "erase-test-contact-key-0123456789abcdef" } });
    await makeService(t, { code: "pothole", threshold: 3 });
  });
  const erase = (id: string, receipt: unknown, headers: Record<string, string> = {}) =>
    t.app.request(`/api/reports/${id}/contact/erase`, {
      method: "POST",
      headers: { "content-type": "application/json", ...fromResident("eraser"), ...headers },
      body: JSON.stringify({ receipt }),
    });
  const contactOf = async (id: string) =>
    (
      await t.db.all<Record<string, string | null>>(
        sql`SELECT contact_name, contact_email, contact_phone, contact_mailbox, device_id FROM reports WHERE id = ${id}`,
      )
    )[0];

  it("deletes the contact of the receipt's report, no other report of the same key, and keeps the reports", async () => {
    const p = east(CHANGSHA, 40);
    const contact = { name: "Li Wei", email: "li.wei@example.com", phone: "13900001234" };
    const first = await reportAt(t, p, { contact, headers: fromResident("eraser") });
    const second = await reportAt(t, east(CHANGSHA, 42), { contact, headers: fromResident("eraser") });
    const other = await reportAt(t, east(CHANGSHA, 44), {
      contact: { email: "someone.else@example.com" },
      headers: fromResident("neighbour"),
    });
    expect(first.status).toBe(201);
    expect(Object.values((await contactOf(first.body.report.id)) ?? {}).some((v) => v !== null)).toBe(true);

    // Someone else's receipt, or none: refused, nothing deleted.
    expect((await erase(first.body.report.id, other.body.receipt)).status).toBe(403);
    // As the README and the rating and "still there" answer a missing receipt (it had been a 400 here).
    expect((await erase(first.body.report.id, "")).status).toBe(403);
    expect((await erase(first.body.report.id, undefined)).status).toBe(403);
    expect((await erase(first.body.report.id, 42)).status).toBe(400);
    const done = await erase(first.body.report.id, first.body.receipt);
    expect(done.status).toBe(200);
    expect(await done.json()).toEqual({ contact: { erased: true } });
    expect(await contactOf(first.body.report.id)).toEqual({
      contact_name: null,
      contact_email: null,
      contact_phone: null,
      contact_mailbox: null,
      device_id: null,
    });
    // The same typed address, the same network: one key, but its receipt is the second report's own.
    expect((await contactOf(second.body.report.id))?.contact_email).not.toBeNull();
    expect(await (await erase(second.body.report.id, second.body.receipt)).json()).toEqual({
      contact: { erased: true },
    });
    expect((await contactOf(other.body.report.id))?.contact_email).not.toBeNull();
    // The reports stay on the problem, counted as before; asked again, there is nothing left.
    const cluster = await t.app.request(`/api/clusters/${first.body.cluster.id}`);
    expect(((await cluster.json()) as { cluster: { reports: number } }).cluster.reports).toBe(3);
    expect(await (await erase(first.body.report.id, first.body.receipt)).json()).toEqual({
      contact: { erased: false },
    });
    // Only CivicLoop's own pages and apps may send it.
    expect(
      (await erase(other.body.report.id, other.body.receipt, { "sec-fetch-site": "cross-site" })).status,
    ).toBe(403);
  });

  it("ends the follow the report asked for ('tell me what happens'), its confirmation unsent, and no other", async () => {
    const contact = { email: "hear.back@example.com", updates: true };
    const sent = await reportAt(t, east(CHANGSHA, 1200), { contact, headers: fromResident("hearer") });
    expect(sent.status).toBe(201);
    // Another problem the same address follows is not this report's to end.
    const elsewhere = await reportAt(t, east(CHANGSHA, 2400), { contact, headers: fromResident("hearer") });
    const follows = () =>
      t.db.all<{ cluster_id: string }>(sql`SELECT cluster_id FROM follows ORDER BY cluster_id`);
    const before = await follows();
    expect(before.map((f) => f.cluster_id)).toEqual(
      expect.arrayContaining([sent.body.cluster.id, elsewhere.body.cluster.id]),
    );
    const confirmations = () =>
      t.db.all(sql`SELECT o.id FROM outbox o JOIN follows f ON f.id = o.follow_id
        WHERE f.cluster_id = ${sent.body.cluster.id} AND o.message = 'confirm'`);
    expect(await confirmations()).toHaveLength(1);
    expect((await erase(sent.body.report.id, sent.body.receipt, fromResident("hearer"))).status).toBe(200);
    const after = (await follows()).map((f) => f.cluster_id);
    expect(after).not.toContain(sent.body.cluster.id);
    expect(after).toContain(elsewhere.body.cluster.id);
    expect(
      await t.db.all(
        sql`SELECT 1 FROM outbox WHERE message = 'confirm' AND follow_id NOT IN (SELECT id FROM follows)`,
      ),
    ).toEqual([]);
  });

  it("deletes an 'is it fixed?' question waiting for another try, with its logged attempt (a 500 before)", async () => {
    const sent = await reportAt(t, east(CHANGSHA, 900), {
      contact: { email: "retry.me@example.com" },
      headers: fromResident("retried"),
    });
    const report = sent.body.report.id as string;
    await t.db.run(sql`INSERT INTO outbox (id, kind, event_id, follow_id, report_id, message, dedupe_key,
        state, attempts, next_attempt_at, created_at)
      VALUES ('ask-retry-1', 'mail', NULL, NULL, ${report}, 'ask', 'ask:retry-1', 'pending', 1, 0, 0)`);
    await t.db.run(
      sql`INSERT INTO delivery_attempts (id, outbox_id, at, error) VALUES ('att-1', 'ask-retry-1', 0, 'timeout')`,
    );
    const done = await erase(report, sent.body.receipt, fromResident("retried"));
    expect(done.status).toBe(200);
    expect(await t.db.all(sql`SELECT id FROM outbox WHERE id = 'ask-retry-1'`)).toEqual([]);
    expect((await contactOf(report))?.contact_email).toBeNull();
  });

  it("lets no neighbour on one network, nor one typing the same address, rewrite or erase another's contact", async () => {
    // Two residents behind one carrier's NAT (one network), neither with a device credential.
    const alice = await reportAt(t, east(CHANGSHA, 900), {
      contact: { name: "Alice", email: "alice@example.com" },
      headers: fromResident("one-cgnat"),
    });
    const mallory = await reportAt(t, east(CHANGSHA, 902), { headers: fromResident("one-cgnat") });
    // A third, elsewhere, typing Alice's address as their own.
    const typist = await reportAt(t, east(CHANGSHA, 904), {
      contact: { email: "alice@example.com" },
      headers: fromResident("typist"),
    });
    expect(mallory.body.cluster.id).toBe(alice.body.cluster.id);
    expect(typist.body.cluster.id).toBe(alice.body.cluster.id);
    const rewrite = (r: typeof mallory, from: string) =>
      t.app.request(`/api/reports/${r.body.report.id}/contact`, {
        method: "PATCH",
        headers: { "content-type": "application/json", ...fromResident(from) },
        body: JSON.stringify({ receipt: r.body.receipt, name: "Mallory", email: "mallory@example.com" }),
      });
    expect((await rewrite(mallory, "one-cgnat")).status).toBe(200);
    expect((await rewrite(typist, "typist")).status).toBe(200);
    expect((await erase(mallory.body.report.id, mallory.body.receipt)).status).toBe(200);
    expect((await erase(typist.body.report.id, typist.body.receipt)).status).toBe(200);
    const seen = await t.app.request(`/api/reports/${alice.body.report.id}/contact`, {
      method: "POST",
      headers: { "content-type": "application/json", ...fromResident("one-cgnat") },
      body: JSON.stringify({ receipt: alice.body.receipt }),
    });
    expect((await seen.json()).contact).toMatchObject({ name: "Alice", email: "alice@example.com" });
  });
});

describe("a contact deleted while its 'is it fixed?' mail is being sent", () => {
  it("lets the round finish: the mail's row is gone, and nothing is logged against it", async () => {
    const t = await makeTestApp({
      clock: makeClock("2026-06-01T00:00:00Z"),
      config: { contactKey: "erase-test-contact-key-0123456789abcdef" },
    });
    await makeService(t, { code: "pothole", threshold: 3, askAfterDays: 0 });
    await makeDepartment(t, { code: "roads", services: ["pothole"], area: squareAround(CHANGSHA, 20_000) });
    const sent: Awaited<ReturnType<typeof reportAt>>[] = [];
    for (const n of [1, 2, 3])
      sent.push(
        await reportAt(t, east(CHANGSHA, 10), {
          deviceId: `erase-mid-send-${n}-device`,
          contact: { email: `mid.send.${n}@example.com` },
        }),
      );
    const order = sent[2]?.body.cluster.workOrder.id as string;
    const token = await departmentToken(t, "roads");
    expect((await move(t, token, order, { to: "acknowledged" })).status).toBe(200);
    expect((await move(t, token, order, { to: "resolved" })).status).toBe(200);
    // Each resident, as their mail leaves, deletes their contact (the app's "forget me").
    const mail = async (message: { to: string }) => {
      const r = sent[Number(/mid\.send\.(\d)@/.exec(message.to)?.[1]) - 1];
      const res = await t.app.request(`/api/reports/${r?.body.report.id}/contact/erase`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ receipt: r?.body.receipt }),
      });
      expect(res.status).toBe(200);
    };
    t.clock.advance(60_000);
    await runDispatch(t.db, { now: t.clock(), config: t.config, fetch: globalThis.fetch, senders: { mail } });
    expect(await t.db.all(sql`SELECT id FROM outbox WHERE message = 'ask'`)).toEqual([]);
    expect(
      await t.db.all(sql`SELECT id FROM delivery_attempts WHERE outbox_id NOT IN (SELECT id FROM outbox)`),
    ).toEqual([]);
    // The round went on past the deliveries, to its hourly housekeeping.
    expect(await t.db.all(sql`SELECT 1 FROM settings WHERE key = 'housekeeping_at'`)).toHaveLength(1);
  });
});
