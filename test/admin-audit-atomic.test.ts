/**
 * A staff change and its audit entry are one write: with the audit trail made to refuse every
 * entry (a trigger, standing in for a crash between two statements), each change is refused whole
 * and leaves nothing behind; with the trail working again, the same change is made and its entry
 * names who made it. Every admin write of the API document is here (the last test fails for one
 * that is not), and the staff writes outside the admin API: sign-in, sign-out, a department's
 * rejection as a fixture, a call-taker's report for a caller.
 */
import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { deliverDue } from "../src/dispatch/deliver";
import { networkOf, networkTag } from "../src/domain/network";
import { WORK_ORDER_STATUSES } from "../src/domain/states";
import { ACTION_WORDS, ROUTE_WORDS } from "../web/src/admin/audit-words";
import { adminWrites } from "./support/admin-writes";
import { makeTestApp, type TestApp } from "./support/app";
import {
  CHANGSHA,
  east,
  makeDepartment,
  makeService,
  north,
  POTHOLE_SERVICE,
  squareAround,
} from "./support/fixtures";
import { realJpeg } from "./support/images";
import { fromResident, residentAddress } from "./support/residents";
import { makeStaff, type SignedInStaff, STAFF_PASSWORD } from "./support/staff";
import { asToken, workOrderAt } from "./support/work-orders";

const ADMIN = "Wu Auditname";

interface Change {
  name: string;
  /** The operation of the API document it makes (`POST /api/admin/services/{code}`). */
  route: string;
  path: () => string;
  body?: () => unknown;
  /** Who sends it (a session token); the admin unless said, none for a sign-in. */
  as?: () => string | null;
  /** Whether the change is in the database. */
  made: () => Promise<boolean>;
  /** Its audit entry: an admin change is named by its method and route, by the admin. */
  entry: { action?: string; by?: () => string; subject: { type: string | null; id: () => string | null } };
  /** Reads what the answer of the change made (an id, a token). */
  readAnswer?: (res: Response) => Promise<void>;
}

const rowsOf = async (t: TestApp, query: ReturnType<typeof sql>) => (await t.db.all<object>(query)).length;

describe("staff changes and their audit entries", () => {
  let t: TestApp;
  let admin: SignedInStaff;
  let callTaker: SignedInStaff;
  let clerkId = "";
  let tokenId = "";
  let keyId = "";
  let featureId = "";
  let placeId = "";
  let session = "";
  let deskReportId = "";
  /** The tag of the network every change is sent from, the subject of a sign-in. */
  let senderTag = "";
  let firstSecret = "";
  const fixture = {
    reportId: "",
    photoId: "",
    noteId: "",
    deadLetterId: "",
    dismissedId: "",
    workOrderId: "",
    reroutedId: "",
  };
  const get = async <T>(path: string) =>
    (await (await t.app.request(path, asToken(admin.token))).json()) as T;
  const services = () => get<{ services: { code: string; threshold: number }[] }>("/api/admin/services");
  const departments = () =>
    get<{ departments: { code: string; name: { en: string } }[] }>("/api/admin/departments");
  const staff = () => get<{ staff: { id: string; email: string; name: string }[] }>("/api/admin/staff");
  const tokens = () =>
    get<{ tokens: { id: string; revokedAt: string | null }[] }>("/api/admin/departments/kaifu/tokens");
  const keys = () => get<{ apiKeys: { id: string; revokedAt: string | null }[] }>("/api/admin/api-keys");
  const hidden = async (table: "reports" | "photos" | "events", id: string) =>
    (
      await t.db.all<{ h: number | null }>(sql`SELECT hidden_at AS h FROM ${sql.raw(table)} WHERE id = ${id}`)
    )[0]?.h != null;
  const blocked = async () =>
    (await rowsOf(
      t,
      sql`SELECT 1 FROM blocked_reporters WHERE reporter_key = (SELECT reporter_key FROM reports WHERE id = ${fixture.reportId})`,
    )) > 0;
  const features = () =>
    get<{ features: { id: string; properties: { kind: string } }[] }>("/api/admin/known-features");
  const deadLetters = async () =>
    (await get<{ deadLetters: { id: string }[] }>("/api/admin/outbox/dead")).deadLetters.map((d) => d.id);
  const workOrder = async (id: string) =>
    (
      await t.db.all<{ status: string; department: string }>(
        sql`SELECT status, department_code AS department FROM work_orders WHERE id = ${id}`,
      )
    )[0];
  const webhookSecret = async (code: string) =>
    (await t.db.all<{ s: string }>(sql`SELECT webhook_secret AS s FROM departments WHERE code = ${code}`))[0]
      ?.s;
  const me = (token: string) => t.app.request("/api/auth/me", asToken(token));
  const CALL_TAKER = "Zhao Hotline";

  type Moderated = "reports" | "photos" | "notes";
  const idOf = (target: Moderated) =>
    target === "reports" ? fixture.reportId : target === "photos" ? fixture.photoId : fixture.noteId;
  const moderation = (target: Moderated, action: "hide" | "restore"): Change => {
    const id = () => idOf(target);
    return {
      name: `${action} a ${target.slice(0, -1)}`,
      route: `POST /api/admin/moderation/${target}/{id}/${action}`,
      path: () => `/api/admin/moderation/${target}/${id()}/${action}`,
      made: async () => (await hidden(target === "notes" ? "events" : target, id())) === (action === "hide"),
      entry: { subject: { type: target, id } },
    };
  };

  const waitingFlags = async (target: Moderated, id: string) =>
    rowsOf(
      t,
      sql`SELECT 1 FROM flags WHERE target = ${target.slice(0, -1)} AND target_id = ${id} AND reviewed_at IS NULL`,
    );
  const keep = (target: Moderated): Change => {
    const id = () => idOf(target);
    return {
      name: `keep a flagged ${target.slice(0, -1)}`,
      route: `POST /api/admin/moderation/${target}/{id}/keep`,
      path: () => `/api/admin/moderation/${target}/${id()}/keep`,
      made: async () => (await waitingFlags(target, id())) === 0,
      entry: { subject: { type: target, id } },
    };
  };

  const CHANGES: Change[] = [
    {
      name: "create a service",
      route: "POST /api/admin/services",
      path: () => "/api/admin/services",
      body: () => ({ ...POTHOLE_SERVICE, code: "streetlight", name: { en: "Streetlight", zh: "路灯" } }),
      made: async () => (await services()).services.some((s) => s.code === "streetlight"),
      entry: { subject: { type: "services", id: () => "streetlight" } },
    },
    {
      name: "change a service",
      route: "PUT /api/admin/services/{code}",
      path: () => "/api/admin/services/pothole",
      body: () => ({ ...POTHOLE_SERVICE, code: undefined, threshold: 7 }),
      made: async () => (await services()).services.find((s) => s.code === "pothole")?.threshold === 7,
      entry: { subject: { type: "services", id: () => "pothole" } },
    },
    {
      name: "create a department",
      route: "POST /api/admin/departments",
      path: () => "/api/admin/departments",
      body: () => ({ code: "yuelu", name: { en: "Yuelu", zh: "岳麓" }, services: ["pothole"] }),
      made: async () => (await departments()).departments.some((d) => d.code === "yuelu"),
      entry: { subject: { type: "departments", id: () => "yuelu" } },
    },
    {
      name: "reroute a work order",
      route: "POST /api/admin/work-orders/{id}/reroute",
      path: () => `/api/admin/work-orders/${fixture.reroutedId}/reroute`,
      body: () => ({ department: "yuelu", note: "across the river" }),
      made: async () => (await workOrder(fixture.reroutedId))?.department === "yuelu",
      entry: { action: "rerouted", subject: { type: "work_order", id: () => fixture.reroutedId } },
    },
    {
      name: "renew a department's webhook secret",
      route: "POST /api/admin/departments/{code}/webhook-secret",
      path: () => "/api/admin/departments/kaifu/webhook-secret",
      made: async () => (await webhookSecret("kaifu")) !== firstSecret,
      entry: { subject: { type: "departments", id: () => "kaifu" } },
    },
    {
      name: "change a department",
      route: "PUT /api/admin/departments/{code}",
      path: () => "/api/admin/departments/kaifu",
      body: () => ({ name: { en: "Kaifu office", zh: "开福区" }, services: ["pothole"] }),
      made: async () =>
        (await departments()).departments.find((d) => d.code === "kaifu")?.name.en === "Kaifu office",
      entry: { subject: { type: "departments", id: () => "kaifu" } },
    },
    {
      name: "delete a department made by mistake",
      route: "DELETE /api/admin/departments/{code}",
      path: () => "/api/admin/departments/tianxin-test",
      made: async () => !(await departments()).departments.some((d) => d.code === "tianxin-test"),
      entry: { subject: { type: "departments", id: () => "tianxin-test" } },
    },
    {
      name: "create a staff account",
      route: "POST /api/admin/staff",
      path: () => "/api/admin/staff",
      body: () => ({
        email: "li.clerk@city.example",
        name: "Li Clerk",
        role: "department",
        department: "kaifu",
        password: STAFF_PASSWORD,
      }),
      made: async () => {
        clerkId = (await staff()).staff.find((s) => s.email === "li.clerk@city.example")?.id ?? "";
        return clerkId !== "";
      },
      entry: { subject: { type: "staff", id: () => clerkId } },
    },
    {
      name: "change a staff account",
      route: "PATCH /api/admin/staff/{id}",
      path: () => `/api/admin/staff/${clerkId}`,
      body: () => ({ name: "Li Renamed" }),
      made: async () => (await staff()).staff.some((s) => s.name === "Li Renamed"),
      entry: { subject: { type: "staff", id: () => clerkId } },
    },
    {
      name: "issue a department token",
      route: "POST /api/admin/departments/{code}/tokens",
      path: () => "/api/admin/departments/kaifu/tokens",
      body: () => ({ label: "integration" }),
      made: async () => {
        tokenId = (await tokens()).tokens[0]?.id ?? "";
        return tokenId !== "";
      },
      entry: { subject: { type: "departments", id: () => "kaifu" } },
    },
    {
      name: "revoke a department token",
      route: "DELETE /api/admin/departments/{code}/tokens/{id}",
      path: () => `/api/admin/departments/kaifu/tokens/${tokenId}`,
      made: async () => (await tokens()).tokens.find((k) => k.id === tokenId)?.revokedAt != null,
      entry: { subject: { type: "departments", id: () => "kaifu" } },
    },
    {
      name: "issue an API key",
      route: "POST /api/admin/api-keys",
      path: () => "/api/admin/api-keys",
      body: () => ({ name: "Street app" }),
      made: async () => {
        keyId = (await keys()).apiKeys[0]?.id ?? "";
        return keyId !== "";
      },
      entry: { subject: { type: "api-keys", id: () => keyId } },
    },
    {
      name: "list the sites an API key may be sent from",
      route: "PATCH /api/admin/api-keys/{id}",
      path: () => `/api/admin/api-keys/${keyId}`,
      body: () => ({ origins: ["https://street.example"] }),
      made: async () =>
        (await get<{ apiKeys: { id: string; origins: string[] }[] }>("/api/admin/api-keys")).apiKeys
          .find((k) => k.id === keyId)
          ?.origins.includes("https://street.example") === true,
      entry: { subject: { type: "api-keys", id: () => keyId } },
    },
    {
      name: "revoke an API key",
      route: "DELETE /api/admin/api-keys/{id}",
      path: () => `/api/admin/api-keys/${keyId}`,
      made: async () => (await keys()).apiKeys.find((k) => k.id === keyId)?.revokedAt != null,
      entry: { subject: { type: "api-keys", id: () => keyId } },
    },
    // Kept before they are hidden: hiding reviews an item's flags too.
    keep("reports"),
    keep("photos"),
    keep("notes"),
    moderation("reports", "hide"),
    moderation("reports", "restore"),
    moderation("photos", "hide"),
    moderation("photos", "restore"),
    moderation("notes", "hide"),
    moderation("notes", "restore"),
    {
      name: "block a reporter",
      route: "POST /api/admin/moderation/reports/{id}/block-reporter",
      path: () => `/api/admin/moderation/reports/${fixture.reportId}/block-reporter`,
      made: blocked,
      entry: { subject: { type: "reports", id: () => fixture.reportId } },
    },
    {
      name: "unblock a reporter",
      route: "DELETE /api/admin/moderation/reports/{id}/block-reporter",
      path: () => `/api/admin/moderation/reports/${fixture.reportId}/block-reporter`,
      made: async () => !(await blocked()),
      entry: { subject: { type: "reports", id: () => fixture.reportId } },
    },
    {
      name: "import known road features",
      route: "POST /api/admin/known-features",
      path: () => "/api/admin/known-features",
      body: () => ({
        type: "FeatureCollection",
        features: [
          {
            type: "Feature",
            geometry: { type: "Point", coordinates: [east(CHANGSHA, 900).lon, CHANGSHA.lat] },
            properties: { kind: "manhole" },
          },
        ],
      }),
      made: async () => {
        featureId = (await features()).features.find((f) => f.properties.kind === "manhole")?.id ?? "";
        return featureId !== "";
      },
      entry: { subject: { type: "known-features", id: () => "" } },
    },
    {
      name: "delete a known road feature",
      route: "DELETE /api/admin/known-features/{id}",
      path: () => `/api/admin/known-features/${featureId}`,
      made: async () => !(await features()).features.some((f) => f.id === featureId),
      entry: { subject: { type: "known-features", id: () => featureId } },
    },
    {
      name: "import named places",
      route: "POST /api/admin/places",
      path: () => "/api/admin/places",
      body: () => ({
        csv: "kind,name_zh,name_en,pinyin,lat,lon\nlandmark,贾谊故居,Jia Yi's Former Residence,Jiǎ Yì Gùjū,28.1935,112.9712\n",
      }),
      made: async () => {
        const [place] = await t.db.all<{ id: string }>(sql`SELECT id FROM places WHERE name_zh = '贾谊故居'`);
        placeId = place?.id ?? "";
        return placeId !== "";
      },
      entry: { subject: { type: "places", id: () => "" } },
    },
    {
      name: "delete a named place",
      route: "DELETE /api/admin/places/{id}",
      path: () => `/api/admin/places/${placeId}`,
      made: async () => (await rowsOf(t, sql`SELECT 1 FROM places WHERE id = ${placeId}`)) === 0,
      entry: { subject: { type: "places", id: () => placeId } },
    },
    {
      name: "retry a dead letter",
      route: "POST /api/admin/outbox/{id}/retry",
      path: () => `/api/admin/outbox/${fixture.deadLetterId}/retry`,
      made: async () => !(await deadLetters()).includes(fixture.deadLetterId),
      entry: { subject: { type: "outbox", id: () => fixture.deadLetterId } },
    },
    {
      name: "dismiss a dead letter",
      route: "POST /api/admin/outbox/{id}/dismiss",
      path: () => `/api/admin/outbox/${fixture.dismissedId}/dismiss`,
      made: async () => !(await deadLetters()).includes(fixture.dismissedId),
      entry: { subject: { type: "outbox", id: () => fixture.dismissedId } },
    },
    {
      name: "reject a work order as a fixture",
      route: "POST /api/admin/work-orders/{id}/transitions",
      path: () => `/api/admin/work-orders/${fixture.workOrderId}/transitions`,
      body: () => ({ to: "rejected", reason: "a manhole cover", fixture: true }),
      // Closed in the same write: not a defect.
      made: async () => (await workOrder(fixture.workOrderId))?.status === "closed",
      entry: { action: "rejected", subject: { type: "work_order", id: () => fixture.workOrderId } },
    },
    {
      name: "file a report for a caller at the desk",
      route: "POST /api/desk/reports",
      path: () => "/api/desk/reports",
      as: () => callTaker.token,
      body: () => ({
        service: "pothole",
        ...north(CHANGSHA, 2_000),
        description: "A caller says: a deep hole by the bus stop",
        caller: { name: "Grandma Liu", phone: "13800138000" },
      }),
      made: async () => {
        const rows = await t.db.all<{ id: string }>(sql`SELECT id FROM reports WHERE source = 'phone'`);
        deskReportId = rows[0]?.id ?? "";
        return rows.length === 1;
      },
      entry: {
        action: "desk_report",
        by: () => CALL_TAKER,
        subject: { type: "report", id: () => deskReportId },
      },
    },
    {
      name: "sign in",
      route: "POST /api/auth/sign-in",
      path: () => "/api/auth/sign-in",
      as: () => null,
      body: () => ({ email: "li.clerk@city.example", password: STAFF_PASSWORD }),
      made: async () =>
        (await rowsOf(t, sql`SELECT 1 FROM staff_sessions WHERE staff_id = ${clerkId}`)) === 1,
      entry: {
        action: "signed_in",
        by: () => "Li Renamed",
        subject: { type: "network", id: () => senderTag },
      },
      readAnswer: async (res) => {
        session = ((await res.json()) as { token: string }).token;
      },
    },
    {
      name: "sign out",
      route: "POST /api/auth/sign-out",
      path: () => "/api/auth/sign-out",
      as: () => session,
      made: async () => (await me(session)).status === 401,
      entry: { action: "signed_out", by: () => "Li Renamed", subject: { type: null, id: () => null } },
    },
  ];

  beforeAll(async () => {
    t = await makeTestApp();
    senderTag = await networkTag(t.config.reporterSecret, networkOf(residentAddress("audit-sender")));
    await makeService(t);
    const kaifu = await makeDepartment(t, {
      code: "kaifu",
      services: ["pothole"],
      area: squareAround(CHANGSHA, 20_000),
      // A loopback address, refused at delivery below: its first dispatch is a dead letter.
      webhookUrl: "http://127.0.0.1:9/hook",
    });
    firstSecret = kaifu.webhookSecret as string;
    // Made by mistake, never sent work: deleted below.
    await makeDepartment(t, { code: "tianxin-test", services: [], area: squareAround(CHANGSHA, 1_000) });
    admin = await makeStaff(t, "admin", { name: ADMIN });
    callTaker = await makeStaff(t, "call_taker", { name: CALL_TAKER });

    const photo = await t.app.request("/api/photos", {
      method: "POST",
      headers: { "content-type": "image/jpeg", ...fromResident("audit-photo") },
      body: realJpeg(),
    });
    fixture.photoId = ((await photo.json()) as { photo: { id: string } }).photo.id;
    const report = await t.app.request("/api/reports", {
      method: "POST",
      headers: { "content-type": "application/json", ...fromResident("audit-photo") },
      body: JSON.stringify({
        service: "pothole",
        ...east(CHANGSHA, 3_000),
        description: "Rude words about a neighbour",
        photoIds: [fixture.photoId],
      }),
    });
    expect(report.status).toBe(201);
    fixture.reportId = ((await report.json()) as { report: { id: string } }).report.id;
    // A resident's note on the problem's timeline (as a client app's update writes one).
    fixture.noteId = "audit-note-1";
    await t.db.run(sql`INSERT INTO events (id, cluster_id, type, actor, note, at)
      SELECT ${fixture.noteId}, cluster_id, 'update_posted', 'resident', 'Ring me on 138 0000 0000', created_at
      FROM reports WHERE id = ${fixture.reportId}`);
    // A neighbour flags both, for the moderators to keep.
    for (const [target, id] of [
      ["report", fixture.reportId],
      ["photo", fixture.photoId],
      ["note", fixture.noteId],
    ])
      expect(
        (
          await t.app.request("/api/flags", {
            method: "POST",
            headers: { "content-type": "application/json", ...fromResident("audit-flagger") },
            body: JSON.stringify({ target, id, reason: "offensive" }),
          })
        ).status,
      ).toBe(202);

    const sensed = await workOrderAt(t, CHANGSHA);
    fixture.workOrderId = sensed.id;
    // Only a problem phones sensed can be rejected as a fixture: give it the spot they confirmed.
    await t.db.run(sql`INSERT INTO road_spots (id, family, kind, state, lat, lon, grid_lat, grid_lon, weight,
        radius_m, hits, pothole_hits, bump_hits, devices, hit_passes, first_hit_at, last_hit_at, cluster_id,
        created_at, updated_at)
      VALUES ('audit-spot', 'impact', 'pothole', 'confirmed', ${CHANGSHA.lat}, ${CHANGSHA.lon}, 0, 0, 1, 10, 3, 3,
        0, 3, 3, 0, 0, ${sensed.clusterId}, 0, 0)`);
    await deliverDue(t.db, {
      now: t.clock(),
      fetch,
      config: { publicUrl: "http://civicloop.test", allowPrivateWebhooks: false },
    });
    fixture.deadLetterId = (await deadLetters())[0] ?? "";
    expect(fixture.deadLetterId).not.toBe("");
    fixture.reroutedId = (await workOrderAt(t, north(CHANGSHA, 4_000))).id;
    // Its dispatch given up too: a second dead letter, to dismiss.
    await deliverDue(t.db, {
      now: t.clock(),
      fetch,
      config: { publicUrl: "http://civicloop.test", allowPrivateWebhooks: false },
    });
    fixture.dismissedId = (await deadLetters()).find((id) => id !== fixture.deadLetterId) ?? "";
    expect(fixture.dismissedId).not.toBe("");
  });

  const send = (c: Change) => {
    const token = c.as ? c.as() : admin.token;
    const body = c.body?.();
    const headers = {
      "content-type": "application/json",
      ...fromResident("audit-sender"),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    };
    const method = c.route.split(" ")[0];
    return t.app.request(c.path(), {
      method,
      headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  };
  const entries = async () =>
    (
      await get<{
        actions: {
          action: string;
          by: { name: string };
          subject: { type: string | null; id: string | null };
        }[];
      }>("/api/admin/audit")
    ).actions;

  for (const change of CHANGES)
    it(`${change.name}: refused whole when its entry cannot be written, then made with it`, async () => {
      await t.db.run(sql`CREATE TRIGGER audit_down BEFORE INSERT ON staff_actions
        BEGIN SELECT RAISE(ABORT, 'the audit trail is down'); END`);
      try {
        const refused = await send(change);
        expect(refused.status).toBeGreaterThanOrEqual(500);
        expect(await change.made()).toBe(false);
      } finally {
        await t.db.run(sql`DROP TRIGGER audit_down`);
      }
      const before = (await entries()).length;
      const res = await send(change);
      expect(res.status, await res.clone().text()).toBeLessThan(300);
      await change.readAnswer?.(res);
      expect(await change.made()).toBe(true);
      const after = await entries();
      expect(after.length).toBe(before + 1);
      const [method, route] = change.route.split(" ") as [string, string];
      expect(after[0]).toMatchObject({
        action:
          change.entry.action ?? `${method} ${route.replace(/^\/api/, "").replace(/\{(\w+)\}/g, ":$1")}`,
        by: { name: change.entry.by?.() ?? ADMIN },
        subject: { type: change.entry.subject.type, id: change.entry.subject.id() },
      });
    });

  it("writes no entry for a change that changed nothing (revoking a revoked key, hiding a hidden photo)", async () => {
    const before = (await entries()).length;
    const again = await t.app.request(`/api/admin/api-keys/${keyId}`, {
      method: "DELETE",
      ...asToken(admin.token),
    });
    expect(again.status).toBe(204);
    for (let i = 0; i < 2; i++) {
      const hide = await send(moderation("photos", "hide"));
      expect(hide.status).toBe(200);
      expect(((await hide.json()) as { changed: boolean }).changed).toBe(i === 0);
    }
    expect((await entries()).length).toBe(before + 1);
  });

  it("knows every admin write of the API document", async () => {
    const writes = (await adminWrites(t)).map((w) => `${w.method} ${w.path}`);
    expect(writes.length).toBeGreaterThan(15);
    expect(writes.filter((w) => !CHANGES.some((c) => c.route === w))).toEqual([]);
  });

  it("leaves only entries the admin's audit tab has words for", async () => {
    const actions = new Set<string>();
    for (let before = ""; ; ) {
      const page = await get<{ actions: { action: string }[]; next: string | null }>(
        `/api/admin/audit${before && `?before=${before}`}`,
      );
      for (const a of page.actions) actions.add(a.action);
      if (!page.next) break;
      before = page.next;
    }
    // The changes above, a reroute among them (which the tab once showed as its bare code).
    expect(actions.size).toBeGreaterThan(20);
    expect(actions).toContain("rerouted");
    const worded = (a: string) =>
      a in ACTION_WORDS || ROUTE_WORDS.has(a) || (WORK_ORDER_STATUSES as readonly string[]).includes(a);
    expect([...actions].filter((a) => !worded(a))).toEqual([]);
  });
});
