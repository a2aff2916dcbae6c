/**
 * A reporter's rights over how the city may reach them, besides deleting it (`contact-erase`): to
 * see what is kept and to put it right, with the report's receipt, on that report; nobody else
 * may, and nothing of it is cached or public.
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { mailboxKey } from "../src/domain/reporter";
import { makeTestApp, type TestApp } from "./support/app";
import { CHANGSHA, east, makeService, reportAt } from "./support/fixtures";
import { fromResident } from "./support/residents";

const KEY = "rights-test-contact-key-0123456789abcdef";

describe("a reporter sees and puts right how to reach them", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await makeTestApp({ config: { contactKey: KEY } });
    await makeService(t, { code: "pothole", threshold: 3 });
  });
  const call = (method: "POST" | "PATCH", id: string, body: object, who = "rights") =>
    t.app.request(`/api/reports/${id}/contact`, {
      method,
      headers: { "content-type": "application/json", ...fromResident(who) },
      body: JSON.stringify(body),
    });
  const stored = async (id: string) =>
    (await t.db.all<Record<string, string | null>>(sql`SELECT * FROM reports WHERE id = ${id}`))[0];

  it("shows the reporter what is kept, opened, and nobody else", async () => {
    const contact = { name: "Li Wei", email: "li.wei@example.com", phone: "139 0000 1234" };
    const sent = await reportAt(t, east(CHANGSHA, 40), {
      contact,
      deviceId: "app-7",
      headers: fromResident("rights"),
    });
    const other = await reportAt(t, east(CHANGSHA, 42), { headers: fromResident("neighbour") });
    const id = sent.body.report.id as string;
    // Sealed at rest: the database holds none of it as written.
    expect(JSON.stringify(await stored(id))).not.toContain("li.wei@example.com");
    const seen = await call("POST", id, { receipt: sent.body.receipt });
    expect(seen.status).toBe(200);
    expect(seen.headers.get("cache-control")).toBe("no-store");
    expect(await seen.json()).toEqual({ contact: { ...contact, deviceId: "app-7" } });
    expect((await call("POST", id, { receipt: other.body.receipt })).status).toBe(403);
    expect((await call("POST", id, {})).status).toBe(403);
    expect((await call("POST", "nosuchreport", { receipt: sent.body.receipt })).status).toBe(403);
  });

  it("checks a receipt for the web app's private link, opening nothing of the contact", async () => {
    const sent = await reportAt(t, east(CHANGSHA, 44), {
      contact: { email: "check@example.com" },
      headers: fromResident("rights-check"),
    });
    const other = await reportAt(t, east(CHANGSHA, 46), { headers: fromResident("rights-other") });
    const check = (id: string, body: object) =>
      t.app.request(`/api/reports/${id}/receipt/check`, {
        method: "POST",
        headers: { "content-type": "application/json", ...fromResident("rights-check") },
        body: JSON.stringify(body),
      });
    const id = sent.body.report.id as string;
    const good = await check(id, { receipt: sent.body.receipt });
    expect(good.status).toBe(200);
    expect(good.headers.get("cache-control")).toBe("no-store");
    const answer = await good.text();
    expect(JSON.parse(answer)).toEqual({ receipt: { valid: true } });
    expect(answer).not.toContain("check@example.com");
    expect((await check(id, { receipt: other.body.receipt })).status).toBe(403);
    expect((await check(id, {})).status).toBe(403);
    expect((await check(id, { receipt: sent.body.receipt, extra: 1 })).status).toBe(400);
  });

  it("puts right the e-mail on the receipt's report, its mailbox with it, and on no other report of the same key", async () => {
    const contact = { email: "old.address@example.com", phone: "13900005678" };
    const first = await reportAt(t, east(CHANGSHA, 300), { contact, headers: fromResident("mover") });
    const second = await reportAt(t, east(CHANGSHA, 302), { contact, headers: fromResident("mover") });
    const other = await reportAt(t, east(CHANGSHA, 304), {
      contact: { email: "someone.else@example.com" },
      headers: fromResident("neighbour-2"),
    });
    const [a, b] = [first.body.report.id as string, second.body.report.id as string];
    const { reporter_key: reporterKey, count_key: countKey } = (await stored(a)) ?? {};
    const put = await call(
      "PATCH",
      a,
      { receipt: first.body.receipt, email: "New.Address@example.com" },
      "mover",
    );
    expect(put.status).toBe(200);
    expect(await put.json()).toEqual({
      contact: { name: null, email: "New.Address@example.com", phone: "13900005678", deviceId: null },
    });
    const mailbox = await mailboxKey(t.config.reporterSecret, "New.Address@example.com");
    expect((await stored(a))?.contact_mailbox).toBe(mailbox);
    // The other report's key is the same typed address (or, without one, the same network): it
    // proves no person, so a receipt reaches its own report only. That one is put right with its own.
    const seen = await call("POST", b, { receipt: second.body.receipt }, "mover");
    expect((await seen.json()).contact.email).toBe("old.address@example.com");
    expect((await stored(b))?.contact_mailbox).toBe(await mailboxKey(t.config.reporterSecret, contact.email));
    // The reporter is who they were: the problem counts them as before.
    expect((await stored(a))?.reporter_key).toBe(reporterKey);
    expect((await stored(a))?.count_key).toBe(countKey);
    expect(
      (await call("POST", other.body.report.id, { receipt: other.body.receipt }, "neighbour-2")).status,
    ).toBe(200);
    expect((await stored(other.body.report.id))?.contact_mailbox).not.toBe(mailbox);

    // null deletes one field, with the questions not yet sent to the address.
    await t.db.run(sql`INSERT INTO outbox (id, kind, event_id, follow_id, report_id, message, dedupe_key,
        state, attempts, next_attempt_at, created_at)
      VALUES ('ask-rights-1', 'mail', NULL, NULL, ${a}, 'ask', 'ask:rights-1', 'pending', 0, 0, 0),
        ('ask-rights-2', 'mail', NULL, NULL, ${b}, 'ask', 'ask:rights-2', 'pending', 0, 0, 0)`);
    const gone = await call("PATCH", a, { receipt: first.body.receipt, email: null }, "mover");
    expect((await gone.json()).contact).toMatchObject({ email: null, phone: "13900005678" });
    expect((await stored(a))?.contact_mailbox).toBeNull();
    expect((await stored(b))?.contact_mailbox).not.toBeNull();
    expect(await t.db.all(sql`SELECT id FROM outbox WHERE id LIKE 'ask-rights-%'`)).toEqual([
      { id: "ask-rights-2" },
    ]);
  });

  it("refuses a correction that is no e-mail or phone, or corrects nothing, naming it, and changes nothing", async () => {
    const sent = await reportAt(t, east(CHANGSHA, 600), {
      contact: { email: "kept@example.com" },
      headers: fromResident("typo"),
    });
    const id = sent.body.report.id as string;
    const before = await stored(id);
    const bad = await call("PATCH", id, { receipt: sent.body.receipt, email: "not an address" }, "typo");
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.field).toBe("email");
    const phone = await call("PATCH", id, { receipt: sent.body.receipt, phone: "call me" }, "typo");
    expect((await phone.json()).error.field).toBe("phone");
    expect((await call("PATCH", id, { receipt: sent.body.receipt }, "typo")).status).toBe(400);
    expect(await stored(id)).toEqual(before);
  });

  it("keeps nothing to correct where no contact key is set: a 503, and nothing to see", async () => {
    const bare = await makeTestApp({ config: { contactKey: null } });
    await makeService(bare, { code: "pothole", threshold: 3 });
    const sent = await reportAt(bare, CHANGSHA, {
      contact: { email: "x@example.com" },
      headers: fromResident("bare"),
    });
    const req = (method: string, body: object) =>
      bare.app.request(`/api/reports/${sent.body.report.id}/contact`, {
        method,
        headers: { "content-type": "application/json", ...fromResident("bare") },
        body: JSON.stringify({ receipt: sent.body.receipt, ...body }),
      });
    expect(await (await req("POST", {})).json()).toEqual({
      contact: { name: null, email: null, phone: null, deviceId: null },
    });
    const put = await req("PATCH", { email: "y@example.com" });
    expect(put.status).toBe(503);
    expect((await put.json()).error.code).toBe("contact_unavailable");
  });

  it("counts a report typed with someone's number or address as its network, so the count tells nothing of them", async () => {
    const p = east(CHANGSHA, 1200);
    const reporters = async (r: { body: { cluster: { id: string } } }) =>
      (await (await t.app.request(`/api/clusters/${r.body.cluster.id}`)).json()).cluster.reporters;
    const kim = await reportAt(t, p, { contact: { phone: "13511112222" }, headers: fromResident("kim") });
    expect(await reporters(kim)).toBe(1);
    // From another network, one types Kim's number, the other a number nobody used: each counts.
    const guess = await reportAt(t, p, {
      contact: { phone: "135 1111 2222" },
      headers: fromResident("guesser"),
    });
    expect(guess.body.cluster.id).toBe(kim.body.cluster.id);
    expect(await reporters(guess)).toBe(2);
    const control = await reportAt(t, p, {
      contact: { phone: "13699998888" },
      headers: fromResident("control"),
    });
    expect(await reporters(control)).toBe(3);
    // Kim again, from her own network: still counted once.
    await reportAt(t, p, { contact: { phone: "13511112222" }, headers: fromResident("kim") });
    expect(await reporters(kim)).toBe(3);
  });
});
