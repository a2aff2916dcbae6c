/**
 * Contacts are kept no longer than their purpose: a report's name, e-mail, phone and app's device
 * id go once its problem has been over for the retention's days (fixed or closed, or never sent to
 * a department and left), through the background round; a problem still being worked on keeps
 * them however old, and the reports themselves stay.
 */
import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { runDispatch } from "../src/dispatch/run";
import { parseEnv } from "../src/env";
import { claimHour } from "../src/store/hourly";
import { makeClock, makeTestApp, type TestApp } from "./support/app";
import {
  asAdmin,
  CHANGSHA,
  east,
  makeDepartment,
  makeService,
  reportAt,
  squareAround,
} from "./support/fixtures";
import { departmentToken, move } from "./support/work-orders";

const DAY = 86_400_000;
const T0 = Date.parse("2026-06-01T00:00:00Z");

/** Reports from `n` residents of their own at a point, each leaving how to reach them. */
async function reportsWithContact(t: TestApp, p: { lat: number; lon: number }, n: number, tag: string) {
  const sent = [];
  for (let i = 0; i < n; i++) {
    const r = await reportAt(t, p, {
      deviceId: `retention-${tag}-${i}-device`,
      contact: {
        name: `Resident ${tag}${i}`,
        email: `${tag}${i}@example.com`,
        phone: `1390000${tag.length}${i}00`,
      },
    });
    expect(r.status).toBe(201);
    sent.push({ id: r.body.report.id as string, receipt: r.body.receipt as string, cluster: r.body.cluster });
  }
  return sent;
}

type Sent = { id: string; receipt: string };

/** What the reporter is shown as kept, with their receipt (`POST /api/reports/:id/contact`). */
async function keptFor(t: TestApp, report: Sent) {
  const res = await t.app.request(`/api/reports/${report.id}/contact`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ receipt: report.receipt }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { contact: Record<string, string | null> }).contact;
}

const NOTHING = { name: null, email: null, phone: null, deviceId: null };

/** A city whose pothole service asks and gathers as given, its department's token, and a background round. */
async function city(service: { askAfterDays: number; windowDays: number }) {
  const t = await makeTestApp({
    clock: makeClock(T0),
    config: { contactKey: "retention-test-contact-key-0123456789abcdef" },
  });
  await makeService(t, { code: "pothole", threshold: 3, ...service });
  await makeDepartment(t, { code: "roads", services: ["pothole"], area: squareAround(CHANGSHA, 20_000) });
  const token = await departmentToken(t, "roads");
  const round = () => runDispatch(t.db, { now: t.clock(), config: t.config, fetch: globalThis.fetch });
  return { t, token, round };
}

describe("reporters' contacts are deleted once their problem has been over for the retention's days", () => {
  it("clears fixed and abandoned problems' contacts 90 days after they ended, keeps those of work still open", async () => {
    // Asked "is it fixed?" 3 days after the fix; reports gathered over 30 days.
    const { t, token, round } = await city({ askAfterDays: 3, windowDays: 30 });

    const fixed = await reportsWithContact(t, east(CHANGSHA, 0), 3, "f");
    const working = await reportsWithContact(t, east(CHANGSHA, 1000), 3, "w");
    const fixedOrder = fixed[2]?.cluster.workOrder.id as string;
    const workingOrder = working[2]?.cluster.workOrder.id as string;
    expect((await move(t, token, workingOrder, { to: "acknowledged" })).status).toBe(200);
    t.clock.set(T0 + 5 * DAY);
    expect((await move(t, token, fixedOrder, { to: "acknowledged" })).status).toBe(200);
    expect((await move(t, token, fixedOrder, { to: "resolved" })).status).toBe(200);
    // Never sent on: it ends when its 30 days to gather reports do.
    const [left] = await reportsWithContact(t, east(CHANGSHA, 2000), 1, "l");
    expect(await keptFor(t, fixed[0] as Sent)).toMatchObject({
      name: "Resident f0",
      email: "f0@example.com",
    });

    // 89 days after the fixed problem's question fell due (day 8): not yet.
    t.clock.set(T0 + 97 * DAY);
    await round();
    expect(await keptFor(t, fixed[1] as Sent)).toMatchObject({ email: "f1@example.com" });
    // Within the hour the round above claimed, no other round reads them again.
    expect(await claimHour(t.db, "housekeeping_at", t.clock() + 1000)).toBe(false);
    // A process whose clock ran a day fast claimed it: the others take it back at once, or the
    // housekeeping would stop everywhere for that day.
    expect(await claimHour(t.db, "housekeeping_at", t.clock() + DAY)).toBe(true);
    expect(await claimHour(t.db, "housekeeping_at", t.clock() + 1000)).toBe(true);
    expect(await claimHour(t.db, "housekeeping_at", t.clock() + 2000)).toBe(false);

    // 91 days after: the fixed problem's are gone; the one still within 90 days of its window's end
    // (day 35) and the open work's stay.
    t.clock.set(T0 + 99 * DAY);
    await round();
    for (const r of fixed) expect(await keptFor(t, r)).toEqual(NOTHING);
    expect(
      await t.db.all(sql`SELECT id FROM reports WHERE contact_mailbox IS NOT NULL
        AND id IN (${sql.join(
          fixed.map((r) => sql`${r.id}`),
          sql`, `,
        )})`),
    ).toEqual([]);
    expect(await keptFor(t, left as Sent)).toMatchObject({ email: "l0@example.com" });
    for (const [i, r] of working.entries())
      expect(await keptFor(t, r)).toMatchObject({ name: `Resident w${i}`, email: `w${i}@example.com` });
    // The reports stay, counted as before.
    const cluster = await t.app.request(`/api/clusters/${fixed[0]?.cluster.id}`);
    expect(((await cluster.json()) as { cluster: { reports: number } }).cluster.reports).toBe(3);

    t.clock.set(T0 + 126 * DAY);
    await round();
    expect(await keptFor(t, left as Sent)).toEqual(NOTHING);

    // Once the open work is fixed, its turn comes 90 days after its question.
    t.clock.set(T0 + 130 * DAY);
    expect((await move(t, token, workingOrder, { to: "resolved" })).status).toBe(200);
    t.clock.set(T0 + 222 * DAY);
    await round();
    expect(await keptFor(t, working[0] as Sent)).toMatchObject({ email: "w0@example.com" });
    t.clock.set(T0 + 224 * DAY);
    await round();
    for (const r of working) expect(await keptFor(t, r)).toEqual(NOTHING);
  });

  it("keeps them until the service's question is asked, and while a problem may still gather reports", async () => {
    // Asked 120 days after the fix; a problem gathers reports for a year.
    const { t, token, round } = await city({ askAfterDays: 120, windowDays: 365 });
    const fixed = await reportsWithContact(t, east(CHANGSHA, 0), 3, "a");
    const gathering = await reportsWithContact(t, east(CHANGSHA, 1000), 2, "g");
    const order = fixed[2]?.cluster.workOrder.id as string;
    expect((await move(t, token, order, { to: "acknowledged" })).status).toBe(200);
    expect((await move(t, token, order, { to: "resolved" })).status).toBe(200);
    for (const day of [30, 60, 92, 119]) {
      t.clock.set(T0 + day * DAY);
      await round();
    }
    // The question falls due on day 120 and is queued with the address still kept.
    t.clock.set(T0 + 121 * DAY);
    await round();
    const asks = await t.db.all(sql`SELECT 1 FROM outbox WHERE message = 'ask'`);
    expect(asks).toHaveLength(3);
    for (const r of gathering) expect(await keptFor(t, r)).toMatchObject({ email: expect.any(String) });
    // A third resident joins on day 200, and the problem goes to the department with its reporters' contacts.
    t.clock.set(T0 + 200 * DAY);
    const [third] = await reportsWithContact(t, east(CHANGSHA, 1000), 1, "gg");
    expect(third?.cluster.workOrder).not.toBeNull();
    for (const r of gathering) expect(await keptFor(t, r)).toMatchObject({ email: expect.any(String) });
  });

  it("keeps the contacts of a problem merged into a fixed one for 90 days from the merge", async () => {
    const { t, token, round } = await city({ askAfterDays: 3, windowDays: 30 });
    const kept = await reportsWithContact(t, east(CHANGSHA, 0), 3, "k");
    const keptOrder = kept[2]?.cluster.workOrder.id as string;
    expect((await move(t, token, keptOrder, { to: "acknowledged" })).status).toBe(200);
    expect((await move(t, token, keptOrder, { to: "resolved" })).status).toBe(200);
    // Reported at the spot after its fix: a problem of its own (a successor), merged into it later.
    const twin = await reportsWithContact(t, east(CHANGSHA, 0), 3, "t");
    expect(twin[2]?.cluster.id).not.toBe(kept[0]?.cluster.id);
    t.clock.set(T0 + 95 * DAY);
    const merged = await t.app.request(
      `/api/admin/work-orders/${twin[2]?.cluster.workOrder.id}/transitions`,
      {
        method: "POST",
        ...asAdmin({ to: "duplicate", duplicateOf: kept[0]?.cluster.id }),
      },
    );
    expect(merged.status).toBe(200);
    t.clock.set(T0 + 96 * DAY);
    await round();
    // The fixed problem's own question fell due long ago, but it took the twin's reporters in today.
    for (const r of twin) expect(await keptFor(t, r)).toMatchObject({ email: expect.any(String) });
    t.clock.set(T0 + 189 * DAY);
    await round();
    for (const r of [...twin, ...kept]) expect(await keptFor(t, r)).toEqual(NOTHING);
  });

  it("takes its days from CONTACT_RETENTION_DAYS, never fewer than 31, and tells the web app", async () => {
    expect(() => parseEnv({ CONTACT_RETENTION_DAYS: "30" })).toThrow(/CONTACT_RETENTION_DAYS/);
    expect(() => parseEnv({ CONTACT_RETENTION_DAYS: "ninety" })).toThrow(/CONTACT_RETENTION_DAYS/);
    expect(parseEnv({ CONTACT_RETENTION_DAYS: "365" }).CONTACT_RETENTION_DAYS).toBe(365);

    const t = await makeTestApp({ clock: makeClock(T0), config: { contactRetentionDays: 40 } });
    expect(
      (await (await t.app.request("/api/config")).json()) as { contactRetentionDays: number },
    ).toMatchObject({
      contactRetentionDays: 40,
    });
    await makeService(t, { code: "pothole", threshold: 3, windowDays: 30 });
    const [left] = await reportsWithContact(t, east(CHANGSHA, 0), 1, "c");
    const round = () => runDispatch(t.db, { now: t.clock(), config: t.config, fetch: globalThis.fetch });
    // Its 30 days to gather reports end on day 30; 40 days later it goes.
    t.clock.set(T0 + 69 * DAY);
    await round();
    expect(await keptFor(t, left as Sent)).toMatchObject({
      email: "c0@example.com",
    });
    t.clock.set(T0 + 71 * DAY);
    await round();
    expect(await keptFor(t, left as Sent)).toEqual(NOTHING);
    const defaults = await makeTestApp();
    expect(
      (await (await defaults.app.request("/api/config")).json()) as { contactRetentionDays: number },
    ).toMatchObject({
      contactRetentionDays: 90,
    });
  });
});
