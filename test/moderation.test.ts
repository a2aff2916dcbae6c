/**
 * Moderation: anyone flags (one count per network and item), staff hide and restore, hidden text
 * and photos leave every public answer (report, photos, Open311) while the timeline says
 * "hidden by moderators", and a blocked reporter's reports are refused with a plain 403.
 */
import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { ADMIN_TOKEN, makeTestApp, type TestApp } from "./support/app";
import { CHANGSHA, makeDepartment, makeService, squareAround, uploadPhoto } from "./support/fixtures";
import { fromResident } from "./support/residents";
import { auditTrail } from "./support/staff";
import { move, stillThere, workOrderAt } from "./support/work-orders";

const SECRET_TEXT = "Mr Wang of flat 3B at 12 Example Road is an idiot";

describe("moderation", () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp();
    await makeService(t);
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    t.app.request(path, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
    });
  const admin = (path: string, method = "POST") =>
    t.app.request(path, { method, headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  const flag = (body: unknown, from: string) => post("/api/flags", body, { "x-test-client-address": from });
  // biome-ignore lint/suspicious/noExplicitAny: answers are inspected field by field
  const json = async (res: Response | Promise<Response>): Promise<any> => (await res).json();

  async function reportWithPhoto(deviceId = "device-mod-1") {
    const photo = await uploadPhoto(t);
    const res = await post(
      "/api/reports",
      {
        service: "pothole",
        ...CHANGSHA,
        description: SECRET_TEXT,
        deviceId,
        photoIds: [photo],
      },
      fromResident(deviceId),
    );
    expect(res.status).toBe(201);
    const { report, cluster } = await res.json();
    return { reportId: report.id as string, clusterId: cluster.id as string, photo };
  }

  it("hides a resident's note on the timeline from every public answer, and restores it", async () => {
    // Personal data no mask finds (a phone number's digits would be masked already).
    const NOTE = "Still there. Ask Mr Wang Xiaoming at flat 3B, he saw the car hit it";
    await makeDepartment(t, { code: "roads", services: ["pothole"], area: squareAround(CHANGSHA, 3000) });
    const wo = await workOrderAt(t, CHANGSHA);
    for (const to of ["acknowledged", "resolved"])
      expect((await move(t, ADMIN_TOKEN, wo.id, { to })).status).toBe(200);
    expect((await stillThere(t, wo.clusterId, wo.receipts[0], NOTE)).status).toBe(200);
    const timeline = async () =>
      (await json(t.app.request(`/api/clusters/${wo.clusterId}`))).cluster.timeline as {
        id: string;
        actor: string;
        note: string | null;
        noteHidden: boolean;
      }[];
    const note = (await timeline()).find((e) => e.note === NOTE);
    expect(note).toMatchObject({ actor: "resident", noteHidden: false });
    const noteId = note?.id as string;
    // A picture sent with the note (as a client app's multipart update links one).
    const photo = await uploadPhoto(t);
    await t.db.run(sql`UPDATE photos SET event_id = ${noteId} WHERE id = ${photo}`);
    const photoShown = async () => (await t.app.request(`/api/photos/${photo}`)).status;
    expect(await photoShown()).toBe(200);
    // Only a resident's words are a note to flag: not the system's or a department's.
    const opened = (await timeline()).find((e) => e.actor !== "resident");
    expect((await flag({ target: "note", id: opened?.id, reason: "spam" }, "198.51.103.3")).status).toBe(404);
    expect((await flag({ target: "note", id: noteId, reason: "personal_data" }, "198.51.103.3")).status).toBe(
      202,
    );
    const queue = await json(admin("/api/admin/flags", "GET"));
    expect(queue.items).toEqual([
      expect.objectContaining({
        target: "note",
        id: noteId,
        description: NOTE,
        clusterId: wo.clusterId,
        hidden: false,
        // Its picture, for the moderators to see what a hide takes with it.
        photoIds: [photo],
      }),
    ]);

    expect((await json(admin(`/api/admin/moderation/notes/${noteId}/hide`))).changed).toBe(true);
    const publicAnswers = await Promise.all(
      [
        `/api/clusters/${wo.clusterId}`,
        `/api/feeds/clusters/${wo.clusterId}.atom`,
        "/open311/v2/requests.json?extensions=true",
        "/open311/v2/servicerequestupdates.json?start_date=2026-01-01T00:00:00Z",
      ].map(async (path) => [path, await (await t.app.request(path)).text()] as const),
    );
    for (const [path, body] of publicAnswers) expect(body, path).not.toContain("Wang Xiaoming");
    expect(await photoShown()).toBe(404);
    expect(await (await t.app.request(`/api/photos?cluster=${wo.clusterId}`)).text()).not.toContain(photo);
    expect((await timeline()).find((e) => e.id === noteId)).toMatchObject({ note: null, noteHidden: true });
    expect((await timeline()).filter((e) => e.note === "A note was hidden by moderators")).toHaveLength(1);
    const hidden = await json(admin("/api/admin/moderation/hidden", "GET"));
    expect(hidden.items).toEqual([
      expect.objectContaining({ target: "note", id: noteId, description: NOTE }),
    ]);
    expect((await json(admin("/api/admin/flags", "GET"))).items).toEqual([]);

    expect((await json(admin(`/api/admin/moderation/notes/${noteId}/restore`))).changed).toBe(true);
    expect((await timeline()).find((e) => e.id === noteId)).toMatchObject({ note: NOTE, noteHidden: false });
    expect(await photoShown()).toBe(200);
    expect((await admin(`/api/admin/moderation/notes/${opened?.id}/hide`)).status).toBe(404);
  });

  it("counts one flag per network and item, and queues it for staff only", async () => {
    const { reportId } = await reportWithPhoto();
    const first = await flag({ target: "report", id: reportId, reason: "personal_data" }, "198.51.101.1");
    expect(first.status).toBe(202);
    expect((await first.json()).flag.counted).toBe(true);
    const again = await json(flag({ target: "report", id: reportId, reason: "spam" }, "198.51.101.1"));
    expect(again.flag.counted).toBe(false);
    await flag({ target: "report", id: reportId, reason: "offensive" }, "198.51.102.2");
    expect((await flag({ target: "report", id: "nope", reason: "spam" }, "198.51.102.2")).status).toBe(404);
    const bad = await flag({ target: "report", id: reportId, reason: "boring" }, "198.51.102.2");
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.field).toBe("reason");

    expect((await t.app.request("/api/admin/flags")).status).toBe(401);
    const queue = await json(admin("/api/admin/flags", "GET"));
    expect(queue.items).toEqual([
      expect.objectContaining({
        target: "report",
        id: reportId,
        flags: 2,
        reasons: { offensive: 1, personal_data: 1, spam: 0 },
        description: SECRET_TEXT,
        hidden: false,
      }),
    ]);
  });

  it("keeps a flagged item as it is: its flags leave the queue, the trail says who, nothing public changes", async () => {
    const { reportId, clusterId, photo } = await reportWithPhoto();
    await flag({ target: "report", id: reportId, reason: "spam" }, "198.51.103.1");
    await flag({ target: "photo", id: photo, reason: "offensive" }, "198.51.103.1");
    expect((await json(admin("/api/admin/flags", "GET"))).total).toBe(2);
    const before = await json(t.app.request(`/api/clusters/${clusterId}`));
    const kept = await json(admin(`/api/admin/moderation/reports/${reportId}/keep`));
    expect(kept).toEqual({ target: "report", id: reportId, kept: true });
    const queue = await json(admin("/api/admin/flags", "GET"));
    expect(queue.total).toBe(1);
    expect(queue.items.map((i: { id: string }) => i.id)).toEqual([photo]);
    // Nothing public moved: no event on the timeline, the words still shown.
    expect(await json(t.app.request(`/api/clusters/${clusterId}`))).toEqual(before);
    // Again: nothing waited, nothing written.
    expect((await json(admin(`/api/admin/moderation/reports/${reportId}/keep`))).kept).toBe(false);
    expect((await admin("/api/admin/moderation/photos/nope/keep")).status).toBe(404);
    const trail = await json(admin("/api/admin/audit", "GET"));
    const keeps = trail.actions.filter((a: { action: string }) => a.action.endsWith("/keep"));
    expect(keeps).toHaveLength(1);
    expect(keeps[0].subject).toEqual({ type: "reports", id: reportId });
    // A new flag after the keep brings it back to the queue.
    await flag({ target: "report", id: reportId, reason: "offensive" }, "198.51.104.1");
    expect((await json(admin("/api/admin/flags", "GET"))).total).toBe(2);
  });

  it("clears flags only by a recorded move: a restore of what was never hidden, or a hide of what is, leaves them waiting", async () => {
    const { reportId } = await reportWithPhoto("device-mod-unrecorded");
    await flag({ target: "report", id: reportId, reason: "spam" }, "198.51.105.1");
    const waiting = async () =>
      (await json(admin("/api/admin/flags", "GET"))).items.some((i: { id: string }) => i.id === reportId);
    const trailLength = async () => (await json(admin("/api/admin/audit", "GET"))).actions.length;
    const entries = await trailLength();
    // Never hidden: its restore changes nothing, and the flag still waits (it had left unrecorded).
    expect((await json(admin(`/api/admin/moderation/reports/${reportId}/restore`))).changed).toBe(false);
    expect(await waiting()).toBe(true);
    expect(await trailLength()).toBe(entries);
    // Hidden, then flagged again: a second hide changes nothing either; keep sees to the flag, recorded.
    expect((await json(admin(`/api/admin/moderation/reports/${reportId}/hide`))).changed).toBe(true);
    expect(await waiting()).toBe(false);
    await flag({ target: "report", id: reportId, reason: "offensive" }, "198.51.106.1");
    expect((await json(admin(`/api/admin/moderation/reports/${reportId}/hide`))).changed).toBe(false);
    expect(await waiting()).toBe(true);
    expect((await json(admin(`/api/admin/moderation/reports/${reportId}/keep`))).kept).toBe(true);
    expect(await waiting()).toBe(false);
    expect((await json(t.app.request(`/api/reports/${reportId}`))).report.hidden).toBe(true);
    const trail = (await json(admin("/api/admin/audit", "GET"))).actions.map(
      (a: { action: string }) => a.action,
    );
    expect(trail.slice(0, 2)).toEqual([
      "POST /admin/moderation/reports/:id/keep",
      "POST /admin/moderation/reports/:id/hide",
    ]);
  });

  it("lists what the moderators hid, newest first, until it is restored", async () => {
    const { reportId, clusterId, photo } = await reportWithPhoto();
    expect((await json(admin("/api/admin/moderation/hidden", "GET"))).items).toEqual([]);
    await admin(`/api/admin/moderation/reports/${reportId}/hide`);
    t.clock.advance(1000);
    await admin(`/api/admin/moderation/photos/${photo}/hide`);
    const { items } = await json(admin("/api/admin/moderation/hidden", "GET"));
    expect(items.map((i: { target: string; id: string }) => [i.target, i.id])).toEqual([
      ["photo", photo],
      ["report", reportId],
    ]);
    expect(items[1]).toMatchObject({ description: SECRET_TEXT, clusterId, by: { name: expect.any(String) } });
    expect(items[0].clusterId).toBe(clusterId);
    await admin(`/api/admin/moderation/reports/${reportId}/restore`);
    const after = await json(admin("/api/admin/moderation/hidden", "GET"));
    expect(after.items.map((i: { id: string }) => i.id)).toEqual([photo]);
    expect((await t.app.request("/api/admin/moderation/hidden")).status).toBe(401);
  });

  it("tells the department which of its work order's reports the moderators hid", async () => {
    const wo = await workOrderAt(t, CHANGSHA);
    const [first] = await t.db.all<{ id: string }>(
      sql`SELECT id FROM reports WHERE cluster_id = ${wo.clusterId} ORDER BY created_at LIMIT 1`,
    );
    await admin(`/api/admin/moderation/reports/${first?.id}/hide`);
    const detail = await json(admin(`/api/department/work-orders/${wo.id}`, "GET"));
    const hidden = detail.reports
      .filter((r: { hidden: boolean }) => r.hidden)
      .map((r: { id: string }) => r.id);
    expect(hidden).toEqual([first?.id]);
    expect(detail.reports.length).toBeGreaterThan(1);
  });

  it("hides a report's text and photos from every public answer; the timeline says so; restore undoes it", async () => {
    const { reportId, clusterId, photo } = await reportWithPhoto();
    await flag({ target: "report", id: reportId, reason: "personal_data" }, "198.51.101.1");
    // Before: the text and the photo are public, the text on the map's pin too.
    const map = `/api/map?bbox=${CHANGSHA.lon - 0.01},${CHANGSHA.lat - 0.01},${CHANGSHA.lon + 0.01},${CHANGSHA.lat + 0.01}&zoom=16`;
    expect(await (await t.app.request(map)).text()).toContain("Mr Wang");
    expect(await (await t.app.request("/open311/v2/requests.json")).text()).toContain("Mr Wang");
    expect(await (await t.app.request(`/api/photos?cluster=${clusterId}`)).text()).toContain(photo);
    const hidden = await json(admin(`/api/admin/moderation/reports/${reportId}/hide`));
    expect(hidden).toEqual({ target: "report", id: reportId, hidden: true, changed: true });
    expect((await json(admin(`/api/admin/moderation/reports/${reportId}/hide`))).changed).toBe(false);

    const publicAnswers = await Promise.all(
      [
        `/api/reports/${reportId}`,
        `/api/clusters/${clusterId}`,
        `/api/photos?cluster=${clusterId}`,
        `/api/photos?report=${reportId}`,
        "/open311/v2/requests.json?extensions=true",
        `/open311/v2/requests/${reportId}.json`,
        "/open311/v2/requests.xml",
        "/api/exports/clusters.csv",
        "/api/exports/work-orders.geojson",
        map,
      ].map(async (path) => (await t.app.request(path)).text()),
    );
    for (const body of publicAnswers) {
      expect(body).not.toContain("Mr Wang");
      expect(body).not.toContain(photo);
    }
    expect((await t.app.request(`/api/photos/${photo}`)).status).toBe(404);
    const report = (await json(t.app.request(`/api/reports/${reportId}`))).report;
    expect(report).toMatchObject({ id: reportId, description: "", hidden: true });
    const timeline = (await json(t.app.request(`/api/clusters/${clusterId}`))).cluster.timeline;
    const moderation = timeline.filter((e: { type: string }) => e.type === "hidden");
    expect(moderation).toEqual([
      expect.objectContaining({ actor: "admin", note: "A report was hidden by moderators" }),
    ]);
    // Reviewed: the queue is empty.
    expect((await json(admin("/api/admin/flags", "GET"))).items).toEqual([]);

    expect((await json(admin(`/api/admin/moderation/reports/${reportId}/restore`))).changed).toBe(true);
    expect((await json(t.app.request(`/api/reports/${reportId}`))).report).toMatchObject({
      description: SECRET_TEXT,
      hidden: false,
    });
    expect((await t.app.request(`/api/photos/${photo}`)).status).toBe(200);
    expect(await (await t.app.request(map)).text()).toContain("Mr Wang");
    const after = (await json(t.app.request(`/api/clusters/${clusterId}`))).cluster.timeline;
    expect(after.map((e: { type: string }) => e.type)).toContain("restored");
  });

  it("settles races: one network's concurrent flags count once, concurrent hides append one event", async () => {
    const { reportId, clusterId } = await reportWithPhoto();
    const flags = await Promise.all(
      Array.from({ length: 10 }, () =>
        json(flag({ target: "report", id: reportId, reason: "spam" }, "198.51.107.7")),
      ),
    );
    expect(flags.filter((f) => f.flag.counted)).toHaveLength(1);
    const hides = await Promise.all(
      Array.from({ length: 8 }, () => json(admin(`/api/admin/moderation/reports/${reportId}/hide`))),
    );
    expect(hides.filter((h) => h.changed)).toHaveLength(1);
    const timeline = (await json(t.app.request(`/api/clusters/${clusterId}`))).cluster.timeline;
    expect(timeline.filter((e: { type: string }) => e.type === "hidden")).toHaveLength(1);
  });

  it("limits requests to flag per network, repeats and unknown ids included", async () => {
    const { reportId } = await reportWithPhoto();
    const from = "198.51.109.9";
    for (let i = 0; i < 60; i++) {
      const body =
        i % 2
          ? { target: "report", id: reportId, reason: "spam" }
          : { target: "report", id: `nope${i}`, reason: "spam" };
      expect((await flag(body, from)).status).toBe(i % 2 ? 202 : 404);
    }
    const refused = await flag({ target: "report", id: reportId, reason: "spam" }, from);
    expect(refused.status).toBe(429);
    expect((await refused.json()).error.code).toBe("rate_limited");
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await flag({ target: "report", id: reportId, reason: "spam" }, "198.51.110.9")).status).toBe(202);
  });

  it("lets one network flag 30 items a day, then answers 429 with Retry-After", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 31; i++) {
      const res = await post(
        "/api/reports",
        {
          service: "pothole",
          ...CHANGSHA,
          description: `report number ${i}`,
          deviceId: `device-flagged-${i}`,
        },
        fromResident(`device-flagged-${i}`),
      );
      expect(res.status).toBe(201);
      ids.push((await res.json()).report.id);
    }
    for (const id of ids.slice(0, 30))
      expect((await flag({ target: "report", id, reason: "spam" }, "198.51.105.5")).status).toBe(202);
    const refused = await flag({ target: "report", id: ids[30], reason: "spam" }, "198.51.105.5");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("86400");
    expect((await refused.json()).error.code).toBe("flag_quota_exceeded");
    // A repeat of an item already flagged is still just not counted; another network is free.
    expect(
      (await json(flag({ target: "report", id: ids[0], reason: "spam" }, "198.51.105.5"))).flag.counted,
    ).toBe(false);
    expect((await flag({ target: "report", id: ids[30], reason: "spam" }, "198.51.106.6")).status).toBe(202);
    t.clock.advance(24 * 3600_000 + 1);
    expect((await flag({ target: "report", id: ids[30], reason: "spam" }, "198.51.105.5")).status).toBe(202);
  });

  it("hides a single photo", async () => {
    const { clusterId, photo } = await reportWithPhoto();
    await flag({ target: "photo", id: photo, reason: "offensive" }, "198.51.109.9");
    expect((await json(admin("/api/admin/flags", "GET"))).items[0]).toMatchObject({
      target: "photo",
      photoUrl: `/api/photos/${photo}`,
      clusterId,
    });
    expect((await admin(`/api/admin/moderation/photos/${photo}/hide`)).status).toBe(200);
    expect((await json(t.app.request(`/api/photos?cluster=${clusterId}`))).photos).toEqual([]);
    expect((await t.app.request(`/api/photos/${photo}`)).status).toBe(404);
    expect((await admin("/api/admin/moderation/photos/nope/hide")).status).toBe(404);
    // The moderators still see what they hid, to review it, and no cache keeps it.
    const staffView = await admin(`/api/admin/moderation/photos/${photo}`, "GET");
    expect(staffView.status).toBe(200);
    expect(staffView.headers.get("content-type")).toBe("image/jpeg");
    expect(staffView.headers.get("cache-control")).toBe("private, no-store");
    expect((await staffView.arrayBuffer()).byteLength).toBeGreaterThan(100);
    expect((await t.app.request(`/api/admin/moderation/photos/${photo}`)).status).toBe(401);
    expect((await admin("/api/admin/moderation/photos/nope", "GET")).status).toBe(404);
  });

  it("refuses a blocked reporter's reports with a plain 403, and takes them again once unblocked", async () => {
    const { reportId } = await reportWithPhoto("device-troll");
    expect(
      (await t.app.request(`/api/admin/moderation/reports/${reportId}/block-reporter`, { method: "POST" }))
        .status,
    ).toBe(401);
    expect(await json(admin(`/api/admin/moderation/reports/${reportId}/block-reporter`))).toEqual({
      reportId,
      blocked: true,
      until: null,
    });
    const body = { service: "pothole", ...CHANGSHA, description: "again", deviceId: "device-troll" };
    const refused = await post("/api/reports", body, fromResident("device-troll"));
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({
      error: { code: "reporter_blocked", message: "reports from this reporter are not accepted" },
    });
    expect(
      (await post("/api/reports", { ...body, deviceId: "device-other" }, fromResident("device-other")))
        .status,
    ).toBe(201);
    await admin(`/api/admin/moderation/reports/${reportId}/block-reporter`, "DELETE");
    expect((await post("/api/reports", body, fromResident("device-troll"))).status).toBe(201);
  });

  it("blocks for some days when asked: the reports are refused until then, and taken again after", async () => {
    const { reportId } = await reportWithPhoto("device-brief");
    const blockFor = (body: string, type = "application/json") =>
      t.app.request(`/api/admin/moderation/reports/${reportId}/block-reporter`, {
        method: "POST",
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": type },
        body,
      });
    for (const bad of ['{"days":0}', '{"days":1.5}', '{"days":"7"}', '{"weeks":1}'])
      expect(((await json(blockFor(bad))) as { error: { field: string } }).error.field, bad).toMatch(
        /days|weeks/,
      );
    expect((await blockFor('{"days":2}', "text/plain")).status).toBe(415);
    const blocked = await json(blockFor('{"days":2}'));
    expect(blocked).toEqual({
      reportId,
      blocked: true,
      until: new Date(t.clock() + 2 * 86_400_000).toISOString(),
    });
    await flag({ target: "report", id: reportId, reason: "spam" }, "10.9.9.9");
    const item = (await json(admin("/api/admin/flags", "GET"))).items.find(
      (i: { id: string }) => i.id === reportId,
    );
    expect(item).toMatchObject({ reporterBlocked: true, reporterBlockedUntil: blocked.until });
    const body = { service: "pothole", ...CHANGSHA, description: "brief", deviceId: "device-brief" };
    expect((await post("/api/reports", body, fromResident("device-brief"))).status).toBe(403);
    t.clock.advance(2 * 86_400_000 + 1);
    expect((await post("/api/reports", body, fromResident("device-brief"))).status).toBe(201);
    // Lifting a block that has ended changes nothing, and the audit trail says nothing of it.
    const entries = (await auditTrail(t)).length;
    expect((await admin(`/api/admin/moderation/reports/${reportId}/block-reporter`, "DELETE")).status).toBe(
      200,
    );
    expect((await auditTrail(t)).length).toBe(entries);
    expect(
      (await json(admin("/api/admin/flags", "GET"))).items.find((i: { id: string }) => i.id === reportId),
    ).toMatchObject({ reporterBlocked: false, reporterBlockedUntil: null });
    // Blocked again without a body: until lifted.
    expect((await json(admin(`/api/admin/moderation/reports/${reportId}/block-reporter`))).until).toBeNull();
    expect((await post("/api/reports", body, fromResident("device-brief"))).status).toBe(403);
    await admin(`/api/admin/moderation/reports/${reportId}/block-reporter`, "DELETE");
  });

  it("writes nothing for a blocked reporter's report with an Idempotency-Key, and leaves the key unclaimed", async () => {
    const { reportId } = await reportWithPhoto("device-troll");
    await admin(`/api/admin/moderation/reports/${reportId}/block-reporter`);
    const body = { service: "pothole", ...CHANGSHA, description: "keyed", deviceId: "device-troll" };
    const keyed = { ...fromResident("device-troll"), "idempotency-key": "troll-1" };
    const count = async (table: string) =>
      Number((await t.client.execute(`SELECT count(*) AS n FROM ${table}`)).rows[0]?.n);
    const reportsBefore = await count("reports");
    for (let i = 0; i < 2; i++) {
      const refused = await post("/api/reports", body, keyed);
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe("reporter_blocked");
    }
    expect(await count("reports")).toBe(reportsBefore);
    expect(await count("idempotency_keys")).toBe(0);
    // Once unblocked, the same key files the report (nothing held it meanwhile), and a retry replays it.
    await admin(`/api/admin/moderation/reports/${reportId}/block-reporter`, "DELETE");
    const first = await post("/api/reports", body, keyed);
    expect(first.status).toBe(201);
    const again = await post("/api/reports", body, keyed);
    expect(((await again.json()) as { report: { id: string } }).report.id).toBe(
      ((await first.json()) as { report: { id: string } }).report.id,
    );
    expect(await count("reports")).toBe(reportsBefore + 1);
  });
});
