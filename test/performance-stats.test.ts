/**
 * The performance page's figures, computed by hand on a small city with a set clock: on-time
 * boundaries, reopening, each rater counted once, the periods, missed deadlines this month, and
 * reports per 10,000 residents; the CSV download says what the JSON says.
 */

import { sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { parseCsv } from "../src/domain/csv";
import { checkDeadlines } from "../src/store/overdue";
import { makeClock, makeTestApp, type TestApp } from "./support/app";
import {
  asAdmin,
  CHANGSHA,
  east,
  makeDepartment,
  makeService,
  north,
  reportAt,
  squareAround,
} from "./support/fixtures";
import { departmentToken, move, stillThere } from "./support/work-orders";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.parse("2026-06-10T00:00:00Z");
const NOW = T0 + 100 * HOUR;
const PARK = north(CHANGSHA, 30_000);

let t: TestApp;
let roads: string;
const receipts = new Map<string, string>();
/** The fixture's work orders by letter (F, A–E), for the lists behind the figures. */
const wo: Record<string, string> = {};

/** Residents (by device) report one problem; the last report makes its work order. */
async function problemAt(spot: { lat: number; lon: number }, devices: string[]) {
  let last: Awaited<ReturnType<typeof reportAt>> | undefined;
  const reports: Record<string, string> = {};
  for (const d of devices) {
    last = await reportAt(t, spot, { deviceId: `perf-device-${d}-abcdef` });
    expect(last.status).toBe(201);
    reports[d] = last.body.report.id;
    receipts.set(last.body.report.id, last.body.receipt);
  }
  return {
    id: last?.body.cluster.workOrder.id as string,
    clusterId: last?.body.cluster.id as string,
    reports,
  };
}

async function at(ms: number, step: () => Promise<{ status: number }>) {
  t.clock.set(ms);
  const res = await step();
  expect(res.status, JSON.stringify(res)).toBe(200);
}

async function rate(reportId: string, stars: number) {
  const res = await t.app.request(`/api/reports/${reportId}/rating`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ stars, receipt: receipts.get(reportId) }),
  });
  expect(res.status).toBe(201);
}

async function get(path: string) {
  const res = await t.app.request(path);
  expect(res.status).toBe(200);
  // biome-ignore lint/suspicious/noExplicitAny: answers are inspected field by field
  return (await res.json()) as any;
}

beforeAll(async () => {
  t = await makeTestApp({ clock: makeClock(T0 - 60 * DAY) });
  await makeService(t, { code: "pothole", threshold: 3, ackHours: 24, resolveHours: 48 });
  await makeDepartment(t, { code: "roads", services: ["pothole"], area: squareAround(CHANGSHA, 20_000) });
  await makeDepartment(t, { code: "parks", services: ["pothole"], area: squareAround(PARK, 2_000) });
  for (const [code, area, population] of [
    ["roads", squareAround(CHANGSHA, 20_000), 10_000],
    ["parks", squareAround(PARK, 2_000), 20_000],
  ] as const) {
    const body = { name: { en: code, zh: code }, services: ["pothole"], area, population };
    const res = await t.app.request(`/api/admin/departments/${code}`, { method: "PUT", ...asAdmin(body) });
    expect(res.status).toBe(200);
  }
  roads = await departmentToken(t, "roads");
  const ack = (id: string) => () => move(t, roads, id, { to: "acknowledged" });
  const resolve = (id: string) => () => move(t, roads, id, { to: "resolved" });

  // F, 60 days ago: acknowledged in 1 h, resolved in 10 h, rated 1 star.
  const f = await problemAt(east(CHANGSHA, 0), ["f1", "f2", "f3"]);
  await at(T0 - 60 * DAY + HOUR, ack(f.id));
  await at(T0 - 60 * DAY + 10 * HOUR, resolve(f.id));
  t.clock.set(T0 - 60 * DAY + 11 * HOUR);
  await rate(f.reports.f1 as string, 1);

  t.clock.set(T0);
  const a = await problemAt(east(CHANGSHA, 100), ["r1", "r2", "r3"]);
  const b = await problemAt(east(CHANGSHA, 200), ["r1", "r4", "r5"]);
  const c = await problemAt(east(CHANGSHA, 300), ["c1", "c2", "c3"]);
  const d = await problemAt(east(CHANGSHA, 400), ["d1", "d2", "d3"]); // D: never acknowledged
  Object.assign(wo, { F: f.id, A: a.id, B: b.id, C: c.id, D: d.id });
  await at(T0 + 2 * HOUR, ack(a.id));
  await at(T0 + 4 * HOUR, ack(b.id));
  await at(T0 + 6 * HOUR, ack(c.id));
  await at(T0 + 10 * HOUR, resolve(c.id));
  // C: a reporter says it is still there; its new resolve deadline (68 h) passes unmet.
  await at(T0 + 20 * HOUR, () => stillThere(t, c.clusterId, receipts.get(c.reports.c1 as string)));
  t.clock.set(T0 + 30 * HOUR);
  await checkDeadlines(t.db, T0 + 30 * HOUR); // D misses its acknowledgement: one card
  await at(T0 + 48 * HOUR, resolve(a.id)); // exactly at its deadline: on time
  await at(T0 + 49 * HOUR, resolve(b.id)); // an hour late: a card, though no check ran between
  t.clock.set(T0 + 50 * HOUR);
  await rate(a.reports.r1 as string, 5); // r1 rates twice: counts once, at (5 + 3) / 2 = 4
  await rate(b.reports.r1 as string, 3);
  await rate(a.reports.r2 as string, 2);
  await rate(b.reports.r4 as string, 4);
  t.clock.set(NOW - 20 * HOUR);
  wo.E = (await problemAt(east(CHANGSHA, 500), ["e1", "e2", "e3"])).id; // E: 20 of its 24 h gone, yellow
  t.clock.set(NOW);
  await reportAt(t, PARK, { deviceId: "perf-device-park-abcdef" });
  await checkDeadlines(t.db, NOW); // C misses its resolution: the third card; D is not counted twice
});

describe("GET /api/stats/departments?period=", () => {
  it("gives the last 30 days' league table, figured by hand", async () => {
    const body = await get("/api/stats/departments");
    expect(body.period).toBe("30d");
    expect(Object.keys(body.definitions)).toContain("onTimeShare");
    expect(body.departments[0]).toMatchObject({
      code: "parks",
      open: 0,
      ratings: 0,
      onTimeShare: null,
      cards: 0,
    });
    expect(body.departments[1]).toMatchObject({
      code: "roads",
      open: 3,
      overdue: 2,
      nearlyDue: 1,
      // Resolutions, not work orders: C's resolution counts though C was reopened (it was on time).
      resolved: 3,
      onTimeShare: 0.667,
      medianAckHours: 4,
      medianResolveHours: 48,
      satisfiedShare: 0.667,
      meanStars: 3.33,
      ratings: 3,
      reopenRate: 0.333,
      cards: 3,
    });
  });

  it("takes the older work and ratings into the 90 days and 12 months", async () => {
    for (const period of ["90d", "365d"]) {
      const body = await get(`/api/stats/departments?period=${period}`);
      expect(body.departments[1]).toMatchObject({
        resolved: 4,
        onTimeShare: 0.75,
        medianAckHours: 3,
        medianResolveHours: 29,
        satisfiedShare: 0.5,
        meanStars: 2.75,
        ratings: 4,
        reopenRate: 0.25,
        cards: 3,
      });
    }
  });

  it("refuses an unknown period, naming the parameter", async () => {
    const res = await t.app.request("/api/stats/departments?period=7d");
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { field: string } }).error.field).toBe("period");
  });

  it("downloads the same table as CSV", async () => {
    const body = await get("/api/stats/departments?period=90d");
    const res = await t.app.request("/api/stats/departments.csv?period=90d");
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    const [head, ...lines] = (await res.text()).trimEnd().split("\r\n");
    const columns = (head as string).split(",");
    expect(lines).toHaveLength(body.departments.length);
    lines.forEach((line, i) => {
      const row = Object.fromEntries(line.split(",").map((v, j) => [columns[j], v]));
      const d = body.departments[i];
      expect(row.period).toBe("90d");
      expect(row.code).toBe(d.code);
      for (const k of [
        "open",
        "overdue",
        "nearlyDue",
        "onTimeShare",
        "medianAckHours",
        "satisfiedShare",
        "reopenRate",
        "cards",
      ])
        expect(row[k]).toBe(d[k] === null ? "" : String(d[k]));
    });
  });

  it("starts the CSV with a UTF-8 byte order mark only when asked (bom=true, for Excel)", async () => {
    const bytes = async (path: string) => new Uint8Array(await (await t.app.request(path)).arrayBuffer());
    const marked = await bytes("/api/stats/departments.csv?period=90d&bom=true");
    expect([...marked.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const plain = await bytes("/api/stats/departments.csv?period=90d");
    expect(new TextDecoder().decode(plain.slice(0, 7))).toBe("period,");
    // The same table after the mark (a reader that strips it, as TextDecoder does, sees no difference).
    expect(new TextDecoder().decode(marked)).toBe(new TextDecoder().decode(plain));
    const refused = await t.app.request("/api/stats/departments.csv?bom=yes");
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { error: { field: string } }).error.field).toBe("bom");
  });

  it("names its definitions beside the CSV, one line per column, the columns unchanged", async () => {
    const res = await t.app.request("/api/stats/departments.csv?period=90d");
    const columns = (await res.text()).split("\r\n")[0]?.split(",") ?? [];
    expect(columns.slice(0, 5)).toEqual(["period", "code", "name_en", "name_zh", "open"]);
    expect(res.headers.get("link")).toBe('</api/stats/definitions.csv>; rel="describedby"; type="text/csv"');
    const defs = await t.app.request("/api/stats/definitions.csv");
    expect(defs.status).toBe(200);
    expect(defs.headers.get("content-type")).toMatch(/^text\/csv/);
    const [head, ...rows] = parseCsv(await defs.text()).map((r) => r.fields);
    expect(head).toEqual(["column", "definition"]);
    expect(rows.map(([k]) => k)).toEqual(columns);
    const json = await get("/api/stats/departments?period=90d");
    for (const [k = "", v = ""] of rows) {
      expect(v.length, k).toBeGreaterThan(10);
      // The same words as the JSON answer's.
      if (k in json.definitions) expect(v).toBe(json.definitions[k]);
    }
  });
});

describe("GET /api/stats/departments/{code}/work-orders?figure=&period=", () => {
  const behind = async (figure: string, period = "30d") => {
    const body = await get(`/api/stats/departments/roads/work-orders?figure=${figure}&period=${period}`);
    const ids = body.workOrders.map((w: { workOrderId: string }) =>
      Object.keys(wo).find((k) => wo[k] === w.workOrderId),
    );
    return { ...body, ids };
  };

  it("lists exactly the work orders each of the 30 days' figures counts, figured by hand", async () => {
    expect((await behind("open")).ids.sort()).toEqual(["C", "D", "E"]);
    expect((await behind("overdue")).ids.sort()).toEqual(["C", "D"]);
    expect((await behind("nearlyDue")).ids).toEqual(["E"]);
    // The cards in the order missed: D's acknowledgement, B's resolution, then C's.
    expect((await behind("cards")).ids).toEqual(["D", "B", "C"]);
    const onTime = await behind("onTimeShare");
    expect(onTime.ids).toEqual(["C", "A", "B"]);
    expect(onTime.workOrders.map((w: { inShare: boolean }) => w.inShare)).toEqual([true, true, false]);
    expect([onTime.count, onTime.inShare]).toEqual([3, 2]);
    expect(onTime.workOrders.map((w: { hours: number }) => w.hours)).toEqual([10, 48, 49]);
    const reopened = await behind("reopenRate");
    expect(reopened.workOrders.map((w: { inShare: boolean }) => w.inShare)).toEqual([true, false, false]);
    const ack = await behind("medianAckHours");
    expect([ack.ids, ack.workOrders.map((w: { hours: number }) => w.hours)]).toEqual([
      ["A", "B", "C"],
      [2, 4, 6],
    ]);
    // Four ratings from three residents: r1 rated A and B the same day, counted once by the mean 4.
    const rated = await behind("satisfiedShare");
    const pairs = rated.workOrders.map((w: { stars: number }, i: number) => `${rated.ids[i]}${w.stars}`);
    expect(pairs.sort()).toEqual(["A2", "A5", "B3", "B4"]);
    expect([rated.count, rated.inShare]).toEqual([3, 2]);
    expect((await behind("rejected")).count).toBe(0);
    // The 90 days take F's resolution and rating in.
    expect((await behind("resolved", "90d")).ids).toEqual(["F", "C", "A", "B"]);
    expect((await behind("ratings", "90d")).count).toBe(4);
  });

  it("counts what the league table counts, for every figure and period", async () => {
    const shares = { onTimeShare: "resolved", reopenRate: "resolved", satisfiedShare: "ratings" } as const;
    for (const period of ["30d", "90d", "365d"]) {
      const row = (await get(`/api/stats/departments?period=${period}`)).departments[1];
      for (const figure of ["open", "overdue", "nearlyDue", "cards", "resolved", "ratings", "rejected"])
        expect((await behind(figure, period)).count, `${period} ${figure}`).toBe(row[figure]);
      for (const [figure, whole] of Object.entries(shares)) {
        const list = await behind(figure, period);
        expect(list.count, `${period} ${figure}`).toBe(row[whole]);
        expect(Math.round((list.inShare / list.count) * 1000) / 1000, `${period} ${figure}`).toBe(
          row[figure],
        );
      }
    }
  });

  it("refuses an unknown figure (400 naming it) and an unknown department (404)", async () => {
    const bad = await t.app.request("/api/stats/departments/roads/work-orders?figure=speed");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { field: string } }).error.field).toBe("figure");
    const none = await t.app.request("/api/stats/departments/nowhere/work-orders?figure=open");
    expect(none.status).toBe(404);
  });
});

describe("GET /api/stats/overdue", () => {
  it("lists every overdue work order with how late it is", async () => {
    const body = await get("/api/stats/overdue");
    expect(
      body.workOrders.map((w: { deadline: string; hoursLate: number }) => [w.deadline, w.hoursLate]),
    ).toEqual([
      ["acknowledge", 76], // D: due at 24 h, now 100 h
      ["resolve", 32], // C: due at 20 + 48 = 68 h
    ]);
    expect(body.next).toBeNull();
  });

  it("pages by `next`, the longest overdue first, and misses none", async () => {
    const all = (await get("/api/stats/overdue")).workOrders;
    const first = await get("/api/stats/overdue?limit=1");
    expect(first.workOrders).toEqual(all.slice(0, 1));
    expect(first.next).toMatch(/^\d+\./);
    const second = await get(`/api/stats/overdue?limit=1&after=${encodeURIComponent(first.next)}`);
    expect(second.workOrders).toEqual(all.slice(1, 2));
    expect(second.next).toBeNull();
  });

  it("lists one department's, says where each is, and knows no department it does not have", async () => {
    const all = (await get("/api/stats/overdue")).workOrders;
    expect((await get("/api/stats/overdue?department=roads")).workOrders).toEqual(all);
    expect((await get("/api/stats/overdue?department=parks")).workOrders).toEqual([]);
    const first = await get("/api/stats/overdue?department=roads&limit=1");
    const rest = await get(`/api/stats/overdue?department=roads&after=${encodeURIComponent(first.next)}`);
    expect([...first.workOrders, ...rest.workOrders]).toEqual(all);
    for (const w of all) {
      const cluster = await get(`/api/clusters/${w.clusterId}`);
      expect([w.lat, w.lon]).toEqual([cluster.cluster.lat, cluster.cluster.lon]);
      // This city has no gazetteer: nothing names the place.
      expect(w.place).toBeNull();
    }
    for (const path of ["/api/stats/overdue?department=nowhere", "/api/stats/overdue.csv?department=nowhere"])
      expect((await t.app.request(path)).status, path).toBe(404);
  });

  it("downloads the whole list, or one department's, as a CSV file saying what the JSON says", async () => {
    const all = (await get("/api/stats/overdue")).workOrders;
    const res = await t.app.request("/api/stats/overdue.csv?department=roads&bom=true");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toBe(
      `attachment; filename="overdue-roads-${new Date(NOW + 8 * HOUR).toISOString().slice(0, 10)}.csv"`,
    );
    // Streamed, not read whole first for a digest: no ETag.
    expect(res.headers.get("etag")).toBeNull();
    const bytes = new Uint8Array(await res.arrayBuffer());
    // A byte order mark first, for Excel: `res.text()` would drop it unseen.
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [header, ...rows] = parseCsv(new TextDecoder().decode(bytes)).map((r) => r.fields);
    expect(rows.map((r) => Object.fromEntries((header ?? []).map((h, i) => [h, r[i]])))).toEqual(
      all.map((w: Record<string, unknown>) => ({
        work_order_id: w.workOrderId,
        cluster_id: w.clusterId,
        service: "pothole",
        department: "roads",
        deadline: w.deadline,
        due_at: w.dueAt,
        hours_late: String(w.hoursLate),
        lat: String(w.lat),
        lon: String(w.lon),
        place_en: "",
        place_zh: "",
      })),
    );
    const empty = await t.app.request("/api/stats/overdue.csv?department=parks");
    expect(parseCsv(await empty.text())).toHaveLength(1);
    const city = await t.app.request("/api/stats/overdue.csv");
    expect(city.headers.get("content-disposition")).toMatch(/filename="overdue-\d{4}-\d\d-\d\d\.csv"/);
    expect((await city.text()).startsWith("work_order_id,")).toBe(true);
  });

  it("refuses a limit out of range or a cursor it did not give, naming the field", async () => {
    for (const [query, field] of [
      ["limit=0", "limit"],
      ["limit=501", "limit"],
      ["after=x", "after"],
    ]) {
      const res = await t.app.request(`/api/stats/overdue?${query}`);
      expect(res.status, query).toBe(400);
      expect((await res.json()).error.field, query).toBe(field);
    }
  });
});

describe("GET /api/stats/areas?period=", () => {
  it("gives reports and confirmed problems per 10,000 residents, and the city's rates", async () => {
    const body = await get("/api/stats/areas");
    expect(body.areas).toEqual([
      {
        code: "parks",
        name: { en: "parks", zh: "parks" },
        population: 20_000,
        reports: 1,
        confirmed: 0,
        reportsPer10k: 0.5,
        confirmedPer10k: 0,
        cellsDriven: 0,
      },
      {
        code: "roads",
        name: { en: "roads", zh: "roads" },
        population: 10_000,
        reports: 15,
        confirmed: 5,
        reportsPer10k: 15,
        confirmedPer10k: 5,
        cellsDriven: 0,
      },
    ]);
    expect(body.city).toEqual({
      population: 30_000,
      reports: 16,
      confirmed: 5,
      reportsPer10k: 5.33,
      confirmedPer10k: 1.67,
      cellsDriven: 0,
    });
    const older = await get("/api/stats/areas?period=90d");
    expect(older.areas[1]).toMatchObject({ reports: 18, confirmed: 6 });
  });
});

describe("GET /api/stats/trends?period=&department=", () => {
  // A week starts on Monday at midnight in Changsha (UTC+8): 16:00 UTC on the Sunday.
  const week = (start: string, reports: number, resolved: number, onTimeShare: number | null, days = 7) => ({
    start: new Date(`${start}T00:00:00+08:00`).toISOString(),
    reports,
    resolved,
    onTimeShare,
    days,
  });
  const quiet = (start: string, days = 7) => week(start, 0, 0, null, days);

  it("counts a department's weeks (Monday to Monday in the city) by hand", async () => {
    // NOW is Sunday 14 June; the 30 days from Saturday 16 May hold 2 days of the week of Monday
    // 11 May (the first week is partial), and all of the week of 8 June (it ends today).
    const body = await get("/api/stats/trends?department=roads");
    expect(body).toMatchObject({ period: "30d", department: "roads" });
    expect(body.weeks).toEqual([
      quiet("2026-05-11", 2),
      quiet("2026-05-18"),
      quiet("2026-05-25"),
      quiet("2026-06-01"),
      // A, B, C, D and E, three reports each; A on time at its deadline, B an hour late, C
      // resolved on time (then reopened: its resolution still happened that week).
      week("2026-06-08", 15, 3, 0.667),
    ]);
  });

  it("gives the city every visible report, and the older weeks in 90 days", async () => {
    const city = await get("/api/stats/trends");
    expect(city.department).toBeNull();
    expect(city.weeks.at(-1)).toEqual(week("2026-06-08", 16, 3, 0.667));
    const older = await get("/api/stats/trends?period=90d&department=roads");
    expect(older.weeks).toHaveLength(13); // 16 March to 8 June
    expect(older.weeks[0].start).toBe("2026-03-15T16:00:00.000Z");
    expect(older.weeks[3]).toEqual(week("2026-04-06", 3, 1, 1)); // F, resolved in 10 of its 48 h
    // The weeks add up to the league table's resolutions.
    const table = await get("/api/stats/departments?period=90d");
    const resolved = older.weeks.reduce((n: number, w: { resolved: number }) => n + w.resolved, 0);
    expect(resolved).toBe(table.departments[1].resolved);
  });

  it("refuses an unknown department", async () => {
    const res = await t.app.request("/api/stats/trends?department=nowhere");
    expect(res.status).toBe(404);
  });
});

describe("sensor coverage per area", () => {
  it("counts each road cell driven in the period once, in the area holding it", async () => {
    const app = await makeTestApp({ clock: makeClock(T0) });
    await makeService(app, { code: "pothole", threshold: 1 });
    await makeDepartment(app, { code: "roads", services: ["pothole"], area: squareAround(CHANGSHA, 2_000) });
    const cell = (p: { lat: number; lon: number }) => [Math.floor(p.lat / 1e-4), Math.floor(p.lon / 1e-4)];
    const [i, j] = cell(CHANGSHA) as [number, number];
    const [fi, fj] = cell(PARK) as [number, number];
    const today = Math.floor(T0 / DAY);
    // Two phones in one cell today, a neighbour today and 40 days ago, one cell far outside.
    for (const [li, lj, day, key] of [
      [i, j, today, "a"],
      [i, j, today, "b"],
      [i, j + 1, today - 1, "c"],
      [i + 1, j, today - 40, "d"],
      [fi, fj, today, "e"],
    ] as const)
      await app.db.run(sql`INSERT INTO cell_passes (lat_index, lon_index, day, pass_key)
        VALUES (${li}, ${lj}, ${day}, ${key})`);
    const driven = async (period: string) => {
      const res = await app.app.request(`/api/stats/areas?period=${period}`);
      // biome-ignore lint/suspicious/noExplicitAny: one figure inspected
      return ((await res.json()) as any).areas[0].cellsDriven;
    };
    expect(await driven("30d")).toBe(2);
    expect(await driven("90d")).toBe(3);
  });
});

describe("rejections in the league table", () => {
  it("counts a department's rejections in the periods that hold them", async () => {
    const app = await makeTestApp({ clock: makeClock(T0) });
    await makeService(app, { code: "pothole", threshold: 1 });
    await makeDepartment(app, { code: "roads", services: ["pothole"], area: squareAround(CHANGSHA, 2_000) });
    const token = await departmentToken(app, "roads");
    const made = await reportAt(app, CHANGSHA, { deviceId: "perf-reject-abcdef" });
    const rejected = await move(app, token, made.body.cluster.workOrder.id, {
      to: "rejected",
      reason: "not ours",
    });
    expect(rejected.status).toBe(200);
    const rejectedIn = async (period: string) => {
      const res = await app.app.request(`/api/stats/departments?period=${period}`);
      return ((await res.json()) as { departments: { rejected: number }[] }).departments[0]?.rejected;
    };
    expect(await rejectedIn("30d")).toBe(1);
    app.clock.set(T0 + 40 * DAY);
    expect(await rejectedIn("30d")).toBe(0);
    expect(await rejectedIn("90d")).toBe(1);
  });
});
