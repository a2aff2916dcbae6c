/**
 * Contact details are sealed at rest with a key that is not in the database: the stored columns
 * hold no trace of them, the key opens them, another key (or the value moved to another report)
 * does not, and counting residents by e-mail still works (it uses the keyed hash, not the column).
 */
import { existsSync, mkdtempSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { openContact } from "../src/domain/contact-seal";
import { parseEnv } from "../src/env";
import { contactKeyOf } from "../src/node/contact-key";
import { contactOf, sealedContactSample, sealStoredContacts } from "../src/store/contacts";
import { makeTestApp, type TestApp } from "./support/app";
import { CHANGSHA, east, makeDepartment, makeService, reportAt, squareAround } from "./support/fixtures";
import { departmentToken, move, workOrderAt } from "./support/work-orders";

const KEY = "contact-key-for-tests-0123456789abcdef";
const CONTACT = { name: "Li Hua", email: "li.hua@example.org", phone: "+86 138 0000 1234" };

describe("contacts sealed at rest", () => {
  it("stores no readable contact, opens it with the key only, and still keys a resident as one", async () => {
    const t = await makeTestApp({ config: { contactKey: KEY } });
    await makeService(t);
    const first = await reportAt(t, CHANGSHA, { contact: CONTACT });
    const second = await reportAt(t, CHANGSHA, { contact: { email: CONTACT.email } });
    // The reporter key is made from the address before it is sealed.
    const keys = await t.db.all<{ reporter_key: string }>(
      sql`SELECT DISTINCT reporter_key FROM reports WHERE cluster_id = ${first.body.cluster.id}`,
    );
    expect(keys).toHaveLength(1);

    const id = first.body.report.id as string;
    const [row] = await t.db.all<Record<string, string>>(
      sql`SELECT contact_name, contact_email, contact_phone FROM reports WHERE id = ${id}`,
    );
    for (const value of Object.values(row ?? {})) {
      expect(value).toMatch(/^v1\./);
      for (const secret of ["Li Hua", "li.hua", "1234"]) expect(value).not.toContain(secret);
    }
    expect(await contactOf(t.db, KEY, id)).toEqual(CONTACT);
    await expect(contactOf(t.db, "another-key-0123456789-0123456789-xx", id)).rejects.toThrow();
    // A sealed value copied onto another report does not open there.
    const other = second.body.report.id as string;
    await t.db.run(sql`UPDATE reports SET contact_name = ${row?.contact_name} WHERE id = ${other}`);
    await expect(contactOf(t.db, KEY, other)).rejects.toThrow();
  });

  it("seals a report's device id and a rating's comment the same way", async () => {
    const t = await makeTestApp({ config: { contactKey: KEY } });
    await makeService(t, { code: "pothole", threshold: 3 });
    const comment = "Call me on 13800138000 if it comes back";
    const { firstId } = await fixedAndRated(t, east(CHANGSHA, 500), comment);
    const [first] = await t.db.all<{ id: string; device_id: string }>(
      sql`SELECT id, device_id FROM reports WHERE id = ${firstId}`,
    );
    expect(first?.device_id).toMatch(/^v1\./);
    expect(first?.device_id).not.toContain("device-wo");
    expect(await openContact(KEY, firstId, "device_id", first?.device_id ?? "")).toMatch(
      /^device-wo-\d+-abcdef$/,
    );
    const [rating] = await t.db.all<{ comment: string }>(sql`SELECT comment FROM ratings`);
    expect(rating?.comment).toMatch(/^v1\./);
    expect(rating?.comment).not.toContain("13800138000");
    expect(await openContact(KEY, first?.id ?? "", "rating_comment", rating?.comment ?? "")).toBe(comment);
  });

  it("keeps no contact at all when the key is null (a Worker without CONTACT_KEY)", async () => {
    const t = await makeTestApp({ config: { contactKey: null } });
    await makeService(t);
    const { body } = await reportAt(t, CHANGSHA, { contact: CONTACT });
    expect(await contactOf(t.db, KEY, body.report.id)).toEqual({ name: null, email: null, phone: null });
    // Nor the device id, nor a rating's comment, which its answer then does not show as kept.
    const { rated } = await fixedAndRated(t, east(CHANGSHA, 900), "Call me on 13800138000");
    expect(await t.db.all(sql`SELECT device_id FROM reports WHERE device_id IS NOT NULL`)).toEqual([]);
    expect(((await rated.json()) as { rating: { comment: unknown } }).rating.comment).toBeNull();
    expect(await t.db.all(sql`SELECT comment FROM ratings WHERE comment IS NOT NULL`)).toEqual([]);
  });

  it("refuses a report asking to hear back when no contact can be kept, writing nothing (a Worker without CONTACT_KEY)", async () => {
    const t = await makeTestApp({ config: { contactKey: null } });
    await makeService(t);
    const asked = await reportAt(t, CHANGSHA, { contact: { email: CONTACT.email, updates: true } });
    expect(asked.status).toBe(503);
    expect(asked.body.error).toMatchObject({ code: "follows_unavailable", field: "contact.updates" });
    expect(await t.db.all(sql`SELECT id FROM reports`)).toEqual([]);
    // Without asking, the same report is taken (its contact not kept).
    expect((await reportAt(t, CHANGSHA, { contact: { email: CONTACT.email } })).status).toBe(201);
  });

  it("seals, once, what an earlier release kept in the clear (a database upgraded from before sealing)", async () => {
    // No key: stored as given, as a release before contacts were sealed stored them.
    const t = await makeTestApp();
    await makeService(t, { code: "pothole", threshold: 3 });
    const filed = await reportAt(t, CHANGSHA, { contact: CONTACT });
    await fixedAndRated(t, east(CHANGSHA, 500), "Call me on 13800138000");
    const stored = () =>
      t.db.all<Record<string, string | null>>(sql`SELECT r.id, r.device_id, r.contact_name, r.contact_email,
        r.contact_phone, g.comment FROM reports r LEFT JOIN ratings g ON g.report_id = r.id ORDER BY r.rowid`);
    const before = await stored();
    expect(JSON.stringify(before)).toContain("li.hua@example.org");

    expect(await sealStoredContacts(t.db, KEY)).toBe(5);
    const after = await stored();
    for (const row of after)
      for (const [column, value] of Object.entries(row))
        if (column !== "id" && value !== null) expect(value, column).toMatch(/^v1\./);
    expect(JSON.stringify(after)).not.toMatch(/li\.hua|13800138000|device-wo/);
    expect(await contactOf(t.db, KEY, filed.body.report.id)).toEqual(CONTACT);
    for (const [i, row] of after.entries()) {
      const was = before[i] as Record<string, string | null>;
      if (row.device_id)
        expect(await openContact(KEY, row.id ?? "", "device_id", row.device_id)).toBe(was.device_id);
      if (row.comment)
        expect(await openContact(KEY, row.id ?? "", "rating_comment", row.comment)).toBe(was.comment);
    }
    // Once: a later start reads no table again and changes nothing.
    expect(await sealStoredContacts(t.db, KEY)).toBe(0);
    expect(await stored()).toEqual(after);
  });

  it("seals nothing with a key that does not open what is sealed already (it would lock them away)", async () => {
    const t = await makeTestApp({ config: { contactKey: KEY } });
    await makeService(t);
    await reportAt(t, CHANGSHA, { contact: CONTACT });
    const plain = (await reportAt(t, CHANGSHA, { contact: { email: "b@example.org" } })).body.report
      .id as string;
    await t.db.run(sql`UPDATE reports SET contact_email = 'b@example.org' WHERE id = ${plain}`);
    expect(await sealStoredContacts(t.db, "a-mistyped-contact-key-0123456789abcd")).toBe(0);
    expect(await contactOf(t.db, KEY, plain)).toEqual({ name: null, email: "b@example.org", phone: null });
    // Started again with the right key, it seals them.
    expect(await sealStoredContacts(t.db, KEY)).toBe(1);
    const [row] = await t.db.all<{ e: string }>(
      sql`SELECT contact_email AS e FROM reports WHERE id = ${plain}`,
    );
    expect(row?.e).toMatch(/^v1\./);
    expect(await contactOf(t.db, KEY, plain)).toEqual({ name: null, email: "b@example.org", phone: null });
  });

  it("on Node makes a key file beside the database once, readable by its owner only", async () => {
    const dir = mkdtempSync(join(tmpdir(), "civicloop-key-"));
    const env = parseEnv({ DATABASE_URL: `file:${join(dir, "c.db")}` });
    const lines: string[] = [];
    const log = (l: string) => lines.push(l);
    const [a, b] = await Promise.all([contactKeyOf(env, log, nothing), contactKeyOf(env, log, nothing)]);
    expect(a).toMatch(/^[0-9a-f]{64}$/);
    expect(b).toBe(a);
    expect(await contactKeyOf(env, () => {}, nothing)).toBe(a);
    expect(statSync(join(dir, "contact.key")).mode & 0o777).toBe(0o600);
    expect(lines).toEqual([expect.stringContaining("contact.key")]);
    expect(await contactKeyOf({ ...env, CONTACT_KEY: KEY }, () => {}, nothing)).toBe(KEY);
  });

  it("will not make a new key file over contacts sealed with a lost one, and says when a key opens none", async () => {
    const t = await makeTestApp({ config: { contactKey: KEY } });
    await makeService(t);
    await reportAt(t, CHANGSHA, { contact: CONTACT });
    const sample = () => sealedContactSample(t.db);
    expect(await sample()).toMatchObject({ field: expect.stringMatching(/^contact_/) });
    // A restore without its contact.key: the server does not start on a key of its own.
    const dir = mkdtempSync(join(tmpdir(), "civicloop-key-"));
    const env = parseEnv({ DATABASE_URL: `file:${join(dir, "restored.db")}` });
    await expect(contactKeyOf(env, () => {}, sample)).rejects.toThrow(/contact\.key is missing.+CONTACT_KEY/);
    expect(existsSync(join(dir, "contact.key"))).toBe(false);
    // The right key opens them quietly; another is said loudly.
    const said: string[] = [];
    expect(await contactKeyOf({ ...env, CONTACT_KEY: KEY }, (l) => said.push(l), sample)).toBe(KEY);
    expect(said).toEqual([]);
    const other = "another-contact-key-0123456789-abcdefgh";
    expect(await contactKeyOf({ ...env, CONTACT_KEY: other }, (l) => said.push(l), sample)).toBe(other);
    expect(said).toEqual([expect.stringMatching(/^WARNING: the contact key does not open/)]);
  });
});

const nothing = async () => null;

/**
 * A pothole's work order (by three residents) fixed by its department, and its first reporter's
 * rating with a comment: the first report's id and the rating's answer.
 */
async function fixedAndRated(t: TestApp, at: { lat: number; lon: number }, comment: string) {
  await makeDepartment(t, { code: "roads", services: ["pothole"], area: squareAround(CHANGSHA, 100_000) });
  const roads = await departmentToken(t, "roads");
  const p = await workOrderAt(t, at);
  for (const to of ["acknowledged", "resolved"])
    expect((await move(t, roads, p.id, { to })).status).toBe(200);
  const [first] = await t.db.all<{ id: string }>(
    sql`SELECT id FROM reports WHERE cluster_id = ${p.clusterId} ORDER BY rowid LIMIT 1`,
  );
  const rated = await t.app.request(`/api/reports/${first?.id}/rating`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ receipt: p.receipts[0], stars: 2, comment }),
  });
  expect(rated.status).toBe(201);
  return { firstId: first?.id ?? "", rated };
}
