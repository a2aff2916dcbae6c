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
import { sweepOldContactsHourly } from "../src/store/contact-retention";
import { makeClock, makeTestApp, type TestApp } from "./support/app";
import { CHANGSHA, east, makeDepartment, makeService, reportAt, squareAround } from "./support/fixtures";
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

/** What the reporter is shown as kept, with their receipt (`POST /api/reports/:id/contact`). */
async function keptFor(t: TestApp, report: { id: string; receipt: string }) {
  const res = await t.app.request(`/api/reports/${report.id}/contact`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ receipt: report.receipt }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { contact: Record<string, string | null> }).contact;
}

const NOTHING = { name: null, email: null, phone: null, deviceId: null };

describe("reporters' contacts are deleted once their problem has been over for the retention's days", () => {
  it("clears fixed and abandoned problems' contacts after 90 days, keeps those of work still open", async () => {
    const t = await makeTestApp({
      clock: makeClock(T0),
      config: { contactKey: "retention-test-contact-key-0123456789abcdef" },
    });
    await makeService(t, { code: "pothole", threshold: 3 });
    await makeDepartment(t, { code: "roads", services: ["pothole"], area: squareAround(CHANGSHA, 20_000) });
    const token = await departmentToken(t, "roads");
    const round = () => runDispatch(t.db, { now: t.clock(), config: t.config, fetch: globalThis.fetch });

    const fixed = await reportsWithContact(t, east(CHANGSHA, 0), 3, "f");
    const working = await reportsWithContact(t, east(CHANGSHA, 1000), 3, "w");
    const fixedOrder = fixed[2]?.cluster.workOrder.id as string;
    const workingOrder = working[2]?.cluster.workOrder.id as string;
    expect((await move(t, token, workingOrder, { to: "acknowledged" })).status).toBe(200);
    t.clock.set(T0 + 5 * DAY);
    expect((await move(t, token, fixedOrder, { to: "acknowledged" })).status).toBe(200);
    expect((await move(t, token, fixedOrder, { to: "resolved" })).status).toBe(200);
    // Never sent to a department: its last report is when it ended.
    const [left] = await reportsWithContact(t, east(CHANGSHA, 2000), 1, "l");
    // Everything is kept while the problems are recent.
    expect(await keptFor(t, fixed[0] as { id: string; receipt: string })).toMatchObject({
      name: "Resident f0",
      email: "f0@example.com",
    });

    // 89 days after the fix and after the lone report: not yet.
    t.clock.set(T0 + 94 * DAY);
    await round();
    expect(await keptFor(t, fixed[1] as { id: string; receipt: string })).toMatchObject({
      email: "f1@example.com",
    });
    expect(await keptFor(t, left as { id: string; receipt: string })).toMatchObject({
      email: "l0@example.com",
    });
    // Within the hour claimed by the round above, no other round reads them again.
    t.clock.set(T0 + 94 * DAY + 1000);
    expect(await sweepOldContactsHourly(t.db, t.clock(), 1)).toBe(0);

    // 91 days after: the fixed problem's and the lone report's are gone, the open work's stay.
    t.clock.set(T0 + 96 * DAY);
    await round();
    for (const r of [...fixed, left])
      expect(await keptFor(t, r as { id: string; receipt: string })).toEqual(NOTHING);
    expect(
      await t.db.all(sql`SELECT id FROM reports WHERE contact_mailbox IS NOT NULL
        AND id IN (${sql.join(
          fixed.map((r) => sql`${r.id}`),
          sql`, `,
        )})`),
    ).toEqual([]);
    for (const [i, r] of working.entries())
      expect(await keptFor(t, r)).toMatchObject({ name: `Resident w${i}`, email: `w${i}@example.com` });
    // The reports stay, counted as before.
    const cluster = await t.app.request(`/api/clusters/${fixed[0]?.cluster.id}`);
    expect(((await cluster.json()) as { cluster: { reports: number } }).cluster.reports).toBe(3);

    // Once the open work is closed, its turn comes 90 days later.
    t.clock.set(T0 + 100 * DAY);
    expect((await move(t, token, workingOrder, { to: "resolved" })).status).toBe(200);
    t.clock.set(T0 + 191 * DAY);
    await round();
    for (const r of working) expect(await keptFor(t, r)).toEqual(NOTHING);
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
    await makeService(t, { code: "pothole", threshold: 3 });
    const [left] = await reportsWithContact(t, east(CHANGSHA, 0), 1, "c");
    const round = () => runDispatch(t.db, { now: t.clock(), config: t.config, fetch: globalThis.fetch });
    t.clock.set(T0 + 39 * DAY);
    await round();
    expect(await keptFor(t, left as { id: string; receipt: string })).toMatchObject({
      email: "c0@example.com",
    });
    t.clock.set(T0 + 41 * DAY);
    await round();
    expect(await keptFor(t, left as { id: string; receipt: string })).toEqual(NOTHING);
    const defaults = await makeTestApp();
    expect(
      (await (await defaults.app.request("/api/config")).json()) as { contactRetentionDays: number },
    ).toMatchObject({
      contactRetentionDays: 90,
    });
  });
});
