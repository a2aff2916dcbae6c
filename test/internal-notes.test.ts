/**
 * A clerk's internal note on a work order: stored with who wrote it, in the department's
 * work-order history (and the audit trail), and nowhere public: not in any public GET of the
 * OpenAPI document (clusters, reports, feeds, exports, stats, map, Open311), nor the outbox.
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { makeTestApp, type TestApp } from "./support/app";
import { CHANGSHA, east, makeDepartment, makeService, reportAt, squareAround } from "./support/fixtures";
import { makeStaff, type SignedInStaff } from "./support/staff";
import { asToken, workOrderAt } from "./support/work-orders";

const SECRET_WORDS = "Internal-only: the contractor Feng is slow, call him 138-0000";
const CLERK = "Zhao Notetaker";

/** Every public GET path of the OpenAPI document (not staff-side, not a mailed link's). */
async function publicGetPaths(t: TestApp) {
  const doc = (await (await t.app.request("/openapi.json")).json()) as {
    paths: Record<string, { get?: unknown }>;
  };
  return Object.keys(doc.paths).filter(
    (p) => doc.paths[p]?.get && !/^\/api\/(department|admin|desk|auth|follows)\b/.test(p),
  );
}

describe("internal notes", () => {
  let t: TestApp;
  let clerk: SignedInStaff;
  let other: SignedInStaff;
  let viewer: SignedInStaff;
  let wo: Awaited<ReturnType<typeof workOrderAt>>;
  let reportId = "";
  const addNote = (token: string, id: string, note: unknown) =>
    t.app.request(`/api/department/work-orders/${id}/notes`, { method: "POST", ...asToken(token, { note }) });

  beforeAll(async () => {
    t = await makeTestApp();
    await makeService(t);
    await makeDepartment(t, { code: "kaifu", services: ["pothole"], area: squareAround(CHANGSHA, 20_000) });
    await makeDepartment(t, { code: "yuelu", services: [] });
    clerk = await makeStaff(t, "department", { department: "kaifu", name: CLERK });
    other = await makeStaff(t, "department", { department: "yuelu" });
    viewer = await makeStaff(t, "viewer");
    wo = await workOrderAt(t, east(CHANGSHA, 50));
    const extra = await reportAt(t, east(CHANGSHA, 52), { deviceId: "device-notes-extra-abcdef" });
    reportId = extra.body.report?.id ?? extra.body.id;
  });

  it("is in the department's history with who wrote it, marked internal, and in the audit trail", async () => {
    const outboxBefore = await t.db.all(sql`SELECT id FROM outbox`);
    const res = await addNote(clerk.token, wo.id, `  ${SECRET_WORDS}  `);
    expect(res.status).toBe(201);
    expect(await res.json()).toMatchObject({ note: { note: SECRET_WORDS, by: { name: CLERK } } });
    // A note is no event: nothing goes to the department's webhook or to followers.
    expect(await t.db.all(sql`SELECT id FROM outbox`)).toEqual(outboxBefore);

    const detail = (await (
      await t.app.request(`/api/department/work-orders/${wo.id}`, asToken(viewer.token))
    ).json()) as { history: { action: string; by: { name: string }; note?: string }[] };
    expect(detail.history.at(-1)).toEqual(
      expect.objectContaining({ action: "internal_note", by: { name: CLERK }, note: SECRET_WORDS }),
    );
    expect(detail.history[0]?.action).toBe("work_order_created");

    const audit = (await (
      await t.app.request(
        `/api/admin/audit?subjectType=work_order&subjectId=${wo.id}`,
        asToken("test-admin-token-0123456789"),
      )
    ).json()) as { actions: { action: string; by: { name: string } }[] };
    expect(audit.actions[0]).toMatchObject({ action: "internal_note", by: { name: CLERK } });
    expect(JSON.stringify(audit)).not.toContain("contractor");
  });

  it("is refused to a viewer, another department, an empty note, and an unknown work order", async () => {
    expect((await addNote(viewer.token, wo.id, "a viewer's words")).status).toBe(403);
    expect((await addNote(other.token, wo.id, "not our work order")).status).toBe(404);
    const empty = await addNote(clerk.token, wo.id, "   ");
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ error: { field: "note" } });
    expect((await addNote(clerk.token, "no-such-work-order", "hello")).status).toBe(404);
    // With an Idempotency-Key too, as the console sends it (a 500 before), and for another department's.
    for (const [token, id] of [
      [clerk.token, "no-such-work-order"],
      [other.token, wo.id],
    ] as const) {
      const keyed = await t.app.request(`/api/department/work-orders/${id}/notes`, {
        method: "POST",
        ...asToken(token, { note: "hello" }),
        headers: { ...asToken(token).headers, "idempotency-key": "note-unknown" },
      });
      expect(keyed.status).toBe(404);
    }
    const rows = await t.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM work_order_notes`);
    expect(rows[0]?.n).toBe(1);
  });

  it("is added once for one Idempotency-Key, whether retried one after another or at once", async () => {
    const keyed = (token: string, key: string, note: string) =>
      t.app.request(`/api/department/work-orders/${wo.id}/notes`, {
        method: "POST",
        ...asToken(token, { note }),
        headers: { ...asToken(token).headers, "idempotency-key": key },
      });
    const count = async () =>
      (await t.db.all(sql`SELECT id FROM work_order_notes WHERE note LIKE 'Crew at the site%'`)).length;
    // A lost answer, then the same tap again; then a double tap, both at once.
    const first = await keyed(clerk.token, "note-key-1", "Crew at the site, cones out");
    const again = await keyed(clerk.token, "note-key-1", "Crew at the site, cones out");
    expect([first.status, again.status]).toEqual([201, 201]);
    expect(await again.json()).toEqual(await first.json());
    const both = await Promise.all(
      [1, 2].map(() => keyed(clerk.token, "note-key-2", "Crew at the site again")),
    );
    expect(both.map((r) => r.status)).toEqual([201, 201]);
    expect(await count()).toBe(2);
    // One key from another writer is another note, and without a key each request is one.
    const colleague = await makeStaff(t, "department", { department: "kaifu", name: "Qian Colleague" });
    expect((await keyed(colleague.token, "note-key-1", "Crew at the site, cones out")).status).toBe(201);
    expect((await addNote(clerk.token, wo.id, "Crew at the site, no key")).status).toBe(201);
    expect((await addNote(clerk.token, wo.id, "Crew at the site, no key")).status).toBe(201);
    expect(await count()).toBe(5);
    const audit = await t.db.all(sql`SELECT id FROM staff_actions WHERE action = 'internal_note'`);
    const notes = await t.db.all(sql`SELECT id FROM work_order_notes`);
    expect(audit.length).toBe(notes.length);
  });

  it("never appears in a public answer, feed, export, statistic, map or Open311", async () => {
    const paths = await publicGetPaths(t);
    expect(paths).toEqual(expect.arrayContaining(["/api/clusters/{id}", "/open311/v2/requests.json"]));
    const values: Record<string, string> = {
      id: wo.clusterId,
      code: "kaifu",
      service_code: "pothole",
      z: "12",
      x: "3382",
      y: "1715",
      token: "none",
    };
    const looked: string[] = [];
    for (const pattern of paths) {
      const ids = pattern.includes("/reports/") || pattern.includes("/requests/") ? [reportId] : [values.id];
      for (const id of ids) {
        const filled = pattern.replace(/\{(\w+)\}/g, (_, k: string) =>
          k === "id" ? (id ?? "") : (values[k] ?? ""),
        );
        // Feeds and Open311 name a resource with its format: `…/<id>.atom`, `…/<id>.json`.
        const path = /\/feeds\/.+\}$/.test(pattern)
          ? `${filled}.atom`
          : /^\/open311\/.+\}$/.test(pattern)
            ? `${filled}.json`
            : filled;
        const bbox = "bbox=112.9,28.1,113.1,28.3";
        const query = path.startsWith("/api/map")
          ? `?${bbox}&zoom=12`
          : path.endsWith("area.atom")
            ? `?${bbox}`
            : "";
        const res = await t.app.request(`${path}${query}`);
        const body = await res.text();
        looked.push(`${res.status} ${path}`);
        expect(body, path).not.toContain("contractor");
        expect(body, path).not.toContain("138-0000");
      }
    }
    // The places that do show the work order were really looked at (not all 4xx).
    expect(looked).toEqual(
      expect.arrayContaining([
        `200 /api/clusters/${wo.clusterId}`,
        `200 /api/feeds/clusters/${wo.clusterId}.atom`,
        "200 /api/feeds/departments/kaifu.atom",
        "200 /api/feeds/area.atom",
        "200 /api/exports/work-orders.csv",
        "200 /open311/v2/requests.json",
        `200 /open311/v2/requests/${reportId}.json`,
        "200 /open311/v2/servicerequestupdates.json",
      ]),
    );
  });
});
